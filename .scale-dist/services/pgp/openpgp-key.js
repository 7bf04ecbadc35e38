// OpenPGP key material for an account with openpgp.js, in the forms GnuPG 2.2 reads: a v4 key with
// an Ed25519 primary key (EdDSA, sign + certify) and a Curve25519 ECDH subkey (encrypt). openpgp.js
// 6 calls these "ed25519Legacy"/"curve25519Legacy"; its plain "curve25519" type makes RFC 9580 keys
// (algorithms 27/25) that GnuPG 2.2 cannot use, so it is never used here.
import * as openpgp from 'openpgp';
import { PgpError } from './errors.js';
/** Formats every mail client reads: no AEAD packets (RFC 9580 SEIPDv2 / OCB), iterated S2K. */
export const COMPATIBLE_CONFIG = { aeadProtect: false, s2kType: openpgp.enums.s2k.iterated };
export function fingerprintOf(key) {
    return key.getFingerprint().toUpperCase();
}
export async function generateAccountKey(address) {
    try {
        const { privateKey } = await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ email: address }], format: 'object' });
        return privateKey;
    }
    catch (e) {
        throw new PgpError('invalid', `cannot make an OpenPGP key for ${address}: ${e.message}`);
    }
}
function emailOf(user) {
    return user.userID?.email?.toLowerCase() || undefined;
}
/** The public key to publish (WKD, Autocrypt keydata): primary key, the user ids of `address`
 *  only (draft-koch-openpgp-webkey-service section 3.1; Autocrypt Level 1 section 2.1.1), subkeys. */
export async function publishableKey(key, address) {
    const pub = await openpgp.readKey({ binaryKey: key.toPublic().write() });
    const addr = address.toLowerCase();
    pub.users = pub.users.filter((u) => emailOf(u) === addr);
    if (pub.users.length === 0)
        throw new PgpError('invalid', `the key has no user id for ${address}`);
    return pub.write();
}
/** Read a secret key given in ASCII armor (or binary), decrypting it with `passphrase` if needed. */
export async function readSecretKey(input, passphrase) {
    let key;
    try {
        key = typeof input === 'string'
            ? await openpgp.readPrivateKey({ armoredKey: input })
            : await openpgp.readPrivateKey({ binaryKey: input });
    }
    catch (e) {
        const msg = e.message;
        if (/not of type private key|no.*secret|private key/i.test(msg))
            throw new PgpError('invalid', 'expected a secret key (this looks like a public key)');
        throw new PgpError('invalid', `not an OpenPGP secret key: ${msg}`);
    }
    if (!key.isDecrypted()) {
        if (passphrase === undefined)
            throw new PgpError('auth', 'the key is protected by a passphrase');
        try {
            key = await openpgp.decryptKey({ privateKey: key, passphrase });
        }
        catch {
            throw new PgpError('auth', 'the passphrase does not open the key');
        }
    }
    return key;
}
/** Check that a key can serve `address`: a user id for it, valid, with an encryption key. */
export async function checkUsableFor(key, address) {
    const addr = address.toLowerCase();
    if (!key.users.some((u) => emailOf(u) === addr))
        throw new PgpError('invalid', `the key has no user id for ${address}`);
    try {
        await key.getEncryptionKey(undefined, new Date(), { email: addr });
    }
    catch (e) {
        throw new PgpError('invalid', `the key cannot encrypt for ${address}: ${e.message}`);
    }
}
export async function readPublicBinary(binary) {
    try {
        return await openpgp.readKey({ binaryKey: binary });
    }
    catch (e) {
        throw new PgpError('corrupt', `the stored public key is damaged: ${e.message}`);
    }
}
//# sourceMappingURL=openpgp-key.js.map