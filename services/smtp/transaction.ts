// The SMTP handlers of one listener: who may connect, authenticate, send from which address to
// which recipients, and what happens to the message after DATA. The MX (and the onion MX) accept
// mail for local recipients only; the submission listeners accept mail from authenticated
// accounts for anyone. A message is acknowledged only after the pipeline stored it durably.
import type { TLSSocket } from 'node:tls';
import type { Socket } from 'node:net';
import type {
  SMTPServerAddress, SMTPServerAuthentication, SMTPServerAuthenticationResponse, SMTPServerDataStream, SMTPServerSession,
} from 'smtp-server';
import type { ServiceContext } from '../../appliance/service.js';
import type { DeliveryTarget } from '../../appliance/store/index.js';
import { StoreError } from '../../appliance/store/index.js';
import { fingerprintOfDer, spkiFingerprint } from '../../appliance/tls/authority.js';
import { errorText, log, redact, redactAddress } from '../../appliance/log.js';
import { smtpReply, isSmtpReply, REPLY, type SmtpReply } from './replies.js';
import type { ClientLimits } from './limits.js';
import { readMessage, type MemoryBudget } from './message-reader.js';
import { receivedHeader, returnPathHeader } from './trace-headers.js';
import { checkInbound, renameForgedResults, type DNSResolver } from './authentication.js';
import { dkimSignMessage } from './dkim.js';
import { fromAddresses } from './header-from.js';
import { checkMailDsn, checkRcptDsn, envelopeDsn, wantsSuccess } from './dsn-parameters.js';
import { buildDsn } from '../delivery/dsn.js';
import { accountLockoutFor } from '../../appliance/auth-lockout.js';
import { renameForgedJunkHeaders } from '../../appliance/junk/forged-headers.js';

export type SmtpListenerKind = 'mx' | 'mxOnion' | 'submission' | 'submissions';

/** What an authenticated session carries as `session.user`. */
export interface SubmitterIdentity { accountId: number; address: string }

interface SessionState {
  client: string;
  counted: boolean;
  certFingerprint?: string;
  certSpki?: string;
}

type Done = (err?: Error | null) => void;

const ADDRESS_RE = /^(?=.{3,254}$)[^\s@<>()[\]\\,;:"]{1,64}@[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const UTF8_ADDRESS_RE = /^(?=.{3,254}$)[^\s@<>()[\]\\,;:"\x00-\x1f]{1,64}@[^\s@<>()[\]\\,;:"\x00-\x1f]{1,253}$/u;

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

const POSTMASTER_RE = /^postmaster$/i;

/** An address is an account's own when it is one of its addresses or aliases, or a subaddress
 *  (user+tag@domain) of one: the same rule as delivery. */
function owns(mine: readonly string[], address: string): boolean {
  const a = address.toLowerCase();
  return mine.includes(a) || mine.includes(a.replace(/^([^+@]+)\+[^@]*@/, '$1@'));
}

function identity(session: SMTPServerSession): SubmitterIdentity | undefined {
  const u = session.user as unknown;
  return u && typeof u === 'object' && typeof (u as SubmitterIdentity).accountId === 'number' ? (u as SubmitterIdentity) : undefined;
}

export interface TransactionOptions {
  kind: SmtpListenerKind;
  limits: ClientLimits;
  /** message bytes all sessions may hold at once */
  memory?: MemoryBudget;
  resolver?: DNSResolver;
  /** called when a session closes (the server forgets its lifetime timer) */
  onSessionClosed?: (sessionId: string) => void;
}

export class SmtpTransactions {
  private readonly sessions = new Map<string, SessionState>();
  private readonly isMx: boolean;

  constructor(private readonly ctx: ServiceContext, private readonly o: TransactionOptions) {
    this.isMx = o.kind === 'mx' || o.kind === 'mxOnion';
  }

  get openSessions(): number { return this.sessions.size; }

  private get store() { return this.ctx.store; }

  // --- connection ---------------------------------------------------------------------------

  onConnect(session: SMTPServerSession, done: Done): void {
    const client = session.remoteAddress;
    const refused = this.o.limits.connect(client);
    if (refused) {
      log.info('smtp.connection-refused', { listener: this.o.kind, client: redact('ip', client), reason: 'connections' });
      return done(refused);
    }
    this.sessions.set(session.id, { client, counted: true });
    done();
  }

  onSecure(socket: Socket | TLSSocket, session: SMTPServerSession, done: Done): void {
    const st = this.sessions.get(session.id);
    try {
      if (st && this.isMx && 'getPeerCertificate' in socket) {
        const cert = socket.getPeerCertificate();
        if (cert && cert.raw) { st.certFingerprint = fingerprintOfDer(cert.raw); st.certSpki = spkiFingerprint(cert.raw); }
      }
    } catch (e) {
      log.warn('smtp.peer-certificate-unreadable', { listener: this.o.kind, error: errorText(e) });
    }
    done();
  }

  onClose(session: SMTPServerSession): void {
    const st = this.sessions.get(session.id);
    if (st?.counted) this.o.limits.disconnect(st.client);
    this.sessions.delete(session.id);
    this.o.onSessionClosed?.(session.id);
  }

  // --- authentication (submission only) ----------------------------------------------------

  onAuth(auth: SMTPServerAuthentication, session: SMTPServerSession, done: (err: Error | null | undefined, response?: SMTPServerAuthenticationResponse) => void): void {
    this.authenticate(auth, session).then((r) => done(null, r), (e: unknown) => done(isSmtpReply(e) ? e : REPLY.tempFailure()));
  }

  private async authenticate(auth: SMTPServerAuthentication, session: SMTPServerSession): Promise<SMTPServerAuthenticationResponse> {
    const client = session.remoteAddress;
    if (!session.secure) throw smtpReply(530, '5.7.0', 'Must issue a STARTTLS command first (no password over plaintext)');
    if (auth.method !== 'PLAIN' && auth.method !== 'LOGIN') throw smtpReply(504, '5.5.4', 'Unrecognized authentication type');
    const user = (auth.username ?? '').trim();
    const password = auth.password ?? '';
    // Both views reserve the attempt before any await, so parallel guesses count one by one: the
    // client's (limits.ts) and the account's, shared with IMAP (appliance/auth-lockout.ts).
    const locked = this.o.limits.beginAuth(client);
    if (locked) { await this.o.limits.authRefused(); throw locked; }
    const verdict = accountLockoutFor(this.store).begin(user, client);
    if (verdict.refused) {
      this.o.limits.authAbandoned(client);
      log.info('smtp.auth-account-locked', { listener: this.o.kind, client: redact('ip', client), user: redact('user', user) });
      await this.o.limits.authRefused();
      throw smtpReply(454, '4.7.0', `Too many failed authentications for this account; try again in ${Math.max(1, Math.ceil(verdict.retryAfterMs / 60_000))} minute(s)`);
    }
    const attempt = verdict.attempt;
    const fail = async (): Promise<never> => {
      attempt.failed();
      await this.o.limits.authFailed(client);
      throw smtpReply(535, '5.7.8', 'Authentication credentials invalid');
    };
    let account;
    try {
      if (attempt.delayMs) await new Promise((r) => setTimeout(r, attempt.delayMs));
      // PLAIN with an authorization identity different from the authentication identity: refused (RFC 4616 section 2).
      if (auth.method === 'PLAIN' && auth.authzid && auth.authzid.toLowerCase() !== user.toLowerCase()) return await fail();
      account = user && password ? await this.store.accounts.authenticate(user, password) : undefined;
    } catch (e) {
      if (isSmtpReply(e)) throw e;
      attempt.abandoned();
      this.o.limits.authAbandoned(client);
      throw e;
    }
    if (!account) {
      log.info('smtp.auth-failed', { listener: this.o.kind, client: redact('ip', client), user: redact('user', user) });
      return await fail();
    }
    this.o.limits.authSucceeded(client);
    attempt.succeeded();
    const id: SubmitterIdentity = { accountId: account.id, address: account.address };
    return { user: id };
  }

  // --- envelope ----------------------------------------------------------------------------

  onMailFrom(address: SMTPServerAddress, session: SMTPServerSession, done: Done): void {
    this.mailFrom(address, session).then(() => done(), (e: unknown) => done(isSmtpReply(e) ? e : REPLY.tempFailure()));
  }

  private checkSyntax(addr: string, session: SMTPServerSession, what: 'Sender' | 'Recipient'): void {
    const ok = /[^\x00-\x7f]/.test(addr) ? session.envelope.smtpUtf8 && UTF8_ADDRESS_RE.test(addr) : ADDRESS_RE.test(addr);
    if (ok) return;
    if (/[^\x00-\x7f]/.test(addr) && !session.envelope.smtpUtf8) throw smtpReply(553, '5.6.7', `${what} address has non-ASCII characters; use MAIL FROM with SMTPUTF8 (RFC 6531)`);
    throw smtpReply(what === 'Sender' ? 553 : 501, what === 'Sender' ? '5.1.7' : '5.1.3', `${what} address syntax is invalid (RFC 5321 4.1.2)`);
  }

  private async mailFrom(address: SMTPServerAddress, session: SMTPServerSession): Promise<void> {
    const st = this.sessions.get(session.id);
    const client = st?.client ?? session.remoteAddress;
    const rate = this.o.limits.checkMessageRate(client);
    if (rate) throw rate;
    const from = address.address;
    if (from !== '') this.checkSyntax(from, session, 'Sender');
    if (this.isMx) {
      const verdict = await this.ctx.pipeline.checkSender({ mailFrom: from, ...(st?.certFingerprint ? { clientCertFingerprint: st.certFingerprint } : {}), ...(st?.certSpki ? { clientCertSpki: st.certSpki } : {}) });
      if (verdict) {
        const own = /^(\d\.\d{1,3}\.\d{1,3}) (.*)$/s.exec(verdict.message);
        throw smtpReply(verdict.code, own ? own[1]! : verdict.code >= 500 ? '5.7.1' : '4.7.1', own ? own[2]! : verdict.message);
      }
      return;
    }
    const who = identity(session);
    if (!who) throw smtpReply(530, '5.7.0', 'Authentication required');
    const dsnRefused = checkMailDsn(address);
    if (dsnRefused) throw dsnRefused;
    const mine = this.store.aliases.addressesOf(who.accountId);
    if (from === '' || !owns(mine, from)) {
      log.info('smtp.sender-refused', { listener: this.o.kind, user: redact('user', who.address), from: redactAddress(from) });
      throw REPLY.notYourAddress();
    }
  }

  onRcptTo(address: SMTPServerAddress, session: SMTPServerSession, done: Done): void {
    try {
      this.rcptTo(address, session);
      done();
    } catch (e) {
      if (!isSmtpReply(e)) return done(REPLY.tempFailure());
      const client = this.sessions.get(session.id)?.client ?? session.remoteAddress;
      const closing = e.responseCode >= 500 ? this.o.limits.recipientRefused(client) : undefined;
      if (closing) log.info('smtp.recipients-refused-limit', { listener: this.o.kind, client: redact('ip', client) });
      done(closing ?? e);
    }
  }

  /** "Postmaster" without a domain (RFC 5321 4.5.1) is the first domain's postmaster. */
  private canonical(rcpt: string): string {
    return POSTMASTER_RE.test(rcpt) ? `postmaster@${this.ctx.config.domains[0]}` : rcpt;
  }

  private rcptTo(address: SMTPServerAddress, session: SMTPServerSession): void {
    const rcpt = this.canonical(address.address);
    this.checkSyntax(rcpt, session, 'Recipient');
    if (!this.isMx) {
      const checked = checkRcptDsn(address);
      if ('refused' in checked) throw checked.refused;
    }
    const domain = domainOf(rcpt);
    if (!this.store.domains.has(domain)) {
      if (this.isMx || !identity(session)) throw REPLY.relayDenied();
      return; // an authenticated account sends to a remote recipient: queued
    }
    const accounts = this.store.aliases.resolve(rcpt);
    if (!accounts.length) throw REPLY.unknownUser();
    const mailFrom = session.envelope.mailFrom;
    const sizeArg = mailFrom && mailFrom.args ? mailFrom.args.SIZE : undefined;
    const declared = typeof sizeArg === 'string' && /^\d+$/.test(sizeArg) ? Number(sizeArg) : 0;
    for (const id of accounts) {
      const a = this.store.accounts.byId(id);
      if (!a || a.quotaBytes <= 0) continue;
      if (declared > a.quotaBytes) throw smtpReply(552, '5.2.2', 'Mailbox full: the message is larger than the mailbox quota');
      if (a.usedBytes + Math.max(declared, 1) > a.quotaBytes) throw smtpReply(452, '4.2.2', 'Mailbox full, try again later');
    }
  }

  // --- message -------------------------------------------------------------------------------

  onData(stream: SMTPServerDataStream, session: SMTPServerSession, done: (err?: Error | null, message?: string) => void): void {
    this.data(stream, session).then((msg) => done(null, msg), (e: unknown) => {
      if (!isSmtpReply(e)) log.error('smtp.data-failed', { listener: this.o.kind, error: errorText(e) });
      done(isSmtpReply(e) ? e : REPLY.tempFailure());
    });
  }

  private async data(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<string> {
    const st = this.sessions.get(session.id);
    const client = st?.client ?? session.remoteAddress;
    const read = await readMessage(stream, this.ctx.config.smtp.maxMessageSize, this.o.memory);
    try {
      this.o.limits.countMessage(client);
      if (!read.ok) {
        log.info('smtp.message-refused', { listener: this.o.kind, client: redact('ip', client), reason: read.reply.message });
        throw read.reply;
      }
      const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
      const rcpts = session.envelope.rcptTo.map((r) => r.address);
      return await (this.isMx ? this.receive(read.raw, session, mailFrom, rcpts, client) : this.submit(read.raw, session, mailFrom, rcpts));
    } finally {
      this.o.memory?.give(read.held);
    }
  }

  private received(session: SMTPServerSession, rcpts: readonly string[], withClient: boolean): string {
    const tls = session.tlsOptions ? { version: session.tlsOptions.version ?? 'TLS', cipher: session.tlsOptions.name } : undefined;
    return receivedHeader({
      hostname: this.ctx.config.hostname,
      sessionId: session.id,
      // RFC 6531 3.7.3: UTF8SMTP, UTF8SMTPS, UTF8SMTPA, UTF8SMTPSA when the transaction used SMTPUTF8.
      protocol: session.envelope.smtpUtf8 ? (session.transmissionType || 'ESMTP').replace(/^ESMTP/, 'UTF8SMTP') : (session.transmissionType || 'ESMTP'),
      ...(withClient ? { client: { helo: session.hostNameAppearsAs || 'unknown', ip: session.remoteAddress } } : {}),
      ...(tls ? { tls } : {}),
      ...(rcpts.length === 1 ? { recipient: rcpts[0]! } : {}),
    });
  }

  /** Local targets for recipients, one per account. */
  private targets(rcpts: readonly string[]): { targets: DeliveryTarget[]; remote: string[] } {
    const seen = new Set<number>();
    const targets: DeliveryTarget[] = [];
    const remote: string[] = [];
    for (const given of rcpts) {
      const r = this.canonical(given);
      if (!this.store.domains.has(domainOf(r))) { remote.push(r); continue; }
      for (const id of this.store.aliases.resolve(r)) {
        if (!seen.has(id)) { seen.add(id); targets.push({ accountId: id }); }
      }
    }
    return { targets, remote };
  }

  private storeFailure(e: unknown, size: number, targets: readonly DeliveryTarget[]): SmtpReply {
    if (e instanceof StoreError && e.code === 'over-quota') {
      // Permanent when the message is larger than a recipient's whole quota (it never fits).
      const never = targets.some((t) => { const a = this.store.accounts.byId(t.accountId); return !!a && a.quotaBytes > 0 && size > a.quotaBytes; });
      return never ? smtpReply(552, '5.2.2', 'Mailbox full: the message is larger than the mailbox quota; nothing was stored')
        : smtpReply(452, '4.2.2', 'Mailbox full, try again later; nothing was stored');
    }
    log.error('smtp.store-failed', { listener: this.o.kind, error: errorText(e) });
    return REPLY.tempFailure();
  }

  private async receive(raw: Buffer, session: SMTPServerSession, mailFrom: string, rcpts: string[], client: string): Promise<string> {
    // The SMTorP pin covers the From: header too: a peer's domain there is accepted only from the
    // peer's box (its client certificate), whatever the envelope says.
    const st = this.sessions.get(session.id);
    const headerFrom = fromAddresses(raw).filter((a): a is string => !!a);
    const verdict = await this.ctx.pipeline.checkSender({ mailFrom, headerFrom, ...(st?.certFingerprint ? { clientCertFingerprint: st.certFingerprint } : {}), ...(st?.certSpki ? { clientCertSpki: st.certSpki } : {}) });
    if (verdict) {
      const own = /^(\d\.\d{1,3}\.\d{1,3}) (.*)$/s.exec(verdict.message);
      throw smtpReply(verdict.code, own ? own[1]! : verdict.code >= 500 ? '5.7.1' : '4.7.1', own ? own[2]! : verdict.message);
    }
    // mail from a pinned peer (its From: domain checked above) is authenticated by the pin
    const fromPeer = headerFrom.length > 0 && headerFrom.every((a) => !!this.ctx.pipeline.peerFor(domainOf(a)));
    let authHeaders = '';
    let junk = false;
    try {
      const check = await checkInbound(raw, {
        ip: session.remoteAddress, helo: session.hostNameAppearsAs || '', mailFrom, hostname: this.ctx.config.hostname,
        ...(this.o.resolver ? { resolver: this.o.resolver } : {}),
      });
      // DMARC on both MX listeners. On the onion MX, SPF means nothing (the address is tor's
      // circuit), so a message passes DMARC there only by an aligned DKIM signature; anyone can
      // reach an onion, so a From: naming a domain that publishes p=reject is refused there too.
      if (check.dmarcReject && this.ctx.config.smtp.dmarcReject && !fromPeer) {
        log.info('smtp.dmarc-reject', { listener: this.o.kind, client: redact('ip', client), from: redactAddress(mailFrom) });
        throw smtpReply(550, '5.7.1', 'Message rejected: the sender domain\'s DMARC policy is reject and the message failed DMARC (RFC 7489)');
      }
      authHeaders = check.headers;
      // RFC 7489 6.3: p=quarantine asks receivers to treat failing mail as suspicious: the Junk folder.
      junk = check.dmarcQuarantine && !fromPeer;
    } catch (e) {
      if (isSmtpReply(e)) throw e;
      log.warn('smtp.authentication-error', { error: errorText(e) });
      authHeaders = `Authentication-Results: ${this.ctx.config.hostname}; none (authentication check failed: temporary error)\r\n`;
    }
    const full = Buffer.concat([Buffer.from(returnPathHeader(mailFrom) + this.received(session, rcpts, true) + authHeaders), renameForgedResults(renameForgedJunkHeaders(raw), this.ctx.config.hostname)]);
    const { targets: inbox, remote } = this.targets(rcpts);
    // (an account that deleted its Junk folder gets it in the INBOX, marked by its Authentication-Results)
    const targets = junk ? inbox.map((tg) => (this.store.mailboxes.get(tg.accountId, 'Junk') ? { ...tg, mailbox: 'Junk' } : tg)) : inbox;
    // A domain or alias removed since RCPT: never a 250 for a recipient nothing was stored for.
    if (remote.length || targets.length === 0) throw smtpReply(451, '4.3.0', 'The recipients changed during the transaction; nothing was stored, try again');
    try {
      await this.ctx.pipeline.receive(targets, full);
    } catch (e) {
      throw this.storeFailure(e, full.length, targets);
    }
    log.info('smtp.received', { listener: this.o.kind, client: redact('ip', client), from: redactAddress(mailFrom), recipients: targets.length, size: full.length });
    return `2.6.0 Message stored for ${targets.length} mailbox(es)`;
  }

  /** NOTIFY=SUCCESS for recipients delivered here: a "delivered" notice (RFC 3464) into the
   *  sender's INBOX, after the message itself is stored. A failure to store the notice is logged;
   *  the message stays accepted. */
  private async successNotice(session: SMTPServerSession, who: SubmitterIdentity, mailFrom: string, envid: string | undefined, body: Buffer): Promise<void> {
    const local = session.envelope.rcptTo.filter((r) => this.store.domains.has(domainOf(this.canonical(r.address))) && wantsSuccess(r));
    if (!local.length) return;
    const raw = buildDsn({
      kind: 'delivered', reportingMta: this.ctx.config.hostname, sender: mailFrom, envid: envid ?? null,
      arrival: new Date(), now: new Date(), original: body,
      recipients: local.map((r) => {
        const checked = checkRcptDsn(r);
        const orcpt = 'dsn' in checked ? checked.dsn.orcpt : undefined;
        return { address: this.canonical(r.address), status: '2.0.0', diagnostic: '250 2.0.0 delivered to the mailbox', ...(orcpt ? { orcpt } : {}) };
      }),
    });
    try {
      await this.ctx.pipeline.deliverLocal([{ accountId: who.accountId }], raw);
      log.info('smtp.dsn', { listener: this.o.kind, kind: 'delivered', user: redact('user', who.address), recipients: local.length });
    } catch (e) {
      log.warn('smtp.dsn-failed', { listener: this.o.kind, kind: 'delivered', error: errorText(e) });
    }
  }

  private async submit(raw: Buffer, session: SMTPServerSession, mailFrom: string, rcpts: string[]): Promise<string> {
    const who = identity(session);
    if (!who) throw smtpReply(530, '5.7.0', 'Authentication required');
    const mine = this.store.aliases.addressesOf(who.accountId);
    const froms = fromAddresses(raw);
    if (froms.length === 0) throw smtpReply(550, '5.6.0', 'Message refused: it has no From header field (RFC 5322 3.6)');
    if (froms.some((f) => !f || !owns(mine, f))) {
      log.info('smtp.from-refused', { user: redact('user', who.address) });
      throw smtpReply(550, '5.7.1', 'Message refused: its From header is not one of your addresses or aliases');
    }
    const withReceived = Buffer.concat([Buffer.from(this.received(session, rcpts, false)), raw]);
    const prepared = await this.ctx.pipeline.submit(who.accountId, mailFrom, withReceived);
    const signDomain = domainOf(froms[0]!);
    const signed = await dkimSignMessage(this.store, signDomain, prepared);
    const { targets, remote } = this.targets(rcpts);
    const sentCopy = this.ctx.config.smtp.sentCopy;
    if (sentCopy) targets.push({ accountId: who.accountId, mailbox: 'Sent', flags: ['\\Seen'] });
    // Return-Path is added at final delivery only (RFC 5321 4.4): not to mail that leaves the box.
    const body = remote.length === 0 ? Buffer.concat([Buffer.from(returnPathHeader(mailFrom)), signed]) : signed;
    const dsn = envelopeDsn(session, (r) => this.canonical(r));
    try {
      await this.ctx.pipeline.accept(targets, remote.length ? { mailFrom, recipients: remote, accountId: who.accountId, ...dsn } : undefined, body);
    } catch (e) {
      throw this.storeFailure(e, body.length, targets);
    }
    await this.successNotice(session, who, mailFrom, dsn.envid, body);
    log.info('smtp.submitted', { listener: this.o.kind, user: redact('user', who.address), local: targets.length - (sentCopy ? 1 : 0), remote: remote.length, size: body.length });
    return remote.length ? `2.6.0 Message accepted: ${remote.length} recipient(s) queued for delivery` : '2.6.0 Message delivered';
  }
}
