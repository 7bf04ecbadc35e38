// The group commit under kill -9 at the store level, where batches come fast: a child process
// runs 20 concurrent callers through store.acceptGrouped (some for an account that runs over its
// quota) and prints "ACK <n>" when a caller's promise resolved (the moment SMTP sends 250). It is
// SIGKILLed at random moments, again and again: with files being written in the thread pool,
// folders fsynced and transactions committing. Afterwards fsck is clean and every acknowledged
// message is there, whole, once.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Store, prepareMessage } from '../appliance/store/index.js';
const CALLERS = 20;
function raw(n) {
    const size = 1000 + (n % 13) * 700;
    const body = `burst message ${n} `.repeat(Math.ceil(size / 20)).slice(0, size);
    return Buffer.from(`From: a@example.org\r\nTo: burst@example.test\r\nSubject: burst ${n}\r\nMessage-ID: <burst-${n}@example.org>\r\n\r\n${body}\r\nEND ${n}\r\n`);
}
/** The child: deliver as fast as the group commit allows, numbering messages from `start`. */
async function child(dataDir, start) {
    const store = Store.open(dataDir);
    store.domains.ensure('example.test');
    const burst = store.accounts.byAddress('burst@example.test') ?? await store.accounts.create('burst@example.test', 'burst-password');
    const small = store.accounts.byAddress('small@example.test') ?? await store.accounts.create('small@example.test', 'burst-password', { quotaBytes: 30_000 });
    let next = start;
    process.stdout.write('READY\n');
    const caller = async (i) => {
        for (;;) {
            const n = next++;
            const accountId = i % 5 === 4 ? small.id : burst.id;
            try {
                await store.acceptGrouped({ deliveries: [{ message: prepareMessage(raw(n)), targets: [{ accountId }] }] });
                process.stdout.write(`ACK ${n}\n`);
            }
            catch (e) {
                process.stdout.write(`REFUSED ${n} ${e.code ?? e.message}\n`);
            }
        }
    };
    await Promise.all(Array.from({ length: CALLERS }, (_, i) => caller(i)));
}
if (process.argv[2] === 'child') {
    await child(process.argv[3], Number(process.argv[4]));
}
else {
    const { default: t } = await import('tap');
    const { tempDir } = await import('./harness/appliance.js');
    const self = fileURLToPath(import.meta.url);
    const { runUntilKilled } = await import('./harness/killed-child.js');
    const round = async (dataDir, start, killAfterMs) => {
        const acked = [];
        const refused = new Map();
        await runUntilKilled([self, 'child', dataDir, String(start)], killAfterMs, (line) => {
            if (line.startsWith('ACK '))
                acked.push(Number(line.slice(4)));
            else if (line.startsWith('REFUSED ')) {
                const [, n, code] = line.split(' ');
                refused.set(Number(n), code);
            }
        });
        return { acked, refused };
    };
    t.test('kill -9 in the middle of group commits loses nothing acknowledged', async (t) => {
        const dir = tempDir('postern-group-burst-');
        t.teardown(() => rmSync(dir, { recursive: true, force: true }));
        const acked = new Set();
        const refused = new Map();
        const rounds = 8;
        let start = 0;
        for (let r = 0; r < rounds; r++) {
            const got = await round(dir, start, 200 + Math.floor(Math.random() * 500));
            for (const n of got.acked)
                acked.add(n);
            for (const [n, code] of got.refused)
                refused.set(n, code);
            // the next round numbers past anything the killed child may have started
            start = Math.max(start, ...got.acked, ...got.refused.keys()) + 10_000;
        }
        t.ok(acked.size > rounds * CALLERS, `acknowledged ${acked.size} messages over ${rounds} kills`);
        t.ok([...refused.values()].every((c) => c === 'over-quota'), `the only refusals are over-quota (${refused.size})`);
        const store = Store.open(dir);
        t.teardown(() => store.close());
        const report = store.check();
        t.same(report.problems.filter((p) => p.severity === 'error'), [], 'fsck finds no error');
        const stored = new Map();
        let partial = 0;
        let uidProblems = 0;
        for (const address of ['burst@example.test', 'small@example.test']) {
            const account = store.accounts.byAddress(address);
            const inbox = store.mailboxes.get(account.id, 'INBOX');
            const msgs = store.messages.list(inbox.id);
            for (const m of msgs) {
                const text = store.readMessage(store.messages.blob(m.blobId).hash);
                const n = Number(/Subject: burst (\d+)/.exec(text.toString('latin1'))[1]);
                stored.set(n, (stored.get(n) ?? 0) + 1);
                if (!text.equals(raw(n)) || m.size !== text.length)
                    partial++;
            }
            const uids = msgs.map((m) => m.uid);
            if (new Set(uids).size !== uids.length || uids.some((u) => u >= store.mailboxes.byId(inbox.id).uidNext))
                uidProblems++;
            if (account.quotaBytes > 0)
                t.ok(store.accounts.byAddress(address).usedBytes <= account.quotaBytes, `${address} stays within its quota`);
        }
        const missing = [...acked].filter((n) => !stored.has(n));
        t.same(missing, [], 'every acknowledged message is stored');
        t.equal(partial, 0, 'every stored message is whole and byte for byte what was sent');
        t.ok([...stored.values()].every((c) => c === 1), 'no message is stored twice');
        t.ok([...refused.keys()].every((n) => !stored.has(n)), 'no refused message is stored');
        t.equal(uidProblems, 0, 'UIDs unique and below UIDNEXT');
        t.ok(stored.size - acked.size <= rounds * CALLERS, `stored without acknowledgement: ${stored.size - acked.size}, at most the callers in flight at each kill`);
    });
}
//# sourceMappingURL=store-group-commit-burst.test.js.map