// The update's backup point and its rollback rule. Before a new release runs its migrations, the
// updater takes an SQLite online backup of the database (a consistent copy while the old release
// keeps accepting mail). If the new release fails and is rolled back, the old release gets that
// copy back, so it finds the schema it knows; and no mail accepted meanwhile is lost:
//
//   1. Everything that arrived after the backup point is found by comparing the live database
//      with the copy: a message is new when its mailbox (account address, name, UIDVALIDITY) was
//      not in the copy or its UID is at or above the copy's UIDNEXT for that mailbox (UIDs only
//      grow: RFC 3501 2.3.1.1); a queue entry is new when the copy has no entry with its id and
//      message file; accounts created meanwhile are new too. Outbound results reached meanwhile
//      (recipients delivered or failed, entries finished) are noted so nothing is sent twice.
//   2. That list is written to a journal (JSON lines, fsynced) on the data volume, with the
//      content-addressed message files' hashes: the files themselves stay where they are.
//   3. The copy replaces the database (the live one is checkpointed first, so dropping its WAL
//      loses nothing that is not in the journal), and every journal entry is delivered or queued
//      again from its message file, by the old release's own store code.
// Re-running a restore after a crash starts again from the copy, so nothing is delivered twice.
// What is undone: changes to mail that was already there (flags, moves, deletions) made during
// the minutes the failed release ran. What is never undone: a message that got a 250 or an OK.
import Database from 'better-sqlite3';
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Store } from './index.js';
import { StoreError } from './errors.js';
const FLAG_BITS = [[1, '\\Seen'], [2, '\\Answered'], [4, '\\Flagged'], [8, '\\Deleted'], [16, '\\Draft']];
export function databaseFile(dataDir) { return join(dataDir, 'postern.db'); }
function fsyncDir(dir) {
    const fd = openSync(dir, 'r');
    try {
        fsyncSync(fd);
    }
    finally {
        closeSync(fd);
    }
}
/** An online backup of the store's database into `file` (on the data volume, 0600), while other
 *  processes keep writing. */
export async function takeBackupPoint(dataDir, file) {
    const src = databaseFile(dataDir);
    if (!existsSync(src))
        throw new StoreError('not-found', `there is no database at ${src}`);
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    rmSync(file, { force: true });
    const db = new Database(src, { fileMustExist: true });
    try {
        db.pragma('busy_timeout = 10000');
        await db.backup(file);
    }
    finally {
        db.close();
    }
    const fd = openSync(file, 'r+', 0o600);
    try {
        fsyncSync(fd);
    }
    finally {
        closeSync(fd);
    }
    fsyncDir(dirname(file));
    const copy = new Database(file, { readonly: true, fileMustExist: true });
    try {
        const messages = copy.prepare('SELECT COUNT(*) AS n FROM messages').get().n;
        const mailboxes = copy.prepare('SELECT COUNT(*) AS n FROM mailboxes').get().n;
        return { file, at: Date.now(), messages, mailboxes };
    }
    finally {
        copy.close();
    }
}
/** What the live database has that the backup copy lacks (see the rule above). */
export function changesSince(dataDir, backupFile) {
    const db = new Database(databaseFile(dataDir), { fileMustExist: true });
    try {
        db.pragma('busy_timeout = 10000');
        // Everything committed is in the main file after this: the WAL can be dropped at the restore.
        db.pragma('wal_checkpoint(TRUNCATE)');
        db.prepare('ATTACH DATABASE ? AS b').run(backupFile);
        const out = [];
        const accounts = db.prepare(`SELECT a.address, a.password_hash, a.role, a.quota_bytes FROM main.accounts a
      WHERE NOT EXISTS (SELECT 1 FROM b.accounts ba WHERE ba.address = a.address) ORDER BY a.id`).all();
        for (const a of accounts)
            out.push({ kind: 'account', address: a.address, passwordHash: a.password_hash, role: a.role, quotaBytes: a.quota_bytes });
        const messages = db.prepare(`SELECT a.address, mb.name, bl.hash, m.flags, m.keywords, m.internal_date
      FROM main.messages m JOIN main.mailboxes mb ON mb.id = m.mailbox_id JOIN main.accounts a ON a.id = mb.account_id
      JOIN main.blobs bl ON bl.id = m.blob_id
      WHERE NOT EXISTS (SELECT 1 FROM b.mailboxes bmb JOIN b.accounts ba ON ba.id = bmb.account_id
        WHERE ba.address = a.address AND bmb.name = mb.name AND bmb.uid_validity = mb.uid_validity AND m.uid < bmb.uid_next)
      ORDER BY m.id`).all();
        for (const m of messages) {
            const flags = FLAG_BITS.filter(([bit]) => m.flags & bit).map(([, f]) => f);
            if (m.keywords)
                flags.push(...m.keywords.split(' ').filter(Boolean));
            out.push({ kind: 'message', address: m.address, mailbox: m.name, hash: m.hash, flags, internalDate: m.internal_date });
        }
        const queued = db.prepare(`SELECT q.id, bl.hash, q.mail_from, q.envid, a.address FROM main.queue q JOIN main.blobs bl ON bl.id = q.blob_id
      LEFT JOIN main.accounts a ON a.id = q.account_id
      WHERE NOT EXISTS (SELECT 1 FROM b.queue bq JOIN b.blobs bb ON bb.id = bq.blob_id WHERE bq.id = q.id AND bb.hash = bl.hash)
      ORDER BY q.id`).all();
        const pending = db.prepare("SELECT address FROM main.queue_recipients WHERE queue_id = ? AND status = 'pending' ORDER BY address");
        for (const q of queued) {
            const recipients = pending.all(q.id).map((r) => r.address);
            if (recipients.length)
                out.push({ kind: 'queue', hash: q.hash, mailFrom: q.mail_from, recipients, address: q.address, envid: q.envid });
        }
        const done = db.prepare(`SELECT bq.id FROM b.queue bq JOIN b.blobs bb ON bb.id = bq.blob_id
      WHERE NOT EXISTS (SELECT 1 FROM main.queue q JOIN main.blobs bl ON bl.id = q.blob_id WHERE q.id = bq.id AND bl.hash = bb.hash)`).all();
        for (const d of done)
            out.push({ kind: 'queue-done', id: d.id });
        const outcomes = db.prepare(`SELECT r.queue_id, r.address, r.status, r.reply FROM main.queue_recipients r
      JOIN b.queue_recipients br ON br.queue_id = r.queue_id AND br.address = r.address
      JOIN main.queue q ON q.id = r.queue_id JOIN main.blobs bl ON bl.id = q.blob_id
      JOIN b.queue bq ON bq.id = q.id JOIN b.blobs bb ON bb.id = bq.blob_id AND bb.hash = bl.hash
      WHERE r.status <> 'pending' AND br.status = 'pending'`).all();
        for (const o of outcomes)
            out.push({ kind: 'recipient-outcome', id: o.queue_id, address: o.address, status: o.status, reply: o.reply });
        return out;
    }
    finally {
        db.close();
    }
}
export function writeJournal(file, entries) {
    const tmp = `${file}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
        writeSync(fd, entries.map((e) => JSON.stringify(e)).join('\n') + (entries.length ? '\n' : ''));
        fsyncSync(fd);
    }
    finally {
        closeSync(fd);
    }
    renameSync(tmp, file);
    fsyncDir(dirname(file));
}
export function readJournal(file) {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}
/** Put the backup copy back and replay the journal (computing it first if there is none yet).
 *  No process may have the store open. */
export function restoreBackupPoint(dataDir, backupFile, journalFile) {
    if (!existsSync(backupFile))
        throw new StoreError('not-found', `the backup point ${backupFile} is missing`);
    if (!existsSync(journalFile))
        writeJournal(journalFile, changesSince(dataDir, backupFile));
    const entries = readJournal(journalFile);
    const live = databaseFile(dataDir);
    const tmp = `${live}.restore-tmp`;
    copyFileSync(backupFile, tmp);
    const fd = openSync(tmp, 'r+');
    try {
        fsyncSync(fd);
    }
    finally {
        closeSync(fd);
    }
    rmSync(`${live}-wal`, { force: true });
    rmSync(`${live}-shm`, { force: true });
    renameSync(tmp, live);
    fsyncDir(dataDir);
    const report = { redelivered: 0, requeued: 0, accounts: 0, problems: [] };
    // Rows the store's interface has no operation for (a returning account with its password hash,
    // outbound results) are written here, in the store's own folder, before the store opens.
    const newAccounts = [];
    const quotas = new Map();
    const raw = new Database(live, { fileMustExist: true });
    try {
        raw.transaction(() => {
            for (const e of entries) {
                if (e.kind === 'account') {
                    if (raw.prepare('SELECT 1 FROM accounts WHERE address = ?').get(e.address))
                        continue;
                    const domain = e.address.slice(e.address.lastIndexOf('@') + 1);
                    raw.prepare('INSERT INTO domains (name, created_at) VALUES (?, ?) ON CONFLICT(name) DO NOTHING').run(domain, Date.now());
                    const d = raw.prepare('SELECT id FROM domains WHERE name = ?').get(domain);
                    raw.prepare('INSERT INTO accounts (address, domain_id, password_hash, role, quota_bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)')
                        .run(e.address, d.id, e.passwordHash, e.role, e.quotaBytes, Date.now());
                    newAccounts.push(e.address);
                }
                else if (e.kind === 'queue-done') {
                    raw.prepare('DELETE FROM queue_recipients WHERE queue_id = ?').run(e.id);
                    raw.prepare('DELETE FROM queue WHERE id = ?').run(e.id);
                }
                else if (e.kind === 'recipient-outcome') {
                    raw.prepare('UPDATE queue_recipients SET status = ?, reply = ? WHERE queue_id = ? AND address = ?').run(e.status, e.reply, e.id, e.address);
                }
                else if (e.kind === 'message' && !quotas.has(e.address)) {
                    // It was accepted once: the quota does not refuse it a second time (restored below).
                    const q = raw.prepare('SELECT quota_bytes FROM accounts WHERE address = ?').get(e.address);
                    if (q) {
                        quotas.set(e.address, q.quota_bytes);
                        raw.prepare('UPDATE accounts SET quota_bytes = 0 WHERE address = ?').run(e.address);
                    }
                }
            }
        }).immediate();
    }
    finally {
        raw.close();
    }
    const store = Store.open(dataDir);
    try {
        for (const address of newAccounts) {
            const a = store.accounts.byAddress(address);
            if (a) {
                store.mailboxes.createDefaults(a.id);
                report.accounts++;
            }
        }
        for (const e of entries) {
            try {
                if (e.kind === 'message') {
                    const a = store.accounts.byAddress(e.address);
                    if (!a) {
                        report.problems.push(`no account for the message file ${e.hash.slice(0, 12)}`);
                        continue;
                    }
                    if (!store.mailboxes.get(a.id, e.mailbox))
                        store.mailboxes.create(a.id, e.mailbox);
                    store.deliver([{ accountId: a.id, mailbox: e.mailbox, flags: e.flags }], store.readMessage(e.hash), e.internalDate);
                    report.redelivered++;
                }
                else if (e.kind === 'queue') {
                    const a = e.address ? store.accounts.byAddress(e.address) : undefined;
                    store.enqueue(store.readMessage(e.hash), e.mailFrom, e.recipients, { ...(a ? { accountId: a.id } : {}), ...(e.envid ? { envid: e.envid } : {}) });
                    report.requeued++;
                }
            }
            catch (err) {
                report.problems.push(`${e.kind} ${'hash' in e ? e.hash.slice(0, 12) : ''}: ${err.message}`);
            }
        }
    }
    finally {
        store.close();
    }
    if (quotas.size) {
        const db = new Database(live, { fileMustExist: true });
        try {
            db.pragma('journal_mode = WAL');
            db.pragma('synchronous = FULL');
            const set = db.prepare('UPDATE accounts SET quota_bytes = ? WHERE address = ?');
            db.transaction(() => { for (const [a, q] of quotas)
                set.run(q, a); })();
            db.pragma('wal_checkpoint(TRUNCATE)');
        }
        finally {
            db.close();
        }
    }
    renameSync(journalFile, `${journalFile}.done`);
    return report;
}
//# sourceMappingURL=backup-point.js.map