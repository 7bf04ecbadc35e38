// Per-client limits on the public MX (connections, messages a minute, recipients a message), and
// SMTPUTF8 mail delivered intact.
import t from 'tap';
import { startSmtpFixture, RawSmtp, message, mailbox } from './smtp-fixture.js';
let fx;
t.before(async () => { fx = await startSmtpFixture({ listeners: ['mx'], smtp: { maxConnectionsPerClient: 3, messagesPerMinutePerClient: 2, maxRecipients: 2 } }); });
t.teardown(async () => { await fx.close(); });
t.test('a client gets at most maxConnectionsPerClient connections; a closed one frees its slot', async (t) => {
    const open = [];
    for (let i = 0; i < 3; i++) {
        const c = await RawSmtp.open(fx.port('mx'));
        t.match(await c.reply(), /^220 /);
        open.push(c);
    }
    const fourth = await RawSmtp.open(fx.port('mx'));
    t.match(await fourth.reply(), /^421 4\.7\.0 Too many connections from your address \(limit 3\)/);
    fourth.close();
    open.pop().close();
    await new Promise((r) => setTimeout(r, 200));
    const again = await RawSmtp.open(fx.port('mx'));
    t.match(await again.reply(), /^220 /, 'a slot was freed');
    for (const c of [...open, again])
        c.close();
    await new Promise((r) => setTimeout(r, 200));
});
t.test('recipients per message and messages per minute are limited', async (t) => {
    const c = await RawSmtp.open(fx.port('mx'));
    await c.reply();
    t.match(await c.cmd('EHLO client.example.org'), /SMTPUTF8/);
    t.match(await c.cmd('MAIL FROM:<ünïcødé@exämple.org> SMTPUTF8'), /^250 /);
    t.match(await c.cmd('RCPT TO:<alice@example.test>'), /^250 /);
    t.match(await c.cmd('RCPT TO:<bob@example.test>'), /^250 /);
    t.match(await c.cmd('RCPT TO:<alice+x@example.test>'), /^452 4\.5\.3 /, 'the third recipient is one too many');
    t.match(await c.cmd('DATA'), /^354/);
    const utf8 = 'From: Jürgen Groß <ünïcødé@exämple.org>\r\nTo: alice@example.test\r\nSubject: Grüße aus Köln ✉\r\nMessage-ID: <utf8@exämple.org>\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nSchöne Grüße — 你好\r\n';
    c.write(Buffer.from(utf8 + '.\r\n', 'utf8'));
    t.match(await c.reply(), /^250 2\.6\.0 Message stored for 2 mailbox/);
    t.match(await c.cmd('MAIL FROM:<x@example.org>'), /^250 /);
    t.match(await c.cmd('RCPT TO:<alice@example.test>'), /^250 /);
    t.match(await c.cmd('DATA'), /^354/);
    c.write(message({ from: 'x@example.org', to: 'alice@example.test', subject: 'second' }) + '.\r\n');
    t.match(await c.reply(), /^250 /);
    t.match(await c.cmd('MAIL FROM:<x@example.org>'), /^450 4\.7\.1 Too many messages from your address \(limit 2 a minute\)/);
    c.close();
    const stored = mailbox(fx.store, fx.alice.id).map((m) => Buffer.from(m, 'latin1').toString('utf8'));
    const m = stored.find((x) => x.includes('Köln'));
    t.ok(m, 'the UTF-8 message is in the INBOX');
    t.ok(m.endsWith(utf8), 'its bytes are intact');
    t.match(m, /with UTF8SMTP/, 'Received names the UTF8SMTP protocol (RFC 6531)');
    t.equal(mailbox(fx.store, fx.bob.id).length, 1);
});
t.test('message data held in memory by all sessions together is bounded (452 4.3.1 beyond it)', async (t) => {
    const small = await startSmtpFixture({ listeners: ['mx'], tuning: { memoryBudget: 100_000 } });
    t.teardown(() => small.close());
    const c = await RawSmtp.open(small.port('mx'));
    await c.reply();
    await c.cmd('EHLO client.example.org');
    const send = async (subject, lines) => {
        await c.cmd('MAIL FROM:<x@example.org>');
        await c.cmd('RCPT TO:<alice@example.test>');
        await c.cmd('DATA');
        c.write(message({ from: 'x@example.org', to: 'alice@example.test', subject, body: ('m'.repeat(98) + '\r\n').repeat(lines) }) + '.\r\n');
        return c.reply();
    };
    t.match(await send('too-much-at-once', 1500), /^452 4\.3\.1 Insufficient system resources/);
    t.match(await send('fits', 200), /^250 /, 'the budget was given back');
    t.match(await send('fits-again', 200), /^250 /);
    c.close();
    const subjects = mailbox(small.store, small.alice.id).map((m) => /Subject: (\S+)/.exec(m)?.[1]);
    t.same(subjects, ['fits', 'fits-again']);
});
t.test('close(grace): no new connections, a message in flight is finished, idle sessions get 421', async (t) => {
    const g = await startSmtpFixture({ listeners: ['mx'] });
    t.teardown(() => g.close());
    const port = g.port('mx');
    const busy = await RawSmtp.open(port);
    await busy.reply();
    await busy.cmd('EHLO client.example.org');
    const idle = await RawSmtp.open(port);
    await idle.reply();
    t.match(await busy.cmd('MAIL FROM:<x@example.org>'), /^250 /);
    t.match(await busy.cmd('RCPT TO:<alice@example.test>'), /^250 /);
    t.match(await busy.cmd('DATA'), /^354/);
    const text = message({ from: 'x@example.org', to: 'alice@example.test', subject: 'during-shutdown' });
    busy.write(text.slice(0, 60));
    let closed = false;
    const closing = g.service.close(1500).then(() => { closed = true; });
    await new Promise((r) => setTimeout(r, 100));
    const refused = await RawSmtp.open(port).then((c) => { c.close(); return false; }, () => true);
    t.ok(refused, 'new connections are refused once closing');
    busy.write(text.slice(60) + '.\r\n');
    t.match(await busy.reply(), /^250 /, 'the message in flight is finished and acknowledged');
    t.match(await idle.cmd('NOOP'), /^421 4\.4\.2 /, 'an idle session is told 421 at its next command');
    t.notOk(closed, 'close waits within the grace period');
    await closing;
    t.ok(closed);
    t.equal(mailbox(g.store, g.alice.id).length, 1);
    busy.close();
    idle.close();
});
//# sourceMappingURL=smtp-limits.test.js.map