// better-sqlite3 against sqlite3 (the customer's first pick) on the store's real statements:
// the delivery transaction (blob row, FTS row, message row, mailbox and quota counters), listing
// a mailbox (every IMAP SELECT), fetching one message row by UID, and a flag update.
// Both drivers open the same schema (the store's migrations) with the same pragmas.
// sqlite3 is not installed by default (it compiles from source for minutes on every fresh clone and
// on the Pi, for this comparison alone): `npm install --no-save sqlite3` first.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { mkdtempSync } from 'node:fs';
import Database from 'better-sqlite3';
import { migrate } from '../appliance/store/database.js';
const N = Number(process.env.BENCH_N ?? 10_000);
const sql = {
    blob: 'INSERT INTO blobs (hash, size, headers, mime) VALUES (?, ?, ?, ?)',
    text: 'INSERT INTO message_words (rowid, headers, body) VALUES (?, ?, ?)',
    mbox: 'SELECT id, uid_next, highest_modseq FROM mailboxes WHERE id = ?',
    msg: 'INSERT INTO messages (mailbox_id, uid, modseq, blob_id, size, internal_date, flags, keywords) VALUES (?, ?, ?, ?, ?, ?, 0, \'\')',
    bump: 'UPDATE mailboxes SET uid_next = uid_next + 1, highest_modseq = highest_modseq + 1 WHERE id = ?',
    quota: 'UPDATE accounts SET used_bytes = used_bytes + ? WHERE id = ?',
    list: 'SELECT id, uid, modseq, size, internal_date, flags, keywords, blob_id FROM messages WHERE mailbox_id = ? ORDER BY uid',
    byUid: 'SELECT id, uid, modseq, size, internal_date, flags, keywords, blob_id FROM messages WHERE mailbox_id = ? AND uid = ?',
    flag: 'UPDATE messages SET flags = flags | 1, modseq = ? WHERE mailbox_id = ? AND uid = ?',
};
const headers = Buffer.from('From: a@example.org\r\nTo: b@example.test\r\nSubject: bench\r\n\r\n');
const body = 'lorem ipsum dolor sit amet '.repeat(40);
function setup(file) {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    migrate(db);
    db.exec("INSERT INTO domains (id, name, created_at) VALUES (1, 'example.test', 0); INSERT INTO accounts (id, address, domain_id, password_hash, role, created_at) VALUES (1, 'b@example.test', 1, 'x', 'member', 0); INSERT INTO mailboxes (id, account_id, name, uid_validity, created_at) VALUES (1, 1, 'INBOX', 1, 0);");
    db.close();
}
function hash(i) { return i.toString(16).padStart(64, '0'); }
async function timeIt(fn) {
    const t0 = process.hrtime.bigint();
    await fn();
    return Number(process.hrtime.bigint() - t0) / 1e6;
}
async function better(file, perMessageCommit) {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    const st = Object.fromEntries(Object.entries(sql).map(([k, v]) => [k, db.prepare(v)]));
    const deliver = (i) => {
        const b = Number(st.blob.run(hash(i), 4096, headers, '{}').lastInsertRowid);
        st.text.run(b, 'Subject: bench', body);
        const m = st.mbox.get(1);
        st.msg.run(1, m.uid_next, m.highest_modseq + 1, b, 4096, Date.now());
        st.bump.run(1);
        st.quota.run(4096, 1);
    };
    const r = {};
    r.deliverOneTx = await timeIt(() => db.transaction(() => { for (let i = 0; i < N; i++)
        deliver(i); })());
    r.deliverTxEach = await timeIt(() => { for (let i = 0; i < perMessageCommit; i++)
        db.transaction(() => deliver(N + i)).immediate(); });
    r.list100 = await timeIt(() => { for (let i = 0; i < 100; i++)
        st.list.all(1); });
    r.byUid = await timeIt(() => { for (let i = 1; i <= N; i++)
        st.byUid.get(1, i); });
    r.flags = await timeIt(() => db.transaction(() => { for (let i = 1; i <= N; i++)
        st.flag.run(i + 10, 1, i); })());
    db.close();
    return r;
}
async function openClassic(file) {
    const name = 'sqlite3';
    try {
        const mod = (await import(name));
        return new mod.default.Database(file);
    }
    catch {
        console.error('store-drivers: the sqlite3 driver is not installed; run `npm install --no-save sqlite3` first.');
        process.exit(2);
    }
}
async function classic(file, perMessageCommit) {
    const db = await openClassic(file);
    const run = (q, p = []) => new Promise((res, rej) => db.run(q, p, function (e) { if (e)
        rej(e);
    else
        res({ lastID: this.lastID }); }));
    const get = (q, p = []) => new Promise((res, rej) => db.get(q, p, (e, row) => (e ? rej(e) : res(row))));
    const all = (q, p = []) => new Promise((res, rej) => db.all(q, p, (e, rows) => (e ? rej(e) : res(rows))));
    await run('PRAGMA journal_mode = WAL');
    await run('PRAGMA synchronous = FULL');
    await run('PRAGMA foreign_keys = ON');
    const deliver = async (i) => {
        const b = (await run(sql.blob, [hash(i), 4096, headers, '{}'])).lastID;
        await run(sql.text, [b, 'Subject: bench', body]);
        const m = await get(sql.mbox, [1]);
        await run(sql.msg, [1, m.uid_next, m.highest_modseq + 1, b, 4096, Date.now()]);
        await run(sql.bump, [1]);
        await run(sql.quota, [4096, 1]);
    };
    const r = {};
    r.deliverOneTx = await timeIt(async () => { await run('BEGIN'); for (let i = 0; i < N; i++)
        await deliver(i); await run('COMMIT'); });
    r.deliverTxEach = await timeIt(async () => { for (let i = 0; i < perMessageCommit; i++) {
        await run('BEGIN IMMEDIATE');
        await deliver(N + i);
        await run('COMMIT');
    } });
    r.list100 = await timeIt(async () => { for (let i = 0; i < 100; i++)
        await all(sql.list, [1]); });
    r.byUid = await timeIt(async () => { for (let i = 1; i <= N; i++)
        await get(sql.byUid, [1, i]); });
    r.flags = await timeIt(async () => { await run('BEGIN'); for (let i = 1; i <= N; i++)
        await run(sql.flag, [i + 10, 1, i]); await run('COMMIT'); });
    await new Promise((res) => db.close(() => res()));
    return r;
}
const dir = mkdtempSync(join(tmpdir(), 'postern-bench-'));
try {
    const commits = 1000;
    const fb = join(dir, 'better.db');
    setup(fb);
    const fc = join(dir, 'classic.db');
    setup(fc);
    const b = await better(fb, commits);
    const c = await classic(fc, commits);
    const rows = [
        ['deliverOneTx', `${N} deliveries in one transaction`],
        ['deliverTxEach', `${commits} deliveries, one fsynced commit each`],
        ['list100', `list a ${N}-message mailbox, 100 times`],
        ['byUid', `${N} message lookups by UID`],
        ['flags', `${N} flag updates in one transaction`],
    ];
    console.log('| operation | better-sqlite3 (ms) | sqlite3 (ms) | ratio |');
    console.log('|---|---:|---:|---:|');
    for (const [k, label] of rows)
        console.log(`| ${label} | ${b[k].toFixed(0)} | ${c[k].toFixed(0)} | ${(c[k] / b[k]).toFixed(1)}x |`);
}
finally {
    rmSync(dir, { recursive: true, force: true });
}
//# sourceMappingURL=store-drivers.js.map