const HASH_RE = /^[0-9a-f]{64}$/;
export class PanelSessionRecords {
    db;
    constructor(db) {
        this.db = db;
    }
    get(tokenHash) {
        if (!HASH_RE.test(tokenHash))
            return undefined;
        const r = this.db.prepare('SELECT * FROM panel_sessions WHERE token_hash = ?').get(tokenHash);
        if (!r)
            return undefined;
        return {
            tokenHash: r.token_hash, accountId: r.account_id, address: r.address, role: r.role === 'admin' ? 'admin' : 'member',
            csrf: r.csrf, createdAt: r.created_at, lastSeen: r.last_seen, idleUntil: r.idle_until, expiresAt: r.expires_at,
        };
    }
    put(s) {
        if (!HASH_RE.test(s.tokenHash))
            throw new Error('panel session: not a SHA-256 hex digest');
        this.db.prepare(`INSERT OR REPLACE INTO panel_sessions (token_hash, account_id, address, role, csrf, created_at, last_seen, idle_until, expires_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(s.tokenHash, s.accountId, s.address, s.role, s.csrf, s.createdAt, s.lastSeen, s.idleUntil, s.expiresAt);
    }
    /** A request arrived: the idle limit moves on. */
    touch(tokenHash, lastSeen, idleUntil) {
        this.db.prepare('UPDATE panel_sessions SET last_seen = ?, idle_until = ? WHERE token_hash = ?').run(lastSeen, idleUntil, tokenHash);
    }
    delete(tokenHash) {
        return this.db.prepare('DELETE FROM panel_sessions WHERE token_hash = ?').run(tokenHash).changes > 0;
    }
    /** End every session of an account (password changed, reset), except one (the changer's own). */
    deleteAccount(accountId, exceptHash) {
        return this.db.prepare('DELETE FROM panel_sessions WHERE account_id = ? AND token_hash != ?').run(accountId, exceptHash ?? '').changes;
    }
    /** Forget sessions past either limit. */
    purge(now) {
        return this.db.prepare('DELETE FROM panel_sessions WHERE idle_until <= ? OR expires_at <= ?').run(now, now).changes;
    }
    count() {
        return this.db.prepare('SELECT count(*) AS n FROM panel_sessions').get().n;
    }
}
//# sourceMappingURL=panel-sessions.js.map