// Local delivery through the store: N messages of a given size, each its own durable delivery
// (message file fsynced, folder fsynced, row committed with synchronous=FULL), as SMTP does it
// before its 250. Reports messages per second and the process's peak RSS.
// With a concurrency above 1, that many callers deliver at once through the group commit
// (store.acceptGrouped, as pipeline.accept does for concurrent SMTP sessions), each waiting for
// its own acknowledgement before the next message; with 1, each message is a synchronous
// store.deliver (file, folder and commit fsynced one message at a time).
// Usage: node dist/bench/local-delivery.js [count] [sizeBytes] [concurrency]
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Store, prepareMessage } from '../appliance/store/index.js';
import { setQuiet } from '../appliance/log.js';
setQuiet(true);
const count = Number(process.argv[2] ?? 10_000);
const size = Number(process.argv[3] ?? 4096);
const concurrency = Number(process.argv[4] ?? 1);
function message(i) {
    const words = 'The household mail appliance keeps every message safe on its own disk. ';
    let body = '';
    while (body.length < size)
        body += words;
    return Buffer.from(`From: Sender <sender@example.org>\r\nTo: alice@example.test\r\nSubject: benchmark message ${i}\r\nMessage-ID: <bench-${i}@example.org>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body.slice(0, size)}\r\n`);
}
const dir = mkdtempSync(join(tmpdir(), 'postern-bench-'));
try {
    const store = Store.open(dir);
    store.domains.ensure('example.test');
    const alice = await store.accounts.create('alice@example.test', 'benchmark password');
    const t0 = process.hrtime.bigint();
    if (concurrency <= 1) {
        for (let i = 0; i < count; i++)
            store.deliver([{ accountId: alice.id }], message(i));
    }
    else {
        let next = 0;
        const caller = async () => {
            for (let i = next++; i < count; i = next++) {
                await store.acceptGrouped({ deliveries: [{ message: prepareMessage(message(i)), targets: [{ accountId: alice.id }] }] });
            }
        };
        await Promise.all(Array.from({ length: concurrency }, caller));
    }
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    const ok = store.check().ok;
    store.close();
    const rssMb = process.resourceUsage().maxRSS / 1024;
    console.log(JSON.stringify({ bench: 'local-delivery', count, size, concurrency, ...(concurrency > 1 ? { commits: store.groupCommit.batches } : {}), seconds: +secs.toFixed(2), perSecond: +(count / secs).toFixed(0), peakRssMb: +rssMb.toFixed(0), fsckOk: ok }));
}
finally {
    rmSync(dir, { recursive: true, force: true });
}
//# sourceMappingURL=local-delivery.js.map