// The mail pipeline: the seams where services change, check or route a message between the
// protocol that received it and the store. SMTP and the queue's DSNs call it; PGP registers its
// steps (Autocrypt header on submission, peer state from incoming Autocrypt headers, encryption
// at rest); SMTorP registers its sender check and its peer routes; the delivery runner listens
// for new queue entries. One instance per appliance, handed to every mail service in its context.
import { prepareMessage } from './store/index.js';
export class MailPipeline {
    store;
    submission = [];
    storage = [];
    observers = [];
    verdicts = [];
    senderChecks = [];
    peerLookups = [];
    queueListeners = [];
    /** Tor's SOCKS endpoint when Tor runs (set by the Tor service). */
    socksProxy;
    constructor(store) {
        this.store = store;
    }
    onSubmission(step) { this.submission.push(step); }
    onStorage(step) { this.storage.push(step); }
    onInbound(observer) { this.observers.push(observer); }
    onVerdict(verdict) { this.verdicts.push(verdict); }
    onSenderCheck(check) { this.senderChecks.push(check); }
    onPeerLookup(lookup) { this.peerLookups.push(lookup); }
    onQueued(listener) { this.queueListeners.push(listener); }
    async submit(accountId, from, raw) {
        let out = raw;
        for (const step of this.submission)
            out = await step({ accountId, from, raw: out });
        return out;
    }
    async checkSender(s) {
        for (const c of this.senderChecks) {
            const r = await c(s);
            if (r)
                return r;
        }
        return undefined;
    }
    peerFor(domain) {
        for (const l of this.peerLookups) {
            const r = l(domain.toLowerCase());
            if (r)
                return r;
        }
        return undefined;
    }
    /** Store a message for local accounts and queue it for remote recipients, atomically: when this
     *  returns, everything is durably stored; when it throws, nothing is. Storage steps (encryption
     *  at rest) run first, so a failing step stores nothing. Concurrent calls share one fsynced
     *  commit (the store's group commit); each one still resolves only after its own rows committed
     *  and fails alone (e.g. over quota). */
    async accept(targets, remote, raw, internalDate, observe = true) {
        return this.acceptEach(targets.map((target) => ({ target, raw })), remote, raw, internalDate, observe);
    }
    /** accept() where each target may get its own content (verdict headers); `raw` is the message
     *  as received (observers, the queue). One group-commit request: all stored or none. */
    async acceptEach(items, remote, raw, internalDate, observe, parsed) {
        if (observe)
            for (const { target: t } of items) {
                for (const o of this.observers) {
                    try {
                        await o({ accountId: t.accountId, raw });
                    }
                    catch { /* an observer never blocks delivery */ }
                }
            }
        const groups = new Map();
        for (const { target: t, raw: own } of items) {
            let content = own;
            for (const step of this.storage)
                content = await step({ accountId: t.accountId, mailbox: t.mailbox ?? 'INBOX', raw: content });
            groups.set(content, [...(groups.get(content) ?? []), t]);
        }
        const hasRemote = !!remote && remote.recipients.length > 0;
        // parse and index each distinct content once, outside the commit (CPU work that needs no lock)
        const prepared = new Map();
        if (parsed)
            prepared.set(parsed.raw, parsed);
        const prepare = (b) => {
            let p = prepared.get(b);
            if (!p) {
                p = prepareMessage(b);
                prepared.set(b, p);
            }
            return p;
        };
        const result = await this.store.acceptGrouped({
            deliveries: [...groups].map(([buf, ts]) => ({ message: prepare(buf), targets: ts })),
            ...(hasRemote ? { remote: { ...remote, message: prepare(raw) } } : {}),
            ...(internalDate !== undefined ? { internalDate } : {}),
        });
        if (result.queued.length)
            for (const l of this.queueListeners)
                l();
        return result;
    }
    /** Mail received from outside (the MX): each account's verdict (junk filter) may send it to
     *  another mailbox with keywords and header lines of its own, then it is stored like accept().
     *  The message is parsed once for the verdicts; a failing verdict delivers as it was. */
    async receive(targets, raw, internalDate) {
        if (this.verdicts.length === 0 || targets.length === 0)
            return this.accept(targets, undefined, raw, internalDate);
        const parsed = prepareMessage(raw);
        const decided = [];
        for (const t of targets) {
            let target = t;
            let headers = '';
            for (const v of this.verdicts) {
                try {
                    const r = v({ accountId: t.accountId, mailbox: target.mailbox ?? 'INBOX', raw, message: parsed });
                    if (!r)
                        continue;
                    if (r.mailbox && this.store.mailboxes.get(t.accountId, r.mailbox))
                        target = { ...target, mailbox: r.mailbox };
                    if (r.flags?.length)
                        target = { ...target, flags: [...(target.flags ?? []), ...r.flags] };
                    if (r.headers)
                        headers += r.headers;
                }
                catch { /* a verdict never blocks delivery */ }
            }
            decided.push({ target, raw: headers ? Buffer.concat([Buffer.from(headers, 'utf8'), raw]) : raw });
        }
        // Accounts whose message is unchanged share one stored copy; each changed one is its own.
        return this.acceptEach(decided, undefined, raw, internalDate, true, parsed);
    }
    /** A message a client stores itself (IMAP APPEND): storage steps (encryption at rest) run,
     *  inbound observers do not, since the message was not received. */
    async append(targets, raw, internalDate) {
        return (await this.accept(targets, undefined, raw, internalDate, false)).delivered;
    }
    /** Several messages a client stores itself in one command (IMAP MULTIAPPEND, RFC 3502): the
     *  storage steps run for each, then all are committed as one request of the store's group
     *  commit, so either all are stored or none (and other sessions see them appear together). The
     *  store takes one internal date per request. Results are in the order of `items`. */
    async appendAll(items, internalDate) {
        const deliveries = [];
        for (const { target, raw } of items) {
            let content = raw;
            for (const step of this.storage)
                content = await step({ accountId: target.accountId, mailbox: target.mailbox ?? 'INBOX', raw: content });
            deliveries.push({ message: prepareMessage(content), targets: [target] });
        }
        return (await this.store.acceptGrouped({ deliveries, ...(internalDate !== undefined ? { internalDate } : {}) })).delivered;
    }
    /** A message brought in from elsewhere (an import): storage steps run, inbound observers do
     *  not; `alongside` adds the importer's record of it to the same commit (AcceptRequest). */
    async bringIn(target, raw, internalDate, alongside) {
        let content = raw;
        for (const step of this.storage)
            content = await step({ accountId: target.accountId, mailbox: target.mailbox ?? 'INBOX', raw: content });
        const result = await this.store.acceptGrouped({
            deliveries: [{ message: prepareMessage(content), targets: [target] }],
            ...(internalDate !== undefined ? { internalDate } : {}),
            alongside: (a) => alongside(a.delivered[0]),
        });
        return result.delivered[0];
    }
    /** Local delivery only (DSNs, the Sent copy). */
    async deliverLocal(targets, raw, internalDate) {
        return (await this.accept(targets, undefined, raw, internalDate)).delivered;
    }
    /** Tell the delivery runner that entries were queued outside accept() (CLI retry, panel). */
    queued() {
        for (const l of this.queueListeners)
            l();
    }
}
//# sourceMappingURL=pipeline.js.map