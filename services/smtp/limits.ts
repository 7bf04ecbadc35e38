// Abuse limits per client: concurrent connections, messages per minute, and authentication
// failures (each failure delayed, then a lockout). The client key is the remote address; on the
// onion MX it is the address tor writes in the PROXY header, which carries the circuit id, so the
// limit applies per circuit. Loopback gets no exemption: onion connections come from 127.0.0.1.
import { smtpReply, type SmtpReply } from './replies.js';

export interface LimitSettings {
  maxConnectionsPerClient: number;
  messagesPerMinutePerClient: number;
  /** failures before the lockout */
  authFailuresBeforeLockout: number;
  /** delay after the n-th failure: n * authFailureDelayMs, at most 5 times that */
  authFailureDelayMs: number;
  lockoutMs: number;
  /** refused recipients (unknown users, relay attempts) a client may try in 10 minutes before it is
   *  disconnected: stops directory harvesting */
  maxRefusedRecipients: number;
}

/** Commands per connection that move no mail forward (NOOP, RSET, VRFY, EXPN, HELP, ETRN; as
 *  Postfix's smtpd_junk_command_limit): past this many the connection is closed with 421. A client
 *  that pipelines thousands of them and never reads the replies would otherwise keep the process
 *  busy answering; an honest client sends a few per message. */
export const MAX_JUNK_COMMANDS = 100;
const JUNK_COMMANDS = new Set(['NOOP', 'RSET', 'VRFY', 'EXPN', 'HELP', 'ETRN']);

/** The command name of a line, if it is one that moves no mail forward. */
export function isJunkCommand(line: Buffer): boolean {
  const name = line.subarray(0, 5).toString('latin1').toUpperCase().replace(/ .*$/, '');
  return JUNK_COMMANDS.has(name);
}

export const DEFAULT_AUTH_LIMITS = { authFailuresBeforeLockout: 5, authFailureDelayMs: 1000, lockoutMs: 15 * 60_000 } as const;
export const DEFAULT_REFUSED_RECIPIENTS = 20;
const REFUSED_WINDOW_MS = 10 * 60_000;

/** `pending`: authentications begun and not ended; each counts as a failure meanwhile, so parallel
 *  guesses cannot all pass the check before the first failure is counted */
interface AuthState { failures: number; pending: number; lockedUntil: number; lastFailure: number }

export class ClientLimits {
  private readonly connections = new Map<string, number>();
  private readonly messages = new Map<string, number[]>();
  private readonly auth = new Map<string, AuthState>();
  private readonly refused = new Map<string, number[]>();

  constructor(private readonly s: LimitSettings, private readonly now: () => number = Date.now) {}

  /** Count a new connection; a reply when the client has too many open. */
  connect(client: string): SmtpReply | undefined {
    const n = this.connections.get(client) ?? 0;
    if (n >= this.s.maxConnectionsPerClient) {
      return smtpReply(421, '4.7.0', `Too many connections from your address (limit ${this.s.maxConnectionsPerClient}); try again later`);
    }
    this.connections.set(client, n + 1);
    return undefined;
  }

  disconnect(client: string): void {
    const n = (this.connections.get(client) ?? 1) - 1;
    if (n <= 0) this.connections.delete(client); else this.connections.set(client, n);
  }

  private recent(client: string): number[] {
    const cutoff = this.now() - 60_000;
    const list = (this.messages.get(client) ?? []).filter((t) => t > cutoff);
    if (list.length) this.messages.set(client, list); else this.messages.delete(client);
    return list;
  }

  /** At MAIL FROM: a reply when the client sent too many messages in the last minute. */
  checkMessageRate(client: string): SmtpReply | undefined {
    if (this.recent(client).length >= this.s.messagesPerMinutePerClient) {
      return smtpReply(450, '4.7.1', `Too many messages from your address (limit ${this.s.messagesPerMinutePerClient} a minute); try again later`);
    }
    return undefined;
  }

  /** A message was accepted from the client. */
  countMessage(client: string): void {
    const list = this.recent(client);
    list.push(this.now());
    this.messages.set(client, list);
  }

  /** A recipient was refused; returns a closing reply once the client refused too many. */
  recipientRefused(client: string): SmtpReply | undefined {
    const cutoff = this.now() - REFUSED_WINDOW_MS;
    const list = (this.refused.get(client) ?? []).filter((t) => t > cutoff);
    list.push(this.now());
    this.refused.set(client, list);
    if (list.length > this.s.maxRefusedRecipients) {
      return smtpReply(421, '4.7.0', 'Too many refused recipients from your address; closing, try again later');
    }
    return undefined;
  }

  /** Before checking a password: a reply when the client is locked out; otherwise the attempt is
   *  reserved at once and must end with `authFailed`, `authSucceeded` or `authAbandoned`. A refused
   *  attempt is not a failure (a client retrying through the lock does not extend it). */
  beginAuth(client: string): SmtpReply | undefined {
    const now = this.now();
    let st = this.auth.get(client);
    if (st && st.lockedUntil > now) {
      const minutes = Math.ceil((st.lockedUntil - now) / 60_000);
      return smtpReply(454, '4.7.0', `Too many failed authentications from your address; try again in ${minutes} minute(s)`);
    }
    if (!st || (st.pending === 0 && now - st.lastFailure > this.s.lockoutMs)) st = { failures: 0, pending: 0, lockedUntil: 0, lastFailure: now };
    if (st.failures + st.pending >= this.s.authFailuresBeforeLockout) {
      return smtpReply(454, '4.7.0', 'Too many authentications in progress from your address; try again later');
    }
    st.pending++;
    this.auth.set(client, st);
    return undefined;
  }

  private endAuth(client: string): AuthState | undefined {
    const st = this.auth.get(client);
    if (st && st.pending > 0) st.pending--;
    return st;
  }

  /** Record a failure; resolves after the delay this failure earns. */
  async authFailed(client: string): Promise<void> {
    const now = this.now();
    let st = this.endAuth(client);
    if (!st) { st = { failures: 0, pending: 0, lockedUntil: 0, lastFailure: now }; this.auth.set(client, st); }
    st.failures++;
    st.lastFailure = now;
    if (st.failures >= this.s.authFailuresBeforeLockout && st.lockedUntil <= now) st.lockedUntil = now + this.s.lockoutMs;
    const delay = Math.min(st.failures, 5) * this.s.authFailureDelayMs;
    await new Promise((r) => setTimeout(r, delay).unref());
  }

  authSucceeded(client: string): void {
    const st = this.endAuth(client);
    if (st && st.pending === 0) this.auth.delete(client);
    else if (st) { st.failures = 0; st.lockedUntil = 0; }
  }

  authAbandoned(client: string): void {
    this.endAuth(client);
  }

  /** A refused attempt is answered as late as a failure. */
  async authRefused(): Promise<void> {
    await new Promise((r) => setTimeout(r, this.s.authFailureDelayMs).unref());
  }

  /** Drop stale entries (called now and then). */
  sweep(): void {
    const now = this.now();
    for (const [k, st] of this.auth) if (st.pending === 0 && st.lockedUntil < now && now - st.lastFailure > this.s.lockoutMs) this.auth.delete(k);
    for (const k of [...this.messages.keys()]) this.recent(k);
    for (const [k, list] of this.refused) if (!list.some((t) => t > now - REFUSED_WINDOW_MS)) this.refused.delete(k);
  }
}
