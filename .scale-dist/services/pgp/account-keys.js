// Each account's OpenPGP key: made when the account is made, sealed under the password and,
// separately, under a recovery code shown once (MailSuite's design); re-sealed when the password
// changes; exported and imported in ASCII armor.
//
// Admin reset (a new password without the old one): the box knows only the old password's hash, so
// the password copy cannot be re-sealed. It is dropped (an old password, perhaps the leaked reason
// for the reset, then opens nothing) and the key is marked as needing recovery; the recovery-code
// copy is kept, and `postern key recover` (recovery code + the current password) seals the key
// under the current password again. Mail keeps arriving and being encrypted meanwhile: encryption
// needs only the public key.
import * as openpgp from 'openpgp';
import { log, redactAddress } from '../../appliance/log.js';
import { PgpError } from './errors.js';
import { newRecoveryCode, normalizeRecoveryCode, seal, unseal } from './key-seal.js';
import { COMPATIBLE_CONFIG, checkUsableFor, fingerprintOf, generateAccountKey, publishableKey, readPublicBinary, readSecretKey } from './openpgp-key.js';
function accountOf(store, accountId) {
    return store.accounts.requireById(accountId);
}
function recordOf(store, accountId) {
    const k = store.openpgp.key(accountId);
    if (!k)
        throw new PgpError('no-key', `${accountOf(store, accountId).address} has no OpenPGP key (make one with "postern key create")`);
    return k;
}
/** Seal `key` for the account under the password and a new recovery code, and store it. */
async function storeKey(store, account, key, password) {
    await checkUsableFor(key, account.address);
    const fingerprint = fingerprintOf(key);
    const secret = key.write();
    const recoveryCode = newRecoveryCode();
    const [passwordWrap, recoveryWrap] = await Promise.all([
        seal(secret, password, 'password', fingerprint),
        seal(secret, recoveryCode, 'recovery', fingerprint),
    ]);
    const publicKey = Buffer.from(await publishableKey(key, account.address));
    store.openpgp.putKey({ accountId: account.id, fingerprint, publicKey, passwordWrap, recoveryWrap });
    return { recoveryCode, fingerprint };
}
/** Make the account's key (Ed25519 + X25519) and seal it; the recovery code is shown once. */
export async function onAccountCreated(store, account, password) {
    if (store.openpgp.key(account.id))
        throw new PgpError('invalid', `${account.address} already has an OpenPGP key`);
    const key = await generateAccountKey(account.address);
    const { recoveryCode } = await storeKey(store, account, key, password);
    log.info('pgp.key.created', { account: redactAddress(account.address) });
    return { recoveryCode };
}
/** Re-seal after a password change. With the old password the key is re-sealed; without it (an
 *  admin reset), or when the old password does not open it, the password copy is dropped and the
 *  key needs the recovery code (see the top of this file). Never fails a password change. */
export async function onPasswordChanged(store, accountId, newPassword, oldPassword) {
    const rec = store.openpgp.key(accountId);
    if (!rec)
        return;
    const account = accountOf(store, accountId);
    if (oldPassword !== undefined && rec.passwordWrap) {
        try {
            const secret = await unseal(rec.passwordWrap, oldPassword, 'password', rec.fingerprint);
            const wrap = await seal(secret, newPassword, 'password', rec.fingerprint);
            secret.fill(0);
            store.openpgp.setPasswordWrap(accountId, wrap);
            log.info('pgp.key.resealed', { account: redactAddress(account.address) });
            return;
        }
        catch (e) {
            if (!(e instanceof PgpError))
                throw e;
            log.warn('pgp.key.reseal-failed', { account: redactAddress(account.address), reason: e.code });
        }
    }
    store.openpgp.setPasswordWrap(accountId, null);
    log.info('pgp.key.needs-recovery', { account: redactAddress(account.address) });
}
/** The account's secret key, opened with its password. */
export async function unlockSecretKey(store, accountId, password) {
    const rec = recordOf(store, accountId);
    if (!rec.passwordWrap) {
        throw new PgpError('needs-recovery', `the password copy of ${accountOf(store, accountId).address}'s key was reset: recover it with the recovery code ("postern key recover")`);
    }
    const secret = await unseal(rec.passwordWrap, password, 'password', rec.fingerprint);
    return openSecret(secret, rec.fingerprint);
}
async function openSecret(secret, fingerprint) {
    let key;
    try {
        // parse a copy: the key keeps references into the bytes it was read from
        key = await openpgp.readPrivateKey({ binaryKey: Uint8Array.from(secret) });
    }
    catch (e) {
        throw new PgpError('corrupt', `the stored secret key does not decode: ${e.message}`);
    }
    finally {
        secret.fill(0);
    }
    if (fingerprintOf(key) !== fingerprint)
        throw new PgpError('corrupt', 'the stored secret key does not match its fingerprint');
    return key;
}
/** Open the recovery copy and seal the key under the account's current password again. The
 *  password must be the account's sign-in password, so the two stay the same. */
export async function recoverAccountKey(store, accountId, recoveryCode, password) {
    const account = accountOf(store, accountId);
    const rec = recordOf(store, accountId);
    const code = normalizeRecoveryCode(recoveryCode);
    if (!code)
        throw new PgpError('auth', 'that is not a recovery code (25 letters and digits, like ABCDE-FGH12-...)');
    if (!(await store.accounts.authenticate(account.address, password)))
        throw new PgpError('auth', `the password is not the sign-in password of ${account.address}`);
    const secret = await unseal(rec.recoveryWrap, code, 'recovery', rec.fingerprint);
    const key = await openSecret(secret, rec.fingerprint);
    const wrap = await seal(key.write(), password, 'password', rec.fingerprint);
    store.openpgp.setPasswordWrap(accountId, wrap);
    log.info('pgp.key.recovered', { account: redactAddress(account.address) });
}
/** The binary public key to publish, or undefined when the account has none. */
export function accountPublicKey(store, accountId) {
    return store.openpgp.key(accountId)?.publicKey;
}
export async function exportPublicKey(store, accountId) {
    const key = await readPublicBinary(recordOf(store, accountId).publicKey);
    return key.armor();
}
/** The secret key in ASCII armor, protected with the account's password (OpenPGP's iterated and
 *  salted S2K, AES-256: what GnuPG and other clients import with that passphrase). */
export async function exportSecretKey(store, accountId, password) {
    const key = await unlockSecretKey(store, accountId, password);
    const locked = await openpgp.encryptKey({ privateKey: key, passphrase: password, config: COMPATIBLE_CONFIG });
    return locked.armor();
}
/** Replace the account's key with an imported secret key (ASCII armor). `password` is the
 *  account's sign-in password; a protected key is opened with `keyPassphrase` (default: the same).
 *  Returns the new recovery code (the old one no longer opens anything). */
export async function importAccountKey(store, accountId, armored, password, keyPassphrase) {
    const account = accountOf(store, accountId);
    if (!(await store.accounts.authenticate(account.address, password)))
        throw new PgpError('auth', `the password is not the sign-in password of ${account.address}`);
    const key = await readSecretKey(armored, keyPassphrase ?? password);
    const out = await storeKey(store, account, key, password);
    log.info('pgp.key.imported', { account: redactAddress(account.address) });
    return out;
}
/** Make a key for an account that has none (accounts made before the OpenPGP service). */
export async function createAccountKey(store, accountId, password) {
    const account = accountOf(store, accountId);
    if (!(await store.accounts.authenticate(account.address, password)))
        throw new PgpError('auth', `the password is not the sign-in password of ${account.address}`);
    return onAccountCreated(store, account, password);
}
export function keyStatus(store, accountId) {
    const k = store.openpgp.key(accountId);
    if (!k)
        return undefined;
    return { fingerprint: k.fingerprint, passwordCopy: k.passwordWrap ? 'ok' : 'needs-recovery', preferEncrypt: k.preferEncrypt, encryptAtRest: k.encryptAtRest, createdAt: k.createdAt, updatedAt: k.updatedAt };
}
/** Turn encryption at rest on or off for an account (it needs a key). */
export function setEncryptAtRest(store, accountId, on) {
    recordOf(store, accountId);
    store.openpgp.setEncryptAtRest(accountId, on);
}
/** Autocrypt prefer-encrypt for the account's outgoing headers. */
export function setPreferEncrypt(store, accountId, value) {
    recordOf(store, accountId);
    store.openpgp.setPreferEncrypt(accountId, value);
}
/** What the panel says next to the encryption-at-rest switch. */
export const ENCRYPT_AT_REST_NOTE = 'Mail stored encrypted can be read only with your key (in your mail app). The box can still list it, but searching finds words in its headers only (sender, recipients, date), not in the subject or the text.';
//# sourceMappingURL=account-keys.js.map