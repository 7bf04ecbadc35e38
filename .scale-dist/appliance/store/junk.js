export class JunkRecords {
    db;
    constructor(db) {
        this.db = db;
    }
    ensure(accountId) {
        this.db.prepare('INSERT OR IGNORE INTO junk_accounts (account_id) VALUES (?)').run(accountId);
    }
    /** Read only (asked at every delivery: it must not wait for the write lock). */
    state(accountId) {
        const r = this.db.prepare('SELECT * FROM junk_accounts WHERE account_id = ?').get(accountId)
            ?? { version: 0, spam_trained: 0, ham_trained: 0, caught: 0, delivered: 0, threshold: 0.95, min_trained: 20, risky_to_junk: 1, folders_trained_at: null };
        return {
            spamTrained: r.spam_trained, hamTrained: r.ham_trained, caught: r.caught, delivered: r.delivered,
            threshold: r.threshold, minTrained: r.min_trained, riskyToJunk: r.risky_to_junk !== 0,
            foldersTrainedAt: r.folders_trained_at ?? undefined, version: r.version,
        };
    }
    setSettings(accountId, s) {
        this.ensure(accountId);
        if (s.threshold !== undefined)
            this.db.prepare('UPDATE junk_accounts SET threshold = ? WHERE account_id = ?').run(s.threshold, accountId);
        if (s.minTrained !== undefined)
            this.db.prepare('UPDATE junk_accounts SET min_trained = ? WHERE account_id = ?').run(s.minTrained, accountId);
        if (s.riskyToJunk !== undefined)
            this.db.prepare('UPDATE junk_accounts SET risky_to_junk = ? WHERE account_id = ?').run(s.riskyToJunk ? 1 : 0, accountId);
    }
    /** Delivery counters and the senders received from, for several accounts in one transaction
     *  (the filter batches them so that delivery pays no extra commit). */
    recordDeliveries(batch) {
        const now = Date.now();
        const count = this.db.prepare('UPDATE junk_accounts SET delivered = delivered + ?, caught = caught + ? WHERE account_id = ?');
        const sender = this.db.prepare(`INSERT INTO junk_senders (account_id, address, received, last_seen) VALUES (?, ?, 1, ?)
      ON CONFLICT(account_id, address) DO UPDATE SET received = received + 1, last_seen = excluded.last_seen`);
        this.db.transaction(() => {
            for (const b of batch) {
                this.ensure(b.accountId);
                count.run(b.delivered, b.caught, b.accountId);
                for (const a of b.senders)
                    sender.run(b.accountId, a, now);
            }
        }).immediate();
    }
    markFoldersTrained(accountId, at) {
        this.ensure(accountId);
        this.db.prepare('UPDATE junk_accounts SET folders_trained_at = ? WHERE account_id = ?').run(at, accountId);
    }
    /** Every feature count of an account (to load its model). */
    *features(accountId) {
        for (const r of this.db.prepare('SELECT feature, spam, ham FROM junk_features WHERE account_id = ?').iterate(accountId))
            yield r;
    }
    featureCount(accountId) {
        return this.db.prepare('SELECT COUNT(*) AS n FROM junk_features WHERE account_id = ?').get(accountId).n;
    }
    /** Bytes the account's model takes in the database (its rows' pages, estimated from the row count
     *  and the table's average row size). */
    modelBytes(accountId) {
        const rows = this.featureCount(accountId);
        let perRow = 24;
        try {
            const t = this.db.prepare("SELECT SUM(pgsize) AS bytes FROM dbstat WHERE name = 'junk_features'").get();
            const all = this.db.prepare('SELECT COUNT(*) AS n FROM junk_features').get().n;
            if (t.bytes && all)
                perRow = t.bytes / all;
        }
        catch { /* no dbstat in this SQLite build: the estimate */ }
        return Math.round(rows * perRow);
    }
    trained(accountId, hash) {
        const r = this.db.prepare('SELECT label, context FROM junk_trained WHERE account_id = ? AND hash = ?').get(accountId, hash);
        return r ? { label: r.label, context: r.context ? r.context.split('\n') : [] } : undefined;
    }
    /** Record a training change: the model's new counts for the touched features, the message's
     *  label (undefined: untrained) and the trained totals, in one transaction. */
    applyTraining(accountId, hash, record, changes, totals) {
        this.ensure(accountId);
        const up = this.db.prepare('INSERT INTO junk_features (account_id, feature, spam, ham) VALUES (?, ?, ?, ?) ON CONFLICT(account_id, feature) DO UPDATE SET spam = excluded.spam, ham = excluded.ham');
        const del = this.db.prepare('DELETE FROM junk_features WHERE account_id = ? AND feature = ?');
        return this.db.transaction(() => {
            for (const c of changes) {
                if (c.spam <= 0 && c.ham <= 0)
                    del.run(accountId, c.feature);
                else
                    up.run(accountId, c.feature, c.spam, c.ham);
            }
            if (record) {
                this.db.prepare('INSERT INTO junk_trained (account_id, hash, label, context, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(account_id, hash) DO UPDATE SET label = excluded.label, context = excluded.context, at = excluded.at')
                    .run(accountId, hash, record.label, record.context.join('\n'), Date.now());
            }
            else
                this.db.prepare('DELETE FROM junk_trained WHERE account_id = ? AND hash = ?').run(accountId, hash);
            this.db.prepare('UPDATE junk_accounts SET spam_trained = ?, ham_trained = ?, version = version + 1 WHERE account_id = ?').run(totals.spam, totals.ham, accountId);
            return this.db.prepare('SELECT version FROM junk_accounts WHERE account_id = ?').get(accountId).version;
        }).immediate();
    }
    /** Drop features seen in at most `maxTotal` messages (the model's size bound). Returns how many. */
    prune(accountId, maxTotal) {
        return this.db.transaction(() => {
            const n = this.db.prepare('DELETE FROM junk_features WHERE account_id = ? AND spam + ham <= ?').run(accountId, maxTotal).changes;
            this.db.prepare('UPDATE junk_accounts SET version = version + 1 WHERE account_id = ?').run(accountId);
            return n;
        }).immediate();
    }
    /** Forget the model, the training records and the counters (retrain starts from here). */
    reset(accountId) {
        this.db.transaction(() => {
            this.db.prepare('DELETE FROM junk_features WHERE account_id = ?').run(accountId);
            this.db.prepare('DELETE FROM junk_trained WHERE account_id = ?').run(accountId);
            this.db.prepare('UPDATE junk_senders SET kept = 0 WHERE account_id = ?').run(accountId);
            this.ensure(accountId);
            this.db.prepare('UPDATE junk_accounts SET spam_trained = 0, ham_trained = 0, folders_trained_at = NULL, version = version + 1 WHERE account_id = ?').run(accountId);
        }).immediate();
    }
    sender(accountId, address) {
        const r = this.db.prepare('SELECT wrote_to, kept, received FROM junk_senders WHERE account_id = ? AND address = ?').get(accountId, address);
        return r ? { wroteTo: r.wrote_to, kept: r.kept, received: r.received } : undefined;
    }
    /** Count an address as written to, kept (a ham message from it) or received from. */
    noteSender(accountId, addresses, what, delta = 1) {
        if (addresses.length === 0)
            return;
        const st = this.db.prepare(`INSERT INTO junk_senders (account_id, address, ${what}, last_seen) VALUES (?, ?, ?, ?)
      ON CONFLICT(account_id, address) DO UPDATE SET ${what} = MAX(0, ${what} + ?), last_seen = excluded.last_seen`);
        const now = Date.now();
        this.db.transaction(() => { for (const a of addresses)
            st.run(accountId, a, Math.max(0, delta), now, delta); }).immediate();
    }
    /** Keep at most `max` addresses that are only "received from" (the oldest go first). */
    pruneSenders(accountId, max) {
        return this.db.prepare(`DELETE FROM junk_senders WHERE account_id = ? AND wrote_to = 0 AND kept = 0 AND address IN (
      SELECT address FROM junk_senders WHERE account_id = ? AND wrote_to = 0 AND kept = 0 ORDER BY last_seen DESC LIMIT -1 OFFSET ?)`).run(accountId, accountId, max).changes;
    }
    correspondents(accountId) {
        return this.db.prepare('SELECT COUNT(*) AS n FROM junk_senders WHERE account_id = ? AND (wrote_to > 0 OR kept > 0)').get(accountId).n;
    }
}
//# sourceMappingURL=junk.js.map