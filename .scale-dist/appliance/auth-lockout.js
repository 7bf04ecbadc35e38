export const DEFAULT_ACCOUNT_LOCKOUT = {
    delayAfterFailures: 5, freeFailures: 10, windowMs: 15 * 60_000, baseLockMs: 60_000, maxLockMs: 15 * 60_000,
    lockedDelayMs: 2000, maxAccounts: 10_000, maxClientsPerAccount: 1000,
};
export class AccountLockout {
    policy;
    now;
    accounts = new Map();
    constructor(policy = DEFAULT_ACCOUNT_LOCKOUT, now = Date.now) {
        this.policy = policy;
        this.now = now;
    }
    static key(account) {
        return account.trim().toLowerCase();
    }
    state(account) {
        const s = this.accounts.get(AccountLockout.key(account));
        if (!s)
            return undefined;
        const t = this.now();
        if (s.lockedUntil <= t && t - s.firstAt > this.policy.windowMs && s.pending === 0) {
            this.accounts.delete(AccountLockout.key(account));
            return undefined;
        }
        return s;
    }
    /** Before the password is checked: refuse this client, or let it try after `delayMs`. Attempts
     *  in progress count as failures. */
    check(account, client) {
        const s = this.state(account);
        const t = this.now();
        if (!s)
            return { refused: false, delayMs: 0 };
        const failures = s.failures + s.pending;
        const lockedUntil = failures >= this.policy.freeFailures ? Math.max(s.lockedUntil, t + 1) : s.lockedUntil;
        // (a household client opening several connections at once is not slowed by its own attempts)
        if (lockedUntil <= t)
            return { refused: false, delayMs: s.failures >= this.policy.delayAfterFailures ? this.policy.lockedDelayMs : 0 };
        if (s.pendingClients.has(client))
            return { refused: true, retryAfterMs: Math.max(1000, lockedUntil - t), ...(s.lockedUntil <= t && s.failures < this.policy.freeFailures ? { busy: true } : {}) };
        const last = s.failedClients.get(client);
        if (last !== undefined && t - last <= Math.max(this.policy.windowMs, lockedUntil - t))
            return { refused: true, retryAfterMs: Math.max(1000, lockedUntil - t) };
        return { refused: false, delayMs: this.policy.lockedDelayMs };
    }
    /** Check and, when not refused, reserve the attempt at once (before any await). */
    begin(account, client) {
        const v = this.check(account, client);
        if (v.refused)
            return v;
        const key = AccountLockout.key(account);
        const s = this.state(account) ?? { failures: 0, firstAt: this.now(), lockedUntil: 0, failedClients: new Map(), pending: 0, pendingClients: new Map() };
        this.accounts.delete(key);
        this.accounts.set(key, s);
        this.evict();
        s.pending++;
        s.pendingClients.set(client, (s.pendingClients.get(client) ?? 0) + 1);
        let ended = false;
        const end = () => {
            if (ended)
                return;
            ended = true;
            s.pending--;
            const n = (s.pendingClients.get(client) ?? 1) - 1;
            if (n <= 0)
                s.pendingClients.delete(client);
            else
                s.pendingClients.set(client, n);
        };
        return {
            refused: false,
            attempt: {
                delayMs: v.delayMs,
                failed: () => { if (ended)
                    return; end(); this.failed(account, client); },
                succeeded: () => { if (ended)
                    return; end(); this.succeeded(account, client); },
                abandoned: end,
            },
        };
    }
    /** Whether the account is locked now (for logs and tests). */
    locked(account) {
        const s = this.state(account);
        return !!s && s.lockedUntil > this.now();
    }
    failed(account, client) {
        const key = AccountLockout.key(account);
        const t = this.now();
        let s = this.state(account);
        if (!s)
            s = { failures: 0, firstAt: t, lockedUntil: 0, failedClients: new Map(), pending: 0, pendingClients: new Map() };
        s.failures++;
        s.failedClients.delete(client);
        s.failedClients.set(client, t);
        while (s.failedClients.size > this.policy.maxClientsPerAccount)
            s.failedClients.delete(s.failedClients.keys().next().value);
        if (s.failures >= this.policy.freeFailures) {
            const extra = s.failures - this.policy.freeFailures;
            s.lockedUntil = t + Math.min(this.policy.maxLockMs, this.policy.baseLockMs * 2 ** Math.min(extra, 20));
        }
        this.accounts.delete(key);
        this.accounts.set(key, s);
        this.evict();
    }
    evict() {
        while (this.accounts.size > this.policy.maxAccounts)
            this.accounts.delete(this.accounts.keys().next().value);
    }
    /** The right password: this client is in good standing again. The account's count stays (the
     *  guesser may still be at work); it expires with its window. */
    succeeded(account, client) {
        this.state(account)?.failedClients.delete(client);
    }
}
const shared = new WeakMap();
/** The one lockout of an open store, shared by every protocol that checks passwords. */
export function accountLockoutFor(store) {
    let l = shared.get(store);
    if (!l) {
        l = new AccountLockout();
        shared.set(store, l);
    }
    return l;
}
/** Tests: give a store's protocols a lockout with short times. */
export function useAccountLockout(store, lockout) {
    shared.set(store, lockout);
}
//# sourceMappingURL=auth-lockout.js.map