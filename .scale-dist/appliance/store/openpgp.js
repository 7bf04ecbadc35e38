import { StoreError } from './errors.js';
function toKey(r) {
    return { accountId: r.account_id, fingerprint: r.fingerprint, publicKey: r.public_key, passwordWrap: r.password_wrap, recoveryWrap: r.recovery_wrap, preferEncrypt: r.prefer_encrypt, encryptAtRest: r.encrypt_at_rest === 1, createdAt: r.created_at, updatedAt: r.updated_at };
}
function toPeer(r) {
    return { accountId: r.account_id, addr: r.addr, firstSeen: r.first_seen, lastSeen: r.last_seen, autocryptTimestamp: r.autocrypt_timestamp, fingerprint: r.fingerprint, publicKey: r.public_key, preferEncrypt: r.prefer_encrypt };
}
function toChange(r) {
    return { id: r.id, accountId: r.account_id, addr: r.addr, oldFingerprint: r.old_fingerprint, newFingerprint: r.new_fingerprint, newKey: r.new_key, preferEncrypt: r.prefer_encrypt, firstSeen: r.first_seen, lastSeen: r.last_seen, status: r.status, decidedAt: r.decided_at };
}
export class OpenPgpRecords {
    db;
    constructor(db) {
        this.db = db;
    }
    // --- account keys ---
    key(accountId) {
        const r = this.db.prepare('SELECT * FROM openpgp_account_keys WHERE account_id = ?').get(accountId);
        return r ? toKey(r) : undefined;
    }
    /** Insert or replace an account's key (settings are kept when the row exists). */
    putKey(k) {
        const now = Date.now();
        this.db.prepare(`INSERT INTO openpgp_account_keys (account_id, fingerprint, public_key, password_wrap, recovery_wrap, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(account_id) DO UPDATE SET fingerprint = excluded.fingerprint, public_key = excluded.public_key,
        password_wrap = excluded.password_wrap, recovery_wrap = excluded.recovery_wrap, updated_at = excluded.updated_at`)
            .run(k.accountId, k.fingerprint, k.publicKey, k.passwordWrap, k.recoveryWrap, now, now);
    }
    setPasswordWrap(accountId, wrap) {
        this.update(accountId, 'password_wrap = ?', wrap);
    }
    setPreferEncrypt(accountId, value) {
        this.update(accountId, 'prefer_encrypt = ?', value);
    }
    setEncryptAtRest(accountId, on) {
        this.update(accountId, 'encrypt_at_rest = ?', on ? 1 : 0);
    }
    update(accountId, assignment, value) {
        const r = this.db.prepare(`UPDATE openpgp_account_keys SET ${assignment}, updated_at = ? WHERE account_id = ?`).run(value, Date.now(), accountId);
        if (r.changes === 0)
            throw new StoreError('not-found', `account ${accountId} has no OpenPGP key`);
    }
    // --- Autocrypt peers ---
    peer(accountId, addr) {
        const r = this.db.prepare('SELECT * FROM autocrypt_peers WHERE account_id = ? AND addr = ?').get(accountId, addr.toLowerCase());
        return r ? toPeer(r) : undefined;
    }
    peers(accountId) {
        return this.db.prepare('SELECT * FROM autocrypt_peers WHERE account_id = ? ORDER BY addr').all(accountId).map(toPeer);
    }
    putPeer(p) {
        this.db.prepare(`INSERT INTO autocrypt_peers (account_id, addr, first_seen, last_seen, autocrypt_timestamp, fingerprint, public_key, prefer_encrypt)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(account_id, addr) DO UPDATE SET first_seen = excluded.first_seen, last_seen = excluded.last_seen,
        autocrypt_timestamp = excluded.autocrypt_timestamp, fingerprint = excluded.fingerprint, public_key = excluded.public_key,
        prefer_encrypt = excluded.prefer_encrypt`)
            .run(p.accountId, p.addr.toLowerCase(), p.firstSeen, p.lastSeen, p.autocryptTimestamp, p.fingerprint, p.publicKey, p.preferEncrypt);
    }
    // --- peer key changes ---
    keyChanges(accountId, status) {
        const rows = status
            ? this.db.prepare('SELECT * FROM autocrypt_key_changes WHERE account_id = ? AND status = ? ORDER BY id').all(accountId, status)
            : this.db.prepare('SELECT * FROM autocrypt_key_changes WHERE account_id = ? ORDER BY id').all(accountId);
        return rows.map(toChange);
    }
    keyChange(id) {
        const r = this.db.prepare('SELECT * FROM autocrypt_key_changes WHERE id = ?').get(id);
        return r ? toChange(r) : undefined;
    }
    /** Record a key change seen for a peer; a pending one for the same new key is refreshed instead. */
    noteKeyChange(c) {
        const addr = c.addr.toLowerCase();
        const existing = this.db.prepare("SELECT id, first_seen, last_seen FROM autocrypt_key_changes WHERE account_id = ? AND addr = ? AND new_fingerprint = ? AND status = 'pending'")
            .get(c.accountId, addr, c.newFingerprint);
        if (existing) {
            this.db.prepare('UPDATE autocrypt_key_changes SET last_seen = MAX(last_seen, ?), new_key = ?, prefer_encrypt = ? WHERE id = ?').run(c.seenAt, c.newKey, c.preferEncrypt, existing.id);
            return existing.id;
        }
        const r = this.db.prepare('INSERT INTO autocrypt_key_changes (account_id, addr, old_fingerprint, new_fingerprint, new_key, prefer_encrypt, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
            .run(c.accountId, addr, c.oldFingerprint, c.newFingerprint, c.newKey, c.preferEncrypt, c.seenAt, c.seenAt);
        return Number(r.lastInsertRowid);
    }
    setKeyChangeStatus(id, status) {
        const r = this.db.prepare('UPDATE autocrypt_key_changes SET status = ?, decided_at = ? WHERE id = ?').run(status, Date.now(), id);
        if (r.changes === 0)
            throw new StoreError('not-found', `there is no key change ${id}`);
    }
}
//# sourceMappingURL=openpgp.js.map