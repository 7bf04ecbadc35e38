// The DSN extension (RFC 3461) on the SMTP listeners: advertised on submission and submissions
// (after TLS and AUTH), not on the MX (the box never sends notices to outside senders); every
// malformed parameter refused with 501 5.5.4 and a text naming the rule; well-formed requests
// kept in the queue entry (RET, ENVID, NOTIFY and ORCPT per recipient) for the delivery runner.
// Raw dialogues over real TLS, and nodemailer's `dsn` option.
import t from 'tap';
import nodemailer from 'nodemailer';
import { startSmtpFixture, RawSmtp, tlsTo, message, PASSWORD } from './smtp-fixture.js';
let fx;
t.before(async () => { fx = await startSmtpFixture(); });
t.teardown(async () => { await fx.close(); });
async function authed() {
    const c = await RawSmtp.open(fx.port('submission'));
    await c.reply();
    await c.cmd('EHLO laptop.home');
    await c.starttls(tlsTo(fx));
    await c.cmd('EHLO laptop.home');
    const r = await c.cmd(`AUTH PLAIN ${Buffer.from(`\0alice@example.test\0${PASSWORD}`).toString('base64')}`);
    if (!r.startsWith('235'))
        throw new Error(`AUTH failed: ${r}`);
    return c;
}
t.test('DSN is advertised on submission and submissions, not on the MX', async (t) => {
    const sub = await RawSmtp.open(fx.port('submission'));
    await sub.reply();
    t.match(await sub.cmd('EHLO laptop.home'), /^250[- ]DSN$/m);
    sub.close();
    const subs = await RawSmtp.open(fx.port('submissions'), { tls: tlsTo(fx) });
    await subs.reply();
    t.match(await subs.cmd('EHLO laptop.home'), /^250[- ]DSN$/m);
    subs.close();
    const mx = await RawSmtp.open(fx.port('mx'));
    await mx.reply();
    t.notMatch(await mx.cmd('EHLO other.example.org'), /DSN/);
    mx.close();
});
t.test('malformed DSN parameters: 501 5.5.4 with the rule', async (t) => {
    const c = await authed();
    t.teardown(() => c.close());
    const mail = async (params) => { const r = await c.cmd(`MAIL FROM:<alice@example.test> ${params}`); if (r.startsWith('250'))
        await c.cmd('RSET'); return r; };
    t.match(await mail('RET=BODY'), /^501 5\.5\.4 .*RET/);
    t.match(await mail(`ENVID=${'x'.repeat(101)}`), /^501 5\.5\.4 ENVID is longer than 100 characters/);
    t.match(await mail('ENVID=a+0Db'), /^501 /, 'a control character smuggled through xtext');
    t.match(await mail('RET=FULL RET=HDRS'), /^501 5\.5\.4 .*duplicate RET/);
    t.match(await mail(`ENVID=${'y'.repeat(100)} RET=hdrs`), /^250 /, '100 characters and a lower-case RET are fine');
    t.match(await c.cmd('MAIL FROM:<alice@example.test> ENVID=ok+2Bid'), /^250 /);
    const rcpt = (params) => c.cmd(`RCPT TO:<bob@example.test> ${params}`);
    t.match(await rcpt('NOTIFY=NEVER,SUCCESS'), /^501 5\.5\.4 .*NOTIFY=NEVER cannot be combined/);
    t.match(await rcpt('NOTIFY=SOMETIMES'), /^501 5\.5\.4 .*NOTIFY/);
    t.match(await rcpt('NOTIFY=SUCCESS,'), /^501 5\.5\.4 .*NOTIFY/);
    t.match(await rcpt('NOTIFY=SUCCESS,SUCCESS'), /^501 5\.5\.4 NOTIFY names a condition twice/);
    t.match(await rcpt('ORCPT=bob@example.test'), /^501 5\.5\.4 .*ORCPT/);
    t.match(await rcpt('ORCPT=rfc822;bob+20x@example.test'), /^501 5\.5\.4 ORCPT rfc822 address must be printable US-ASCII/);
    t.match(await rcpt(`ORCPT=rfc822;${'b'.repeat(501)}`), /^501 5\.5\.4 ORCPT address is longer than 500 characters/);
    t.match(await rcpt('NOTIFY=success,delay ORCPT=rfc822;bob@example.test'), /^250 /, 'well-formed, case-insensitive');
    t.match(await c.cmd('RCPT TO:<carol@remote.example> NOTIFY=NEVER'), /^250 /);
});
t.test('well-formed requests are kept in the queue entry', async (t) => {
    const transport = nodemailer.createTransport({
        host: '127.0.0.1', port: fx.port('submissions'), secure: true,
        auth: { user: 'alice@example.test', pass: PASSWORD }, tls: { ca: fx.tls.ca, servername: 'mail.example.test' },
    });
    t.teardown(() => transport.close());
    await transport.sendMail({
        envelope: { from: 'alice@example.test', to: ['carol@remote.example', 'dan@other.example'] },
        raw: message({ from: 'alice@example.test', to: 'carol@remote.example', subject: 'dsn-queued' }),
        dsn: { id: 'q+1=x', return: 'full', notify: ['failure', 'delay'], recipient: 'orig@example.org' },
    });
    const entries = fx.store.queue.list().filter((e) => e.domain === 'remote.example' || e.domain === 'other.example');
    t.equal(entries.length, 2, 'one entry per domain');
    for (const e of entries) {
        t.equal(e.envid, 'q+1=x', 'ENVID kept decoded');
        t.equal(e.ret, 'FULL');
        t.same(e.recipients[0].notify, ['FAILURE', 'DELAY']);
        t.equal(e.recipients[0].orcpt, 'rfc822;orig@example.org');
    }
    // no parameters: the defaults (nothing stored)
    await transport.sendMail({
        envelope: { from: 'alice@example.test', to: ['erin@plain.example'] },
        raw: message({ from: 'alice@example.test', to: 'erin@plain.example', subject: 'dsn-none' }),
    });
    const plain = fx.store.queue.list().find((e) => e.domain === 'plain.example');
    t.equal(plain.ret, null);
    t.equal(plain.envid, null);
    t.equal(plain.recipients[0].notify, undefined);
    t.equal(plain.recipients[0].orcpt, undefined);
});
//# sourceMappingURL=smtp-dsn.test.js.map