// Integrity check (postern fsck): the database's own checks, every blob file against its SHA-256
// and size, every reference count and quota counter against the rows. It reports; it never repairs
// or deletes anything.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { checkTextIndex } from './text-index.js';
import { searchableText } from '../mail/text.js';
export function checkIntegrity(db, blobs, onProgress) {
    const problems = [];
    const err = (text) => problems.push({ severity: 'error', text });
    const ic = db.pragma('integrity_check');
    for (const r of ic)
        if (r.integrity_check !== 'ok')
            err(`database: ${r.integrity_check}`);
    const fk = db.pragma('foreign_key_check');
    for (const r of fk)
        err(`database: row ${r.rowid} of ${r.table} refers to a missing ${r.parent} row`);
    // Rows are streamed (nothing is collected per blob): each file is read once, hashed, and its
    // search text compared with the word index (text-index.ts: checkTextIndex).
    const total = db.prepare('SELECT COUNT(*) FROM blobs').pluck().get();
    const index = checkTextIndex(db);
    let i = 0;
    for (const b of db.prepare('SELECT id, hash, size, refs, mime FROM blobs ORDER BY id').iterate()) {
        if (onProgress && i % 1000 === 0)
            onProgress(i, total);
        i++;
        const path = blobs.path(b.hash);
        if (!existsSync(path)) {
            err(`blob ${b.hash}: the file is missing`);
            continue;
        }
        const size = statSync(path).size;
        if (size !== b.size) {
            err(`blob ${b.hash}: the file has ${size} bytes, the row says ${b.size}`);
            continue;
        }
        const raw = readFileSync(path);
        const digest = createHash('sha256').update(raw).digest('hex');
        if (digest !== b.hash) {
            err(`blob ${b.hash}: the content does not match its hash (got ${digest.slice(0, 16)}...)`);
            continue;
        }
        const problem = index.blob(b.id, () => searchableText(raw, JSON.parse(b.mime)));
        if (problem)
            err(`blob ${b.hash}: ${problem}`);
    }
    for (const text of index.finish())
        err(text);
    const refs = db.prepare(`SELECT b.hash, b.refs,
      (SELECT COUNT(*) FROM messages m WHERE m.blob_id = b.id) + (SELECT COUNT(*) FROM queue q WHERE q.blob_id = b.id) AS actual
    FROM blobs b`).iterate();
    for (const r of refs)
        if (r.refs !== r.actual)
            err(`blob ${r.hash}: reference count ${r.refs}, but ${r.actual} rows refer to it`);
    const sizes = db.prepare('SELECT m.id, m.size, b.size AS bsize FROM messages m JOIN blobs b ON b.id = m.blob_id WHERE m.size != b.size').all();
    for (const s of sizes)
        err(`message ${s.id}: size ${s.size} differs from its blob's ${s.bsize}`);
    const uids = db.prepare('SELECT mb.name, mb.account_id, MAX(m.uid) AS maxuid, mb.uid_next FROM mailboxes mb JOIN messages m ON m.mailbox_id = mb.id GROUP BY mb.id HAVING MAX(m.uid) >= mb.uid_next').all();
    for (const u of uids)
        err(`mailbox ${u.name} of account ${u.account_id}: UID ${u.maxuid} is not below UIDNEXT ${u.uid_next}`);
    const modseq = db.prepare('SELECT mb.name, mb.account_id FROM mailboxes mb JOIN messages m ON m.mailbox_id = mb.id GROUP BY mb.id HAVING MAX(m.modseq) > mb.highest_modseq').all();
    for (const u of modseq)
        err(`mailbox ${u.name} of account ${u.account_id}: a message's modseq is above HIGHESTMODSEQ`);
    const used = db.prepare('SELECT a.address, a.used_bytes, COALESCE((SELECT SUM(m.size) FROM messages m JOIN mailboxes mb ON mb.id = m.mailbox_id WHERE mb.account_id = a.id), 0) AS actual FROM accounts a').all();
    for (const u of used)
        if (u.used_bytes !== u.actual)
            err(`account ${u.address}: quota counter says ${u.used_bytes} bytes, messages add up to ${u.actual}`);
    const orphanRcpt = db.prepare('SELECT q.id FROM queue q WHERE NOT EXISTS (SELECT 1 FROM queue_recipients r WHERE r.queue_id = q.id)').all();
    for (const q of orphanRcpt)
        err(`queue entry ${q.id} has no recipients`);
    let orphans = 0;
    const known = db.prepare('SELECT 1 FROM blobs WHERE hash = ?').pluck();
    for (const f of blobs.list())
        if (known.get(f) === undefined)
            orphans++;
    if (orphans > 0)
        problems.push({ severity: 'notice', text: `${orphans} message file(s) are not referenced (left by an interrupted delivery or expunge; harmless)` });
    const messages = db.prepare('SELECT COUNT(*) AS n FROM messages').get().n;
    return { blobs: total, messages, problems, ok: !problems.some((p) => p.severity === 'error') };
}
export function usage(db) {
    const m = db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(size), 0) AS bytes FROM messages').get();
    const b = db.prepare('SELECT COALESCE(SUM(size), 0) AS bytes FROM blobs').get();
    return { messages: m.n, bytes: m.bytes, blobBytes: b.bytes };
}
//# sourceMappingURL=fsck.js.map