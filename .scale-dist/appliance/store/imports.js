const toSource = (r) => ({ id: r.id, accountId: r.account_id, origin: r.origin, folder: r.folder, uidValidity: r.uid_validity });
const toItem = (r) => ({ item: r.item, uidValidity: r.uid_validity, hash: r.hash, emailId: r.email_id, mailboxId: r.mailbox_id, uid: r.uid, skipped: r.skipped, deletedAt: r.deleted_at });
const toRun = (r) => ({ id: r.id, accountId: r.account_id, kind: r.kind, origin: r.origin, startedAt: r.started_at, updatedAt: r.updated_at, finishedAt: r.finished_at, state: r.state, progress: r.progress });
export class ImportRecords {
    db;
    constructor(db) {
        this.db = db;
    }
    /** The source row of one folder of one origin, created on first use. */
    source(accountId, origin, folder) {
        this.db.prepare('INSERT INTO import_sources (account_id, origin, folder) VALUES (?, ?, ?) ON CONFLICT (account_id, origin, folder) DO NOTHING').run(accountId, origin, folder);
        return toSource(this.db.prepare('SELECT * FROM import_sources WHERE account_id = ? AND origin = ? AND folder = ?').get(accountId, origin, folder));
    }
    /** Remember the folder's current UIDVALIDITY (items of an older one are matched by content). */
    setUidValidity(sourceId, uidValidity) {
        this.db.prepare('UPDATE import_sources SET uid_validity = ? WHERE id = ?').run(uidValidity, sourceId);
    }
    /** Items (keys) already brought in (or skipped for good) under this UIDVALIDITY. */
    doneItems(sourceId, uidValidity = 0) {
        const rows = this.db.prepare('SELECT item FROM import_items WHERE source_id = ? AND uid_validity = ?').pluck().all(sourceId, uidValidity);
        return new Set(rows);
    }
    /** Content hashes brought in from this source (under any UIDVALIDITY). */
    hasHash(sourceId, hash) {
        return !!this.db.prepare('SELECT 1 FROM import_items WHERE source_id = ? AND hash = ? AND skipped IS NULL').get(sourceId, hash);
    }
    /** Provider message ids (Gmail's X-GM-MSGID, RFC 8474 EMAILID) already brought in from an origin. */
    emailIds(accountId, origin) {
        const rows = this.db.prepare(`SELECT i.email_id FROM import_items i JOIN import_sources s ON s.id = i.source_id
      WHERE s.account_id = ? AND s.origin = ? AND i.email_id IS NOT NULL`).pluck().all(accountId, origin);
        return new Set(rows);
    }
    /** Whether the account holds this content in any mailbox. */
    accountHasContent(accountId, hash) {
        return !!this.db.prepare(`SELECT 1 FROM blobs b JOIN messages m ON m.blob_id = b.id JOIN mailboxes x ON x.id = m.mailbox_id
      WHERE b.hash = ? AND x.account_id = ? LIMIT 1`).get(hash, accountId);
    }
    /** Record an item brought in (mailboxId/uid set) or skipped for good (skipped: why). Called
     *  inside the message's transaction for a stored one. */
    record(sourceId, item, r) {
        this.db.prepare(`INSERT INTO import_items (source_id, item, uid_validity, hash, email_id, mailbox_id, uid, skipped) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (source_id, item) DO UPDATE SET uid_validity = excluded.uid_validity, hash = excluded.hash, email_id = excluded.email_id,
        mailbox_id = excluded.mailbox_id, uid = excluded.uid, skipped = excluded.skipped`)
            .run(sourceId, item, r.uidValidity ?? 0, r.hash, r.emailId ?? null, r.mailboxId ?? null, r.uid ?? null, r.skipped ?? null);
    }
    /** Items imported (not skipped) under this UIDVALIDITY and not yet deleted at the source. */
    importedNotDeleted(sourceId, uidValidity) {
        return this.db.prepare('SELECT * FROM import_items WHERE source_id = ? AND uid_validity = ? AND skipped IS NULL AND mailbox_id IS NOT NULL AND deleted_at IS NULL')
            .all(sourceId, uidValidity).map(toItem);
    }
    markDeleted(sourceId, items, now = Date.now()) {
        const st = this.db.prepare('UPDATE import_items SET deleted_at = ? WHERE source_id = ? AND item = ?');
        this.db.transaction(() => { for (const i of items)
            st.run(now, sourceId, i); })();
    }
    items(sourceId) {
        return this.db.prepare('SELECT * FROM import_items WHERE source_id = ?').all(sourceId).map(toItem);
    }
    sources(accountId) {
        return this.db.prepare('SELECT * FROM import_sources WHERE account_id = ? ORDER BY id').all(accountId).map(toSource);
    }
    /** The content hash of a blob row (exports read message files by it). */
    blobHash(blobId) {
        return this.db.prepare('SELECT hash FROM blobs WHERE id = ?').pluck().get(blobId);
    }
    // Runs: one row per import or export while it runs and after, for the panel's progress page.
    startRun(accountId, kind, origin, now = Date.now()) {
        return Number(this.db.prepare('INSERT INTO import_runs (account_id, kind, origin, started_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(accountId, kind, origin, now, now).lastInsertRowid);
    }
    updateRun(id, progress, now = Date.now()) {
        this.db.prepare('UPDATE import_runs SET progress = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(progress), now, id);
    }
    finishRun(id, state, progress, now = Date.now()) {
        this.db.prepare('UPDATE import_runs SET progress = ?, updated_at = ?, finished_at = ?, state = ? WHERE id = ?').run(JSON.stringify(progress), now, now, state, id);
    }
    runs(accountId, limit = 20) {
        const rows = accountId === undefined
            ? this.db.prepare('SELECT * FROM import_runs ORDER BY id DESC LIMIT ?').all(limit)
            : this.db.prepare('SELECT * FROM import_runs WHERE account_id = ? ORDER BY id DESC LIMIT ?').all(accountId, limit);
        return rows.map(toRun);
    }
}
//# sourceMappingURL=imports.js.map