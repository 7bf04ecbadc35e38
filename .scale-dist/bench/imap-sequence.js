// Huge sequence sets (issue #14, finding 10): one FETCH with a 32,000-entry set (the most a 64 KB
// command line holds) on a mailbox of N messages, five times in a row; also UID FETCH and SEARCH.
//   node dist/bench/imap-sequence.js [N=10000]
import { startTestAppliance } from '../test/harness/appliance.js';
import { RawImapClient } from '../test/harness/imap-raw.js';
const n = Number(process.argv[2] ?? 10_000);
const app = await startTestAppliance({ listeners: ['imaps'] });
const { id } = await app.store.accounts.create('alice@example.test', 'correct horse');
for (let i = 0; i < n; i++)
    app.store.deliver([{ accountId: id }], Buffer.from(`Subject: m${i}\r\n\r\nbody ${i}\r\n`));
const entries = [];
for (let i = 0; entries.length < 31_999; i++)
    entries.push(String(1 + (i % 9)));
entries.push('*');
const set = entries.join(',');
const c = await RawImapClient.open(app.port('imaps'), { tls: true });
await c.command('LOGIN alice@example.test "correct horse"');
await c.command('SELECT INBOX');
const time = async (cmd, times = 1) => {
    const t0 = performance.now();
    for (let i = 0; i < times; i++) {
        const r = await c.command(cmd);
        if (r.status !== 'OK')
            throw new Error(`${cmd.slice(0, 30)}: ${r.text}`);
    }
    return Math.round(performance.now() - t0);
};
const result = {
    messages: n, entries: entries.length,
    fetchMs: await time(`FETCH ${set} (FLAGS)`), fetch5Ms: await time(`FETCH ${set} (FLAGS)`, 5),
    uidFetchMs: await time(`UID FETCH ${set} (FLAGS)`), searchMs: await time(`SEARCH ${set}`),
};
console.log(JSON.stringify(result));
await app.stop();
process.exit(0);
//# sourceMappingURL=imap-sequence.js.map