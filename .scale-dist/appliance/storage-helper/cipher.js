const AES_XTS = ['--cipher', 'aes-xts-plain64', '--key-size', '512'];
// LUKS2 encrypts each key slot with the data cipher unless told otherwise (at luksFormat AND at
// luksAddKey), and cryptsetup refuses Adiantum there ("Cannot use ... cipher for keyslot
// encryption", seen in the QEMU test): the key slots (a few KiB, read once at unlock) use AES-XTS,
// whose speed does not matter for them.
const ADIANTUM_KEYSLOT = ['--keyslot-cipher', 'aes-xts-plain64', '--keyslot-key-size', '512'];
const ADIANTUM = ['--cipher', 'xchacha12,aes-adiantum-plain64', '--key-size', '256', ...ADIANTUM_KEYSLOT];
/** True when /proc/cpuinfo lists AES instructions: "flags ... aes" (x86) or "Features ... aes" (arm64). */
export function cpuHasAes(cpuinfo) {
    return /^(flags|Features)\s*:.*\baes\b/m.test(cpuinfo);
}
export function volumeCipher(choice, cpuinfo) {
    const aesXts = (why) => ({ name: 'aes-xts', args: AES_XTS, keyslotArgs: [], why });
    const adiantum = (why) => ({ name: 'adiantum', args: ADIANTUM, keyslotArgs: ADIANTUM_KEYSLOT, why });
    if (choice === 'aes-xts')
        return aesXts('chosen in the configuration');
    if (choice === 'adiantum')
        return adiantum('chosen in the configuration');
    return cpuHasAes(cpuinfo) ? aesXts('the CPU has AES instructions') : adiantum('the CPU has no AES instructions');
}
export function isCipherChoice(s) {
    return s === 'auto' || s === 'aes-xts' || s === 'adiantum';
}
//# sourceMappingURL=cipher.js.map