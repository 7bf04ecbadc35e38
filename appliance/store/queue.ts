// The outbound queue: one entry per message and recipient domain, each recipient with its own
// status. An entry is removed only when every recipient has a final answer.
import type { Db } from './database.js';
import { StoreError } from './errors.js';

export type RecipientStatus = 'pending' | 'delivered' | 'failed';

/** RFC 3461 NOTIFY: NEVER alone, or any of the three conditions. */
export type DsnNotify = 'NEVER' | 'SUCCESS' | 'FAILURE' | 'DELAY';

/** What a recipient asked for at RCPT (RFC 3461 4.1, 4.2); absent fields were not given. */
export interface RecipientDsn {
  notify?: readonly DsnNotify[];
  /** "addr-type;address", xtext-decoded, e.g. "rfc822;bob@example.org" */
  orcpt?: string;
}

/** What the sender asked for at MAIL (RFC 3461 4.3, 4.4) and per recipient, keyed by the
 *  recipient address in lower case. The envelope id is the queue's `envid`. */
export interface EnvelopeDsn {
  ret?: 'FULL' | 'HDRS';
  recipients?: Readonly<Record<string, RecipientDsn>>;
}

export interface QueueRecipient {
  address: string;
  status: RecipientStatus;
  reply: string | null;
  /** a failed recipient's sender was told (bounce stored) */
  notified: boolean;
  /** NOTIFY as given (undefined: not given, the default FAILURE,DELAY behaviour) */
  notify: readonly DsnNotify[] | undefined;
  orcpt: string | undefined;
}

export interface QueueEntry {
  id: number;
  blobId: number;
  accountId: number | null;
  mailFrom: string;
  domain: string;
  envid: string | null;
  createdAt: number;
  nextAttemptAt: number;
  attempts: number;
  lastReply: string | null;
  delayNotified: boolean;
  route: string | null;
  /** RFC 3461 RET; null: not given (a bounce returns the header only) */
  ret: 'FULL' | 'HDRS' | null;
  recipients: QueueRecipient[];
}

interface Row { id: number; blob_id: number; account_id: number | null; mail_from: string; domain: string; envid: string | null; created_at: number; next_attempt_at: number; attempts: number; last_reply: string | null; delay_notified: number; route: string | null; ret: 'FULL' | 'HDRS' | null }

export class Queue {
  constructor(private readonly db: Db) {}

  private toEntry(r: Row): QueueEntry {
    const recipients = (this.db.prepare('SELECT address, status, reply, notified, notify, orcpt FROM queue_recipients WHERE queue_id = ? ORDER BY address').all(r.id) as Array<{ address: string; status: RecipientStatus; reply: string | null; notified: number; notify: string | null; orcpt: string | null }>)
      .map((x) => ({
        address: x.address, status: x.status, reply: x.reply, notified: x.notified === 1,
        notify: x.notify === null ? undefined : x.notify.split(',') as DsnNotify[], orcpt: x.orcpt ?? undefined,
      }));
    return {
      id: r.id, blobId: r.blob_id, accountId: r.account_id, mailFrom: r.mail_from, domain: r.domain, envid: r.envid,
      createdAt: r.created_at, nextAttemptAt: r.next_attempt_at, attempts: r.attempts, lastReply: r.last_reply,
      delayNotified: r.delay_notified === 1, route: r.route, ret: r.ret ?? null, recipients,
    };
  }

  /** Add entries for one message: recipients grouped by domain. Inside the caller's transaction
   *  when there is one (better-sqlite3 nests it as a savepoint). Returns the entry ids. */
  add(blobId: number, mailFrom: string, recipients: readonly string[], opts: { accountId?: number; envid?: string; dsn?: EnvelopeDsn; now?: number } = {}): number[] {
    const byDomain = new Map<string, string[]>();
    for (const rcpt of recipients) {
      const d = rcpt.slice(rcpt.lastIndexOf('@') + 1).toLowerCase();
      const list = byDomain.get(d) ?? [];
      if (!list.includes(rcpt)) list.push(rcpt);
      byDomain.set(d, list);
    }
    const now = opts.now ?? Date.now();
    return this.db.transaction(() => {
      const ids: number[] = [];
      const ins = this.db.prepare('INSERT INTO queue (blob_id, account_id, mail_from, domain, envid, ret, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      const insR = this.db.prepare('INSERT INTO queue_recipients (queue_id, address, notify, orcpt) VALUES (?, ?, ?, ?)');
      for (const [domain, rcpts] of byDomain) {
        const id = Number(ins.run(blobId, opts.accountId ?? null, mailFrom, domain, opts.envid ?? null, opts.dsn?.ret ?? null, now, now).lastInsertRowid);
        for (const r of rcpts) {
          const d = opts.dsn?.recipients?.[r.toLowerCase()];
          insR.run(id, r, d?.notify?.length ? d.notify.join(',') : null, d?.orcpt ?? null);
        }
        ids.push(id);
      }
      return ids;
    })();
  }

  get(id: number): QueueEntry | undefined {
    const r = this.db.prepare('SELECT * FROM queue WHERE id = ?').get(id) as Row | undefined;
    return r ? this.toEntry(r) : undefined;
  }

  list(): QueueEntry[] {
    return (this.db.prepare('SELECT * FROM queue ORDER BY created_at, id').all() as Row[]).map((r) => this.toEntry(r));
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM queue').get() as { n: number }).n;
  }

  /** Entries due at `now`, oldest first. */
  due(now: number, limit: number): QueueEntry[] {
    return (this.db.prepare('SELECT * FROM queue WHERE next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?').all(now, limit) as Row[]).map((r) => this.toEntry(r));
  }

  /** Entries due at `now`, oldest first, leaving out those in `exclude` (attempts in progress). */
  dueExcept(now: number, limit: number, exclude: Iterable<number>): QueueEntry[] {
    const ids = JSON.stringify([...exclude]);
    return (this.db.prepare('SELECT * FROM queue WHERE next_attempt_at <= ? AND id NOT IN (SELECT value FROM json_each(?)) ORDER BY next_attempt_at, id LIMIT ?').all(now, ids, limit) as Row[]).map((r) => this.toEntry(r));
  }

  /** The time of the next due entry, if any. */
  nextDueAt(): number | undefined {
    return (this.db.prepare('SELECT MIN(next_attempt_at) AS t FROM queue').get() as { t: number | null }).t ?? undefined;
  }

  /** Record an attempt's per-recipient results and when to try again. */
  recordAttempt(id: number, results: ReadonlyArray<{ address: string; status: RecipientStatus; reply: string }>, lastReply: string, nextAttemptAt: number, route?: string): void {
    this.db.transaction(() => {
      const upd = this.db.prepare('UPDATE queue_recipients SET status = ?, reply = ? WHERE queue_id = ? AND address = ?');
      for (const r of results) upd.run(r.status, r.reply, id, r.address);
      this.db.prepare('UPDATE queue SET attempts = attempts + 1, last_reply = ?, next_attempt_at = ?, route = COALESCE(?, route) WHERE id = ?').run(lastReply, nextAttemptAt, route ?? null, id);
    }).immediate();
  }

  /** Record that the sender was told about these failed recipients (their bounce is stored). */
  markNotified(id: number, addresses: readonly string[]): void {
    this.db.transaction(() => {
      const upd = this.db.prepare('UPDATE queue_recipients SET notified = 1 WHERE queue_id = ? AND address = ?');
      for (const a of addresses) upd.run(id, a);
    }).immediate();
  }

  markDelayNotified(id: number): void {
    this.db.prepare('UPDATE queue SET delay_notified = 1 WHERE id = ?').run(id);
  }

  /** Make entries due now. Returns how many. */
  retry(id?: number): number {
    const r = id === undefined
      ? this.db.prepare('UPDATE queue SET next_attempt_at = ?').run(Date.now())
      : this.db.prepare('UPDATE queue SET next_attempt_at = ? WHERE id = ?').run(Date.now(), id);
    if (id !== undefined && r.changes === 0) throw new StoreError('not-found', `there is no queue entry ${id}`);
    return r.changes;
  }

  /** Remove an entry (finished, or deleted by the operator). */
  remove(id: number): void {
    const r = this.db.prepare('DELETE FROM queue WHERE id = ?').run(id);
    if (r.changes === 0) throw new StoreError('not-found', `there is no queue entry ${id}`);
  }
}
