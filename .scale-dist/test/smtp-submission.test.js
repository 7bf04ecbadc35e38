// Submission: AUTH only over TLS, sending only as one's own addresses, local delivery and the
// outbound queue, DKIM signatures that verify (and fail after tampering), the Sent copy,
// authentication lockout, and the connection lifetime against slow clients. Clients: swaks,
// nodemailer, raw sockets, mailauth's verifier.
import t from 'tap';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { startSmtpFixture, RawSmtp, tlsTo, message, swaks, mailbox, fakeResolver, PASSWORD } from './smtp-fixture.js';
import { dnsRecords } from '../services/smtp/dns-records.js';
import { dkimKeys, publicKeyMatches } from '../services/smtp/dkim.js';
let fx;
t.before(async () => { fx = await startSmtpFixture({ smtp: { sentCopy: true }, tuning: { authFailuresBeforeLockout: 3, authFailureDelayMs: 20, lockoutMs: 60_000 } }); });
t.teardown(async () => { await fx.close(); });
const plainAuth = (user, pass) => Buffer.from(`\0${user}\0${pass}`).toString('base64');
async function authed(kind, user = 'alice@example.test', pass = PASSWORD) {
    const c = kind === 'submissions' ? await RawSmtp.open(fx.port(kind), { tls: tlsTo(fx) }) : await RawSmtp.open(fx.port(kind));
    await c.reply();
    await c.cmd('EHLO laptop.home');
    if (kind === 'submission') {
        await c.starttls(tlsTo(fx));
        await c.cmd('EHLO laptop.home');
    }
    const r = await c.cmd(`AUTH PLAIN ${plainAuth(user, pass)}`);
    if (!r.startsWith('235'))
        throw new Error(`AUTH failed: ${r}`);
    return c;
}
t.test('no AUTH before STARTTLS: not advertised, and refused with 530 5.7.0', async (t) => {
    const c = await RawSmtp.open(fx.port('submission'));
    await c.reply();
    const ehlo = await c.cmd('EHLO laptop.home');
    t.match(ehlo, /STARTTLS/);
    t.notMatch(ehlo, /AUTH/);
    t.match(await c.cmd(`AUTH PLAIN ${plainAuth('alice@example.test', PASSWORD)}`), /^530 5\.7\.0 /);
    t.match(await c.cmd('AUTH LOGIN'), /^530 5\.7\.0 /);
    t.match(await c.cmd('MAIL FROM:<alice@example.test>'), /^530 5\.7\.0 /);
    c.close();
    const r = await swaks(['--port', String(fx.port('submission')), '--to', 'bob@example.test', '--from', 'alice@example.test', '--auth', 'PLAIN', '--auth-user', 'alice@example.test', '--auth-password', PASSWORD]);
    t.not(r.code, 0, 'swaks cannot authenticate in plaintext');
    t.notMatch(r.out, /235 /);
    t.equal(mailbox(fx.store, fx.bob.id).length, 0);
});
t.test('swaks STARTTLS + AUTH LOGIN delivers locally; Received carries no client address', async (t) => {
    const r = await swaks(['--port', String(fx.port('submission')), '--tls', '--tls-ca-path', join(fx.dir, 'tls', 'ca.crt'), '--auth', 'LOGIN', '--auth-user', 'alice@example.test', '--auth-password', PASSWORD,
        '--from', 'alice@example.test', '--to', 'bob@example.test', '--header', 'From: Alice <alice@example.test>', '--header', 'Subject: submitted-starttls']);
    t.equal(r.code, 0, r.out);
    t.match(r.out, /235 2\.7\.0/);
    const m = mailbox(fx.store, fx.bob.id).find((x) => x.includes('submitted-starttls'));
    t.ok(m, 'in bob\'s INBOX');
    t.match(m, /^Return-Path: <alice@example\.test>\r\n/);
    t.match(m, /Received: from submission\.invalid \(authenticated client; address withheld\)\r\n\tby mail\.example\.test \(Postern\) with ESMTPSA id \w+/);
    t.notMatch(m, /127\.0\.0\.1|laptop\.home|client\.example\.org/, 'no client IP or HELO name');
    t.match(m, /DKIM-Signature: v=1; a=ed25519-sha256;/);
    t.match(m, /DKIM-Signature: v=1; a=rsa-sha256;/);
    const sent = mailbox(fx.store, fx.alice.id, 'Sent').find((x) => x.includes('submitted-starttls'));
    t.ok(sent, 'a copy in alice\'s Sent (sentCopy is on)');
});
t.test('swaks implicit TLS: a remote recipient is queued, signed, without Return-Path', async (t) => {
    const r = await swaks(['--port', String(fx.port('submissions')), '--tlsc', '--tls-ca-path', join(fx.dir, 'tls', 'ca.crt'), '--auth', 'PLAIN', '--auth-user', 'alice@example.test', '--auth-password', PASSWORD,
        '--from', 'alice@example.test', '--to', 'friend@elsewhere.org', '--header', 'From: alice@example.test', '--header', 'Subject: to-the-world']);
    t.equal(r.code, 0, r.out);
    const q = fx.store.queue.list();
    t.equal(q.length, 1);
    t.equal(q[0].mailFrom, 'alice@example.test');
    t.same(q[0].recipients.map((x) => x.address), ['friend@elsewhere.org']);
    t.equal(q[0].accountId, fx.alice.id);
});
t.test('the DKIM signatures of a submitted message verify with mailauth, and fail after tampering', async (t) => {
    const q = fx.store.queue.list()[0];
    const row = fx.store.messages.blob(q.blobId);
    const raw = fx.store.readMessage(row.hash);
    t.notMatch(raw.toString('latin1'), /^Return-Path:/m, 'no Return-Path on mail that leaves the box');
    const dns = {};
    for (const rec of dnsRecords(fx.store, fx.config, 'example.test'))
        if (rec.type === 'TXT')
            dns[`${rec.name.replace(/\.$/, '')} TXT`] = [[rec.value]];
    const resolver = fakeResolver(dns);
    for (const k of dkimKeys(fx.store, 'example.test'))
        t.ok(publicKeyMatches(k), `${k.selector}: the published key matches the private key`);
    const good = await dkimVerify(raw, { resolver });
    t.same(good.results.map((r) => [r.signingDomain, r.status.result]).sort(), [['example.test', 'pass'], ['example.test', 'pass']]);
    t.same(good.results.map((r) => r.selector).sort(), dkimKeys(fx.store, 'example.test').map((k) => k.selector).sort(), 'both keys (Ed25519 and RSA) signed');
    const tampered = Buffer.from(raw.toString('latin1').replace('Subject: to-the-world', 'Subject: to-the-w0rld'), 'latin1');
    const bad = await dkimVerify(tampered, { resolver });
    t.same(bad.results.map((r) => r.status.result), ['fail', 'fail']);
    const bodyTampered = Buffer.concat([raw, Buffer.from('P.S. send money\r\n')]);
    const bad2 = await dkimVerify(bodyTampered, { resolver });
    t.ok(bad2.results.every((r) => r.status.result !== 'pass'), 'a body change fails too');
});
t.test('nodemailer over STARTTLS delivers to a local user', async (t) => {
    const transport = nodemailer.createTransport({
        host: '127.0.0.1', port: fx.port('submission'), secure: false, requireTLS: true,
        auth: { user: 'bob@example.test', pass: PASSWORD }, tls: { ca: fx.tls.ca, servername: 'mail.example.test' },
    });
    const info = await transport.sendMail({ from: 'Bob <bob@example.test>', to: 'alice@example.test', subject: 'from-nodemailer', text: 'Hi Alice,\nthis came through nodemailer.\n' });
    transport.close();
    t.same(info.accepted, ['alice@example.test']);
    t.match(info.response, /^250 2\.6\.0/);
    const m = mailbox(fx.store, fx.alice.id).find((x) => x.includes('from-nodemailer'));
    t.ok(m);
    t.match(m, /this came through nodemailer/);
});
t.test('spoofed senders are refused: envelope 553 5.7.1, header From 550 5.7.1', async (t) => {
    fx.store.aliases.add('kids@example.test', 'alice@example.test');
    const c = await authed('submissions');
    t.match(await c.cmd('MAIL FROM:<bob@example.test>'), /^553 5\.7\.1 /, 'another account');
    t.match(await c.cmd('MAIL FROM:<president@whitehouse.gov>'), /^553 5\.7\.1 /, 'a foreign address');
    t.match(await c.cmd('MAIL FROM:<>'), /^553 5\.7\.1 /, 'the null sender');
    t.match(await c.cmd('MAIL FROM:<alice+lists@example.test>'), /^250 /, 'an own subaddress is fine');
    t.match(await c.cmd('RSET'), /^250/);
    t.match(await c.cmd('MAIL FROM:<bob+alice@example.test>'), /^553 5\.7\.1 /, 'another account\'s subaddress is not');
    t.match(await c.cmd('MAIL FROM:<kids@example.test>'), /^250 /, 'an own alias is fine');
    t.match(await c.cmd('RCPT TO:<bob@example.test>'), /^250 /);
    t.match(await c.cmd('DATA'), /^354/);
    c.write(message({ from: 'Bob <bob@example.test>', to: 'bob@example.test', subject: 'header-spoof' }) + '.\r\n');
    t.match(await c.reply(), /^550 5\.7\.1 .*From header/);
    t.match(await c.cmd('MAIL FROM:<kids@example.test>'), /^250 /);
    t.match(await c.cmd('RCPT TO:<bob@example.test>'), /^250 /);
    t.match(await c.cmd('DATA'), /^354/);
    c.write(message({ from: '"The Kids" <kids@example.test>', to: 'bob@example.test', subject: 'alias-ok' }) + '.\r\n');
    t.match(await c.reply(), /^250 /);
    c.close();
    const bobs = mailbox(fx.store, fx.bob.id);
    t.notOk(bobs.some((m) => m.includes('header-spoof')));
    t.ok(bobs.some((m) => m.includes('alias-ok')));
});
t.test('authentication failures are delayed, then locked out even for the right password', async (t) => {
    const c = await RawSmtp.open(fx.port('submissions'), { tls: tlsTo(fx) });
    await c.reply();
    await c.cmd('EHLO laptop.home');
    for (let i = 0; i < 3; i++)
        t.match(await c.cmd(`AUTH PLAIN ${plainAuth('alice@example.test', 'wrong password ' + i)}`), /^535 5\.7\.8 /);
    t.match(await c.cmd(`AUTH PLAIN ${plainAuth('alice@example.test', PASSWORD)}`), /^454 4\.7\.0 Too many failed authentications/);
    c.close();
});
t.test('a slow client is cut off at the connection lifetime; an idle one at the idle timeout', async (t) => {
    const slow = await startSmtpFixture({ listeners: ['mx'], tuning: { lifetimeMs: 1500, idleMs: 800 } });
    t.teardown(() => slow.close());
    const c = await RawSmtp.open(slow.port('mx'));
    await c.reply();
    await c.cmd('EHLO slow.example');
    await c.cmd('MAIL FROM:<x@example.org>');
    await c.cmd('RCPT TO:<alice@example.test>');
    await c.cmd('DATA');
    let closedBy = '';
    const trickle = setInterval(() => { if (!c.closed)
        c.write('x'); }, 200); // never idle, never done
    closedBy = await c.reply(5000);
    clearInterval(trickle);
    t.match(closedBy, /^421 4\.4\.2 /, 'closed with 421 at the lifetime');
    await new Promise((r) => setTimeout(r, 200));
    t.ok(c.closed);
    const idle = await RawSmtp.open(slow.port('mx'));
    await idle.reply();
    t.match(await idle.reply(5000), /^421 /, 'an idle client is told 421 and closed');
    idle.close();
    t.equal(mailbox(slow.store, slow.alice.id).length, 0, 'nothing stored from the slow client');
    t.ok(slow.store.check().ok);
});
//# sourceMappingURL=smtp-submission.test.js.map