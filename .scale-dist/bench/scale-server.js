// The Postern side of the scale benchmark, in its own processes (so each one's memory is its own).
//   node dist/bench/scale-server.js fill DIR COUNT   fills a store through the store's API (group
//     commit, 64 requests in flight, as concurrent SMTP sessions would), marks 90 % \Seen and 1 %
//     \Flagged, lets background work finish, prints one JSON line with times and sizes, exits.
//   node dist/bench/scale-server.js serve DIR        a real appliance (implicit-TLS IMAP only) on
//     that store; prints {port, pid} when ready; stops on SIGTERM.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Store, prepareMessage } from '../appliance/store/index.js';
import { startTestAppliance } from '../test/harness/appliance.js';
import { scaleMessage } from './scale-corpus.js';
const [mode, dir, countArg] = process.argv.slice(2);
if (!dir)
    throw new Error('usage: scale-server.js fill|serve DIR [COUNT]');
function du(path) {
    const st = statSync(path);
    if (!st.isDirectory())
        return st.blocks * 512;
    let n = st.blocks * 512;
    for (const e of readdirSync(path))
        n += du(join(path, e));
    return n;
}
if (mode === 'fill') {
    const count = Number(countArg ?? 100_000);
    const store = Store.open(dir);
    store.domains.ensure('example.test');
    const account = await store.accounts.create('bench@example.test', 'bench-password');
    const t0 = Date.now();
    const cpu0 = process.cpuUsage();
    let mailBytes = 0;
    const inflight = new Set();
    for (let i = 0; i < count; i++) {
        const raw = scaleMessage(i);
        mailBytes += raw.length;
        const p = store.acceptGrouped({ deliveries: [{ message: prepareMessage(raw), targets: [{ accountId: account.id }] }], internalDate: Date.UTC(2016, 0, 1) + i * 1_800_000 });
        inflight.add(p);
        void p.finally(() => inflight.delete(p));
        if (inflight.size >= 64)
            await Promise.race(inflight);
    }
    await Promise.all(inflight);
    const seconds = (Date.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const inbox = store.mailboxes.get(account.id, 'INBOX');
    const uids = [...store.messages.uids(inbox.id)];
    for (let i = 0; i < uids.length; i += 5000) {
        const chunk = uids.slice(i, i + 5000);
        store.messages.store(inbox.id, chunk.filter((u) => u % 10 !== 0), 'add', ['\\Seen']);
        store.messages.store(inbox.id, chunk.filter((u) => u % 100 === 7), 'add', ['\\Flagged']);
    }
    const s = store;
    s.settle?.();
    store.close();
    // the full-text index's share of the database: every table and index of the FTS tables (the
    // trigram blob_text before migration 400; message_words and the vocabulary after)
    const db = new Database(join(dir, 'postern.db'), { readonly: true });
    const pages = db.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name').all();
    db.close();
    const index = pages.filter((p) => /^(blob_text|message_words|search_terms)/.test(p.name)).reduce((n, p) => n + p.bytes, 0);
    process.stdout.write(JSON.stringify({
        count, seconds, perSecond: Math.round(count / seconds), cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(1),
        mailBytes, dataDirBytes: du(dir), dbBytes: du(join(dir, 'postern.db')), blobBytes: du(join(dir, 'blobs')), indexBytes: index,
    }) + '\n');
}
else {
    const app = await startTestAppliance({ listeners: ['imaps'], dataDir: dir });
    process.stdout.write(JSON.stringify({ port: app.port('imaps'), pid: process.pid }) + '\n');
    process.once('SIGTERM', () => { void app.stop().then(() => process.exit(0)); });
}
//# sourceMappingURL=scale-server.js.map