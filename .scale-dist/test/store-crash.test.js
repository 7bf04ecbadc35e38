// Delivery is atomic under kill -9: a child delivers a burst and is killed at random moments,
// again and again; afterwards fsck is clean and every acknowledged message is there, whole.
import t from 'tap';
import { runUntilKilled } from './harness/killed-child.js';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Store } from '../appliance/store/index.js';
import { parseHeaderFields } from '../appliance/mail/header.js';
import { tempDir } from './harness/appliance.js';
const child = fileURLToPath(new URL('./harness/delivery-burst.js', import.meta.url));
async function deliverUntilKilled(dataDir, start, killAfterMs) {
    const acked = [];
    await runUntilKilled([child, dataDir, String(start), '4096'], killAfterMs, (line) => {
        if (line.startsWith('ACK '))
            acked.push(Number(line.slice(4)));
    });
    return acked;
}
t.test('kill -9 during a burst of deliveries loses nothing acknowledged', async (t) => {
    const dir = tempDir();
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const acked = new Set();
    let next = 0;
    const rounds = 12;
    for (let r = 0; r < rounds; r++) {
        const got = await deliverUntilKilled(dir, next, 150 + Math.floor(Math.random() * 400));
        for (const n of got)
            acked.add(n);
        // The next round starts past anything the killed child may have stored without acknowledging.
        next += got.length + 1000;
    }
    t.ok(acked.size > rounds, `acknowledged ${acked.size} messages over ${rounds} kills`);
    const store = Store.open(dir);
    t.teardown(() => store.close());
    const report = store.check();
    t.same(report.problems.filter((p) => p.severity === 'error'), [], 'fsck finds no error');
    t.ok(report.ok);
    const account = store.accounts.byAddress('burst@example.test');
    const inbox = store.mailboxes.get(account.id, 'INBOX');
    const stored = new Set();
    let wrongSize = 0;
    for (const m of store.messages.list(inbox.id)) {
        const blob = store.messages.blob(m.blobId);
        const subject = parseHeaderFields(blob.headers).find((f) => f.key === 'subject').value;
        stored.add(Number(subject.replace('burst ', '')));
        if (store.readMessage(blob.hash).length !== m.size)
            wrongSize++;
    }
    t.equal(wrongSize, 0, 'every stored message file is whole');
    const missing = [...acked].filter((n) => !stored.has(n));
    t.same(missing, [], 'every acknowledged message is stored');
    t.ok(stored.size >= acked.size, 'at most the in-flight message per kill is stored unacknowledged');
    t.ok(stored.size <= acked.size + rounds);
    const uids = store.messages.list(inbox.id).map((m) => m.uid);
    t.equal(new Set(uids).size, uids.length, 'UIDs are unique');
    t.ok(uids.every((u) => u < store.mailboxes.byId(inbox.id).uidNext), 'UIDs below UIDNEXT');
});
//# sourceMappingURL=store-crash.test.js.map