import { fsyncFolder } from './blobs.js';
/** At most this many requests per transaction: bounds how long the event loop is held. */
const MAX_BATCH = 256;
export class GroupCommit {
    db;
    blobs;
    delivery;
    queue;
    waiting = [];
    running = false;
    scheduled = false;
    closed = false;
    /** committed batches and requests since start (tests and benchmarks read them) */
    batches = 0;
    requests = 0;
    constructor(db, blobs, delivery, queue) {
        this.db = db;
        this.blobs = blobs;
        this.delivery = delivery;
        this.queue = queue;
    }
    /** Store a request durably together with whatever else arrives meanwhile. Resolves only after
     *  the batch's transaction committed; rejects with this request's own error (StoreError) or
     *  with the batch's I/O error. */
    accept(request) {
        return new Promise((resolve, reject) => {
            // after close nothing is written: on an encrypted box the volume may be unmounted next
            if (this.closed) {
                reject(new Error('the store is closed'));
                return;
            }
            const messages = messagesOf(request);
            if (messages.length === 0) {
                resolve({ delivered: [], queued: [] });
                return;
            }
            const placed = Promise.all(messages.map((m) => this.blobs.place(m.raw, m.hash)));
            const w = { request, placed, resolve, reject };
            placed.then((folders) => { w.outcome = { folders }; }, (e) => { w.outcome = { error: e }; });
            this.waiting.push(w);
            this.schedule();
        });
    }
    /** Refuse new requests (the store is closing). Requests already waiting fail at their commit. */
    close() {
        this.closed = true;
    }
    /** Start a batch on the next turn of the event loop, unless one is running (it starts the next
     *  one when it ends): whatever arrived by then goes in together. */
    schedule() {
        if (this.running || this.scheduled)
            return;
        this.scheduled = true;
        setImmediate(() => {
            this.scheduled = false;
            void this.run();
        });
    }
    async run() {
        if (this.running)
            return;
        const members = this.waiting.splice(0, MAX_BATCH);
        if (members.length === 0)
            return;
        this.running = true;
        try {
            await Promise.allSettled(members.map((w) => w.placed));
            // requests that arrived meanwhile and whose files are already in place come along: they
            // need nothing but the folder fsync and the commit, and the order stays the arrival order
            for (let i = 0; i < this.waiting.length && members.length < MAX_BATCH;) {
                if (this.waiting[i].outcome)
                    members.push(...this.waiting.splice(i, 1));
                else
                    i++;
            }
            const batch = [];
            const folders = new Set();
            for (const w of members) {
                const o = w.outcome;
                // a request whose file could not be written (disk full) fails alone
                if ('error' in o) {
                    w.reject(o.error);
                    continue;
                }
                batch.push(w);
                for (const f of o.folders)
                    folders.add(f);
            }
            if (batch.length === 0)
                return;
            try {
                await Promise.all([...folders].map((f) => fsyncFolder(f)));
            }
            catch (e) {
                for (const w of batch)
                    w.reject(e);
                return;
            }
            this.commit(batch);
        }
        catch (e) {
            // nothing expected gets here; a caller still hears of it rather than waiting forever
            // (settling a promise twice is a no-op, so members already answered keep their answer)
            for (const w of members)
                w.reject(e);
        }
        finally {
            this.running = false;
            if (this.waiting.length)
                this.schedule();
        }
    }
    commit(batch) {
        const results = new Map();
        try {
            this.db.transaction(() => {
                for (const w of batch) {
                    try {
                        // a nested transaction is a savepoint: an error undoes this request only
                        results.set(w, { ok: true, value: this.db.transaction(() => this.apply(w.request))() });
                    }
                    catch (e) {
                        results.set(w, { ok: false, error: e });
                    }
                }
            }).immediate();
        }
        catch (e) {
            // the commit itself failed (disk full, I/O error, store closed): nothing of the batch is stored
            for (const w of batch)
                w.reject(e);
            return;
        }
        this.batches++;
        this.requests += batch.length;
        for (const w of batch) {
            const r = results.get(w);
            if (r.ok)
                w.resolve(r.value);
            else {
                this.discardFiles(w.request);
                w.reject(r.error);
            }
        }
    }
    /** A refused request (over quota) leaves no file behind, unless a row or another waiting request
     *  uses the same content. Synchronous, so nothing can start using it in between. */
    discardFiles(req) {
        const hashes = new Set(messagesOf(req).map((m) => m.hash));
        for (const w of this.waiting)
            for (const m of messagesOf(w.request))
                hashes.delete(m.hash);
        const row = this.db.prepare('SELECT 1 FROM blobs WHERE hash = ?');
        for (const h of hashes) {
            if (row.get(h))
                continue;
            try {
                this.blobs.remove(h);
            }
            catch { /* fsck reports it as an unreferenced file, harmless */ }
        }
    }
    /** The rows of one request. Inside the batch's transaction. */
    apply(req) {
        const delivered = [];
        for (const d of req.deliveries) {
            if (!d.targets.length)
                continue;
            this.ensureFile(d.message);
            delivered.push(...this.delivery.insert(d.targets, d.message, req.internalDate));
        }
        let queued = [];
        const remote = req.remote;
        if (remote && remote.recipients.length) {
            this.ensureFile(remote.message);
            const blobId = this.delivery.blobRow(remote.message);
            queued = this.queue.add(blobId, remote.mailFrom, remote.recipients, {
                ...(remote.accountId !== undefined ? { accountId: remote.accountId } : {}),
                ...(remote.envid ? { envid: remote.envid } : {}),
                ...(remote.dsn ? { dsn: remote.dsn } : {}),
            });
        }
        const accepted = { delivered, queued };
        req.alongside?.(accepted);
        return accepted;
    }
    /** The file was placed when the request arrived, but the same content may have been reclaimed
     *  since (an earlier copy's row dropped to no references and store.reclaim() removed row and
     *  file while this request waited). Checked under the write lock, where nothing can remove it
     *  any more: a stat, and in that rare case a synchronous durable write. */
    ensureFile(m) {
        this.blobs.write(m.raw, m.hash);
    }
}
/** The distinct message contents a request stores (one file each). */
function messagesOf(req) {
    const byHash = new Map();
    for (const d of req.deliveries)
        if (d.targets.length)
            byHash.set(d.message.hash, d.message);
    if (req.remote && req.remote.recipients.length)
        byHash.set(req.remote.message.hash, req.remote.message);
    return [...byHash.values()];
}
//# sourceMappingURL=group-commit.js.map