// What the mailbox namespace costs: LIST "" "*", LIST "" "%", LIST (SUBSCRIBED RECURSIVEMATCH)
// "" "%" and LSUB "" "*" over a tree of N mailboxes (groups of 10 folders of 10 below top levels,
// every other one subscribed, some subscribed names without a mailbox), and DELETE of a parent
// with children (it becomes \Noselect) followed by CREATE of it again. One client over implicit TLS
// on loopback, a real appliance in this process.
// Usage: node dist/bench/imap-namespace.js [mailboxes=1000] [rounds=30]
import { startTestAppliance } from '../test/harness/appliance.js';
import { RawImapClient } from '../test/harness/imap-raw.js';
const total = Number(process.argv[2] ?? 1000);
const rounds = Number(process.argv[3] ?? 30);
function stats(ms) {
    const s = [...ms].sort((a, b) => a - b);
    const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
    return `p50 ${q(0.5).toFixed(2)} ms, p90 ${q(0.9).toFixed(2)} ms, mean ${(s.reduce((a, b) => a + b, 0) / s.length).toFixed(2)} ms`;
}
async function timed(c, cmd) {
    const t0 = process.hrtime.bigint();
    const r = await c.command(cmd);
    if (r.status !== 'OK')
        throw new Error(`${cmd}: ${r.status} ${r.text}`);
    return { ms: Number(process.hrtime.bigint() - t0) / 1e6, lines: r.bytes.toString('latin1').split('\r\n').length - 2 };
}
const app = await startTestAppliance({ listeners: ['imaps'] });
try {
    const account = await app.store.accounts.create('bench@example.test', 'bench-password');
    const names = [];
    for (let i = 0; names.length < total; i++) {
        names.push(`Top${i}`);
        for (let j = 0; j < 10 && names.length < total; j++) {
            names.push(`Top${i}/Sub${j}`);
            for (let k = 0; k < 10 && names.length < total; k++)
                names.push(`Top${i}/Sub${j}/Leaf${k}`);
        }
    }
    for (const [i, n] of names.entries()) {
        app.store.mailboxes.create(account.id, n);
        if (i % 2 === 1)
            app.store.subscriptions.remove(account.id, n);
    }
    for (let i = 0; i < total / 20; i++)
        app.store.subscriptions.add(account.id, `Gone${i}/Away`);
    const c = await RawImapClient.open(app.port('imaps'), { tls: true });
    await c.command('LOGIN bench@example.test bench-password');
    const commands = ['LIST "" "*"', 'LIST "" "%"', 'LIST (SUBSCRIBED RECURSIVEMATCH) "" "%"', 'LSUB "" "*"'];
    const times = new Map(commands.map((k) => [k, []]));
    const sizes = new Map();
    const deleteCreate = [];
    for (let r = 0; r < rounds; r++) {
        for (const cmd of commands) {
            const { ms, lines } = await timed(c, cmd);
            times.get(cmd).push(ms);
            sizes.set(cmd, lines);
        }
        const t0 = process.hrtime.bigint();
        await timed(c, 'DELETE Top0/Sub0');
        await timed(c, 'CREATE Top0/Sub0');
        deleteCreate.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    c.close();
    console.log(`${total} mailboxes, ${rounds} rounds`);
    for (const cmd of commands)
        console.log(`${cmd} (${sizes.get(cmd)} responses): ${stats(times.get(cmd))}`);
    console.log(`DELETE of a parent with 10 children + CREATE: ${stats(deleteCreate)}`);
}
finally {
    await app.stop();
}
//# sourceMappingURL=imap-namespace.js.map