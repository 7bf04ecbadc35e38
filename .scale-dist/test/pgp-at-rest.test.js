// Encryption at rest through the pipeline: what is encrypted and what is not, the RFC 3156
// structure, protected headers, the original restored exactly, and several recipients at once.
import t from 'tap';
import { rmSync } from 'node:fs';
import * as openpgp from 'openpgp';
import { Store } from '../appliance/store/index.js';
import { setQuiet } from '../appliance/log.js';
import { MailPipeline } from '../appliance/pipeline.js';
import { parseMime, partAt } from '../appliance/mail/mime.js';
import { firstField, parseHeaderFields, headerEnd } from '../appliance/mail/header.js';
import { tempDir } from './harness/appliance.js';
import { onAccountCreated, setEncryptAtRest, unlockSecretKey } from '../services/pgp/account-keys.js';
import { encryptForStorage, isEncrypted } from '../services/pgp/at-rest.js';
setQuiet(true);
async function fresh(t) {
    const dir = tempDir('postern-rest-');
    const store = Store.open(dir);
    t.teardown(() => { store.close(); rmSync(dir, { recursive: true, force: true }); });
    store.domains.ensure('example.test');
    const alice = await store.accounts.create('alice@example.test', 'correct horse');
    await onAccountCreated(store, alice, 'correct horse');
    const carol = await store.accounts.create('carol@example.test', 'carol horse');
    await onAccountCreated(store, carol, 'carol horse');
    setEncryptAtRest(store, alice.id, true);
    const pipeline = new MailPipeline(store);
    pipeline.onStorage((m) => encryptForStorage(store, m));
    return { store, alice, carol, pipeline };
}
const MULTIPART = [
    'Received: from mx.example.org ([192.0.2.7]) by mail.example.test; Fri, 20 Nov 2026 10:00:01 +0000',
    'From: Bob <bob@example.org>',
    'To: Alice <alice@example.test>,',
    '\tCarol <carol@example.test>',
    'Cc: dave@example.org',
    'Subject: =?utf-8?q?Caf=C3=A9_plans?=',
    'Date: Fri, 20 Nov 2026 10:00:00 +0000',
    'Message-ID: <m1@example.org>',
    'In-Reply-To: <m0@example.org>',
    'References: <m0@example.org>',
    'List-Id: <family.example.org>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="outer"',
    '',
    '--outer',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Meet at the café at noon.',
    '--outer',
    'Content-Type: application/octet-stream; name="map.bin"',
    'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename="map.bin"',
    '',
    Buffer.from([0, 1, 2, 254, 255]).toString('base64'),
    '--outer--',
    '',
].join('\r\n');
async function decrypt(store, accountId, password, raw) {
    const mime = parseMime(raw);
    const enc = partAt(mime, [2]);
    const key = await unlockSecretKey(store, accountId, password);
    const message = await openpgp.readMessage({ armoredMessage: raw.subarray(enc.bodyStart, enc.end).toString() });
    const { data } = await openpgp.decrypt({ message, decryptionKeys: key, format: 'binary' });
    return Buffer.from(data);
}
function stored(store, accountId, mailbox = 'INBOX') {
    const mb = store.mailboxes.get(accountId, mailbox);
    return store.messages.list(mb.id).map((m) => store.readMessage(store.messages.blob(m.blobId).hash));
}
t.test('one delivery to two accounts: encrypted for the one who opted in, original for the other', async (t) => {
    const { store, alice, carol, pipeline } = await fresh(t);
    const raw = Buffer.from(MULTIPART, 'utf8');
    await pipeline.accept([{ accountId: alice.id }, { accountId: carol.id }], undefined, raw);
    const [a] = stored(store, alice.id);
    const [c] = stored(store, carol.id);
    t.same(c, raw, 'carol (not opted in) has the original bytes');
    const outer = parseHeaderFields(a.subarray(0, headerEnd(a)));
    t.same(outer.map((f) => f.key), ['from', 'to', 'cc', 'date', 'message-id', 'in-reply-to', 'references', 'subject', 'mime-version', 'content-type'], 'only delivery and listing headers outside');
    t.equal(firstField(outer, 'to'), 'Alice <alice@example.test>,\tCarol <carol@example.test>', 'folded header kept as written');
    t.equal(firstField(outer, 'subject'), '...');
    t.notMatch(a.toString('latin1'), /café|caf=C3=A9|192\.0\.2\.7|family\.example/i, 'no subject, body, trace or list header in the clear');
    const inner = await decrypt(store, alice.id, 'correct horse', a);
    const innerHeaders = parseHeaderFields(inner.subarray(0, headerEnd(inner)));
    t.match(firstField(innerHeaders, 'content-type'), /^multipart\/mixed; boundary="outer";\s*protected-headers="v1"$/);
    t.equal(firstField(innerHeaders, 'subject'), '=?utf-8?q?Caf=C3=A9_plans?=', 'protected Subject as written');
    t.ok(firstField(innerHeaders, 'received') && firstField(innerHeaders, 'list-id'), 'trace and list headers inside');
    t.notOk(firstField(innerHeaders, 'mime-version'));
    t.same(inner.subarray(headerEnd(inner)), raw.subarray(headerEnd(raw)), 'the body, attachment included, byte for byte');
    const innerMime = parseMime(inner);
    t.equal(innerMime.parts?.length, 2, 'the inner part parses as the original multipart');
    t.ok(store.check().ok);
});
t.test('what is never encrypted: opted out, Drafts, already encrypted', async (t) => {
    const { store, alice, carol } = await fresh(t);
    const plain = Buffer.from('From: bob@example.org\r\nSubject: hi\r\n\r\nhello\r\n');
    t.equal(await encryptForStorage(store, { accountId: carol.id, mailbox: 'INBOX', raw: plain }), plain, 'opted out: same Buffer');
    t.equal(await encryptForStorage(store, { accountId: alice.id, mailbox: 'Drafts', raw: plain }), plain, 'Drafts: same Buffer');
    t.equal(await encryptForStorage(store, { accountId: alice.id, mailbox: 'drafts', raw: plain }), plain, 'Drafts in any case');
    const pgpMime = Buffer.from('From: bob@example.org\r\nContent-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary=x\r\n\r\n--x\r\n\r\nVersion: 1\r\n--x--\r\n');
    const inline = Buffer.from('From: bob@example.org\r\n\r\nhi\r\n-----BEGIN PGP MESSAGE-----\r\n\r\nhQEMA...\r\n-----END PGP MESSAGE-----\r\n');
    const smime = Buffer.from('From: bob@example.org\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n\r\nMIAGCSqGSIb3DQEHA6CAMIACAQAxggFA\r\n');
    for (const [name, raw] of [['PGP/MIME', pgpMime], ['inline PGP', inline], ['S/MIME', smime]]) {
        t.ok(isEncrypted(raw), name);
        t.equal(await encryptForStorage(store, { accountId: alice.id, mailbox: 'INBOX', raw }), raw, `${name}: same Buffer`);
    }
    const quoted = Buffer.from('From: bob@example.org\r\n\r\nthe armor starts with > -----BEGIN PGP MESSAGE----- in a quote\r\n');
    t.notOk(isEncrypted(quoted), 'armor not at the start of a line is not encryption');
    const signed = Buffer.from('From: bob@example.org\r\nContent-Type: application/pkcs7-mime; smime-type=signed-data\r\n\r\nMIAG\r\n');
    t.notOk(isEncrypted(signed), 'S/MIME signed-data is not encrypted');
    // Our own output is never encrypted again.
    const once = await encryptForStorage(store, { accountId: alice.id, mailbox: 'INBOX', raw: plain });
    t.not(once, plain);
    t.equal(await encryptForStorage(store, { accountId: alice.id, mailbox: 'INBOX', raw: once }), once);
    // Turning it off stops it.
    setEncryptAtRest(store, alice.id, false);
    t.equal(await encryptForStorage(store, { accountId: alice.id, mailbox: 'INBOX', raw: plain }), plain);
});
t.test('a message without Content-Type, with bare LF line ends', async (t) => {
    const { store, alice } = await fresh(t);
    const raw = Buffer.from('From: bob@example.org\nTo: alice@example.test\nSubject: lf\n\nline one\nline two\n');
    const out = await encryptForStorage(store, { accountId: alice.id, mailbox: 'INBOX', raw });
    t.notMatch(out.toString(), /\r/, 'bare LF kept throughout');
    const inner = await decrypt(store, alice.id, 'correct horse', out);
    t.match(inner.toString(), /^Content-Type: text\/plain; charset=us-ascii; protected-headers="v1"\n/, 'the RFC 2045 default type, marked');
    t.ok(inner.toString().endsWith('\n\nline one\nline two\n'));
});
t.test('a sender\'s own protected-headers parameter is not doubled', async (t) => {
    const { store, alice } = await fresh(t);
    const raw = Buffer.from('From: bob@example.org\r\nSubject: signed\r\nContent-Type: multipart/signed; micalg=pgp-sha256;\r\n protocol="application/pgp-signature"; boundary=s; protected-headers="v1"\r\n\r\n--s\r\nContent-Type: text/plain\r\n\r\nhi\r\n--s--\r\n');
    const inner = (await decrypt(store, alice.id, 'correct horse', await encryptForStorage(store, { accountId: alice.id, mailbox: 'INBOX', raw }))).toString();
    t.equal(inner.split('protected-headers').length, 2, 'exactly one protected-headers parameter');
    t.ok(inner.endsWith('\r\n\r\n--s\r\nContent-Type: text/plain\r\n\r\nhi\r\n--s--\r\n'), 'the signed body untouched');
});
//# sourceMappingURL=pgp-at-rest.test.js.map