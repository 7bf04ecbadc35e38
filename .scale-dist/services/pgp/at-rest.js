import { firstField, headerEnd, parseHeaderFields, parseStructured, paramValue } from '../../appliance/mail/header.js';
import { log } from '../../appliance/log.js';
import { encryptAsPgpMime } from './pgp-mime.js';
import { readPublicBinary } from './openpgp-key.js';
const INLINE_PGP = Buffer.from('-----BEGIN PGP MESSAGE-----');
/** True when the message is already encrypted and must not be encrypted again. */
export function isEncrypted(raw) {
    const end = headerEnd(raw);
    const ct = firstField(parseHeaderFields(raw.subarray(0, end)), 'content-type');
    if (ct) {
        const parsed = parseStructured(ct);
        const type = parsed.value.toLowerCase();
        if (type === 'multipart/encrypted')
            return true;
        if (type === 'application/pkcs7-mime' || type === 'application/x-pkcs7-mime') {
            const smime = paramValue(parsed.params, 'smime-type')?.toLowerCase();
            if (smime === undefined || smime === 'enveloped-data' || smime === 'authenveloped-data')
                return true;
        }
    }
    // Inline PGP (RFC 4880 armor in a text body), at the start of a line.
    for (let i = raw.indexOf(INLINE_PGP, end); i >= 0; i = raw.indexOf(INLINE_PGP, i + 1)) {
        if (i === end || raw[i - 1] === 0x0a)
            return true;
    }
    return false;
}
function isDrafts(store, accountId, mailbox) {
    const mb = store.mailboxes.get(accountId, mailbox);
    return mb ? mb.specialUse === '\\Drafts' : /^drafts$/i.test(mailbox);
}
/** Parsed public keys by account, refreshed when the stored key changes. */
const keyCache = new Map();
async function publicKeyOf(accountId, bytes) {
    const hit = keyCache.get(accountId);
    if (hit && hit.bytes.equals(bytes))
        return hit.key;
    const key = await readPublicBinary(bytes);
    keyCache.set(accountId, { bytes, key });
    return key;
}
/** The storage step: the same Buffer when nothing is to be done. When the account's stored key
 *  is damaged the message is stored as it came (mail is never lost for a key problem) and the
 *  error is logged for the operator: `postern key status` and the panel show the key as damaged. */
export async function encryptForStorage(store, msg) {
    const rec = store.openpgp.key(msg.accountId);
    if (!rec || !rec.encryptAtRest)
        return msg.raw;
    if (isDrafts(store, msg.accountId, msg.mailbox) || isEncrypted(msg.raw))
        return msg.raw;
    let key;
    try {
        key = await publicKeyOf(msg.accountId, rec.publicKey);
        await key.getEncryptionKey();
    }
    catch (e) {
        log.error('pgp.at-rest.key-unusable', { account: msg.accountId, error: e.message, stored: 'in the clear' });
        return msg.raw;
    }
    return encryptAsPgpMime(msg.raw, key);
}
/** Whether the account's stored public key decodes and can encrypt (for status pages). */
export async function publicKeyUsable(store, accountId) {
    const rec = store.openpgp.key(accountId);
    if (!rec)
        return false;
    try {
        const key = await readPublicBinary(rec.publicKey);
        await key.getEncryptionKey();
        return true;
    }
    catch {
        return false;
    }
}
//# sourceMappingURL=at-rest.js.map