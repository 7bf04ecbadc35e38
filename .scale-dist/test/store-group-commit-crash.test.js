// Group commit under kill -9: the real appliance (`postern start`) takes mail from many concurrent
// SMTP clients, so messages are committed in shared batches, and is SIGKILLed in the middle of
// the traffic, again and again. Afterwards fsck is clean, every message that got a 250 is in the
// INBOX, whole, exactly once, and the account that ran over its quota meanwhile is within it.
import t from 'tap';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './harness/appliance.js';
import { freePorts } from './harness/ports.js';
import { postern, startPostern } from './harness/cli.js';
import { Store } from '../appliance/store/index.js';
import { RawSmtp, mailbox } from './smtp-fixture.js';
const CLIENTS = 12;
const ROUNDS = 5;
const BOB_QUOTA = 40_000;
const dir = tempDir('postern-group-commit-crash-');
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const configPath = join(dir, 'config.json');
const dataDir = join(dir, 'data');
let port = 0;
t.before(async () => {
    [port] = await freePorts(1);
    writeFileSync(configPath, JSON.stringify({
        hostname: 'mail.example.test', domains: ['example.test'], dataDir, listen: { mx: `127.0.0.1:${port}` }, tor: { mode: 'off' },
        smtp: { maxConnectionsPerClient: CLIENTS + 5, messagesPerMinutePerClient: 1_000_000 },
        // no real DNS in tests: SPF/DKIM/DMARC lookups go to a closed loopback port and fail fast
        delivery: { dnsServers: ['127.0.0.1:9'] },
    }));
    for (const user of ['alice@example.test', 'bob@example.test']) {
        const r = await postern(['user', 'add', user, '--config', configPath], { input: 'a long enough password\n' });
        if (r.code !== 0)
            throw new Error(`user add failed: ${r.stderr}`);
    }
    const store = Store.open(dataDir);
    store.accounts.setQuota('bob@example.test', BOB_QUOTA);
    store.close();
});
function body(n, to) {
    const lines = 20 + (n % 7) * 15; // 1.6-10 KB
    const line = `message ${n} `.padEnd(76, 'x') + '\r\n';
    return `From: carol@example.org\r\nTo: ${to}\r\nSubject: group ${n}\r\nMessage-ID: <group-${n}@example.org>\r\n\r\n${line.repeat(lines)}END-OF-MESSAGE-${n}\r\n`;
}
/** One client: messages one after another on one connection until the server goes away. */
async function client(id, next, to, tally) {
    let c;
    try {
        c = await RawSmtp.open(port);
    }
    catch {
        return;
    }
    try {
        if (!(await c.reply()).startsWith('220'))
            return;
        if (!(await c.cmd(`EHLO client${id}.example.org`)).startsWith('250'))
            return;
        for (;;) {
            if (!(await c.cmd('MAIL FROM:<carol@example.org>')).startsWith('250'))
                return;
            const rcpt = await c.cmd(`RCPT TO:<${to}>`);
            if (!rcpt.startsWith('250')) {
                await c.cmd('RSET');
                if (c.closed)
                    return;
                await new Promise((r) => setTimeout(r, 20));
                continue;
            }
            if (!(await c.cmd('DATA')).startsWith('354'))
                return;
            const n = next();
            tally.sent.add(n);
            c.write(body(n, to) + '.\r\n');
            const reply = await c.reply(30_000);
            if (reply.startsWith('250'))
                tally.acked.set(n, to);
            else if (/^[45]\d\d /.test(reply))
                tally.refused.set(n, reply);
            else
                return; // connection gone: no answer, the message may or may not be stored
        }
    }
    catch {
        // killed under us
    }
    finally {
        c.close();
    }
}
t.test('SIGKILL while many clients send: every 250 survives, whole, once', async (t) => {
    const tally = { acked: new Map(), refused: new Map(), sent: new Set() };
    let counter = 0;
    const next = () => ++counter;
    for (let round = 0; round < ROUNDS; round++) {
        const { child, exited } = await startPostern(['--config', configPath]);
        const before = tally.acked.size;
        const clients = Array.from({ length: CLIENTS }, (_, i) => client(i, next, i % 4 === 3 ? 'bob@example.test' : 'alice@example.test', tally));
        // kill once the traffic is flowing (some 250s in this round), at a random moment after that
        const deadline = Date.now() + 60_000;
        while (tally.acked.size < before + 10 && Date.now() < deadline)
            await new Promise((r) => setTimeout(r, 20));
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 400)));
        child.kill('SIGKILL');
        await exited;
        await Promise.all(clients);
        t.ok(tally.acked.size > before, `round ${round + 1}: ${tally.acked.size - before} messages acknowledged before the kill`);
    }
    const r = await postern(['fsck', '--config', configPath]);
    t.equal(r.code, 0, `fsck exit 0: ${r.stdout}${r.stderr}`);
    const store = Store.open(dataDir);
    t.teardown(() => store.close());
    t.ok(store.check().ok, 'fsck report ok');
    const stored = new Map();
    let duplicates = 0;
    let partial = 0;
    for (const who of ['alice@example.test', 'bob@example.test']) {
        const account = store.accounts.byAddress(who);
        for (const m of mailbox(store, account.id)) {
            const n = Number(/Subject: group (\d+)/.exec(m)?.[1]);
            if (stored.has(n))
                duplicates++;
            stored.set(n, who);
            if (!m.endsWith(body(n, who).split('\r\n\r\n').slice(1).join('\r\n\r\n')))
                partial++;
        }
    }
    const missing = [...tally.acked].filter(([n, to]) => stored.get(n) !== to).map(([n]) => n);
    t.same(missing, [], `all ${tally.acked.size} acknowledged messages are stored, in the right mailbox`);
    t.equal(partial, 0, 'every stored message is whole');
    t.equal(duplicates, 0, 'no message is stored twice');
    t.ok([...stored.keys()].every((n) => tally.sent.has(n)), 'nothing stored that was not sent');
    t.ok([...tally.refused.keys()].every((n) => !stored.has(n)), 'a refused message is not stored');
    t.ok(stored.size - tally.acked.size <= ROUNDS * CLIENTS, 'unacknowledged but stored: at most the messages in flight at each kill');
    const bob = store.accounts.byAddress('bob@example.test');
    t.ok(bob.usedBytes <= BOB_QUOTA, `bob's mailbox stays within its quota (${bob.usedBytes} of ${BOB_QUOTA} bytes)`);
    t.ok(tally.acked.size >= ROUNDS * 10, `${tally.acked.size} acknowledged over ${ROUNDS} kills`);
});
//# sourceMappingURL=store-group-commit-crash.test.js.map