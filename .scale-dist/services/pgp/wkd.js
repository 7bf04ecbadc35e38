// Web Key Directory (draft-koch-openpgp-webkey-service, section 3.1): the key of local-part@domain
// is found at .../hu/<z-base-32(SHA-1(lower-cased local part))>. The panel's web server mounts the
// advanced (https://openpgpkey.DOMAIN/.well-known/openpgpkey/DOMAIN/hu/HASH) and the direct
// (https://DOMAIN/.well-known/openpgpkey/hu/HASH) forms and answers with wkdKey's bytes as
// application/octet-stream; the "policy" file next to "hu" may be empty.
import { createHash } from 'node:crypto';
const ZBASE32 = 'ybndrfg8ejkmcpqxot1uwisza345h769';
/** z-base-32 (the human-oriented base-32 of the WKD draft), most significant bit first. */
export function zbase32(bytes) {
    let out = '';
    let acc = 0;
    let bits = 0;
    for (const b of bytes) {
        acc = (acc << 8) | b;
        bits += 8;
        while (bits >= 5) {
            out += ZBASE32[(acc >>> (bits - 5)) & 31];
            bits -= 5;
        }
        acc &= (1 << bits) - 1;
    }
    if (bits > 0)
        out += ZBASE32[(acc << (5 - bits)) & 31];
    return out;
}
/** The WKD hash of a local part: 32 characters. */
export function wkdHash(localPart) {
    return zbase32(createHash('sha1').update(localPart.toLowerCase(), 'utf8').digest());
}
/** The binary transferable public key (only the address's own user id) of the local account
 *  whose local part hashes to `hashedLocalPart` in `domain`; undefined when there is none. */
export function wkdKey(store, domain, hashedLocalPart) {
    const d = domain.toLowerCase();
    const h = hashedLocalPart.toLowerCase();
    if (!/^[ybndrfg8ejkmcpqxot1uwisza345h769]{32}$/.test(h) || !store.domains.has(d))
        return undefined;
    for (const a of store.accounts.list()) {
        const at = a.address.lastIndexOf('@');
        if (a.address.slice(at + 1) !== d || wkdHash(a.address.slice(0, at)) !== h)
            continue;
        return store.openpgp.key(a.id)?.publicKey;
    }
    return undefined;
}
//# sourceMappingURL=wkd.js.map