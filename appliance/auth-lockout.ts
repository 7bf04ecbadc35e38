// Password guessing against one account from many client addresses (a botnet, or tor circuits),
// shared by SMTP AUTH and IMAP LOGIN/AUTHENTICATE so that guesses through either count together.
// Each protocol also limits each client address on its own; this adds the per-account view, the
// same idea as the panel's per-account throttle (web/throttle.ts), with one difference that
// matters for a household: the panel refuses everyone while an account is locked, this does not.
//
// After `delayAfterFailures` failures for an account name (from any client) within `windowMs`,
// every password check for it waits `lockedDelayMs`; after `freeFailures` the account is locked for `baseLockMs`, doubling with each further failure up to `maxLockMs`. While
// it is locked:
//  - a client address that failed for this account is refused without a password check;
//  - any other client is still let in with the right password, after `lockedDelayMs`; a wrong
//    password from it counts like any other failure (and that address is then refused too).
// The trade-off: a guesser gets one guess per address per lock instead of one every few seconds,
// and the family (whose addresses did not fail) can still sign in, a little slower. A guesser
// with as many addresses as it likes is slowed, not stopped: long random passwords stop it.
// Memory is bounded: at most `maxAccounts` names and `maxClientsPerAccount` addresses each (the
// oldest go first).
// Checks are atomic: `begin` reserves the attempt before the (slow, asynchronous) password check,
// and a reserved attempt counts as a failure until it ends, so 50 parallel guesses cannot all be
// let through before the first failure is counted. An attempt refused without a password check is
// not a failure: a polling client retrying through a lock does not push its end out.
import type { Store } from './store/index.js';

export interface AccountLockoutPolicy {
  /** failures after which every check for the account is delayed by `lockedDelayMs` */
  delayAfterFailures: number;
  freeFailures: number;
  windowMs: number;
  baseLockMs: number;
  maxLockMs: number;
  /** how long a client with no failure waits for its password check while the account is locked */
  lockedDelayMs: number;
  maxAccounts: number;
  maxClientsPerAccount: number;
}

export const DEFAULT_ACCOUNT_LOCKOUT: AccountLockoutPolicy = {
  delayAfterFailures: 5, freeFailures: 10, windowMs: 15 * 60_000, baseLockMs: 60_000, maxLockMs: 15 * 60_000,
  lockedDelayMs: 2000, maxAccounts: 10_000, maxClientsPerAccount: 1000,
};

export type LockoutVerdict =
  /** `busy`: refused only because this client's own attempts in progress count as failures (no
   *  password failed yet): it may wait for them to end and try again */
  | { refused: true; retryAfterMs: number; busy?: boolean }
  | { refused: false; delayMs: number };

interface AccountState {
  failures: number;
  firstAt: number;
  lockedUntil: number;
  /** client address -> time of its last failure for this account */
  failedClients: Map<string, number>;
  /** attempts begun and not yet ended (each counts as a failure meanwhile), in all and per client */
  pending: number;
  pendingClients: Map<string, number>;
}

/** A password check in progress: end it exactly once. */
export interface LockoutAttempt {
  readonly delayMs: number;
  failed(): void;
  succeeded(): void;
  /** ended without a password verdict (connection lost, malformed request) */
  abandoned(): void;
}

export class AccountLockout {
  private readonly accounts = new Map<string, AccountState>();

  constructor(readonly policy: AccountLockoutPolicy = DEFAULT_ACCOUNT_LOCKOUT, private readonly now: () => number = Date.now) {}

  private static key(account: string): string {
    return account.trim().toLowerCase();
  }

  private state(account: string): AccountState | undefined {
    const s = this.accounts.get(AccountLockout.key(account));
    if (!s) return undefined;
    const t = this.now();
    if (s.lockedUntil <= t && t - s.firstAt > this.policy.windowMs && s.pending === 0) {
      this.accounts.delete(AccountLockout.key(account));
      return undefined;
    }
    return s;
  }

  /** Before the password is checked: refuse this client, or let it try after `delayMs`. Attempts
   *  in progress count as failures. */
  check(account: string, client: string): LockoutVerdict {
    const s = this.state(account);
    const t = this.now();
    if (!s) return { refused: false, delayMs: 0 };
    const failures = s.failures + s.pending;
    const lockedUntil = failures >= this.policy.freeFailures ? Math.max(s.lockedUntil, t + 1) : s.lockedUntil;
    // (a household client opening several connections at once is not slowed by its own attempts)
    if (lockedUntil <= t) return { refused: false, delayMs: s.failures >= this.policy.delayAfterFailures ? this.policy.lockedDelayMs : 0 };
    if (s.pendingClients.has(client)) return { refused: true, retryAfterMs: Math.max(1000, lockedUntil - t), ...(s.lockedUntil <= t && s.failures < this.policy.freeFailures ? { busy: true } : {}) };
    const last = s.failedClients.get(client);
    if (last !== undefined && t - last <= Math.max(this.policy.windowMs, lockedUntil - t)) return { refused: true, retryAfterMs: Math.max(1000, lockedUntil - t) };
    return { refused: false, delayMs: this.policy.lockedDelayMs };
  }

  /** Check and, when not refused, reserve the attempt at once (before any await). */
  begin(account: string, client: string): { refused: true; retryAfterMs: number; busy?: boolean } | { refused: false; attempt: LockoutAttempt } {
    const v = this.check(account, client);
    if (v.refused) return v;
    const key = AccountLockout.key(account);
    const s = this.state(account) ?? { failures: 0, firstAt: this.now(), lockedUntil: 0, failedClients: new Map(), pending: 0, pendingClients: new Map() };
    this.accounts.delete(key);
    this.accounts.set(key, s);
    this.evict();
    s.pending++;
    s.pendingClients.set(client, (s.pendingClients.get(client) ?? 0) + 1);
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      s.pending--;
      const n = (s.pendingClients.get(client) ?? 1) - 1;
      if (n <= 0) s.pendingClients.delete(client); else s.pendingClients.set(client, n);
    };
    return {
      refused: false,
      attempt: {
        delayMs: v.delayMs,
        failed: () => { if (ended) return; end(); this.failed(account, client); },
        succeeded: () => { if (ended) return; end(); this.succeeded(account, client); },
        abandoned: end,
      },
    };
  }

  /** Whether the account is locked now (for logs and tests). */
  locked(account: string): boolean {
    const s = this.state(account);
    return !!s && s.lockedUntil > this.now();
  }

  failed(account: string, client: string): void {
    const key = AccountLockout.key(account);
    const t = this.now();
    let s = this.state(account);
    if (!s) s = { failures: 0, firstAt: t, lockedUntil: 0, failedClients: new Map(), pending: 0, pendingClients: new Map() };
    s.failures++;
    s.failedClients.delete(client);
    s.failedClients.set(client, t);
    while (s.failedClients.size > this.policy.maxClientsPerAccount) s.failedClients.delete(s.failedClients.keys().next().value as string);
    if (s.failures >= this.policy.freeFailures) {
      const extra = s.failures - this.policy.freeFailures;
      s.lockedUntil = t + Math.min(this.policy.maxLockMs, this.policy.baseLockMs * 2 ** Math.min(extra, 20));
    }
    this.accounts.delete(key);
    this.accounts.set(key, s);
    this.evict();
  }

  private evict(): void {
    while (this.accounts.size > this.policy.maxAccounts) this.accounts.delete(this.accounts.keys().next().value as string);
  }

  /** The right password: this client is in good standing again. The account's count stays (the
   *  guesser may still be at work); it expires with its window. */
  succeeded(account: string, client: string): void {
    this.state(account)?.failedClients.delete(client);
  }
}

const shared = new WeakMap<Store, AccountLockout>();

/** The one lockout of an open store, shared by every protocol that checks passwords. */
export function accountLockoutFor(store: Store): AccountLockout {
  let l = shared.get(store);
  if (!l) { l = new AccountLockout(); shared.set(store, l); }
  return l;
}

/** Tests: give a store's protocols a lockout with short times. */
export function useAccountLockout(store: Store, lockout: AccountLockout): void {
  shared.set(store, lockout);
}
