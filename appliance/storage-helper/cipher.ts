// Which cipher the data volume uses. AES-XTS is the standard and is fast where the CPU has AES
// instructions (x86 AES-NI, the ARMv8 crypto extensions). The Raspberry Pi 3 and 4 have none:
// there AES runs in software (table-based, slow, and not constant-time), so "auto" picks Adiantum
// (XChaCha12 + one AES call per sector, built for exactly these CPUs; Linux 5.0+, cryptsetup 2.1+),
// as Android does for phones without AES instructions.
export type CipherChoice = 'auto' | 'aes-xts' | 'adiantum';

export interface VolumeCipher { name: 'aes-xts' | 'adiantum'; args: string[]; why: string }

const AES_XTS: string[] = ['--cipher', 'aes-xts-plain64', '--key-size', '512'];
// LUKS2 encrypts its key slots with the data cipher unless told otherwise, and cryptsetup refuses
// Adiantum there ("Cannot use ... cipher for keyslot encryption", seen in the QEMU test): the key
// slots (a few KiB, read once at unlock) use AES-XTS, whose speed does not matter for them.
const ADIANTUM: string[] = ['--cipher', 'xchacha12,aes-adiantum-plain64', '--key-size', '256', '--keyslot-cipher', 'aes-xts-plain64', '--keyslot-key-size', '512'];

/** True when /proc/cpuinfo lists AES instructions: "flags ... aes" (x86) or "Features ... aes" (arm64). */
export function cpuHasAes(cpuinfo: string): boolean {
  return /^(flags|Features)\s*:.*\baes\b/m.test(cpuinfo);
}

export function volumeCipher(choice: CipherChoice, cpuinfo: string): VolumeCipher {
  if (choice === 'aes-xts') return { name: 'aes-xts', args: AES_XTS, why: 'chosen in the configuration' };
  if (choice === 'adiantum') return { name: 'adiantum', args: ADIANTUM, why: 'chosen in the configuration' };
  return cpuHasAes(cpuinfo)
    ? { name: 'aes-xts', args: AES_XTS, why: 'the CPU has AES instructions' }
    : { name: 'adiantum', args: ADIANTUM, why: 'the CPU has no AES instructions' };
}

export function isCipherChoice(s: string): s is CipherChoice {
  return s === 'auto' || s === 'aes-xts' || s === 'adiantum';
}
