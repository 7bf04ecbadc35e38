// Signed-in panel sessions (migration 710). The panel keys rows by a SHA-256 of the cookie; the
// cookie itself never reaches the database. Reached as `store.settings.panelSessions`.
import type { Db } from './database.js';
import type { Role } from './accounts.js';

export interface PanelSessionRecord {
  /** lower-case hex SHA-256 of the session cookie */
  tokenHash: string;
  accountId: number;
  /** the account's address at sign-in (a reused row id never inherits a session) */
  address: string;
  role: Role;
  csrf: string;
  createdAt: number;
  lastSeen: number;
  /** the session ends at this time unless used again (ms since the epoch) */
  idleUntil: number;
  /** the session ends at this time, used or not */
  expiresAt: number;
}

interface Row {
  token_hash: string; account_id: number; address: string; role: string; csrf: string;
  created_at: number; last_seen: number; idle_until: number; expires_at: number;
}

const HASH_RE = /^[0-9a-f]{64}$/;

export class PanelSessionRecords {
  constructor(private readonly db: Db) {}

  get(tokenHash: string): PanelSessionRecord | undefined {
    if (!HASH_RE.test(tokenHash)) return undefined;
    const r = this.db.prepare('SELECT * FROM panel_sessions WHERE token_hash = ?').get(tokenHash) as Row | undefined;
    if (!r) return undefined;
    return {
      tokenHash: r.token_hash, accountId: r.account_id, address: r.address, role: r.role === 'admin' ? 'admin' : 'member',
      csrf: r.csrf, createdAt: r.created_at, lastSeen: r.last_seen, idleUntil: r.idle_until, expiresAt: r.expires_at,
    };
  }

  put(s: PanelSessionRecord): void {
    if (!HASH_RE.test(s.tokenHash)) throw new Error('panel session: not a SHA-256 hex digest');
    this.db.prepare(`INSERT OR REPLACE INTO panel_sessions (token_hash, account_id, address, role, csrf, created_at, last_seen, idle_until, expires_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(s.tokenHash, s.accountId, s.address, s.role, s.csrf, s.createdAt, s.lastSeen, s.idleUntil, s.expiresAt);
  }

  /** A request arrived: the idle limit moves on. */
  touch(tokenHash: string, lastSeen: number, idleUntil: number): void {
    this.db.prepare('UPDATE panel_sessions SET last_seen = ?, idle_until = ? WHERE token_hash = ?').run(lastSeen, idleUntil, tokenHash);
  }

  delete(tokenHash: string): boolean {
    return this.db.prepare('DELETE FROM panel_sessions WHERE token_hash = ?').run(tokenHash).changes > 0;
  }

  /** End every session of an account (password changed, reset), except one (the changer's own). */
  deleteAccount(accountId: number, exceptHash?: string): number {
    return this.db.prepare('DELETE FROM panel_sessions WHERE account_id = ? AND token_hash != ?').run(accountId, exceptHash ?? '').changes;
  }

  /** Forget sessions past either limit. */
  purge(now: number): number {
    return this.db.prepare('DELETE FROM panel_sessions WHERE idle_until <= ? OR expires_at <= ?').run(now, now).changes;
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM panel_sessions').get() as { n: number }).n;
  }
}
