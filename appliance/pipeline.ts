// The mail pipeline: the seams where services change, check or route a message between the
// protocol that received it and the store. SMTP and the queue's DSNs call it; PGP registers its
// steps (Autocrypt header on submission, peer state from incoming Autocrypt headers, encryption
// at rest); SMTorP registers its sender check and its peer routes; the delivery runner listens
// for new queue entries. One instance per appliance, handed to every mail service in its context.
import { prepareMessage, type Store, type Delivered, type DeliveryTarget, type PreparedMessage, type EnvelopeDsn } from './store/index.js';

/** Change a message an account submits, before DKIM signing (e.g. add an Autocrypt header). */
export type SubmissionStep = (msg: { accountId: number; from: string; raw: Buffer }) => Promise<Buffer>;
/** Change a message before it is stored for one account (e.g. encryption at rest). Return the
 *  input unchanged (the same Buffer) when there is nothing to do. */
export type StorageStep = (msg: { accountId: number; mailbox: string; raw: Buffer }) => Promise<Buffer>;
/** Look at a message received for an account (e.g. record its Autocrypt header). */
export type InboundObserver = (msg: { accountId: number; raw: Buffer }) => Promise<void>;

/** Decide where a message received from outside goes for one account, once it is parsed and
 *  before it is committed (the junk filter): another mailbox, keywords, header lines to prepend
 *  (CRLF ended). Undefined: as it was. Never refuses: the sender already has its 250 coming. */
export type InboundVerdict = (msg: { accountId: number; mailbox: string; raw: Buffer; message: PreparedMessage }) => { mailbox?: string; flags?: string[]; headers?: string } | undefined;

/** What an SMTP server knows about an unauthenticated sender at MAIL FROM. */
export interface InboundSender {
  mailFrom: string;
  /** the addresses of the message's From header fields, once the message is read (DATA) */
  headerFrom?: readonly string[];
  /** SHA-256 (lower-case hex) of the TLS client certificate, when the client presented one */
  clientCertFingerprint?: string;
  /** SHA-256 (lower-case hex) of that certificate's SubjectPublicKeyInfo */
  clientCertSpki?: string;
}
/** Refuse a sender (e.g. mail claiming a SMTorP peer's domain without that peer's certificate):
 *  return an SMTP answer, or undefined to let it through. */
export type SenderCheck = (s: InboundSender) => Promise<{ code: number; message: string } | undefined>;

/** A SMTorP peer's route; its box is known by `spki` (SHA-256 of its TLS public key, version 2
 *  cards) or, from an older card, `fingerprint` (SHA-256 of its certificate). */
export interface PeerRoute { domain: string; onion: string; port: number; spki?: string; fingerprint?: string; fallbackToPublic: boolean }
export type PeerLookup = (domain: string) => PeerRoute | undefined;

/** `envid` and `dsn`: the sender's RFC 3461 requests (ENVID, RET, NOTIFY/ORCPT per recipient). */
export interface RemoteRecipients { mailFrom: string; recipients: readonly string[]; accountId?: number; envid?: string; dsn?: EnvelopeDsn }

export class MailPipeline {
  private readonly submission: SubmissionStep[] = [];
  private readonly storage: StorageStep[] = [];
  private readonly observers: InboundObserver[] = [];
  private readonly verdicts: InboundVerdict[] = [];
  private readonly senderChecks: SenderCheck[] = [];
  private readonly peerLookups: PeerLookup[] = [];
  private readonly queueListeners: Array<() => void> = [];
  /** Tor's SOCKS endpoint when Tor runs (set by the Tor service). */
  socksProxy: (() => { host: string; port: number } | undefined) | undefined;

  constructor(readonly store: Store) {}

  onSubmission(step: SubmissionStep): void { this.submission.push(step); }
  onStorage(step: StorageStep): void { this.storage.push(step); }
  onInbound(observer: InboundObserver): void { this.observers.push(observer); }
  onVerdict(verdict: InboundVerdict): void { this.verdicts.push(verdict); }
  onSenderCheck(check: SenderCheck): void { this.senderChecks.push(check); }
  onPeerLookup(lookup: PeerLookup): void { this.peerLookups.push(lookup); }
  onQueued(listener: () => void): void { this.queueListeners.push(listener); }

  async submit(accountId: number, from: string, raw: Buffer): Promise<Buffer> {
    let out = raw;
    for (const step of this.submission) out = await step({ accountId, from, raw: out });
    return out;
  }

  async checkSender(s: InboundSender): Promise<{ code: number; message: string } | undefined> {
    for (const c of this.senderChecks) {
      const r = await c(s);
      if (r) return r;
    }
    return undefined;
  }

  peerFor(domain: string): PeerRoute | undefined {
    for (const l of this.peerLookups) {
      const r = l(domain.toLowerCase());
      if (r) return r;
    }
    return undefined;
  }

  /** Store a message for local accounts and queue it for remote recipients, atomically: when this
   *  returns, everything is durably stored; when it throws, nothing is. Storage steps (encryption
   *  at rest) run first, so a failing step stores nothing. Concurrent calls share one fsynced
   *  commit (the store's group commit); each one still resolves only after its own rows committed
   *  and fails alone (e.g. over quota). */
  async accept(targets: readonly DeliveryTarget[], remote: RemoteRecipients | undefined, raw: Buffer, internalDate?: number, observe = true): Promise<{ delivered: Delivered[]; queued: number[] }> {
    return this.acceptEach(targets.map((target) => ({ target, raw })), remote, raw, internalDate, observe);
  }

  /** accept() where each target may get its own content (verdict headers); `raw` is the message
   *  as received (observers, the queue). One group-commit request: all stored or none. */
  private async acceptEach(items: ReadonlyArray<{ target: DeliveryTarget; raw: Buffer }>, remote: RemoteRecipients | undefined, raw: Buffer, internalDate: number | undefined, observe: boolean, parsed?: PreparedMessage): Promise<{ delivered: Delivered[]; queued: number[] }> {
    if (observe) for (const { target: t } of items) {
      for (const o of this.observers) {
        try { await o({ accountId: t.accountId, raw }); } catch { /* an observer never blocks delivery */ }
      }
    }
    const groups = new Map<Buffer, DeliveryTarget[]>();
    for (const { target: t, raw: own } of items) {
      let content = own;
      for (const step of this.storage) content = await step({ accountId: t.accountId, mailbox: t.mailbox ?? 'INBOX', raw: content });
      groups.set(content, [...(groups.get(content) ?? []), t]);
    }
    const hasRemote = !!remote && remote.recipients.length > 0;
    // parse and index each distinct content once, outside the commit (CPU work that needs no lock)
    const prepared = new Map<Buffer, PreparedMessage>();
    if (parsed) prepared.set(parsed.raw, parsed);
    const prepare = (b: Buffer): PreparedMessage => {
      let p = prepared.get(b);
      if (!p) { p = prepareMessage(b); prepared.set(b, p); }
      return p;
    };
    const result = await this.store.acceptGrouped({
      deliveries: [...groups].map(([buf, ts]) => ({ message: prepare(buf), targets: ts })),
      ...(hasRemote ? { remote: { ...remote, message: prepare(raw) } } : {}),
      ...(internalDate !== undefined ? { internalDate } : {}),
    });
    if (result.queued.length) for (const l of this.queueListeners) l();
    return result;
  }

  /** Mail received from outside (the MX): each account's verdict (junk filter) may send it to
   *  another mailbox with keywords and header lines of its own, then it is stored like accept().
   *  The message is parsed once for the verdicts; a failing verdict delivers as it was. */
  async receive(targets: readonly DeliveryTarget[], raw: Buffer, internalDate?: number): Promise<{ delivered: Delivered[]; queued: number[] }> {
    if (this.verdicts.length === 0 || targets.length === 0) return this.accept(targets, undefined, raw, internalDate);
    const parsed = prepareMessage(raw);
    const decided: Array<{ target: DeliveryTarget; raw: Buffer }> = [];
    for (const t of targets) {
      let target = t;
      let headers = '';
      for (const v of this.verdicts) {
        try {
          const r = v({ accountId: t.accountId, mailbox: target.mailbox ?? 'INBOX', raw, message: parsed });
          if (!r) continue;
          if (r.mailbox && this.store.mailboxes.get(t.accountId, r.mailbox)) target = { ...target, mailbox: r.mailbox };
          if (r.flags?.length) target = { ...target, flags: [...(target.flags ?? []), ...r.flags] };
          if (r.headers) headers += r.headers;
        } catch { /* a verdict never blocks delivery */ }
      }
      decided.push({ target, raw: headers ? Buffer.concat([Buffer.from(headers, 'utf8'), raw]) : raw });
    }
    // Accounts whose message is unchanged share one stored copy; each changed one is its own.
    return this.acceptEach(decided, undefined, raw, internalDate, true, parsed);
  }

  /** A message a client stores itself (IMAP APPEND): storage steps (encryption at rest) run,
   *  inbound observers do not, since the message was not received. */
  async append(targets: readonly DeliveryTarget[], raw: Buffer, internalDate?: number): Promise<Delivered[]> {
    return (await this.accept(targets, undefined, raw, internalDate, false)).delivered;
  }

  /** Several messages a client stores itself in one command (IMAP MULTIAPPEND, RFC 3502): the
   *  storage steps run for each, then all are committed as one request of the store's group
   *  commit, so either all are stored or none (and other sessions see them appear together). The
   *  store takes one internal date per request. Results are in the order of `items`. */
  async appendAll(items: ReadonlyArray<{ target: DeliveryTarget; raw: Buffer }>, internalDate?: number): Promise<Delivered[]> {
    const deliveries: Array<{ message: PreparedMessage; targets: DeliveryTarget[] }> = [];
    for (const { target, raw } of items) {
      let content = raw;
      for (const step of this.storage) content = await step({ accountId: target.accountId, mailbox: target.mailbox ?? 'INBOX', raw: content });
      deliveries.push({ message: prepareMessage(content), targets: [target] });
    }
    return (await this.store.acceptGrouped({ deliveries, ...(internalDate !== undefined ? { internalDate } : {}) })).delivered;
  }

  /** A message brought in from elsewhere (an import): storage steps run, inbound observers do
   *  not; `alongside` adds the importer's record of it to the same commit (AcceptRequest). */
  async bringIn(target: DeliveryTarget, raw: Buffer, internalDate: number | undefined, alongside: (delivered: Delivered) => void): Promise<Delivered> {
    let content = raw;
    for (const step of this.storage) content = await step({ accountId: target.accountId, mailbox: target.mailbox ?? 'INBOX', raw: content });
    const result = await this.store.acceptGrouped({
      deliveries: [{ message: prepareMessage(content), targets: [target] }],
      ...(internalDate !== undefined ? { internalDate } : {}),
      alongside: (a) => alongside(a.delivered[0]!),
    });
    return result.delivered[0]!;
  }

  /** Local delivery only (DSNs, the Sent copy). */
  async deliverLocal(targets: readonly DeliveryTarget[], raw: Buffer, internalDate?: number): Promise<Delivered[]> {
    return (await this.accept(targets, undefined, raw, internalDate)).delivered;
  }

  /** Tell the delivery runner that entries were queued outside accept() (CLI retry, panel). */
  queued(): void {
    for (const l of this.queueListeners) l();
  }
}
