// The queue runner: takes due entries from the store (woken when SMTP queues mail and on a timer,
// which also picks up `postern queue retry` from the CLI), a few at a time, delivers each over its
// route, records every recipient's answer, and tells a local sender with RFC 3464 notices: a delay
// notice once (after delayNoticeAfterHours, or at once when a required TLS rule failed), a bounce
// for recipients that failed for good or expired. An entry leaves the queue only when every
// recipient has a final answer and every failure was reported. The sender's RFC 3461 requests
// are honoured per recipient: NOTIFY=NEVER gets no notice at all, a NOTIFY without DELAY no delay
// notice, without FAILURE no bounce; NOTIFY=SUCCESS goes on to a next hop that offers DSN, and
// gets a "relayed" notice from here when it does not; RET=FULL returns the whole message in a
// bounce. No NOTIFY: the defaults (delay notice and bounce, never a success notice).
import type { Config } from '../../appliance/config.js';
import type { Store, QueueEntry, QueueRecipient } from '../../appliance/store/index.js';
import type { MailPipeline } from '../../appliance/pipeline.js';
import { errorText, log, redact, redactAddress, scrubIpAddresses } from '../../appliance/log.js';
import { makeResolver, DnsCache } from './mx.js';
import { MtaStsPolicies, httpsPolicyFetch, type PolicyFetch } from './mta-sts.js';
import { peerPlan, publicPlan, DnsLookupError, type RouteContext } from './routes.js';
import { attemptDelivery, SessionPool, type AttemptOutcome, type Envelope, type RecipientResult } from './attempt.js';
import { nextAttemptAt } from './schedule.js';
import { buildDsn, statusOf, type DsnRecipient, type DsnKind } from './dsn.js';

export interface DeliveryOptions {
  /** the clock (tests move it forward instead of sleeping hours) */
  now?: () => number;
  random?: () => number;
  /** how MTA-STS policy files are fetched (tests serve one locally) */
  fetchMtaSts?: PolicyFetch;
  /** extra trust anchors (PEM) for verified TLS to a relay or an MTA-STS MX (tests) */
  trustAnchors?: string[];
  /** per SMTP command; RFC 5321 4.5.3.2 suggests minutes */
  timeoutMs?: number;
  dataTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** attempts at once (a small box: a few) */
  concurrency?: number;
  /** how often the queue is looked at for due entries */
  pollMs?: number;
  /** how long an idle session is kept for the next message to the same host */
  sessionIdleMs?: number;
}

export interface RunnerDeps {
  config: Config;
  store: Store;
  pipeline: MailPipeline;
  clientCert?: { key: string; cert: string };
}

const HOUR = 3600_000;

export class QueueRunner {
  private readonly inFlight = new Map<number, Promise<void>>();
  /** attempts holding a connection slot */
  private active = 0;
  private readonly pool: SessionPool;
  private readonly rc: RouteContext;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly concurrency: number;
  private readonly transport: { heloName: string; timeoutMs: number; connectTimeoutMs: number; dataTimeoutMs: number; trustAnchors?: string[] };
  private timer: NodeJS.Timeout | undefined;
  private closing = false;
  private wakeScheduled = false;
  private reclaimTimer: NodeJS.Timeout | undefined;
  private batchTimer: NodeJS.Timeout | undefined;
  private readonly batch: Array<{ fn: () => void; resolve: () => void; reject: (e: Error) => void }> = [];
  /** attempts finished since start (for the panel and the benchmark) */
  attempts = 0;

  constructor(private readonly deps: RunnerDeps, private readonly opts: DeliveryOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
    this.concurrency = opts.concurrency ?? 4;
    this.pool = new SessionPool(opts.sessionIdleMs ?? 5000);
    const resolver = new DnsCache(makeResolver(deps.config.delivery.dnsServers), this.now);
    this.rc = {
      config: deps.config,
      resolver,
      mtaSts: new MtaStsPolicies(resolver, opts.fetchMtaSts ?? httpsPolicyFetch, this.now),
      peerFor: (d) => deps.pipeline.peerFor(d),
      socksProxy: () => deps.pipeline.socksProxy?.(),
      clientCert: deps.clientCert,
      random: this.random,
    };
    this.transport = {
      heloName: deps.config.hostname,
      timeoutMs: opts.timeoutMs ?? 300_000,
      connectTimeoutMs: opts.connectTimeoutMs ?? 30_000,
      dataTimeoutMs: opts.dataTimeoutMs ?? 600_000,
      ...(opts.trustAnchors ? { trustAnchors: opts.trustAnchors } : {}),
    };
  }

  /** Run on its own: wake on new queue entries and poll for due ones. */
  /** The TLS client certificate presented from now on (the appliance re-issued its certificates). */
  useClientCert(cert: { key: string; cert: string } | undefined): void {
    this.rc.clientCert = cert;
  }

  start(): void {
    this.deps.pipeline.onQueued(() => this.wake());
    this.timer = setInterval(() => this.pump(), this.opts.pollMs ?? 5000);
    this.wake();
  }

  wake(): void {
    if (this.wakeScheduled || this.closing) return;
    this.wakeScheduled = true;
    setImmediate(() => { this.wakeScheduled = false; this.pump(); });
  }

  get busy(): number { return this.inFlight.size; }

  private pump(): void {
    if (this.closing) return;
    const free = this.concurrency - this.active;
    if (free <= 0) return;
    let due: QueueEntry[];
    try {
      due = this.deps.store.queue.dueExcept(this.now(), free, this.inFlight.keys());
    } catch (e) {
      log.error('delivery.queue-read-failed', { error: errorText(e) });
      return;
    }
    for (const entry of due) {
      this.active++;
      let released = false;
      const release = () => { if (!released) { released = true; this.active--; this.pump(); } };
      const p = this.process(entry, release)
        .catch((e: unknown) => log.error('delivery.attempt-failed', { entry: entry.id, error: errorText(e) }))
        .finally(() => { this.inFlight.delete(entry.id); this.attempts++; release(); });
      this.inFlight.set(entry.id, p);
    }
  }

  /** Work until nothing is due any more (tests; `postern queue` flush). */
  async drain(): Promise<void> {
    for (;;) {
      this.pump();
      if (this.inFlight.size === 0) return;
      await Promise.all([...this.inFlight.values()]);
    }
  }

  /** One attempt for one entry. `release` frees its connection slot once the network part is
   *  over; the entry itself stays in flight until its answers are committed. */
  private async process(entry: QueueEntry, release: () => void): Promise<void> {
    const store = this.deps.store;
    const pending = entry.recipients.filter((r) => r.status === 'pending').map((r) => r.address);
    if (pending.length) {
      let data: Buffer;
      try {
        data = store.readMessage(store.messages.blob(entry.blobId).hash);
      } catch (e) {
        log.error('delivery.content-missing', { entry: entry.id, error: errorText(e) });
        store.queue.recordAttempt(entry.id, pending.map((address) => ({ address, status: 'failed', reply: '554 5.3.0 the message content is missing from the store' })), '554 5.3.0 the message content is missing from the store', this.now());
        return this.report(entry.id, undefined);
      }
      const env: Envelope = {
        mailFrom: entry.mailFrom, recipients: pending, envid: entry.envid, data, ret: entry.ret,
        dsn: new Map(entry.recipients.filter((r) => r.notify || r.orcpt).map((r) => [r.address, { notify: r.notify, orcpt: r.orcpt }])),
      };
      const outcome = await this.route(entry.domain, env);
      release();
      const now = this.now();
      const expiresAt = entry.createdAt + this.deps.config.delivery.expireAfterHours * HOUR;
      const results: RecipientResult[] = outcome.results.map((r) => r.status === 'pending' && now >= expiresAt
        ? { address: r.address, status: 'failed', reply: `451 4.4.7 delivery time expired after ${this.deps.config.delivery.expireAfterHours} hours; last answer: ${r.reply}` }
        : r);
      if (this.closing && results.every((r) => r.status === 'pending')) return; // interrupted by shutdown: try again after restart
      // the common case, everything delivered: the answers and the removal in one transaction
      const done = results.every((r) => r.status === 'delivered') && entry.recipients.every((r) => r.status !== 'failed' || r.notified);
      await this.commit(() => {
        // nothing pending: due at once, so a crash before the bounce below repeats it at restart
        const next = results.some((r) => r.status === 'pending') ? nextAttemptAt(now, entry.attempts + 1, expiresAt, this.random()) : now;
        store.queue.recordAttempt(entry.id, results, outcome.lastReply, next, outcome.route);
        if (done) removeEntry(store, entry.id);
      });
      const delivered = results.filter((r) => r.status === 'delivered').length;
      const failed = results.filter((r) => r.status === 'failed').length;
      log.info('delivery.attempt', {
        entry: entry.id, route: outcome.route, domain: redact('host', entry.domain), delivered, failed,
        deferred: results.length - delivered - failed,
        // the whole answer (the reason is often past its code); addresses and IPs in it hashed
        reply: scrubIpAddresses(outcome.lastReply),
      });
      // NOTIFY=SUCCESS: the next hop reports delivery itself when it took the request; else we say
      // "relayed" (RFC 3461 5.2.2). Told after the answers are committed: a crash in between loses
      // this notice, never the mail.
      const relayed = outcome.dsnPassed ? [] : results.filter((r) => r.status === 'delivered' && wants(recipientOf(entry, r.address), 'SUCCESS'));
      if (relayed.length) {
        await this.notify(entry, 'relayed', relayed.map((r) => ({ ...this.dsnRecipient(r, outcome, false), status: '2.0.0' })));
      }
      if (done) { this.reclaimSoon(); return; }
      if (results.some((r) => r.status === 'pending') && !entry.delayNotified && (outcome.tlsPolicyFailure || now - entry.createdAt >= this.deps.config.delivery.delayNoticeAfterHours * HOUR)) {
        const asked = results.filter((r) => r.status === 'pending' && wants(recipientOf(entry, r.address), 'DELAY'));
        if (asked.length) await this.notify(entry, 'delayed', asked.map((r) => this.dsnRecipient(r, outcome, false)), expiresAt);
        else log.info('delivery.no-dsn', { entry: entry.id, kind: 'delayed', reason: 'NOTIFY did not ask for it' });
        store.queue.markDelayNotified(entry.id);
      }
      return this.report(entry.id, outcome.remoteMta);
    }
    await this.report(entry.id, undefined);
  }

  /** Bounce failed recipients not yet reported; remove the entry when everything is final. */
  private async report(id: number, remoteMta: string | undefined): Promise<void> {
    const store = this.deps.store;
    const entry = store.queue.get(id);
    if (!entry) return;
    const unreported = entry.recipients.filter((r) => r.status === 'failed' && !r.notified);
    if (unreported.length) {
      const asked = unreported.filter((r) => wants(r, 'FAILURE'));
      if (asked.length) await this.notify(entry, 'failed', asked.map((r) => ({ address: r.address, status: statusOf(r.reply ?? '', true), diagnostic: r.reply ?? 'failed', ...(remoteMta ? { remoteMta } : {}) })));
      if (asked.length < unreported.length) log.info('delivery.no-dsn', { entry: id, kind: 'failed', recipients: unreported.length - asked.length, reason: 'NOTIFY did not ask for it' });
      store.queue.markNotified(id, unreported.map((r) => r.address));
    }
    if (entry.recipients.every((r) => r.status !== 'pending')) {
      removeEntry(store, id);
      this.reclaimSoon();
    }
  }

  /** Group commit: answers recorded within a few milliseconds share one fsynced transaction. The
   *  entry stays in flight until its answers are committed; a crash before that means the message
   *  is sent again after restart (at least once, never lost). */
  private commit(fn: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.batch.push({ fn, resolve, reject });
      if (this.batch.length >= 128) this.flush();
      else this.batchTimer ??= setTimeout(() => this.flush(), 10);
    });
  }

  private flush(): void {
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    const items = this.batch.splice(0);
    if (!items.length) return;
    // each item in its own savepoint: one failing item does not undo the others
    const failed = new Map<(typeof items)[number], Error>();
    try {
      this.deps.store.transaction(() => {
        for (const i of items) {
          try { this.deps.store.transaction(i.fn); } catch (e) { failed.set(i, e as Error); }
        }
      });
    } catch (e) {
      for (const i of items) if (!failed.has(i)) failed.set(i, e as Error);
    }
    for (const i of items) { const e = failed.get(i); if (e) i.reject(e); else i.resolve(); }
  }

  /** Free the content of finished entries, at most once a second (it scans the blob table). */
  private reclaimSoon(): void {
    if (this.reclaimTimer) return;
    this.reclaimTimer = setTimeout(() => this.reclaimNow(), 1000);
  }

  private reclaimNow(): void {
    if (this.reclaimTimer) clearTimeout(this.reclaimTimer);
    this.reclaimTimer = undefined;
    try { this.deps.store.reclaim(); } catch (e) { log.warn('delivery.reclaim-failed', { error: errorText(e) }); }
  }

  private dsnRecipient(r: RecipientResult, o: AttemptOutcome, permanent: boolean): DsnRecipient {
    return { address: r.address, status: statusOf(r.reply, permanent), diagnostic: r.reply, ...(o.remoteMta ? { remoteMta: o.remoteMta } : {}) };
  }

  /** A DSN into the sender's INBOX, only when the sender is a local account (no backscatter). */
  private async notify(entry: QueueEntry, kind: DsnKind, given: DsnRecipient[], retryUntil?: number): Promise<void> {
    const recipients = given.map((r) => { const orcpt = recipientOf(entry, r.address)?.orcpt; return orcpt ? { ...r, orcpt } : r; });
    if (entry.accountId === null || entry.mailFrom === '') {
      log.info('delivery.no-dsn', { entry: entry.id, kind, reason: entry.mailFrom === '' ? 'null sender' : 'sender is not a local account' });
      return;
    }
    const store = this.deps.store;
    let original: Buffer;
    try { original = store.readMessage(store.messages.blob(entry.blobId).hash); } catch { original = Buffer.from(''); }
    const raw = buildDsn({
      kind, reportingMta: this.deps.config.hostname, sender: entry.mailFrom, envid: entry.envid,
      arrival: new Date(entry.createdAt), now: new Date(this.now()), recipients, original, ret: entry.ret,
      ...(retryUntil ? { retryUntil: new Date(retryUntil) } : {}),
    });
    try {
      await this.deps.pipeline.deliverLocal([{ accountId: entry.accountId }], raw);
      log.info('delivery.dsn', { entry: entry.id, kind, sender: redactAddress(entry.mailFrom), recipients: recipients.length });
    } catch (e) {
      // the account is gone or over quota: the failure is still final; say so in the log
      log.warn('delivery.dsn-failed', { entry: entry.id, kind, error: errorText(e) });
    }
  }

  private async route(domain: string, env: Envelope): Promise<AttemptOutcome> {
    const peer = this.deps.pipeline.peerFor(domain);
    if (peer) {
      const viaPeer = await attemptDelivery(peerPlan(peer, this.rc), env, this.pool, this.transport);
      const still = viaPeer.results.filter((r) => r.status === 'pending').map((r) => r.address);
      if (!peer.fallbackToPublic || still.length === 0) return viaPeer;
      const pub = await this.publicAttempt(domain, { ...env, recipients: still });
      const byAddr = new Map(pub.results.map((r) => [r.address, r]));
      return { ...pub, results: viaPeer.results.map((r) => byAddr.get(r.address) ?? r), dsnPassed: !!viaPeer.dsnPassed && !!pub.dsnPassed };
    }
    return this.publicAttempt(domain, env);
  }

  private async publicAttempt(domain: string, env: Envelope): Promise<AttemptOutcome> {
    try {
      return await attemptDelivery(await publicPlan(domain, this.rc), env, this.pool, this.transport);
    } catch (e) {
      if (!(e instanceof DnsLookupError)) throw e;
      const reply = `${e.transient ? 451 : 550} ${e.status} ${e.message}`;
      return { route: 'mx', results: env.recipients.map((address) => ({ address, status: e.transient ? 'pending' : 'failed', reply })), lastReply: reply, tlsPolicyFailure: false, remoteMta: undefined };
    }
  }

  /** Stop taking work; wait (bounded) for attempts in flight. */
  async close(graceMs: number): Promise<void> {
    this.closing = true;
    if (this.timer) clearInterval(this.timer);
    const all = Promise.all([...this.inFlight.values()]);
    let t: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise((r) => { t = setTimeout(r, graceMs); })]);
    if (t) clearTimeout(t);
    if (this.batch.length) this.flush();
    await this.pool.closeAll();
    if (this.reclaimTimer) this.reclaimNow();
  }
}

/** Remove a finished entry; the operator may have deleted it meanwhile (postern queue delete). */
function removeEntry(store: Store, id: number): void {
  try { store.queue.remove(id); } catch (e) { if ((e as { code?: string }).code !== 'not-found') throw e; }
}

function recipientOf(entry: QueueEntry, address: string): QueueRecipient | undefined {
  return entry.recipients.find((r) => r.address === address);
}

/** Whether a recipient's NOTIFY asks for this notice. Not given (RFC 3461 4.1): failures and
 *  delays are reported, success is not. */
function wants(r: QueueRecipient | undefined, what: 'SUCCESS' | 'FAILURE' | 'DELAY'): boolean {
  if (!r?.notify) return what !== 'SUCCESS';
  return r.notify.includes(what);
}
