// Panel sessions. Signed-out sessions (a visitor's CSRF token) live in memory only. Signed-in
// sessions are also kept in the store (migration 710: a SHA-256 of the cookie, never the cookie),
// so a restart or a lock/unlock cycle does not sign the household out; the store is their
// authority whenever it is open, so a session revoked there (sign-out, a password changed in the
// panel or with `postern user passwd`, a removed account) is refused at the next request.
// While the storage is locked the store is closed: the unlock page works with memory sessions, and
// a browser whose cookie could not be checked keeps it in `resume`, checked once the store opens.
// Ids are 256-bit random values; the id changes at sign-in and sign-out (no session fixation).
// Each session carries its own CSRF token (synchronizer token).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
export const DEFAULT_SESSION_LIMITS = { idleMs: 30 * 60_000, absoluteMs: 12 * 3600_000, max: 2000 };
/** The stored idle limit moves on at most this often (one write a minute per active session). */
export const TOUCH_INTERVAL_MS = 60_000;
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;
function token() {
    return randomBytes(32).toString('base64url');
}
/** What the store keeps instead of the cookie. */
export function tokenHash(id) {
    return createHash('sha256').update(id).digest('hex');
}
export function sameToken(a, b) {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
}
export class Sessions {
    limits;
    now;
    records;
    // Map keeps insertion order; touching a session re-inserts it, so the first key is the least
    // recently used.
    byId = new Map();
    /** `records`: the store's session rows while it is open, undefined while locked (or in tests
     *  without a store: then signed-in sessions live in memory only). */
    constructor(limits = DEFAULT_SESSION_LIMITS, now = Date.now, records = () => undefined) {
        this.limits = limits;
        this.now = now;
        this.records = records;
    }
    get size() { return this.byId.size; }
    /** The live session for a cookie value, or undefined (unknown, idle too long, too old, revoked). */
    get(id) {
        if (!id || !TOKEN_RE.test(id))
            return undefined;
        const t = this.now();
        const rows = this.records();
        const s = this.byId.get(id);
        if (!s)
            return rows ? this.restore(id, rows, t) : undefined;
        if (s.resume && rows) {
            const back = this.restore(s.resume, rows, t);
            if (back) {
                this.byId.delete(s.id);
                if (s.secret)
                    back.secret = s.secret;
                if (s.flash)
                    back.flash = s.flash;
                return back;
            }
            delete s.resume;
        }
        if (t - s.lastSeen > this.limits.idleMs || (s.accountId !== undefined && t - s.createdAt > this.limits.absoluteMs)) {
            this.byId.delete(id);
            if (s.accountId !== undefined)
                rows?.delete(tokenHash(id));
            return undefined;
        }
        if (s.accountId !== undefined && rows) {
            // The store decides: signed out elsewhere, password changed, account removed.
            const r = rows.get(tokenHash(id));
            if (!r || r.accountId !== s.accountId || r.expiresAt <= t) {
                this.byId.delete(id);
                return undefined;
            }
            if (t - r.lastSeen >= TOUCH_INTERVAL_MS)
                rows.touch(r.tokenHash, t, t + this.limits.idleMs);
        }
        s.lastSeen = t;
        this.byId.delete(id);
        this.byId.set(id, s);
        return s;
    }
    /** A new signed-out session (first visit). `presented`: the cookie the browser sent, when it
     *  could not be checked because the store is closed (kept to be checked after unlock). */
    create(presented) {
        const t = this.now();
        const s = { id: token(), csrf: token(), createdAt: t, lastSeen: t };
        if (presented && TOKEN_RE.test(presented) && !this.records())
            s.resume = presented;
        this.insert(s);
        return s;
    }
    /** Sign in: the old session ends and a new one with a new id and CSRF token begins. */
    signIn(old, accountId, role, address) {
        if (old)
            this.end(old);
        const t = this.now();
        const s = { id: token(), csrf: token(), accountId, address, role, createdAt: t, lastSeen: t };
        const rows = this.records();
        if (rows) {
            rows.purge(t);
            rows.put({ tokenHash: tokenHash(s.id), accountId, address, role, csrf: s.csrf, createdAt: t, lastSeen: t, idleUntil: t + this.limits.idleMs, expiresAt: t + this.limits.absoluteMs });
        }
        this.insert(s);
        return s;
    }
    /** Sign out: the session ends; the caller starts a fresh signed-out one. */
    end(s) {
        this.byId.delete(s.id);
        if (s.accountId !== undefined)
            this.records()?.delete(tokenHash(s.id));
    }
    /** End every session of an account (password changed or reset), except the changer's own. */
    endAccount(accountId, except) {
        let n = 0;
        for (const [id, s] of this.byId) {
            if (s.accountId === accountId && s !== except) {
                this.byId.delete(id);
                n++;
            }
        }
        const stored = this.records()?.deleteAccount(accountId, except ? tokenHash(except.id) : undefined) ?? 0;
        return Math.max(n, stored);
    }
    restore(id, rows, t) {
        const r = rows.get(tokenHash(id));
        if (!r)
            return undefined;
        if (r.idleUntil <= t || r.expiresAt <= t) {
            rows.delete(r.tokenHash);
            return undefined;
        }
        rows.touch(r.tokenHash, t, t + this.limits.idleMs);
        const s = { id, csrf: r.csrf, accountId: r.accountId, address: r.address, role: r.role, createdAt: r.createdAt, lastSeen: t };
        this.insert(s);
        return s;
    }
    insert(s) {
        this.byId.set(s.id, s);
        // Over the limit: the least recently used signed-out session goes first, so a flood of
        // anonymous visits cannot sign the household out; a signed-in one only if there is no other
        // (it stays in the store, if open, and comes back at its next request).
        while (this.byId.size > this.limits.max) {
            let victim;
            for (const [id, x] of this.byId)
                if (x.accountId === undefined && x !== s) {
                    victim = id;
                    break;
                }
            this.byId.delete(victim ?? this.byId.keys().next().value);
        }
    }
}
//# sourceMappingURL=sessions.js.map