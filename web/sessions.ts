// Panel sessions, kept in memory on purpose: a restart or locking the box signs everyone out, the
// SD card is not written on every click, and sessions work while the store is locked (the unlock
// page needs a CSRF token too). Ids are 256-bit random values; the id changes at sign-in and
// sign-out (no session fixation). Each session carries its own CSRF token (synchronizer token).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '../appliance/store/index.js';

export interface Session {
  id: string;
  csrf: string;
  accountId?: number;
  /** the account's address at sign-in: a row id reused by a later account never inherits it */
  address?: string;
  role?: Role;
  createdAt: number;
  lastSeen: number;
  /** a one-time message for the next page (e.g. "alias added") */
  flash?: string;
  /** a secret shown once on the next page (a recovery code), then forgotten */
  secret?: { label: string; value: string };
}

export interface SessionLimits {
  /** signed-out and signed-in sessions end after this long without a request */
  idleMs: number;
  /** signed-in sessions end this long after sign-in, used or not */
  absoluteMs: number;
  /** at most this many sessions; the least recently used go first */
  max: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { idleMs: 30 * 60_000, absoluteMs: 12 * 3600_000, max: 2000 };

function token(): string {
  return randomBytes(32).toString('base64url');
}

export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class Sessions {
  // Map keeps insertion order; touching a session re-inserts it, so the first key is the least
  // recently used.
  private readonly byId = new Map<string, Session>();

  constructor(private readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS, private readonly now: () => number = Date.now) {}

  get size(): number { return this.byId.size; }

  /** The live session for a cookie value, or undefined (unknown, idle too long, too old). */
  get(id: string | undefined): Session | undefined {
    if (!id || id.length > 64) return undefined;
    const s = this.byId.get(id);
    if (!s) return undefined;
    const t = this.now();
    if (t - s.lastSeen > this.limits.idleMs || (s.accountId !== undefined && t - s.createdAt > this.limits.absoluteMs)) {
      this.byId.delete(id);
      return undefined;
    }
    s.lastSeen = t;
    this.byId.delete(id);
    this.byId.set(id, s);
    return s;
  }

  /** A new signed-out session (first visit). */
  create(): Session {
    const t = this.now();
    const s: Session = { id: token(), csrf: token(), createdAt: t, lastSeen: t };
    this.insert(s);
    return s;
  }

  /** Sign in: the old session ends and a new one with a new id and CSRF token begins. */
  signIn(old: Session | undefined, accountId: number, role: Role, address: string): Session {
    if (old) this.byId.delete(old.id);
    const t = this.now();
    const s: Session = { id: token(), csrf: token(), accountId, address, role, createdAt: t, lastSeen: t };
    this.insert(s);
    return s;
  }

  /** Sign out: the session ends; the caller starts a fresh signed-out one. */
  end(s: Session): void {
    this.byId.delete(s.id);
  }

  /** End every session of an account (removed, password reset by the administrator). */
  endAccount(accountId: number, except?: Session): number {
    let n = 0;
    for (const [id, s] of this.byId) {
      if (s.accountId === accountId && s !== except) { this.byId.delete(id); n++; }
    }
    return n;
  }

  /** End every signed-in session (the storage was locked). */
  endSignedIn(): number {
    let n = 0;
    for (const [id, s] of this.byId) {
      if (s.accountId !== undefined) { this.byId.delete(id); n++; }
    }
    return n;
  }

  private insert(s: Session): void {
    this.byId.set(s.id, s);
    // Over the limit: the least recently used signed-out session goes first, so a flood of
    // anonymous visits cannot sign the household out; a signed-in one only if there is no other.
    while (this.byId.size > this.limits.max) {
      let victim: string | undefined;
      for (const [id, x] of this.byId) if (x.accountId === undefined && x !== s) { victim = id; break; }
      this.byId.delete(victim ?? (this.byId.keys().next().value as string));
    }
  }
}
