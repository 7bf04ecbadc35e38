// The junk filter's records (migration 800): per account its model (feature counts), what was
// trained, its correspondents, settings and counters. appliance/junk decides; this only stores.
import type { Db } from './database.js';

export type JunkLabel = 'spam' | 'ham';

export interface JunkAccountState {
  spamTrained: number;
  hamTrained: number;
  /** messages the filter filed in Junk at delivery */
  caught: number;
  /** messages it looked at at delivery */
  delivered: number;
  /** score (0..1) at or above which a message is junk */
  threshold: number;
  /** the filter files nothing in Junk before it was trained with this many of each label */
  minTrained: number;
  /** risky attachments from unknown senders go to Junk */
  riskyToJunk: boolean;
  /** when the account's existing folders were trained (undefined: not yet) */
  foldersTrainedAt: number | undefined;
  /** bumped by every training write (another process's too) */
  version: number;
}

export interface JunkTrainedRecord { label: JunkLabel; context: string[] }

export interface JunkSender { wroteTo: number; kept: number; received: number }

export interface JunkFeatureChange { feature: number; spam: number; ham: number }

interface StateRow { version: number; spam_trained: number; ham_trained: number; caught: number; delivered: number; threshold: number; min_trained: number; risky_to_junk: number; folders_trained_at: number | null }

export class JunkRecords {
  constructor(private readonly db: Db) {}

  private ensure(accountId: number): void {
    this.db.prepare('INSERT OR IGNORE INTO junk_accounts (account_id) VALUES (?)').run(accountId);
  }

  /** Read only (asked at every delivery: it must not wait for the write lock). */
  state(accountId: number): JunkAccountState {
    const r = (this.db.prepare('SELECT * FROM junk_accounts WHERE account_id = ?').get(accountId) as StateRow | undefined)
      ?? { version: 0, spam_trained: 0, ham_trained: 0, caught: 0, delivered: 0, threshold: 0.95, min_trained: 20, risky_to_junk: 1, folders_trained_at: null };
    return {
      spamTrained: r.spam_trained, hamTrained: r.ham_trained, caught: r.caught, delivered: r.delivered,
      threshold: r.threshold, minTrained: r.min_trained, riskyToJunk: r.risky_to_junk !== 0,
      foldersTrainedAt: r.folders_trained_at ?? undefined, version: r.version,
    };
  }

  setSettings(accountId: number, s: { threshold?: number; minTrained?: number; riskyToJunk?: boolean }): void {
    this.ensure(accountId);
    if (s.threshold !== undefined) this.db.prepare('UPDATE junk_accounts SET threshold = ? WHERE account_id = ?').run(s.threshold, accountId);
    if (s.minTrained !== undefined) this.db.prepare('UPDATE junk_accounts SET min_trained = ? WHERE account_id = ?').run(s.minTrained, accountId);
    if (s.riskyToJunk !== undefined) this.db.prepare('UPDATE junk_accounts SET risky_to_junk = ? WHERE account_id = ?').run(s.riskyToJunk ? 1 : 0, accountId);
  }

  /** Delivery counters and the senders received from, for several accounts in one transaction
   *  (the filter batches them so that delivery pays no extra commit). */
  recordDeliveries(batch: ReadonlyArray<{ accountId: number; delivered: number; caught: number; senders: readonly string[] }>): void {
    const now = Date.now();
    const count = this.db.prepare('UPDATE junk_accounts SET delivered = delivered + ?, caught = caught + ? WHERE account_id = ?');
    const sender = this.db.prepare(`INSERT INTO junk_senders (account_id, address, received, last_seen) VALUES (?, ?, 1, ?)
      ON CONFLICT(account_id, address) DO UPDATE SET received = received + 1, last_seen = excluded.last_seen`);
    this.db.transaction(() => {
      for (const b of batch) {
        this.ensure(b.accountId);
        count.run(b.delivered, b.caught, b.accountId);
        for (const a of b.senders) sender.run(b.accountId, a, now);
      }
    }).immediate();
  }

  markFoldersTrained(accountId: number, at: number | null): void {
    this.ensure(accountId);
    this.db.prepare('UPDATE junk_accounts SET folders_trained_at = ? WHERE account_id = ?').run(at, accountId);
  }

  /** Every feature count of an account (to load its model). */
  *features(accountId: number): Generator<JunkFeatureChange> {
    for (const r of this.db.prepare('SELECT feature, spam, ham FROM junk_features WHERE account_id = ?').iterate(accountId) as Iterable<JunkFeatureChange>) yield r;
  }

  featureCount(accountId: number): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM junk_features WHERE account_id = ?').get(accountId) as { n: number }).n;
  }

  /** Bytes the account's model takes in the database (its rows' pages, estimated from the row count
   *  and the table's average row size). */
  modelBytes(accountId: number): number {
    const rows = this.featureCount(accountId);
    let perRow = 24;
    try {
      const t = this.db.prepare("SELECT SUM(pgsize) AS bytes FROM dbstat WHERE name = 'junk_features'").get() as { bytes: number | null };
      const all = (this.db.prepare('SELECT COUNT(*) AS n FROM junk_features').get() as { n: number }).n;
      if (t.bytes && all) perRow = t.bytes / all;
    } catch { /* no dbstat in this SQLite build: the estimate */ }
    return Math.round(rows * perRow);
  }

  trained(accountId: number, hash: string): JunkTrainedRecord | undefined {
    const r = this.db.prepare('SELECT label, context FROM junk_trained WHERE account_id = ? AND hash = ?').get(accountId, hash) as { label: JunkLabel; context: string } | undefined;
    return r ? { label: r.label, context: r.context ? r.context.split('\n') : [] } : undefined;
  }

  /** Record a training change: the model's new counts for the touched features, the message's
   *  label (undefined: untrained) and the trained totals, in one transaction. */
  applyTraining(accountId: number, hash: string, record: JunkTrainedRecord | undefined, changes: readonly JunkFeatureChange[], totals: { spam: number; ham: number }): number {
    this.ensure(accountId);
    const up = this.db.prepare('INSERT INTO junk_features (account_id, feature, spam, ham) VALUES (?, ?, ?, ?) ON CONFLICT(account_id, feature) DO UPDATE SET spam = excluded.spam, ham = excluded.ham');
    const del = this.db.prepare('DELETE FROM junk_features WHERE account_id = ? AND feature = ?');
    return this.db.transaction(() => {
      for (const c of changes) {
        if (c.spam <= 0 && c.ham <= 0) del.run(accountId, c.feature);
        else up.run(accountId, c.feature, c.spam, c.ham);
      }
      if (record) {
        this.db.prepare('INSERT INTO junk_trained (account_id, hash, label, context, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(account_id, hash) DO UPDATE SET label = excluded.label, context = excluded.context, at = excluded.at')
          .run(accountId, hash, record.label, record.context.join('\n'), Date.now());
      } else this.db.prepare('DELETE FROM junk_trained WHERE account_id = ? AND hash = ?').run(accountId, hash);
      this.db.prepare('UPDATE junk_accounts SET spam_trained = ?, ham_trained = ?, version = version + 1 WHERE account_id = ?').run(totals.spam, totals.ham, accountId);
      return (this.db.prepare('SELECT version FROM junk_accounts WHERE account_id = ?').get(accountId) as { version: number }).version;
    }).immediate();
  }

  /** Drop features seen in at most `maxTotal` messages (the model's size bound). Returns how many. */
  prune(accountId: number, maxTotal: number): number {
    return this.db.transaction(() => {
      const n = this.db.prepare('DELETE FROM junk_features WHERE account_id = ? AND spam + ham <= ?').run(accountId, maxTotal).changes;
      this.db.prepare('UPDATE junk_accounts SET version = version + 1 WHERE account_id = ?').run(accountId);
      return n;
    }).immediate();
  }

  /** Forget the model, the training records and the counters (retrain starts from here). */
  reset(accountId: number): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM junk_features WHERE account_id = ?').run(accountId);
      this.db.prepare('DELETE FROM junk_trained WHERE account_id = ?').run(accountId);
      this.db.prepare('UPDATE junk_senders SET kept = 0 WHERE account_id = ?').run(accountId);
      this.ensure(accountId);
      this.db.prepare('UPDATE junk_accounts SET spam_trained = 0, ham_trained = 0, folders_trained_at = NULL, version = version + 1 WHERE account_id = ?').run(accountId);
    }).immediate();
  }

  sender(accountId: number, address: string): JunkSender | undefined {
    const r = this.db.prepare('SELECT wrote_to, kept, received FROM junk_senders WHERE account_id = ? AND address = ?').get(accountId, address) as { wrote_to: number; kept: number; received: number } | undefined;
    return r ? { wroteTo: r.wrote_to, kept: r.kept, received: r.received } : undefined;
  }

  /** Count an address as written to, kept (a ham message from it) or received from. */
  noteSender(accountId: number, addresses: readonly string[], what: 'wrote_to' | 'kept' | 'received', delta = 1): void {
    if (addresses.length === 0) return;
    const st = this.db.prepare(`INSERT INTO junk_senders (account_id, address, ${what}, last_seen) VALUES (?, ?, ?, ?)
      ON CONFLICT(account_id, address) DO UPDATE SET ${what} = MAX(0, ${what} + ?), last_seen = excluded.last_seen`);
    const now = Date.now();
    this.db.transaction(() => { for (const a of addresses) st.run(accountId, a, Math.max(0, delta), now, delta); }).immediate();
  }

  /** Keep at most `max` addresses that are only "received from" (the oldest go first). */
  pruneSenders(accountId: number, max: number): number {
    return this.db.prepare(`DELETE FROM junk_senders WHERE account_id = ? AND wrote_to = 0 AND kept = 0 AND address IN (
      SELECT address FROM junk_senders WHERE account_id = ? AND wrote_to = 0 AND kept = 0 ORDER BY last_seen DESC LIMIT -1 OFFSET ?)`).run(accountId, accountId, max).changes;
  }

  correspondents(accountId: number): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM junk_senders WHERE account_id = ? AND (wrote_to > 0 OR kept > 0)').get(accountId) as { n: number }).n;
  }
}
