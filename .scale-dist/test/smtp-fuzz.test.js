// Random dialogues (fast-check): valid commands, garbage, control bytes, bare CR/LF, long lines and
// truncated DATA in any order. The server must answer every line or close, keep serving new
// clients, and store nothing partial.
import t from 'tap';
import fc from 'fast-check';
import { startSmtpFixture, RawSmtp } from './smtp-fixture.js';
let fx;
t.before(async () => { fx = await startSmtpFixture({ listeners: ['mx'], smtp: { maxConnectionsPerClient: 50, messagesPerMinutePerClient: 100_000 } }); });
t.teardown(async () => { await fx.close(); });
const piece = fc.oneof(fc.constantFrom('EHLO fuzz.example\r\n', 'HELO fuzz\r\n', 'MAIL FROM:<x@example.org>\r\n', 'MAIL FROM:<>\r\n', 'RCPT TO:<alice@example.test>\r\n', 'RCPT TO:<nobody@example.test>\r\n', 'RCPT TO:<a@elsewhere.org>\r\n', 'DATA\r\n', '.\r\n', 'RSET\r\n', 'NOOP\r\n', 'VRFY alice\r\n', 'STARTTLS\r\n', 'AUTH PLAIN AAAA\r\n', 'BDAT 10 LAST\r\n', 'Subject: x\r\n\r\nbody\r\n', '\n.\n', '\r\n.\r\n', 'line\rwith CR\r\n'), fc.string({ maxLength: 40 }).map((s) => s + '\r\n'), fc.uint8Array({ maxLength: 60 }).map((b) => Buffer.from(b).toString('latin1')), fc.integer({ min: 990, max: 1100 }).map((n) => 'x'.repeat(n) + '\r\n'));
t.test('random input never crashes the server nor stores a partial message', async (t) => {
    let runs = 0;
    await fc.assert(fc.asyncProperty(fc.array(piece, { minLength: 1, maxLength: 25 }), async (pieces) => {
        runs++;
        const c = await RawSmtp.open(fx.port('mx'));
        await c.reply();
        for (const p of pieces) {
            if (c.closed)
                break;
            c.write(Buffer.from(p, 'latin1'));
        }
        await new Promise((r) => setTimeout(r, 30));
        c.close();
        const probe = await RawSmtp.open(fx.port('mx'));
        const greeting = await probe.reply();
        probe.close();
        return greeting.startsWith('220 ');
    }), { numRuns: 60, seed: 5321 });
    t.equal(runs, 60);
    const report = fx.store.check();
    t.ok(report.ok, 'fsck clean after the fuzzing');
    const inbox = fx.store.mailboxes.get(fx.alice.id, 'INBOX');
    for (const m of fx.store.messages.list(inbox.id)) {
        const raw = fx.store.readMessage(fx.store.messages.blob(m.blobId).hash).toString('latin1');
        t.notMatch(raw, /(^|[^\r])\n|\r(?!\n)/, 'every stored message has only CRLF line ends');
    }
});
//# sourceMappingURL=smtp-fuzz.test.js.map