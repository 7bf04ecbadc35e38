// The key lifecycle: creation, password change with and without the old password, recovery code,
// wrong secrets, damaged key material, export and import.
import t from 'tap';
import { rmSync } from 'node:fs';
import * as openpgp from 'openpgp';
import { Store } from '../appliance/store/index.js';
import { tempDir } from './harness/appliance.js';
import { onAccountCreated, onPasswordChanged, unlockSecretKey, recoverAccountKey, exportPublicKey, exportSecretKey, importAccountKey, keyStatus, setEncryptAtRest, createAccountKey, } from '../services/pgp/account-keys.js';
import { encryptForStorage, publicKeyUsable } from '../services/pgp/at-rest.js';
import { normalizeRecoveryCode, seal, unseal } from '../services/pgp/key-seal.js';
import { wkdKey, wkdHash, zbase32 } from '../services/pgp/wkd.js';
import { MailPipeline } from '../appliance/pipeline.js';
import { setQuiet } from '../appliance/log.js';
setQuiet(true);
async function fresh(t) {
    const dir = tempDir('postern-pgp-');
    const store = Store.open(dir);
    t.teardown(() => { store.close(); rmSync(dir, { recursive: true, force: true }); });
    store.domains.ensure('example.test');
    const alice = await store.accounts.create('alice@example.test', 'correct horse');
    const { recoveryCode } = await onAccountCreated(store, alice, 'correct horse');
    return { store, alice, recoveryCode };
}
function msg(subject) {
    return Buffer.from(`From: Bob <bob@example.org>\r\nTo: alice@example.test\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@example.org>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n\r\nHello Alice.\r\n`);
}
t.test('a new account gets an Ed25519 + Curve25519 key sealed under its password', async (t) => {
    const { store, alice, recoveryCode } = await fresh(t);
    t.match(recoveryCode, /^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){4}$/, 'recovery code: 5 groups of 5 Crockford base32 symbols');
    const status = keyStatus(store, alice.id);
    t.match(status.fingerprint, /^[0-9A-F]{40}$/);
    t.equal(status.passwordCopy, 'ok');
    t.equal(status.encryptAtRest, false, 'encryption at rest is opt-in');
    const key = await unlockSecretKey(store, alice.id, 'correct horse');
    t.equal(key.getAlgorithmInfo().algorithm, 'eddsaLegacy', 'primary key: EdDSA (GnuPG: ed25519)');
    t.same(key.subkeys.map((s) => s.getAlgorithmInfo()), [{ algorithm: 'ecdh', curve: 'curve25519Legacy' }], 'one Curve25519 ECDH subkey');
    t.same(key.users.map((u) => u.userID?.email), ['alice@example.test']);
    // The stored seals hold no plaintext key material.
    const rec = store.openpgp.key(alice.id);
    t.notMatch(rec.passwordWrap, /BEGIN PGP/);
    t.not(rec.passwordWrap, rec.recoveryWrap);
    await t.rejects(onAccountCreated(store, alice, 'correct horse'), { code: 'invalid' }, 'a second key is refused');
});
t.test('wrong password and wrong recovery code give clear errors', async (t) => {
    const { store, alice, recoveryCode } = await fresh(t);
    await t.rejects(unlockSecretKey(store, alice.id, 'wrong horse'), { name: 'PgpError', code: 'auth', message: /password does not open/ });
    await t.rejects(recoverAccountKey(store, alice.id, 'AAAAA-AAAAA-AAAAA-AAAAA-AAAAA', 'correct horse'), { code: 'auth', message: /recovery code is wrong/ });
    await t.rejects(recoverAccountKey(store, alice.id, 'not a code', 'correct horse'), { code: 'auth', message: /not a recovery code/ });
    await t.rejects(recoverAccountKey(store, alice.id, recoveryCode, 'wrong horse'), { code: 'auth', message: /sign-in password/ });
    // The code may be typed in lower case, without dashes, with O for 0 and I/L for 1.
    const typed = recoveryCode.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l');
    t.equal(normalizeRecoveryCode(typed), recoveryCode);
    await recoverAccountKey(store, alice.id, typed, 'correct horse');
    t.ok(await unlockSecretKey(store, alice.id, 'correct horse'));
    const bob = await store.accounts.create('bob@example.test', 'bob password');
    await t.rejects(unlockSecretKey(store, bob.id, 'bob password'), { code: 'no-key' });
});
t.test('password change with the old password re-seals the key', async (t) => {
    const { store, alice } = await fresh(t);
    const before = keyStatus(store, alice.id).fingerprint;
    await store.accounts.setPassword(alice.address, 'battery staple');
    await onPasswordChanged(store, alice.id, 'battery staple', 'correct horse');
    t.equal(keyStatus(store, alice.id).passwordCopy, 'ok');
    t.equal((await unlockSecretKey(store, alice.id, 'battery staple')).getFingerprint().toUpperCase(), before, 'same key');
    await t.rejects(unlockSecretKey(store, alice.id, 'correct horse'), { code: 'auth' }, 'the old password no longer opens it');
});
t.test('admin reset: the password copy is dropped, the recovery code brings it back', async (t) => {
    const { store, alice, recoveryCode } = await fresh(t);
    await store.accounts.setPassword(alice.address, 'reset by admin');
    await onPasswordChanged(store, alice.id, 'reset by admin');
    t.equal(keyStatus(store, alice.id).passwordCopy, 'needs-recovery');
    t.equal(store.openpgp.key(alice.id).passwordWrap, null, 'nothing left that the old password could open');
    await t.rejects(unlockSecretKey(store, alice.id, 'reset by admin'), { code: 'needs-recovery', message: /recovery code/ });
    await t.rejects(unlockSecretKey(store, alice.id, 'correct horse'), { code: 'needs-recovery' });
    // Mail still arrives encrypted meanwhile: encryption needs only the public key.
    setEncryptAtRest(store, alice.id, true);
    const out = await encryptForStorage(store, { accountId: alice.id, mailbox: 'INBOX', raw: msg('during reset') });
    t.match(out.toString(), /multipart\/encrypted/);
    await recoverAccountKey(store, alice.id, recoveryCode, 'reset by admin');
    t.equal(keyStatus(store, alice.id).passwordCopy, 'ok');
    t.ok(await unlockSecretKey(store, alice.id, 'reset by admin'));
    // A wrong "old" password also ends in needs-recovery, never in a failed password change.
    await onPasswordChanged(store, alice.id, 'another one!', 'not the old one');
    t.equal(keyStatus(store, alice.id).passwordCopy, 'needs-recovery');
});
t.test('damaged key material: clear errors, and mail is still stored', async (t) => {
    const { store, alice, recoveryCode } = await fresh(t);
    const rec = store.openpgp.key(alice.id);
    // Flip a byte of the sealed ciphertext: the password is right, the material is not.
    const sealObj = JSON.parse(rec.passwordWrap);
    const ct = Buffer.from(sealObj.ct, 'base64');
    ct[10] = ct[10] ^ 0xff;
    store.openpgp.setPasswordWrap(alice.id, JSON.stringify({ ...sealObj, ct: ct.toString('base64') }));
    await t.rejects(unlockSecretKey(store, alice.id, 'correct horse'), { code: 'corrupt', message: /damaged.*integrity/ });
    await t.rejects(unlockSecretKey(store, alice.id, 'wrong horse'), { code: 'auth' }, 'a wrong password is still told apart');
    store.openpgp.setPasswordWrap(alice.id, '{not json');
    await t.rejects(unlockSecretKey(store, alice.id, 'correct horse'), { code: 'corrupt', message: /not readable/ });
    store.openpgp.setPasswordWrap(alice.id, JSON.stringify({ v: 1 }));
    await t.rejects(unlockSecretKey(store, alice.id, 'correct horse'), { code: 'corrupt', message: /missing or bad fields/ });
    // The recovery copy is independent and repairs it.
    await recoverAccountKey(store, alice.id, recoveryCode, 'correct horse');
    t.ok(await unlockSecretKey(store, alice.id, 'correct horse'));
    // A seal moved to another purpose or fingerprint does not open (associated data).
    const secret = Buffer.from('secret key bytes');
    const s = await seal(secret, 'pw pw pw pw', 'password', 'AA');
    t.same(await unseal(s, 'pw pw pw pw', 'password', 'AA'), secret);
    await t.rejects(unseal(s, 'pw pw pw pw', 'recovery', 'AA'), { code: 'corrupt' });
    await t.rejects(unseal(s, 'pw pw pw pw', 'password', 'BB'), { code: 'corrupt' });
    // A damaged public key: delivery with encryption at rest on still stores the message (in the
    // clear), the status says so, nothing is lost.
    setEncryptAtRest(store, alice.id, true);
    store.openpgp.putKey({ ...store.openpgp.key(alice.id), publicKey: Buffer.from('garbage') });
    t.equal(await publicKeyUsable(store, alice.id), false);
    const pipeline = new MailPipeline(store);
    pipeline.onStorage((m) => encryptForStorage(store, m));
    const raw = msg('damaged key');
    const [d] = await pipeline.deliverLocal([{ accountId: alice.id }], raw);
    const inbox = store.mailboxes.get(alice.id, 'INBOX');
    const meta = store.messages.get(inbox.id, d.uid);
    t.same(store.readMessage(store.messages.blob(meta.blobId).hash), raw, 'stored as it came');
    t.ok(store.check().ok, 'fsck clean');
});
t.test('export and import in ASCII armor', async (t) => {
    const { store, alice, recoveryCode } = await fresh(t);
    const pub = await exportPublicKey(store, alice.id);
    t.match(pub, /^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
    const sec = await exportSecretKey(store, alice.id, 'correct horse');
    t.match(sec, /^-----BEGIN PGP PRIVATE KEY BLOCK-----/);
    const read = await openpgp.readPrivateKey({ armoredKey: sec });
    t.notOk(read.isDecrypted(), 'the exported secret key is protected');
    await openpgp.decryptKey({ privateKey: read, passphrase: 'correct horse' });
    await t.rejects(exportSecretKey(store, alice.id, 'wrong horse'), { code: 'auth' });
    // Import a key made elsewhere (protected by another passphrase): a new recovery code.
    const { privateKey } = await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ email: 'alice@example.test', name: 'Alice' }, { email: 'alice@elsewhere.test' }], passphrase: 'key passphrase', format: 'armored' });
    await t.rejects(importAccountKey(store, alice.id, privateKey, 'wrong horse', 'key passphrase'), { code: 'auth' });
    await t.rejects(importAccountKey(store, alice.id, privateKey, 'correct horse'), { code: 'auth', message: /passphrase/ });
    await t.rejects(importAccountKey(store, alice.id, pub, 'correct horse'), { code: 'invalid' }, 'a public key is not importable');
    await t.rejects(importAccountKey(store, alice.id, 'hello', 'correct horse'), { code: 'invalid' });
    const { privateKey: other } = await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ email: 'carol@example.test' }], format: 'armored' });
    await t.rejects(importAccountKey(store, alice.id, other, 'correct horse'), { code: 'invalid', message: /no user id for alice/ });
    const imported = await importAccountKey(store, alice.id, privateKey, 'correct horse', 'key passphrase');
    t.not(imported.recoveryCode, recoveryCode);
    t.equal(keyStatus(store, alice.id).fingerprint, (await openpgp.readKey({ armoredKey: privateKey })).getFingerprint().toUpperCase());
    await t.rejects(recoverAccountKey(store, alice.id, recoveryCode, 'correct horse'), { code: 'auth' }, 'the old recovery code opens nothing');
    await recoverAccountKey(store, alice.id, imported.recoveryCode, 'correct horse');
    // The published key carries only the account's own user id (WKD, Autocrypt).
    const published = await openpgp.readKey({ binaryKey: store.openpgp.key(alice.id).publicKey });
    t.same(published.users.map((u) => u.userID?.email), ['alice@example.test']);
    t.notOk(published.isPrivate());
});
t.test('accounts made before the OpenPGP service get a key with "key create"', async (t) => {
    const { store } = await fresh(t);
    const bob = await store.accounts.create('bob@example.test', 'bob password');
    await t.rejects(createAccountKey(store, bob.id, 'wrong'), { code: 'auth' });
    const { recoveryCode } = await createAccountKey(store, bob.id, 'bob password');
    t.ok(normalizeRecoveryCode(recoveryCode));
    t.ok(keyStatus(store, bob.id));
});
t.test('WKD hash and key lookup (draft-koch-openpgp-webkey-service)', async (t) => {
    const { store, alice } = await fresh(t);
    // The draft's own example: Joe.Doe@Example.ORG -> iy9q119eutrkn8s1mk4r39qejnbu3n5q
    t.equal(wkdHash('Joe.Doe'), 'iy9q119eutrkn8s1mk4r39qejnbu3n5q');
    t.equal(zbase32(Buffer.from([0xff])), '9h');
    const key = wkdKey(store, 'Example.TEST', wkdHash('ALICE'));
    t.ok(key && key.equals(store.openpgp.key(alice.id).publicKey), 'case-insensitive local part and domain');
    t.equal(wkdKey(store, 'example.test', wkdHash('nobody')), undefined);
    t.equal(wkdKey(store, 'other.test', wkdHash('alice')), undefined);
    t.equal(wkdKey(store, 'example.test', '../../etc/passwd'), undefined);
});
//# sourceMappingURL=pgp-keys.test.js.map