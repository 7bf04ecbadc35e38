// Modified UTF-7 (RFC 3501 5.1.3), the encoding of IMAP and Maildir++ folder names.
export function decodeMutf7(s) {
    return s.replace(/&([^-]*)-/g, (_all, b64) => {
        if (b64 === '')
            return '&';
        const bytes = Buffer.from(b64.replace(/,/g, '/'), 'base64');
        let out = '';
        for (let i = 0; i + 1 < bytes.length; i += 2)
            out += String.fromCharCode((bytes[i] << 8) | bytes[i + 1]);
        return out;
    });
}
/** `also`: printable characters to encode too (e.g. "." for Maildir++ levels). */
export function encodeMutf7(s, also = '') {
    let out = '';
    let pending = '';
    const flush = () => {
        if (!pending)
            return;
        const bytes = Buffer.alloc(pending.length * 2);
        for (let i = 0; i < pending.length; i++)
            bytes.writeUInt16BE(pending.charCodeAt(i), i * 2);
        out += '&' + bytes.toString('base64').replace(/=+$/, '').replace(/\//g, ',') + '-';
        pending = '';
    };
    for (const ch of s) {
        const c = ch.charCodeAt(0);
        if (ch.length === 1 && c >= 0x20 && c <= 0x7e && !also.includes(ch)) {
            flush();
            out += ch === '&' ? '&-' : ch;
        }
        else
            pending += ch;
    }
    flush();
    return out;
}
//# sourceMappingURL=utf7.js.map