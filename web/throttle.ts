// Sign-in throttling (and unlock throttling): after `free` failures within `windowMs`, a key (a
// client address or an account address) is refused for a lockout that doubles with each further
// failure, from `baseLockMs` up to `maxLockMs`. While locked out the password is not even checked,
// so guessing gets nowhere; a success clears the key. Bounded memory: the oldest keys go first.
export interface ThrottlePolicy { free: number; windowMs: number; baseLockMs: number; maxLockMs: number; maxKeys: number }

interface Entry { failures: number; firstAt: number; lockedUntil: number }

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly policy: ThrottlePolicy, private readonly now: () => number = Date.now) {}

  /** Milliseconds until `key` may try again; 0 when it may try now. */
  retryAfter(key: string): number {
    const e = this.entries.get(key);
    if (!e) return 0;
    return Math.max(0, e.lockedUntil - this.now());
  }

  fail(key: string): void {
    const t = this.now();
    let e = this.entries.get(key);
    if (!e || t - e.firstAt > this.policy.windowMs && e.lockedUntil <= t) {
      e = { failures: 0, firstAt: t, lockedUntil: 0 };
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
    this.entries.delete(key);
  }
}

/** Per client: 10 failures in 15 minutes, then 1 minute, doubling up to an hour. */
export const CLIENT_POLICY: ThrottlePolicy = { free: 10, windowMs: 15 * 60_000, baseLockMs: 60_000, maxLockMs: 3600_000, maxKeys: 10_000 };
/** Per account: 5 failures in 15 minutes, then 1 minute, doubling up to 15 minutes. */
export const ACCOUNT_POLICY: ThrottlePolicy = { free: 5, windowMs: 15 * 60_000, baseLockMs: 60_000, maxLockMs: 15 * 60_000, maxKeys: 10_000 };
