// Issue #14 finding 8: no mail address reaches a log line or the panel's log page. A real
// over-quota delivery: alice's mailbox is full, she submits a message to bob asking for a success
// notice (NOTIFY=SUCCESS), bob gets it, the notice into alice's INBOX fails over quota and is
// logged; an MX message to her full mailbox is refused and logged. Every line the appliance wrote
// meanwhile is captured: none holds an address, the quota failure is there (redacted), and the
// panel's log page shows it the same way. The logger's own scrubbing is checked on error texts.
import t from 'tap';
import { startTestAppliance } from './harness/appliance.js';
import { LineDialogue } from './harness/line-dialogue.js';
import { PanelHttp } from './harness/panel-http.js';
import { errorText, log, recentLogLines, redactAddress, scrubAddresses, setLogSink, setQuiet } from '../appliance/log.js';
import { StoreError } from '../appliance/store/index.js';
const ADDRESS = /[^\s"'<>()[\]\\,;:@]+@[^\s"'<>()[\]\\,;:@]+/;
const PW = 'a long enough password';
let app;
const lines = [];
t.before(async () => {
    app = await startTestAppliance({ listeners: ['mx', 'submissions', 'panel'], config: { smtp: { dmarcReject: false } } });
    setQuiet(false);
    setLogSink((l) => lines.push(l));
    await app.store.accounts.create('admin@example.test', PW, { role: 'admin' });
    await app.store.accounts.create('alice@example.test', PW, { quotaBytes: 6000 });
    await app.store.accounts.create('bob@example.test', PW);
    const alice = app.store.accounts.byAddress('alice@example.test');
    app.store.deliver([{ accountId: alice.id }], Buffer.from(`From: x@example.org\r\nSubject: filler\r\n\r\n${'x'.repeat(5500)}\r\n`));
});
t.teardown(async () => { setQuiet(true); setLogSink((l) => process.stdout.write(l + '\n')); await app?.stop(); });
async function smtp(port, steps, auth) {
    const d = await LineDialogue.open(port, { ca: app.appliance.tls.ca, ...(port === app.port('mx') ? {} : {}) });
    const out = [];
    try {
        await d.until(/^220 /);
        d.send('EHLO client.example.org');
        await d.until(/^250 /);
        if (auth) {
            d.send(`AUTH PLAIN ${Buffer.from(`\0${auth}\0${PW}`).toString('base64')}`);
            out.push(await d.line(/^\d{3} /));
        }
        for (const [cmd, end] of steps) {
            d.send(cmd);
            out.push(await d.line(end));
        }
        return out;
    }
    finally {
        d.close();
    }
}
t.test('a quota failure is logged without the address, in the log and on the panel', async (t) => {
    const msg = 'From: alice@example.test\r\nTo: bob@example.test\r\nSubject: hello\r\nMessage-ID: <q1@example.test>\r\n\r\nhello bob\r\n.';
    const sub = await smtp(app.port('submissions'), [
        ['MAIL FROM:<alice@example.test>', /^\d{3} /], ['RCPT TO:<bob@example.test> NOTIFY=SUCCESS', /^\d{3} /], ['DATA', /^354 /], [msg, /^\d{3} /],
    ], 'alice@example.test');
    t.match(sub, ['235 ', '250 ', '250 ', '354 ', '250 '], 'alice submitted to bob with NOTIFY=SUCCESS');
    // the MX: a message to her full mailbox is refused
    const mx = await LineDialogue.open(app.port('mx'));
    await mx.until(/^220 /);
    mx.send('EHLO sender.example.org');
    await mx.until(/^250 /);
    mx.send('MAIL FROM:<carol@example.org>');
    await mx.line(/^\d{3} /);
    mx.send('RCPT TO:<alice@example.test>');
    await mx.line(/^\d{3} /);
    mx.send('DATA');
    await mx.line(/^354 /);
    mx.send(`From: carol@example.org\r\nTo: alice@example.test\r\nSubject: big\r\n\r\n${'y'.repeat(900)}\r\n${'y'.repeat(900)}\r\n.`);
    t.match(await mx.line(/^\d{3} /), /^4\d\d 4\.2\.2 /, 'the MX refuses mail to the full mailbox');
    mx.close();
    for (let i = 0; i < 50 && !lines.some((l) => l.includes('dsn-failed')); i++)
        await new Promise((r) => setTimeout(r, 100));
    const failed = lines.find((l) => l.includes('smtp.dsn-failed'));
    t.ok(failed, 'the failed notice is logged');
    t.match(failed, /is full/, 'with what went wrong');
    t.notMatch(failed, /alice/, 'but not whose mailbox');
    t.ok(lines.length >= 2, `${lines.length} lines captured`);
    for (const l of lines)
        t.notMatch(l, ADDRESS, `no address in ${l.slice(0, 80)}`);
    t.notOk(recentLogLines().some((l) => ADDRESS.test(JSON.stringify(l))), 'nor in the ring buffer the panel shows');
    const panel = new PanelHttp(app.port('panel'), app.appliance.tls.ca);
    t.equal((await panel.signIn('admin@example.test', PW)).status, 303);
    const page = await panel.get('/logs');
    t.equal(page.status, 200);
    t.match(page.body, /smtp\.dsn-failed/);
    t.notMatch(page.body, /alice@|bob@|carol@/, 'the log page shows no address');
});
t.test('the logger scrubs addresses from any string, and errors carry their log text', async (t) => {
    t.equal(scrubAddresses('550 5.1.1 <dave@example.org>: no such user'), `550 5.1.1 <${redactAddress('dave@example.org')}>: no such user`);
    t.equal(scrubAddresses('no address here, 1.2.3'), 'no address here, 1.2.3');
    t.notMatch(scrubAddresses('"quoted local"@example.org ünï@bücher.example x@y'), /example|bücher|x@y/);
    const e = new StoreError('over-quota', 'the mailbox of erin@example.test is full', 'the mailbox of account 7 is full');
    t.equal(errorText(e), 'the mailbox of account 7 is full');
    t.equal(errorText(new Error('plain')), 'plain');
    lines.length = 0;
    log.warn('test.nested', { error: 'for frank@example.test', list: ['g@example.test'], deep: { reply: 'h@example.test' }, n: 3 });
    t.notMatch(lines[0], /frank|g@|h@/);
    t.match(lines[0], /"n":3/);
});
//# sourceMappingURL=hostile-log-redaction.test.js.map