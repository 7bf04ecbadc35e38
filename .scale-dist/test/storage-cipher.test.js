// The data volume's cipher: AES-XTS where the CPU has AES instructions, Adiantum where it has not
// (the Raspberry Pi 3 and 4). The /proc/cpuinfo lines are those of real machines.
import t from 'tap';
import { cpuHasAes, isCipherChoice, volumeCipher } from '../appliance/storage-helper/cipher.js';
const X86_AESNI = 'processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm rep_good nopl cpuid extd_apicid tsc_known_freq pni pclmulqdq ssse3 fma cx16 sse4_1 sse4_2 x2apic movbe popcnt aes xsave avx f16c rdrand hypervisor lahf_lm\n';
const X86_QEMU64 = 'processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: QEMU Virtual CPU version 2.5+\nflags\t\t: fpu de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 syscall nx lm rep_good nopl cpuid extd_apicid pni cx16 hypervisor lahf_lm cmp_legacy svm 3dnowprefetch vmmcall\n';
const PI4 = 'processor\t: 0\nBogoMIPS\t: 108.00\nFeatures\t: fp asimd evtstrm crc32 cpuid\nCPU implementer\t: 0x41\nCPU part\t: 0xd08\n';
const PI5 = 'processor\t: 0\nBogoMIPS\t: 108.00\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp\nCPU part\t: 0xd0b\n';
const A72_QEMU = 'processor\t: 0\nBogoMIPS\t: 125.00\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 cpuid\nCPU part\t: 0xd08\n';
t.test('AES instructions are read from the flags (x86) or Features (arm64) line', async (t) => {
    t.equal(cpuHasAes(X86_AESNI), true, 'x86 with AES-NI');
    t.equal(cpuHasAes(X86_QEMU64), false, "QEMU's default x86 CPU has none");
    t.equal(cpuHasAes(PI4), false, 'Raspberry Pi 4 (Cortex-A72 without the crypto extensions)');
    t.equal(cpuHasAes(PI5), true, 'Raspberry Pi 5 (Cortex-A76 with them)');
    t.equal(cpuHasAes(A72_QEMU), true, "QEMU's cortex-a72 model has them");
    t.equal(cpuHasAes(''), false, 'no /proc/cpuinfo: no AES assumed');
    t.equal(cpuHasAes('flags\t: vaes avx512_vaes\n'), false, 'vaes alone is not the aes flag');
    t.equal(cpuHasAes('model name\t: aes machine\n'), false, 'only the flags/Features line counts');
});
t.test('auto picks AES-XTS with AES instructions, Adiantum without', async (t) => {
    const pi4 = volumeCipher('auto', PI4);
    t.equal(pi4.name, 'adiantum');
    t.same(pi4.args, ['--cipher', 'xchacha12,aes-adiantum-plain64', '--key-size', '256', '--keyslot-cipher', 'aes-xts-plain64', '--keyslot-key-size', '512'], 'Adiantum for the data, AES-XTS for the key slots (cryptsetup refuses Adiantum there)');
    t.same(pi4.keyslotArgs, ['--keyslot-cipher', 'aes-xts-plain64', '--keyslot-key-size', '512'], 'and for the recovery key slot added after');
    t.match(pi4.why, /no AES instructions/);
    const pc = volumeCipher('auto', X86_AESNI);
    t.equal(pc.name, 'aes-xts');
    t.same(pc.args, ['--cipher', 'aes-xts-plain64', '--key-size', '512']);
    t.same(pc.keyslotArgs, [], 'AES-XTS key slots follow the data cipher');
    t.equal(volumeCipher('aes-xts', PI4).name, 'aes-xts', 'a configured choice wins over the CPU');
    t.equal(volumeCipher('adiantum', X86_AESNI).name, 'adiantum');
    t.equal(isCipherChoice('auto') && isCipherChoice('aes-xts') && isCipherChoice('adiantum'), true);
    t.equal(isCipherChoice('aes-cbc'), false, 'anything else is refused');
});
//# sourceMappingURL=storage-cipher.test.js.map