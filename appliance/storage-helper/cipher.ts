// Which cipher the data volume uses. AES-XTS is the standard and is fast where the CPU has AES
// instructions (x86 AES-NI, the ARMv8 crypto extensions). The Raspberry Pi 3 and 4 have none:
// there AES runs in software (table-based, slow, and not constant-time), so "auto" picks Adiantum
// (XChaCha12 + one AES call per sector, built for exactly these CPUs; Linux 5.0+, cryptsetup 2.1+),
// as Android does for phones without AES instructions.
export type CipherChoice = 'auto' | 'aes-xts' | 'adiantum';

export interface VolumeCipher {
  name: 'aes-xts' | 'adiantum';
  /** for luksFormat: the data cipher and the key-slot cipher */
  args: string[];
  /** for every command that writes a key slot (luksAddKey, luksChangeKey) */
  keyslotArgs: string[];
  why: string;
}

const AES_XTS: string[] = ['--cipher', 'aes-xts-plain64', '--key-size', '512'];
// LUKS2 encrypts each key slot with the data cipher unless told otherwise (at luksFormat AND at
// luksAddKey), and cryptsetup refuses Adiantum there ("Cannot use ... cipher for keyslot
// encryption", seen in the QEMU test): the key slots (a few KiB, read once at unlock) use AES-XTS,
// whose speed does not matter for them.
const ADIANTUM_KEYSLOT: string[] = ['--keyslot-cipher', 'aes-xts-plain64', '--keyslot-key-size', '512'];
const ADIANTUM: string[] = ['--cipher', 'xchacha12,aes-adiantum-plain64', '--key-size', '256', ...ADIANTUM_KEYSLOT];

/** True when /proc/cpuinfo lists AES instructions: "flags ... aes" (x86) or "Features ... aes" (arm64). */
export function cpuHasAes(cpuinfo: string): boolean {
  return /^(flags|Features)\s*:.*\baes\b/m.test(cpuinfo);
}

export function volumeCipher(choice: CipherChoice, cpuinfo: string): VolumeCipher {
  const aesXts = (why: string): VolumeCipher => ({ name: 'aes-xts', args: AES_XTS, keyslotArgs: [], why });
  const adiantum = (why: string): VolumeCipher => ({ name: 'adiantum', args: ADIANTUM, keyslotArgs: ADIANTUM_KEYSLOT, why });
  if (choice === 'aes-xts') return aesXts('chosen in the configuration');
  if (choice === 'adiantum') return adiantum('chosen in the configuration');
  return cpuHasAes(cpuinfo) ? aesXts('the CPU has AES instructions') : adiantum('the CPU has no AES instructions');
}

export function isCipherChoice(s: string): s is CipherChoice {
  return s === 'auto' || s === 'aes-xts' || s === 'adiantum';
}
