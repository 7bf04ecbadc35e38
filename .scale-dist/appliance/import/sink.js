// Where every importer (IMAP, mbox, Maildir) puts messages: through the pipeline's bringIn (the
// store's group commit, durable before it resolves, content-addressed so equal messages share one
// file), with the importer's record of the item in the same transaction. A bounded window of
// messages is in flight at once (count and bytes), so the group commit can batch their fsyncs
// while memory stays small whatever the size of the mailbox.
import { createHash } from 'node:crypto';
/** Something that stops the whole import (the account is full, the store is closing). */
export class ImportError extends Error {
    exitCode;
    constructor(message, exitCode = 1) {
        super(message);
        this.exitCode = exitCode;
        this.name = 'ImportError';
    }
}
/** The SHA-256 of a message's bytes, as the importers record it. */
export function contentHash(raw) {
    return createHash('sha256').update(raw).digest('hex');
}
export class ImportSink {
    pipeline;
    store;
    accountId;
    window;
    imported = 0;
    bytes = 0;
    skipped = [];
    inFlight = new Set();
    inFlightBytes = 0;
    fatal;
    constructor(pipeline, store, accountId, 
    // POSTERN_IMPORT_WINDOW: messages in flight at once (tests set 1 to import one commit at a time)
    window = { count: Number(process.env.POSTERN_IMPORT_WINDOW) || 32, bytes: 32 * 1024 * 1024 }) {
        this.pipeline = pipeline;
        this.store = store;
        this.accountId = accountId;
        this.window = window;
    }
    /** Queue a message; waits while the window is full. Throws once a fatal error happened. */
    async put(m) {
        if (this.fatal)
            throw this.fatal;
        const hash = contentHash(m.raw);
        if (m.raw.length === 0) {
            this.skip(m, hash, 'the message is empty');
            return;
        }
        while (this.inFlight.size >= this.window.count || (this.inFlight.size > 0 && this.inFlightBytes + m.raw.length > this.window.bytes)) {
            await Promise.race(this.inFlight);
            if (this.fatal)
                throw this.fatal;
        }
        const size = m.raw.length;
        this.inFlightBytes += size;
        const p = this.pipeline.bringIn({ accountId: this.accountId, mailboxId: m.mailboxId, flags: m.flags }, m.raw, m.internalDate, (d) => this.store.imports.record(m.sourceId, m.item, { ...(m.uidValidity !== undefined ? { uidValidity: m.uidValidity } : {}), hash, ...(m.emailId ? { emailId: m.emailId } : {}), mailboxId: d.mailboxId, uid: d.uid })).then(() => { this.imported++; this.bytes += size; }, (e) => {
            const err = e;
            if (err.name === 'StoreError' && err.code === 'over-quota')
                this.fatal ??= new ImportError(`the import stopped: ${err.message}`, 1);
            else if (err.name === 'StoreError' && err.code === 'not-found')
                this.fatal ??= new ImportError(`the import stopped: ${err.message}`, 1);
            else if (err.name === 'StoreError')
                this.skip(m, hash, err.message);
            else
                this.fatal ??= new ImportError(`the import stopped: the store refused a message: ${err.message}`, 1);
        }).finally(() => { this.inFlight.delete(p); this.inFlightBytes -= size; });
        this.inFlight.add(p);
    }
    /** Record an item as skipped for good (it is not tried again), with the reason for the summary. */
    skip(m, hash, why) {
        this.skipped.push({ where: m.where, why });
        this.store.imports.record(m.sourceId, m.item, { ...(m.uidValidity !== undefined ? { uidValidity: m.uidValidity } : {}), hash, skipped: why });
    }
    /** Wait for every message in flight; throws the fatal error if there was one. */
    async drain() {
        while (this.inFlight.size)
            await Promise.allSettled([...this.inFlight]);
        if (this.fatal)
            throw this.fatal;
    }
}
//# sourceMappingURL=sink.js.map