// Issue #14 finding 9: an Authentication-Results field that claims this box's authserv-id is a
// forgery (RFC 8601 section 5) however it is written: quoted, after a comment, folded, with a
// version, another case, a trailing dot, a space before the colon, or unreadable. Each form is
// sent through the real MX over SMTP; the stored message carries it renamed, another server's
// results unchanged, and exactly one field with the box's name: its own.
import t from 'tap';
import { startSmtpFixture, RawSmtp, mailbox, message } from './smtp-fixture.js';
import { authservId } from '../services/smtp/authentication.js';
let fx;
t.before(async () => { fx = await startSmtpFixture({ listeners: ['mx'] }); });
t.teardown(async () => { await fx?.close(); });
const FORGED = [
    'Authentication-Results: "mail.example.test"; dkim=pass header.d=forged1.example',
    'Authentication-Results: (our own checks) mail.example.test; dkim=pass header.d=forged2.example',
    'Authentication-Results:\r\n  (a (nested \\) comment)\r\n  MAIL.Example.Test.; dkim=pass header.d=forged3.example',
    'Authentication-Results : mail.example.test 1; spf=pass smtp.mailfrom=forged4.example',
    'authentication-results: "mail.exa\\mple.test"; dkim=pass header.d=forged5.example',
    'Authentication-Results: mail.example.test;dkim=pass header.d=forged6.example',
    'Authentication-Results: (unclosed comment mail.example.test; dkim=pass header.d=forged7.example',
    'Authentication-Results:\tmail.example.test\r\n\t; dkim=pass header.d=forged8.example',
];
const KEPT = [
    'Authentication-Results: other.example; spf=pass smtp.mailfrom=kept1.example',
    'Authentication-Results: "other.example"; dkim=pass header.d=kept2.example',
    'Authentication-Results: (mail.example.test) other.example; dkim=pass header.d=kept3.example',
    'Authentication-Results: mail.example.test.evil.example; dkim=pass header.d=kept4.example',
];
t.test('every form of a forged authserv-id is renamed, end to end over SMTP', async (t) => {
    const c = await RawSmtp.open(fx.port('mx'));
    await c.reply();
    t.match(await c.cmd('EHLO sender.example.org'), /^250/);
    t.match(await c.cmd('MAIL FROM:<x@sender.example.org>'), /^250/);
    t.match(await c.cmd('RCPT TO:<alice@example.test>'), /^250/);
    t.match(await c.cmd('DATA'), /^354/);
    const head = [...FORGED, ...KEPT].map((h) => h + '\r\n').join('');
    c.write(head + message({ from: 'x@sender.example.org', to: 'alice@example.test', subject: 'forged-results' }) + '.\r\n');
    t.match(await c.reply(), /^250 /);
    c.close();
    const m = mailbox(fx.store, fx.alice.id).find((x) => x.includes('forged-results'));
    t.ok(m, 'stored');
    const fields = m.slice(0, m.indexOf('\r\n\r\n') + 2).split(/\r\n(?![ \t])/);
    for (let i = 1; i <= FORGED.length; i++) {
        const f = fields.find((x) => x.includes(`forged${i}.example`));
        t.match(f, /^X-Forged-Authentication-Results\s*:/i, `form ${i} is renamed: ${JSON.stringify(f)}`);
    }
    for (let i = 1; i <= KEPT.length; i++) {
        const f = fields.find((x) => x.includes(`kept${i}.example`));
        t.equal(f, KEPT[i - 1], `another server's result ${i} stays as it was`);
    }
    const ours = fields.filter((f) => /^Authentication-Results\s*:/i.test(f) && /^\s*"?mail\.example\.test\.?"?(\s+\d+)?\s*$/i.test(f.replace(/^[^:]*:/, '').split(';')[0].replace(/\([^)]*\)/g, '')));
    t.equal(ours.length, 1, 'exactly one Authentication-Results carries the box\'s name');
    t.equal(fields.findIndex((f) => /^Authentication-Results\s*:/i.test(f)), fields.findIndex((f) => f === ours[0]), 'and it is the box\'s own, above the others');
});
t.test('the authserv-id grammar', async (t) => {
    t.equal(authservId(' mail.example.test; spf=pass'), 'mail.example.test');
    t.equal(authservId(' "a \\"b\\" c"; none'), 'a "b" c');
    t.equal(authservId(' (x (y) \\( z) host 1; none'), 'host');
    t.equal(authservId('\r\n (c)\r\n\thost.example;none'), 'host.example');
    t.equal(authservId(' (never closed host; none'), undefined);
    t.equal(authservId(' ; none'), undefined);
    t.equal(authservId(' "unterminated'), undefined);
});
//# sourceMappingURL=hostile-auth-results.test.js.map