// Sign-in throttling (and unlock throttling): after `free` failures within `windowMs`, a key (a
// client address or an account address) is refused for a lockout that doubles with each further
// failure, from `baseLockMs` up to `maxLockMs`. While locked out the password is not even checked,
// so guessing gets nowhere; a success clears the key. Bounded memory: the oldest keys go first.
// `begin` reserves an attempt before the slow password check: a reserved attempt counts as a
// failure until it ends, so parallel requests cannot all pass the check before one failure counts.
export interface ThrottlePolicy { free: number; windowMs: number; baseLockMs: number; maxLockMs: number; maxKeys: number }

interface Entry { failures: number; firstAt: number; lockedUntil: number; pending: number }

/** A reserved attempt: end it once. */
export interface ThrottleAttempt { failed(): void; succeeded(): void; abandoned(): void }

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly policy: ThrottlePolicy, private readonly now: () => number = Date.now) {}

  /** Milliseconds until `key` may try again; 0 when it may try now. */
  retryAfter(key: string): number {
    const e = this.entries.get(key);
    if (!e) return 0;
    return Math.max(0, e.lockedUntil - this.now());
  }

  /** The wait (ms) when `key` may not try now; otherwise the attempt, reserved. */
  begin(key: string): number | ThrottleAttempt {
    const wait = this.retryAfter(key);
    if (wait > 0) return wait;
    const t = this.now();
    let e = this.entries.get(key);
    if (!e || (e.pending === 0 && t - e.firstAt > this.policy.windowMs)) { e = { failures: 0, firstAt: t, lockedUntil: 0, pending: 0 }; this.entries.set(key, e); }
    if (e.failures + e.pending >= this.policy.free) return 1000;
    e.pending++;
    const entry = e;
    let ended = false;
    const end = (): boolean => { if (ended) return false; ended = true; entry.pending--; return true; };
    return {
      failed: () => { if (end()) this.fail(key); },
      succeeded: () => { if (end() && entry.pending === 0) this.succeed(key); },
      abandoned: () => { end(); },
    };
  }

  fail(key: string): void {
    const t = this.now();
    let e = this.entries.get(key);
    if (!e || t - e.firstAt > this.policy.windowMs && e.lockedUntil <= t && e.pending === 0) {
      e = { failures: 0, firstAt: t, lockedUntil: 0, pending: e?.pending ?? 0 };
    }
    e.failures++;
    if (e.failures >= this.policy.free) {
      const extra = e.failures - this.policy.free;
      e.lockedUntil = t + Math.min(this.policy.maxLockMs, this.policy.baseLockMs * 2 ** Math.min(extra, 20));
    }
    this.entries.delete(key);
    this.entries.set(key, e);
    while (this.entries.size > this.policy.maxKeys) this.entries.delete(this.entries.keys().next().value as string);
  }

  succeed(key: string): void {
    const e = this.entries.get(key);
    if (e && e.pending > 0) { e.failures = 0; e.lockedUntil = 0; } else this.entries.delete(key);
  }
}

/** Per client: 10 failures in 15 minutes, then 1 minute, doubling up to an hour. */
export const CLIENT_POLICY: ThrottlePolicy = { free: 10, windowMs: 15 * 60_000, baseLockMs: 60_000, maxLockMs: 3600_000, maxKeys: 10_000 };
