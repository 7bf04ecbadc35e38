// Interoperability with GnuPG 2.2 (an independent OpenPGP implementation) through a running
// appliance: keys exported by Postern import into gpg; mail delivered over SMTP (swaks),
// encrypted at rest and fetched over IMAP (imapflow) decrypts with gpg; Autocrypt keydata made by gpg is taken into the peer state,
// and Postern's own Autocrypt header carries a key gpg imports; mail gpg encrypted is not
// encrypted twice.
import t from 'tap';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { ImapFlow } from 'imapflow';
import { startTestAppliance } from './harness/appliance.js';
import { Gpg } from './harness/gpg.js';
import { onAccountCreated, exportPublicKey, exportSecretKey, setEncryptAtRest, keyStatus } from '../services/pgp/account-keys.js';
import { listPeers } from '../services/pgp/autocrypt.js';
import { parseMime, partAt } from '../appliance/mail/mime.js';
import { firstField, parseHeaderFields, headerEnd } from '../appliance/mail/header.js';
const PASSWORD = 'correct horse battery';
let app;
let gpg;
let alice;
let carol;
function swaks(args, input) {
    return new Promise((resolve) => {
        const p = execFile('swaks', ['--server', '127.0.0.1', '--silent', '1', ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
            resolve({ code: err ? 1 : 0, out: stdout + stderr });
        });
        p.stdin.end(input ?? '');
    });
}
/** Messages of an account's mailbox, oldest first. */
function mailbox(accountId, name = 'INBOX') {
    const mb = app.store.mailboxes.get(accountId, name);
    return app.store.messages.list(mb.id).map((m) => app.store.readMessage(app.store.messages.blob(m.blobId).hash));
}
/** Send raw message text over the MX with swaks (DATA from standard input). */
async function sendMx(from, to, data) {
    const r = await swaks(['--port', String(app.port('mx')), '--from', from, '--to', to, '--data', '-'], data);
    if (r.code !== 0)
        throw new Error(`swaks failed: ${r.out}`);
}
t.before(async () => {
    app = await startTestAppliance({ listeners: ['mx', 'submission', 'imaps'] });
    alice = await app.store.accounts.create('alice@example.test', PASSWORD);
    await onAccountCreated(app.store, alice, PASSWORD);
    carol = await app.store.accounts.create('carol@example.test', PASSWORD);
    await onAccountCreated(app.store, carol, PASSWORD);
    gpg = new Gpg();
});
t.teardown(async () => {
    await gpg.close();
    await app.stop();
});
t.test('a key exported by Postern imports into gpg: public, then secret with its password', async (t) => {
    const fpr = keyStatus(app.store, alice.id).fingerprint;
    const pub = await gpg.run(['--import'], await exportPublicKey(app.store, alice.id));
    t.equal(pub.code, 0, pub.stderr);
    const listing = (await gpg.run(['--list-keys', '--with-colons', 'alice@example.test'])).stdout.toString();
    t.match(listing, new RegExp(`^fpr:+${fpr}:`, 'm'), 'same fingerprint in gpg');
    t.match(listing, /^pub:[^:]*:255:22:/m, 'primary: EdDSA (algorithm 22) on a 255-bit curve');
    t.match(listing, /^sub:[^:]*:255:18:[^\n]*:e:/m, 'subkey: ECDH (algorithm 18), encryption');
    t.match(listing, /^uid:[^\n]*<alice@example\.test>/m);
    const sec = await gpg.run(['--passphrase', PASSWORD, '--import'], await exportSecretKey(app.store, alice.id, PASSWORD));
    t.equal(sec.code, 0, sec.stderr);
    t.match(sec.stderr, /secret keys imported: 1/);
    t.same(await gpg.fingerprints(true), [fpr]);
});
t.test('mail delivered over SMTP and encrypted at rest decrypts with gpg', async (t) => {
    setEncryptAtRest(app.store, alice.id, true);
    const body = 'The treasure is under the old oak tree.\r\nBring a shovel.\r\n';
    // To alice (encryption at rest on) and carol (off): carol's copy is the original as stored.
    await sendMx('bob@example.org', 'alice@example.test,carol@example.test', [
        'From: Bob <bob@example.org>', 'To: Alice <alice@example.test>', 'Subject: Secret plans',
        'Date: Mon, 23 Nov 2026 10:00:00 +0000', 'Message-ID: <plans-1@example.org>', 'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8', '', body.replace(/\r\n$/, ''), '',
    ].join('\r\n'));
    const stored = mailbox(alice.id);
    t.equal(stored.length, 1);
    // What a mail app gets: the message fetched over IMAP.
    const imap = new ImapFlow({ host: '127.0.0.1', port: app.port('imaps'), secure: true, auth: { user: 'alice@example.test', pass: PASSWORD }, tls: { ca: app.appliance.tls.ca, servername: 'localhost' }, logger: false });
    await imap.connect();
    await imap.mailboxOpen('INBOX');
    const fetched = await imap.fetchOne('1', { source: true, envelope: true });
    await imap.logout();
    t.ok(fetched && fetched.source, 'fetched over IMAP');
    if (!fetched || !fetched.source)
        return;
    const raw = fetched.source;
    t.same(raw, stored[0], 'IMAP returns the stored bytes');
    t.equal(fetched.envelope?.subject, '...', 'ENVELOPE shows the outer subject');
    t.equal(fetched.envelope?.from?.[0]?.address, 'bob@example.org', 'and the real sender');
    const text = raw.toString('latin1');
    t.notMatch(text, /treasure|Secret plans/, 'neither body nor subject in the clear');
    const outer = parseHeaderFields(raw.subarray(0, headerEnd(raw)));
    t.equal(firstField(outer, 'subject'), '...');
    t.equal(firstField(outer, 'from'), 'Bob <bob@example.org>');
    t.equal(firstField(outer, 'message-id'), '<plans-1@example.org>');
    t.equal(firstField(outer, 'date'), 'Mon, 23 Nov 2026 10:00:00 +0000');
    t.notOk(firstField(outer, 'received'), 'trace headers moved inside');
    const mime = parseMime(raw);
    t.equal(`${mime.type}/${mime.subtype}`, 'multipart/encrypted');
    t.same(mime.params.find(([k]) => k === 'protocol'), ['protocol', 'application/pgp-encrypted']);
    t.equal(`${partAt(mime, [1]).type}/${partAt(mime, [1]).subtype}`, 'application/pgp-encrypted');
    t.equal(raw.subarray(partAt(mime, [1]).bodyStart, partAt(mime, [1]).end).toString().trim(), 'Version: 1');
    const enc = partAt(mime, [2]);
    t.equal(`${enc.type}/${enc.subtype}`, 'application/octet-stream');
    const armored = raw.subarray(enc.bodyStart, enc.end);
    t.match(armored.toString(), /^-----BEGIN PGP MESSAGE-----/);
    const dec = await gpg.run(['--passphrase', PASSWORD, '--decrypt'], armored);
    t.equal(dec.code, 0, dec.stderr);
    t.match(dec.stderr, /encrypted with 255-bit ECDH key/);
    const inner = dec.stdout.toString();
    t.match(inner, /^Content-Type: text\/plain; charset=utf-8;\r\n protected-headers="v1"\r\n/m);
    t.match(inner, /\r\nSubject: Secret plans\r\n/, 'the subject is a protected header inside');
    t.match(inner, /\r\nReceived: from /, 'the trace header inside');
    const original = mailbox(carol.id).at(-1).toString('latin1');
    t.match(original, /Subject: Secret plans/);
    t.equal(inner.slice(inner.indexOf('\r\n\r\n')), original.slice(original.indexOf('\r\n\r\n')), 'the body is byte for byte the original');
    t.match(inner.slice(inner.indexOf('\r\n\r\n')), body);
    const parsed = await simpleParser(dec.stdout);
    t.equal(parsed.subject, 'Secret plans', 'a MIME parser reads the inner part as the original message');
    t.equal(parsed.text?.trim(), body.replace(/\r\n/g, '\n').trim());
    // Search: the outer headers are found, the subject and the text are not (the panel says so).
    const inbox = app.store.mailboxes.get(alice.id, 'INBOX');
    t.same([...app.store.messages.searchText(inbox.id, 'headers', 'bob@example.org')], [1]);
    t.same([...app.store.messages.searchText(inbox.id, 'text', 'treasure')], []);
    t.same([...app.store.messages.searchText(inbox.id, 'text', 'Secret plans')], []);
    t.ok(app.store.check().ok, 'fsck clean');
});
t.test('mail gpg already encrypted is stored as it came', async (t) => {
    const inline = await gpg.run(['--armor', '--trust-model', 'always', '--recipient', 'alice@example.test', '--encrypt'], 'inline secret\n');
    t.equal(inline.code, 0, inline.stderr);
    const block = inline.stdout.toString().trim().replace(/\n/g, '\r\n');
    const pgpMime = [
        'From: Bob <bob@example.org>', 'To: alice@example.test', 'Subject: already PGP/MIME', 'Message-ID: <pgpmime@example.org>',
        'MIME-Version: 1.0', 'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="b1"', '',
        '--b1', 'Content-Type: application/pgp-encrypted', '', 'Version: 1', '', '--b1', 'Content-Type: application/octet-stream', '',
        block, '', '--b1--', '',
    ].join('\r\n');
    const inlineMsg = ['From: Bob <bob@example.org>', 'To: alice@example.test', 'Subject: already inline', 'Message-ID: <inline@example.org>', '', block, ''].join('\r\n');
    await sendMx('bob@example.org', 'alice@example.test', pgpMime);
    await sendMx('bob@example.org', 'alice@example.test', inlineMsg);
    const [m1, m2] = mailbox(alice.id).slice(-2).map((b) => b.toString('latin1'));
    for (const m of [m1, m2]) {
        t.equal(m.split('-----BEGIN PGP MESSAGE-----').length, 2, 'exactly one encrypted block: not encrypted twice');
        t.notMatch(m, /protected-headers/);
    }
    t.match(m1, /\r\nSubject: already PGP\/MIME\r\n/, 'the subject stays as the sender wrote it');
    t.match(m2, /\r\nSubject: already inline\r\n/);
    // gpg still decrypts what was stored.
    const dec = await gpg.run(['--passphrase', PASSWORD, '--decrypt'], m2.slice(m2.indexOf('-----BEGIN')));
    t.equal(dec.stdout.toString(), 'inline secret\n');
});
t.test('an Autocrypt header with keydata made by gpg updates the peer state', async (t) => {
    const gen = await gpg.run(['--passphrase', '', '--quick-gen-key', 'Bob <bob@example.org>', 'future-default', 'default', 'never']);
    t.equal(gen.code, 0, gen.stderr);
    const bobFpr = (await gpg.fingerprints()).find((f) => f !== keyStatus(app.store, alice.id).fingerprint);
    const keydata = (await gpg.run(['--export', '--export-options', 'export-minimal', 'bob@example.org'])).stdout;
    t.ok(keydata.length > 100);
    const folded = keydata.toString('base64').match(/.{1,72}/g).join('\r\n ');
    await sendMx('bob@example.org', 'carol@example.test', [
        'From: Bob <bob@example.org>', 'To: carol@example.test', 'Subject: hello with Autocrypt', 'Date: Fri, 20 Nov 2026 11:00:00 +0000',
        `Autocrypt: addr=bob@example.org; prefer-encrypt=mutual; keydata=\r\n ${folded}`, '', 'Hi Carol.', '',
    ].join('\r\n'));
    const peers = listPeers(app.store, carol.id);
    t.equal(peers.length, 1);
    t.equal(peers[0].addr, 'bob@example.org');
    t.equal(peers[0].fingerprint, bobFpr, 'the fingerprint gpg computed');
    t.equal(peers[0].preferEncrypt, 'mutual');
    t.equal(peers[0].lastSeen, Date.parse('Fri, 20 Nov 2026 11:00:00 +0000'));
    t.same(listPeers(app.store, alice.id), [], 'peer state is per account');
});
t.test("mail an account submits carries its Autocrypt header, whose key gpg imports", async (t) => {
    const r = await swaks(['--port', String(app.port('submission')), '--tls', '--tls-ca-path', join(app.dataDir, 'tls', 'ca.crt'),
        '--auth', 'PLAIN', '--auth-user', 'carol@example.test', '--auth-password', PASSWORD,
        '--from', 'carol@example.test', '--to', 'alice@example.test', '--header', 'Subject: from carol', '--body', 'Hello Alice, carol here.']);
    t.equal(r.code, 0, r.out);
    // Alice stores it encrypted; the Autocrypt header is inside. Decrypt with gpg (alice's key).
    const raw = mailbox(alice.id).at(-1);
    const mime = parseMime(raw);
    const enc = partAt(mime, [2]);
    const inner = (await gpg.run(['--passphrase', PASSWORD, '--decrypt'], raw.subarray(enc.bodyStart, enc.end))).stdout;
    const fields = parseHeaderFields(inner.subarray(0, headerEnd(inner)));
    const ac = fields.filter((f) => f.key === 'autocrypt');
    t.equal(ac.length, 1, 'exactly one Autocrypt header');
    t.match(ac[0].value, /^addr=carol@example\.test; keydata=/);
    t.ok(inner.toString().split('\r\n').every((l) => l.length <= 78 || !/^(Autocrypt| )/.test(l)), 'folded at 78 characters');
    const keydata = Buffer.from(ac[0].value.replace(/^.*keydata=/, '').replace(/\s+/g, ''), 'base64');
    const imp = await gpg.run(['--import'], keydata);
    t.equal(imp.code, 0, imp.stderr);
    t.ok((await gpg.fingerprints()).includes(keyStatus(app.store, carol.id).fingerprint), 'gpg has carol\'s key from the header');
});
//# sourceMappingURL=pgp-gpg.test.js.map