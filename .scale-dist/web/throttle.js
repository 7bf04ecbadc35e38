export class LoginThrottle {
    policy;
    now;
    entries = new Map();
    constructor(policy, now = Date.now) {
        this.policy = policy;
        this.now = now;
    }
    /** Milliseconds until `key` may try again; 0 when it may try now. */
    retryAfter(key) {
        const e = this.entries.get(key);
        if (!e)
            return 0;
        return Math.max(0, e.lockedUntil - this.now());
    }
    /** The wait (ms) when `key` may not try now; otherwise the attempt, reserved. */
    begin(key) {
        const wait = this.retryAfter(key);
        if (wait > 0)
            return wait;
        const t = this.now();
        let e = this.entries.get(key);
        if (!e || (e.pending === 0 && t - e.firstAt > this.policy.windowMs)) {
            e = { failures: 0, firstAt: t, lockedUntil: 0, pending: 0 };
            this.entries.set(key, e);
        }
        if (e.failures + e.pending >= this.policy.free)
            return 1000;
        e.pending++;
        const entry = e;
        let ended = false;
        const end = () => { if (ended)
            return false; ended = true; entry.pending--; return true; };
        return {
            failed: () => { if (end())
                this.fail(key); },
            succeeded: () => { if (end() && entry.pending === 0)
                this.succeed(key); },
            abandoned: () => { end(); },
        };
    }
    fail(key) {
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
        while (this.entries.size > this.policy.maxKeys)
            this.entries.delete(this.entries.keys().next().value);
    }
    succeed(key) {
        const e = this.entries.get(key);
        if (e && e.pending > 0) {
            e.failures = 0;
            e.lockedUntil = 0;
        }
        else
            this.entries.delete(key);
    }
}
/** Per client: 10 failures in 15 minutes, then 1 minute, doubling up to an hour. */
export const CLIENT_POLICY = { free: 10, windowMs: 15 * 60_000, baseLockMs: 60_000, maxLockMs: 3600_000, maxKeys: 10_000 };
//# sourceMappingURL=throttle.js.map