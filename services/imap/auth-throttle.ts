// Slowing down password guessing: every failed authentication is answered late, and too many
// failures lock out the client address + user pair or the address for a while. Failures for one
// account from anywhere count in the lockout shared with SMTP (appliance/auth-lockout.ts), which
// refuses the addresses that failed and lets the others in, after a short delay, with the right
// password, so that guessing cannot lock the household out. The lock is checked before the
// password, so a locked-out guesser learns nothing more.
import { imapLimits } from './limits.js';
import type { AccountLockout } from '../../appliance/auth-lockout.js';

interface Counter { failures: number; first: number; lockedUntil: number }

export class AuthThrottle {
  private readonly counters = new Map<string, Counter>();

  /** `accounts`: the store's shared per-account lockout (absent: per client only) */
  constructor(private readonly accounts?: () => AccountLockout) {}

  private keys(address: string, user: string): Array<[string, number]> {
    const u = user.toLowerCase().trim();
    return [
      [`pair ${address} ${u}`, imapLimits.maxFailuresPerClientUser],
      [`addr ${address}`, imapLimits.maxFailuresPerAddress],
    ];
  }

  /** Is this attempt refused without looking at the password? */
  locked(address: string, user: string, now = Date.now()): boolean {
    if (this.accounts?.().check(user, address).refused) return true;
    return this.keys(address, user).some(([k]) => (this.counters.get(k)?.lockedUntil ?? 0) > now);
  }

  /** How long to wait before checking the password (the account is under attack from elsewhere). */
  delayBeforeCheck(address: string, user: string): number {
    const v = this.accounts?.().check(user, address);
    return v && !v.refused ? v.delayMs : 0;
  }

  /** Record a failure; resolves after the failure delay. */
  async failed(address: string, user: string): Promise<void> {
    const now = Date.now();
    this.accounts?.().failed(user, address);
    for (const [k, max] of this.keys(address, user)) {
      let c = this.counters.get(k);
      if (!c || now - c.first > imapLimits.lockoutMs) { c = { failures: 0, first: now, lockedUntil: 0 }; this.counters.set(k, c); }
      c.failures++;
      if (c.failures >= max) c.lockedUntil = now + imapLimits.lockoutMs;
    }
    this.prune(now);
    await new Promise((r) => setTimeout(r, imapLimits.authFailureDelayMs));
  }

  succeeded(address: string, user: string): void {
    this.accounts?.().succeeded(user, address);
    this.counters.delete(this.keys(address, user)[0]![0]);
  }

  private prune(now: number): void {
    if (this.counters.size < 10_000) return;
    for (const [k, c] of this.counters) if (c.lockedUntil < now && now - c.first > imapLimits.lockoutMs) this.counters.delete(k);
  }
}
