// What \Recent and MULTIAPPEND cost a session: SELECT of a mailbox with a new message (the session
// claims it: one write transaction, fsynced) against SELECT with nothing new (a read of the mark)
// and EXAMINE (never writes); and N messages in one MULTIAPPEND against N single APPENDs (each
// message is its own durable commit either way). One client over implicit TLS on loopback, a real
// appliance in this process, INBOX of M messages.
// Usage: node dist/bench/imap-recent.js [rounds=100] [inboxMessages=1000] [batch=10]
import { startTestAppliance } from '../test/harness/appliance.js';
import { RawImapClient } from '../test/harness/imap-raw.js';
import { benchMessage } from './imap-corpus.js';
const rounds = Number(process.argv[2] ?? 100);
const inboxSize = Number(process.argv[3] ?? 1000);
const batch = Number(process.argv[4] ?? 10);
function stats(ms) {
    const s = [...ms].sort((a, b) => a - b);
    const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
    return `p50 ${q(0.5).toFixed(2)} ms, p90 ${q(0.9).toFixed(2)} ms, mean ${(s.reduce((a, b) => a + b, 0) / s.length).toFixed(2)} ms`;
}
async function timed(c, cmd) {
    const t0 = process.hrtime.bigint();
    const r = await c.command(cmd);
    if (r.status !== 'OK')
        throw new Error(`${String(cmd).slice(0, 40)}: ${r.status} ${r.text}`);
    return Number(process.hrtime.bigint() - t0) / 1e6;
}
const app = await startTestAppliance({ listeners: ['imaps'] });
try {
    const account = await app.store.accounts.create('bench@example.test', 'bench-password');
    for (let i = 0; i < inboxSize; i++)
        app.store.deliver([{ accountId: account.id }], benchMessage(i));
    const c = await RawImapClient.open(app.port('imaps'), { tls: true });
    await c.command('LOGIN bench@example.test bench-password');
    await c.command('SELECT INBOX'); // claims the initial messages
    const claim = [], none = [], examine = [], noopNew = [];
    for (let i = 0; i < rounds; i++) {
        await c.command('UNSELECT');
        app.store.deliver([{ accountId: account.id }], benchMessage(inboxSize + i));
        claim.push(await timed(c, 'SELECT INBOX'));
        none.push(await timed(c, 'SELECT INBOX'));
        app.store.deliver([{ accountId: account.id }], benchMessage(inboxSize + rounds + i));
        noopNew.push(await timed(c, 'NOOP'));
        await c.command('UNSELECT');
        app.store.deliver([{ accountId: account.id }], benchMessage(inboxSize + 2 * rounds + i));
        examine.push(await timed(c, 'EXAMINE INBOX'));
    }
    await c.command('UNSELECT');
    await c.command('CREATE Appended');
    const literal = (m) => Buffer.concat([Buffer.from(` {${m.length}+}\r\n`), m]);
    const single = [], multi = [];
    const appendRounds = Math.max(1, Math.floor(rounds / 5));
    for (let i = 0; i < appendRounds; i++) {
        const msgs = Array.from({ length: batch }, (_, k) => benchMessage(100_000 + i * batch + k));
        let total = 0;
        for (const m of msgs)
            total += await timed(c, Buffer.concat([Buffer.from('APPEND Appended'), literal(m)]));
        single.push(total);
        multi.push(await timed(c, Buffer.concat([Buffer.from('APPEND Appended'), ...msgs.map(literal)])));
    }
    c.close();
    console.log(`INBOX ${inboxSize} messages, ${rounds} rounds`);
    console.log(`SELECT with one new message (claims it): ${stats(claim)}`);
    console.log(`SELECT with nothing new:                 ${stats(none)}`);
    console.log(`EXAMINE with one new message (no claim): ${stats(examine)}`);
    console.log(`NOOP told of one new message (claims):   ${stats(noopNew)}`);
    console.log(`${batch} messages, ${appendRounds} rounds: ${batch} single APPENDs ${stats(single)}; one MULTIAPPEND ${stats(multi)}`);
}
finally {
    await app.stop();
}
//# sourceMappingURL=imap-recent.js.map