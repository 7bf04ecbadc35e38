import { StoreError } from './errors.js';
export class Queue {
    db;
    constructor(db) {
        this.db = db;
    }
    toEntry(r) {
        const recipients = this.db.prepare('SELECT address, status, reply, notified, notify, orcpt FROM queue_recipients WHERE queue_id = ? ORDER BY address').all(r.id)
            .map((x) => ({
            address: x.address, status: x.status, reply: x.reply, notified: x.notified === 1,
            notify: x.notify === null ? undefined : x.notify.split(','), orcpt: x.orcpt ?? undefined,
        }));
        return {
            id: r.id, blobId: r.blob_id, accountId: r.account_id, mailFrom: r.mail_from, domain: r.domain, envid: r.envid,
            createdAt: r.created_at, nextAttemptAt: r.next_attempt_at, attempts: r.attempts, lastReply: r.last_reply,
            delayNotified: r.delay_notified === 1, route: r.route, ret: r.ret ?? null, recipients,
        };
    }
    /** Add entries for one message: recipients grouped by domain. Inside the caller's transaction
     *  when there is one (better-sqlite3 nests it as a savepoint). Returns the entry ids. */
    add(blobId, mailFrom, recipients, opts = {}) {
        const byDomain = new Map();
        for (const rcpt of recipients) {
            const d = rcpt.slice(rcpt.lastIndexOf('@') + 1).toLowerCase();
            const list = byDomain.get(d) ?? [];
            if (!list.includes(rcpt))
                list.push(rcpt);
            byDomain.set(d, list);
        }
        const now = opts.now ?? Date.now();
        return this.db.transaction(() => {
            const ids = [];
            const ins = this.db.prepare('INSERT INTO queue (blob_id, account_id, mail_from, domain, envid, ret, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
            const insR = this.db.prepare('INSERT INTO queue_recipients (queue_id, address, notify, orcpt) VALUES (?, ?, ?, ?)');
            for (const [domain, rcpts] of byDomain) {
                const id = Number(ins.run(blobId, opts.accountId ?? null, mailFrom, domain, opts.envid ?? null, opts.dsn?.ret ?? null, now, now).lastInsertRowid);
                for (const r of rcpts) {
                    const d = opts.dsn?.recipients?.[r.toLowerCase()];
                    insR.run(id, r, d?.notify?.length ? d.notify.join(',') : null, d?.orcpt ?? null);
                }
                ids.push(id);
            }
            return ids;
        })();
    }
    get(id) {
        const r = this.db.prepare('SELECT * FROM queue WHERE id = ?').get(id);
        return r ? this.toEntry(r) : undefined;
    }
    list() {
        return this.db.prepare('SELECT * FROM queue ORDER BY created_at, id').all().map((r) => this.toEntry(r));
    }
    count() {
        return this.db.prepare('SELECT COUNT(*) AS n FROM queue').get().n;
    }
    /** Entries due at `now`, oldest first. */
    due(now, limit) {
        return this.db.prepare('SELECT * FROM queue WHERE next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?').all(now, limit).map((r) => this.toEntry(r));
    }
    /** Entries due at `now`, oldest first, leaving out those in `exclude` (attempts in progress). */
    dueExcept(now, limit, exclude) {
        const ids = JSON.stringify([...exclude]);
        return this.db.prepare('SELECT * FROM queue WHERE next_attempt_at <= ? AND id NOT IN (SELECT value FROM json_each(?)) ORDER BY next_attempt_at, id LIMIT ?').all(now, ids, limit).map((r) => this.toEntry(r));
    }
    /** The time of the next due entry, if any. */
    nextDueAt() {
        return this.db.prepare('SELECT MIN(next_attempt_at) AS t FROM queue').get().t ?? undefined;
    }
    /** Record an attempt's per-recipient results and when to try again. */
    recordAttempt(id, results, lastReply, nextAttemptAt, route) {
        this.db.transaction(() => {
            const upd = this.db.prepare('UPDATE queue_recipients SET status = ?, reply = ? WHERE queue_id = ? AND address = ?');
            for (const r of results)
                upd.run(r.status, r.reply, id, r.address);
            this.db.prepare('UPDATE queue SET attempts = attempts + 1, last_reply = ?, next_attempt_at = ?, route = COALESCE(?, route) WHERE id = ?').run(lastReply, nextAttemptAt, route ?? null, id);
        }).immediate();
    }
    /** Record that the sender was told about these failed recipients (their bounce is stored). */
    markNotified(id, addresses) {
        this.db.transaction(() => {
            const upd = this.db.prepare('UPDATE queue_recipients SET notified = 1 WHERE queue_id = ? AND address = ?');
            for (const a of addresses)
                upd.run(id, a);
        }).immediate();
    }
    markDelayNotified(id) {
        this.db.prepare('UPDATE queue SET delay_notified = 1 WHERE id = ?').run(id);
    }
    /** Make entries due now. Returns how many. */
    retry(id) {
        const r = id === undefined
            ? this.db.prepare('UPDATE queue SET next_attempt_at = ?').run(Date.now())
            : this.db.prepare('UPDATE queue SET next_attempt_at = ? WHERE id = ?').run(Date.now(), id);
        if (id !== undefined && r.changes === 0)
            throw new StoreError('not-found', `there is no queue entry ${id}`);
        return r.changes;
    }
    /** Remove an entry (finished, or deleted by the operator). */
    remove(id) {
        const r = this.db.prepare('DELETE FROM queue WHERE id = ?').run(id);
        if (r.changes === 0)
            throw new StoreError('not-found', `there is no queue entry ${id}`);
    }
}
//# sourceMappingURL=queue.js.map