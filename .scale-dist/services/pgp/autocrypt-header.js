// The Autocrypt header (Autocrypt Level 1, section 2.1): parse and write. Pure functions.
//   Autocrypt: addr=alice@example.org; [prefer-encrypt=mutual;] keydata=BASE64
import { PgpError } from './errors.js';
/** keydata larger than this is refused (a minimal Ed25519/X25519 key is about 300 bytes; RSA-4096
 *  with a few signatures a few KB). */
export const MAX_KEYDATA = 64 * 1024;
/** Parse one unfolded Autocrypt header value. Throws PgpError('invalid') when the header must be
 *  ignored: a missing addr or keydata, a repeated attribute, or an unknown critical attribute
 *  (names not starting with "_"), per section 2.1. */
export function parseAutocryptHeader(value) {
    const attrs = new Map();
    for (const piece of value.split(';')) {
        const item = piece.trim();
        if (!item)
            continue;
        const eq = item.indexOf('=');
        if (eq <= 0)
            throw new PgpError('invalid', `Autocrypt attribute without a value: "${item.slice(0, 40)}"`);
        const name = item.slice(0, eq).trim().toLowerCase();
        const val = item.slice(eq + 1).trim();
        if (attrs.has(name))
            throw new PgpError('invalid', `Autocrypt attribute ${name} is repeated`);
        attrs.set(name, val);
    }
    for (const name of attrs.keys()) {
        if (!name.startsWith('_') && name !== 'addr' && name !== 'keydata' && name !== 'prefer-encrypt') {
            throw new PgpError('invalid', `Autocrypt header has an unknown critical attribute "${name}"`);
        }
    }
    const addr = attrs.get('addr');
    const keydata = attrs.get('keydata');
    if (!addr)
        throw new PgpError('invalid', 'Autocrypt header without addr');
    if (!keydata)
        throw new PgpError('invalid', 'Autocrypt header without keydata');
    const b64 = keydata.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64))
        throw new PgpError('invalid', 'Autocrypt keydata is not base64');
    const bytes = Buffer.from(b64, 'base64');
    if (bytes.length === 0 || bytes.length > MAX_KEYDATA)
        throw new PgpError('invalid', `Autocrypt keydata has a bad size (${bytes.length} bytes)`);
    const addrSpec = addr.trim().toLowerCase();
    if (!/^[^\s@<>]+@[^\s@<>]+$/.test(addrSpec))
        throw new PgpError('invalid', 'Autocrypt addr is not an address');
    // Only "mutual" has a meaning; any other value is the default (section 2.1.1).
    const preferEncrypt = attrs.get('prefer-encrypt')?.toLowerCase() === 'mutual' ? 'mutual' : 'nopreference';
    return { addr: addrSpec, preferEncrypt, keydata: bytes };
}
/** The header line, folded at 78 characters, with the given line ending (no trailing one). */
export function formatAutocryptHeader(h, eol = '\r\n') {
    const head = `Autocrypt: addr=${h.addr}; ${h.preferEncrypt === 'mutual' ? 'prefer-encrypt=mutual; ' : ''}keydata=`;
    const b64 = h.keydata.toString('base64');
    const lines = [head];
    for (let i = 0; i < b64.length; i += 76)
        lines.push(' ' + b64.slice(i, i + 76));
    return lines.join(eol);
}
/** The single addr-spec of a From value, lower-cased; undefined for none or several. */
export function singleAddress(value) {
    // Drop quoted strings and comments so their commas and brackets do not count.
    const bare = value.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\((?:[^()\\]|\\.)*\)/g, ' ');
    if (bare.includes(',') || bare.includes(';'))
        return undefined;
    const angles = [...bare.matchAll(/<([^<>]*)>/g)];
    const spec = angles.length === 1 ? angles[0][1].trim() : angles.length === 0 ? bare.trim() : undefined;
    if (!spec || !/^[^\s@<>]+@[^\s@<>]+$/.test(spec))
        return undefined;
    return spec.toLowerCase();
}
//# sourceMappingURL=autocrypt-header.js.map