// RFC 4648 base32 without padding, as onion addresses and tor's x25519 client keys use it.
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
export function base32Encode(data) {
    let out = '';
    let bits = 0;
    let value = 0;
    for (const byte of data) {
        value = (value << 8) | byte;
        bits += 8;
        while (bits >= 5) {
            out += ALPHABET[(value >>> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0)
        out += ALPHABET[(value << (5 - bits)) & 31];
    return out;
}
/** Decode (case-insensitive, no padding); undefined when a character is not base32. */
export function base32Decode(text) {
    const out = [];
    let bits = 0;
    let value = 0;
    for (const c of text.toLowerCase()) {
        const v = ALPHABET.indexOf(c);
        if (v < 0)
            return undefined;
        value = ((value << 5) | v) & 0xffff;
        bits += 5;
        if (bits >= 8) {
            out.push((value >>> (bits - 8)) & 0xff);
            bits -= 8;
        }
    }
    return Buffer.from(out);
}
//# sourceMappingURL=base32.js.map