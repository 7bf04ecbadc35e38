import { errorText, log, redact, redactAddress, scrubIpAddresses } from '../../appliance/log.js';
import { makeResolver, DnsCache } from './mx.js';
import { MtaStsPolicies, httpsPolicyFetch } from './mta-sts.js';
import { peerPlan, publicPlan, DnsLookupError } from './routes.js';
import { attemptDelivery, SessionPool } from './attempt.js';
import { nextAttemptAt } from './schedule.js';
import { buildDsn, statusOf } from './dsn.js';
const HOUR = 3600_000;
export class QueueRunner {
    deps;
    opts;
    inFlight = new Map();
    /** attempts holding a connection slot */
    active = 0;
    pool;
    rc;
    now;
    random;
    concurrency;
    transport;
    timer;
    closing = false;
    wakeScheduled = false;
    reclaimTimer;
    batchTimer;
    batch = [];
    /** attempts finished since start (for the panel and the benchmark) */
    attempts = 0;
    constructor(deps, opts = {}) {
        this.deps = deps;
        this.opts = opts;
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
    useClientCert(cert) {
        this.rc.clientCert = cert;
    }
    start() {
        this.deps.pipeline.onQueued(() => this.wake());
        this.timer = setInterval(() => this.pump(), this.opts.pollMs ?? 5000);
        this.wake();
    }
    wake() {
        if (this.wakeScheduled || this.closing)
            return;
        this.wakeScheduled = true;
        setImmediate(() => { this.wakeScheduled = false; this.pump(); });
    }
    get busy() { return this.inFlight.size; }
    pump() {
        if (this.closing)
            return;
        const free = this.concurrency - this.active;
        if (free <= 0)
            return;
        let due;
        try {
            due = this.deps.store.queue.dueExcept(this.now(), free, this.inFlight.keys());
        }
        catch (e) {
            log.error('delivery.queue-read-failed', { error: errorText(e) });
            return;
        }
        for (const entry of due) {
            this.active++;
            let released = false;
            const release = () => { if (!released) {
                released = true;
                this.active--;
                this.pump();
            } };
            const p = this.process(entry, release)
                .catch((e) => log.error('delivery.attempt-failed', { entry: entry.id, error: errorText(e) }))
                .finally(() => { this.inFlight.delete(entry.id); this.attempts++; release(); });
            this.inFlight.set(entry.id, p);
        }
    }
    /** Work until nothing is due any more (tests; `postern queue` flush). */
    async drain() {
        for (;;) {
            this.pump();
            if (this.inFlight.size === 0)
                return;
            await Promise.all([...this.inFlight.values()]);
        }
    }
    /** One attempt for one entry. `release` frees its connection slot once the network part is
     *  over; the entry itself stays in flight until its answers are committed. */
    async process(entry, release) {
        const store = this.deps.store;
        const pending = entry.recipients.filter((r) => r.status === 'pending').map((r) => r.address);
        if (pending.length) {
            let data;
            try {
                data = store.readMessage(store.messages.blob(entry.blobId).hash);
            }
            catch (e) {
                log.error('delivery.content-missing', { entry: entry.id, error: errorText(e) });
                store.queue.recordAttempt(entry.id, pending.map((address) => ({ address, status: 'failed', reply: '554 5.3.0 the message content is missing from the store' })), '554 5.3.0 the message content is missing from the store', this.now());
                return this.report(entry.id, undefined);
            }
            const env = {
                mailFrom: entry.mailFrom, recipients: pending, envid: entry.envid, data, ret: entry.ret,
                dsn: new Map(entry.recipients.filter((r) => r.notify || r.orcpt).map((r) => [r.address, { notify: r.notify, orcpt: r.orcpt }])),
            };
            const outcome = await this.route(entry.domain, env);
            release();
            const now = this.now();
            const expiresAt = entry.createdAt + this.deps.config.delivery.expireAfterHours * HOUR;
            const results = outcome.results.map((r) => r.status === 'pending' && now >= expiresAt
                ? { address: r.address, status: 'failed', reply: `451 4.4.7 delivery time expired after ${this.deps.config.delivery.expireAfterHours} hours; last answer: ${r.reply}` }
                : r);
            if (this.closing && results.every((r) => r.status === 'pending'))
                return; // interrupted by shutdown: try again after restart
            // the common case, everything delivered: the answers and the removal in one transaction
            const done = results.every((r) => r.status === 'delivered') && entry.recipients.every((r) => r.status !== 'failed' || r.notified);
            await this.commit(() => {
                // nothing pending: due at once, so a crash before the bounce below repeats it at restart
                const next = results.some((r) => r.status === 'pending') ? nextAttemptAt(now, entry.attempts + 1, expiresAt, this.random()) : now;
                store.queue.recordAttempt(entry.id, results, outcome.lastReply, next, outcome.route);
                if (done)
                    removeEntry(store, entry.id);
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
            if (done) {
                this.reclaimSoon();
                return;
            }
            if (results.some((r) => r.status === 'pending') && !entry.delayNotified && (outcome.tlsPolicyFailure || now - entry.createdAt >= this.deps.config.delivery.delayNoticeAfterHours * HOUR)) {
                const asked = results.filter((r) => r.status === 'pending' && wants(recipientOf(entry, r.address), 'DELAY'));
                if (asked.length)
                    await this.notify(entry, 'delayed', asked.map((r) => this.dsnRecipient(r, outcome, false)), expiresAt);
                else
                    log.info('delivery.no-dsn', { entry: entry.id, kind: 'delayed', reason: 'NOTIFY did not ask for it' });
                store.queue.markDelayNotified(entry.id);
            }
            return this.report(entry.id, outcome.remoteMta);
        }
        await this.report(entry.id, undefined);
    }
    /** Bounce failed recipients not yet reported; remove the entry when everything is final. */
    async report(id, remoteMta) {
        const store = this.deps.store;
        const entry = store.queue.get(id);
        if (!entry)
            return;
        const unreported = entry.recipients.filter((r) => r.status === 'failed' && !r.notified);
        if (unreported.length) {
            const asked = unreported.filter((r) => wants(r, 'FAILURE'));
            if (asked.length)
                await this.notify(entry, 'failed', asked.map((r) => ({ address: r.address, status: statusOf(r.reply ?? '', true), diagnostic: r.reply ?? 'failed', ...(remoteMta ? { remoteMta } : {}) })));
            if (asked.length < unreported.length)
                log.info('delivery.no-dsn', { entry: id, kind: 'failed', recipients: unreported.length - asked.length, reason: 'NOTIFY did not ask for it' });
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
    commit(fn) {
        return new Promise((resolve, reject) => {
            this.batch.push({ fn, resolve, reject });
            if (this.batch.length >= 128)
                this.flush();
            else
                this.batchTimer ??= setTimeout(() => this.flush(), 10);
        });
    }
    flush() {
        if (this.batchTimer)
            clearTimeout(this.batchTimer);
        this.batchTimer = undefined;
        const items = this.batch.splice(0);
        if (!items.length)
            return;
        // each item in its own savepoint: one failing item does not undo the others
        const failed = new Map();
        try {
            this.deps.store.transaction(() => {
                for (const i of items) {
                    try {
                        this.deps.store.transaction(i.fn);
                    }
                    catch (e) {
                        failed.set(i, e);
                    }
                }
            });
        }
        catch (e) {
            for (const i of items)
                if (!failed.has(i))
                    failed.set(i, e);
        }
        for (const i of items) {
            const e = failed.get(i);
            if (e)
                i.reject(e);
            else
                i.resolve();
        }
    }
    /** Free the content of finished entries, at most once a second (it scans the blob table). */
    reclaimSoon() {
        if (this.reclaimTimer)
            return;
        this.reclaimTimer = setTimeout(() => this.reclaimNow(), 1000);
    }
    reclaimNow() {
        if (this.reclaimTimer)
            clearTimeout(this.reclaimTimer);
        this.reclaimTimer = undefined;
        try {
            this.deps.store.reclaim();
        }
        catch (e) {
            log.warn('delivery.reclaim-failed', { error: errorText(e) });
        }
    }
    dsnRecipient(r, o, permanent) {
        return { address: r.address, status: statusOf(r.reply, permanent), diagnostic: r.reply, ...(o.remoteMta ? { remoteMta: o.remoteMta } : {}) };
    }
    /** A DSN into the sender's INBOX, only when the sender is a local account (no backscatter). */
    async notify(entry, kind, given, retryUntil) {
        const recipients = given.map((r) => { const orcpt = recipientOf(entry, r.address)?.orcpt; return orcpt ? { ...r, orcpt } : r; });
        if (entry.accountId === null || entry.mailFrom === '') {
            log.info('delivery.no-dsn', { entry: entry.id, kind, reason: entry.mailFrom === '' ? 'null sender' : 'sender is not a local account' });
            return;
        }
        const store = this.deps.store;
        let original;
        try {
            original = store.readMessage(store.messages.blob(entry.blobId).hash);
        }
        catch {
            original = Buffer.from('');
        }
        const raw = buildDsn({
            kind, reportingMta: this.deps.config.hostname, sender: entry.mailFrom, envid: entry.envid,
            arrival: new Date(entry.createdAt), now: new Date(this.now()), recipients, original, ret: entry.ret,
            ...(retryUntil ? { retryUntil: new Date(retryUntil) } : {}),
        });
        try {
            await this.deps.pipeline.deliverLocal([{ accountId: entry.accountId }], raw);
            log.info('delivery.dsn', { entry: entry.id, kind, sender: redactAddress(entry.mailFrom), recipients: recipients.length });
        }
        catch (e) {
            // the account is gone or over quota: the failure is still final; say so in the log
            log.warn('delivery.dsn-failed', { entry: entry.id, kind, error: errorText(e) });
        }
    }
    async route(domain, env) {
        const peer = this.deps.pipeline.peerFor(domain);
        if (peer) {
            const viaPeer = await attemptDelivery(peerPlan(peer, this.rc), env, this.pool, this.transport);
            const still = viaPeer.results.filter((r) => r.status === 'pending').map((r) => r.address);
            if (!peer.fallbackToPublic || still.length === 0)
                return viaPeer;
            const pub = await this.publicAttempt(domain, { ...env, recipients: still });
            const byAddr = new Map(pub.results.map((r) => [r.address, r]));
            return { ...pub, results: viaPeer.results.map((r) => byAddr.get(r.address) ?? r), dsnPassed: !!viaPeer.dsnPassed && !!pub.dsnPassed };
        }
        return this.publicAttempt(domain, env);
    }
    async publicAttempt(domain, env) {
        try {
            return await attemptDelivery(await publicPlan(domain, this.rc), env, this.pool, this.transport);
        }
        catch (e) {
            if (!(e instanceof DnsLookupError))
                throw e;
            const reply = `${e.transient ? 451 : 550} ${e.status} ${e.message}`;
            return { route: 'mx', results: env.recipients.map((address) => ({ address, status: e.transient ? 'pending' : 'failed', reply })), lastReply: reply, tlsPolicyFailure: false, remoteMta: undefined };
        }
    }
    /** Stop taking work; wait (bounded) for attempts in flight. */
    async close(graceMs) {
        this.closing = true;
        if (this.timer)
            clearInterval(this.timer);
        const all = Promise.all([...this.inFlight.values()]);
        let t;
        await Promise.race([all, new Promise((r) => { t = setTimeout(r, graceMs); })]);
        if (t)
            clearTimeout(t);
        if (this.batch.length)
            this.flush();
        await this.pool.closeAll();
        if (this.reclaimTimer)
            this.reclaimNow();
    }
}
/** Remove a finished entry; the operator may have deleted it meanwhile (postern queue delete). */
function removeEntry(store, id) {
    try {
        store.queue.remove(id);
    }
    catch (e) {
        if (e.code !== 'not-found')
            throw e;
    }
}
function recipientOf(entry, address) {
    return entry.recipients.find((r) => r.address === address);
}
/** Whether a recipient's NOTIFY asks for this notice. Not given (RFC 3461 4.1): failures and
 *  delays are reported, success is not. */
function wants(r, what) {
    if (!r?.notify)
        return what !== 'SUCCESS';
    return r.notify.includes(what);
}
//# sourceMappingURL=runner.js.map