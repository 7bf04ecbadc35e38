// Where every importer (IMAP, mbox, Maildir) puts messages: through the pipeline's bringIn (the
// store's group commit, durable before it resolves, content-addressed so equal messages share one
// file), with the importer's record of the item in the same transaction. A bounded window of
// messages is in flight at once (count and bytes), so the group commit can batch their fsyncs
// while memory stays small whatever the size of the mailbox.
import { createHash } from 'node:crypto';
import type { MailPipeline } from '../pipeline.js';
import type { Store } from '../store/index.js';

export interface Incoming {
  raw: Buffer;
  mailboxId: number;
  flags: readonly string[];
  internalDate?: number;
  sourceId: number;
  /** the item's key in its source (an IMAP UID, an mbox ordinal, a Maildir unique name) */
  item: string;
  uidValidity?: number;
  emailId?: string;
  /** where it came from, for the summary ("INBOX", "Takeout.mbox #12") */
  where: string;
}

export interface Skipped { where: string; why: string }

/** Something that stops the whole import (the account is full, the store is closing). */
export class ImportError extends Error {
  constructor(message: string, readonly exitCode = 1) { super(message); this.name = 'ImportError'; }
}

/** The SHA-256 of a message's bytes, as the importers record it. */
export function contentHash(raw: Buffer): string {
  return createHash('sha256').update(raw).digest('hex');
}

export class ImportSink {
  imported = 0;
  bytes = 0;
  readonly skipped: Skipped[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private inFlightBytes = 0;
  private fatal: Error | undefined;

  constructor(
    private readonly pipeline: MailPipeline,
    private readonly store: Store,
    readonly accountId: number,
    // POSTERN_IMPORT_WINDOW: messages in flight at once (tests set 1 to import one commit at a time)
    private readonly window = { count: Number(process.env.POSTERN_IMPORT_WINDOW) || 32, bytes: 32 * 1024 * 1024 },
  ) {}

  /** Queue a message; waits while the window is full. Throws once a fatal error happened. */
  async put(m: Incoming): Promise<void> {
    if (this.fatal) throw this.fatal;
    const hash = contentHash(m.raw);
    if (m.raw.length === 0) { this.skip(m, hash, 'the message is empty'); return; }
    while (this.inFlight.size >= this.window.count || (this.inFlight.size > 0 && this.inFlightBytes + m.raw.length > this.window.bytes)) {
      await Promise.race(this.inFlight);
      if (this.fatal) throw this.fatal;
    }
    const size = m.raw.length;
    this.inFlightBytes += size;
    const p: Promise<void> = this.pipeline.bringIn(
      { accountId: this.accountId, mailboxId: m.mailboxId, flags: m.flags }, m.raw, m.internalDate,
      (d) => this.store.imports.record(m.sourceId, m.item, { ...(m.uidValidity !== undefined ? { uidValidity: m.uidValidity } : {}), hash, ...(m.emailId ? { emailId: m.emailId } : {}), mailboxId: d.mailboxId, uid: d.uid }),
    ).then(() => { this.imported++; this.bytes += size; }, (e: unknown) => {
      const err = e as Error & { code?: string };
      if (err.name === 'StoreError' && err.code === 'over-quota') this.fatal ??= new ImportError(`the import stopped: ${err.message}`, 1);
      else if (err.name === 'StoreError' && err.code === 'not-found') this.fatal ??= new ImportError(`the import stopped: ${err.message}`, 1);
      else if (err.name === 'StoreError') this.skip(m, hash, err.message);
      else this.fatal ??= new ImportError(`the import stopped: the store refused a message: ${err.message}`, 1);
    }).finally(() => { this.inFlight.delete(p); this.inFlightBytes -= size; });
    this.inFlight.add(p);
  }

  /** Record an item as skipped for good (it is not tried again), with the reason for the summary. */
  skip(m: Pick<Incoming, 'sourceId' | 'item' | 'uidValidity' | 'where'>, hash: string, why: string): void {
    this.skipped.push({ where: m.where, why });
    this.store.imports.record(m.sourceId, m.item, { ...(m.uidValidity !== undefined ? { uidValidity: m.uidValidity } : {}), hash, skipped: why });
  }

  /** Wait for every message in flight; throws the fatal error if there was one. */
  async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
    if (this.fatal) throw this.fatal;
  }
}
