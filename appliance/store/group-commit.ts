// Group commit: concurrent acceptances (SMTP sessions, IMAP APPENDs, DSNs) share the expensive
// part of durability. Requests that arrive in the same turn of the event loop, or while a batch
// is being committed, form the next batch, in arrival order. Each message file is written and
// fsynced as soon as its request arrives, in libuv's thread pool and in parallel with the others
// (and with the previous batch's commit), while the event loop keeps reading from the network.
// A batch waits for its members' files, fsyncs every distinct blob folder once, then runs ONE
// SQLite transaction (synchronous=FULL: one WAL fsync) with every request in its own savepoint,
// and only then settles the callers' promises. A request
// that fails inside the transaction (over quota, no such mailbox) rolls back to its savepoint and
// fails alone; a failed folder fsync or commit fails the whole batch, and then nothing of it is
// acknowledged. Durability is the synchronous path's: file, folder and row are on disk before any
// caller hears "stored".
import type { Db } from './database.js';
import { fsyncFolder, type BlobFiles } from './blobs.js';
import type { Delivery, Delivered, DeliveryTarget, PreparedMessage } from './deliver.js';
import type { Queue } from './queue.js';

/** One caller's acceptance: stored for local mailboxes and queued for remote recipients, all or
 *  nothing. Encryption at rest may give targets different content, hence several deliveries. */
export interface AcceptRequest {
  deliveries: ReadonlyArray<{ message: PreparedMessage; targets: readonly DeliveryTarget[] }>;
  remote?: { message: PreparedMessage; mailFrom: string; recipients: readonly string[]; accountId?: number; envid?: string };
  internalDate?: number;
}

export interface Accepted { delivered: Delivered[]; queued: number[] }

interface Waiting {
  request: AcceptRequest;
  /** the request's files being placed; then the folders holding them (fsynced by its batch) */
  placed: Promise<string[]>;
  resolve: (a: Accepted) => void;
  reject: (e: Error) => void;
}

/** At most this many requests per transaction: bounds how long the event loop is held. */
const MAX_BATCH = 256;

export class GroupCommit {
  private readonly waiting: Waiting[] = [];
  private running = false;
  private scheduled = false;
  /** committed batches and requests since start (tests and benchmarks read them) */
  batches = 0;
  requests = 0;

  constructor(private readonly db: Db, private readonly blobs: BlobFiles, private readonly delivery: Delivery, private readonly queue: Queue) {}

  /** Store a request durably together with whatever else arrives meanwhile. Resolves only after
   *  the batch's transaction committed; rejects with this request's own error (StoreError) or
   *  with the batch's I/O error. */
  accept(request: AcceptRequest): Promise<Accepted> {
    return new Promise<Accepted>((resolve, reject) => {
      const messages = new Map<string, PreparedMessage>();
      for (const d of request.deliveries) if (d.targets.length) messages.set(d.message.hash, d.message);
      if (request.remote && request.remote.recipients.length) messages.set(request.remote.message.hash, request.remote.message);
      if (messages.size === 0) { resolve({ delivered: [], queued: [] }); return; }
      const placed = Promise.all([...messages.values()].map((m) => this.blobs.place(m.raw, m.hash)));
      placed.catch(() => undefined); // handled by the batch (run)
      this.waiting.push({ request, placed, resolve, reject });
      this.schedule();
    });
  }

  /** Start a batch on the next turn of the event loop, unless one is running (it starts the next
   *  one when it ends): whatever arrived by then goes in together. */
  private schedule(): void {
    if (this.running || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.run();
    });
  }

  private async run(): Promise<void> {
    if (this.running) return;
    const members = this.waiting.splice(0, MAX_BATCH);
    if (members.length === 0) return;
    this.running = true;
    try {
      // a request whose file could not be written (disk full) fails alone
      const placed = await Promise.allSettled(members.map((w) => w.placed));
      const batch: Waiting[] = [];
      const folders = new Set<string>();
      placed.forEach((p, i) => {
        const w = members[i]!;
        if (p.status === 'rejected') { w.reject(p.reason as Error); return; }
        batch.push(w);
        for (const f of p.value) folders.add(f);
      });
      if (batch.length === 0) return;
      try {
        await Promise.all([...folders].map((f) => fsyncFolder(f)));
      } catch (e) {
        for (const w of batch) w.reject(e as Error);
        return;
      }
      this.commit(batch);
    } finally {
      this.running = false;
      if (this.waiting.length) this.schedule();
    }
  }

  private commit(batch: Waiting[]): void {
    const results = new Map<Waiting, { ok: true; value: Accepted } | { ok: false; error: Error }>();
    try {
      this.db.transaction(() => {
        for (const w of batch) {
          try {
            // a nested transaction is a savepoint: an error undoes this request only
            results.set(w, { ok: true, value: this.db.transaction(() => this.apply(w.request))() });
          } catch (e) {
            results.set(w, { ok: false, error: e as Error });
          }
        }
      }).immediate();
    } catch (e) {
      // the commit itself failed (disk full, I/O error, store closed): nothing of the batch is stored
      for (const w of batch) w.reject(e as Error);
      return;
    }
    this.batches++;
    this.requests += batch.length;
    for (const w of batch) {
      const r = results.get(w)!;
      if (r.ok) w.resolve(r.value);
      else w.reject(r.error);
    }
  }

  /** The rows of one request. Inside the batch's transaction. */
  private apply(req: AcceptRequest): Accepted {
    const delivered: Delivered[] = [];
    for (const d of req.deliveries) {
      if (!d.targets.length) continue;
      this.ensureFile(d.message);
      delivered.push(...this.delivery.insert(d.targets, d.message, req.internalDate));
    }
    let queued: number[] = [];
    const remote = req.remote;
    if (remote && remote.recipients.length) {
      this.ensureFile(remote.message);
      const blobId = this.delivery.blobRow(remote.message);
      queued = this.queue.add(blobId, remote.mailFrom, remote.recipients, {
        ...(remote.accountId !== undefined ? { accountId: remote.accountId } : {}),
        ...(remote.envid ? { envid: remote.envid } : {}),
      });
    }
    return { delivered, queued };
  }

  /** The file was placed when the request arrived, but the same content may have been reclaimed
   *  since (an earlier copy's row dropped to no references and store.reclaim() removed row and
   *  file while this request waited). Checked under the write lock, where nothing can remove it
   *  any more: a stat, and in that rare case a synchronous durable write. */
  private ensureFile(m: PreparedMessage): void {
    this.blobs.write(m.raw, m.hash);
  }
}
