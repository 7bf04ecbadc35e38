// Slowing down password guessing: every failed authentication is answered late, and too many
// failures lock out the client address + user pair, the user, or the address for a while. The
// lock is checked before the password, so a locked-out guesser learns nothing more.
import { imapLimits } from './limits.js';

interface Counter { failures: number; first: number; lockedUntil: number }

export class AuthThrottle {
  private readonly counters = new Map<string, Counter>();

  private keys(address: string, user: string): Array<[string, number]> {
    const u = user.toLowerCase().trim();
    return [
      [`pair ${address} ${u}`, imapLimits.maxFailuresPerClientUser],
      [`user ${u}`, imapLimits.maxFailuresPerUser],
      [`addr ${address}`, imapLimits.maxFailuresPerAddress],
    ];
  }

  /** Is this attempt refused without looking at the password? */
  locked(address: string, user: string, now = Date.now()): boolean {
    return this.keys(address, user).some(([k]) => (this.counters.get(k)?.lockedUntil ?? 0) > now);
  }

  /** Record a failure; resolves after the failure delay. */
  async failed(address: string, user: string): Promise<void> {
    const now = Date.now();
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
    this.counters.delete(this.keys(address, user)[0]![0]);
  }

  private prune(now: number): void {
    if (this.counters.size < 10_000) return;
    for (const [k, c] of this.counters) if (c.lockedUntil < now && now - c.first > imapLimits.lockoutMs) this.counters.delete(k);
  }
}
