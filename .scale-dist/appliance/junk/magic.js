function starts(b, sig, at = 0) {
    if (b.length < at + sig.length)
        return false;
    for (let i = 0; i < sig.length; i++)
        if (b[at + i] !== sig[i])
            return false;
    return true;
}
export function sniff(b) {
    if (starts(b, [0x4d, 0x5a]))
        return { kind: 'executable', what: 'a Windows program (PE)' };
    if (starts(b, [0x7f, 0x45, 0x4c, 0x46]))
        return { kind: 'executable', what: 'a Linux program (ELF)' };
    if (starts(b, [0xcf, 0xfa, 0xed, 0xfe]) || starts(b, [0xce, 0xfa, 0xed, 0xfe]) || starts(b, [0xfe, 0xed, 0xfa, 0xcf]))
        return { kind: 'executable', what: 'a macOS program (Mach-O)' };
    if (starts(b, [0x23, 0x21]))
        return { kind: 'executable', what: 'a script (#!)' };
    if (starts(b, [0x25, 0x50, 0x44, 0x46]))
        return { kind: 'pdf', what: 'a PDF document' };
    if (starts(b, [0xff, 0xd8, 0xff]))
        return { kind: 'jpeg', what: 'a JPEG image' };
    if (starts(b, [0x89, 0x50, 0x4e, 0x47]))
        return { kind: 'png', what: 'a PNG image' };
    if (starts(b, [0x47, 0x49, 0x46, 0x38]))
        return { kind: 'gif', what: 'a GIF image' };
    if (starts(b, [0x50, 0x4b, 0x03, 0x04]) || starts(b, [0x50, 0x4b, 0x05, 0x06]))
        return { kind: 'zip', what: 'a zip archive' };
    if (starts(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))
        return { kind: 'ole', what: 'an old Office (OLE) file' };
    if (starts(b, [0x52, 0x61, 0x72, 0x21]))
        return { kind: 'rar', what: 'a RAR archive' };
    if (starts(b, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]))
        return { kind: '7z', what: 'a 7z archive' };
    if (starts(b, [0x43, 0x44, 0x30, 0x30, 0x31], 0x8001))
        return { kind: 'iso', what: 'a disk image (ISO 9660)' };
    return { kind: 'unknown', what: 'unknown content' };
}
//# sourceMappingURL=magic.js.map