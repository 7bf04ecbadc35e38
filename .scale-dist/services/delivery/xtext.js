// RFC 3461 4 xtext: the encoding of ENVID and ORCPT values on the wire and in DSN fields. Bytes
// outside "!" .. "~", and "+" and "=", become "+" and two upper-case hex digits.
export function xtextEncode(value) {
    let out = '';
    for (const b of Buffer.from(value, 'utf8')) {
        out += b >= 0x21 && b <= 0x7e && b !== 0x2b && b !== 0x3d ? String.fromCharCode(b) : `+${b.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    return out;
}
//# sourceMappingURL=xtext.js.map