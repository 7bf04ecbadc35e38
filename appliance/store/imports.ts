// What imports have brought into accounts (migration 820), reached as `store.imports`; the import
// code (appliance/import/) never touches SQL. `record` runs inside the group commit's savepoint of
// the message it describes (AcceptRequest.alongside), so item and message commit together.
import type { Db } from './database.js';

export interface ImportSource { id: number; accountId: number; origin: string; folder: string; uidValidity: number }
export interface ImportedItem { item: string; uidValidity: number; hash: string; emailId: string | null; mailboxId: number | null; uid: number | null; skipped: string | null; deletedAt: number | null }
export interface ImportRun { id: number; accountId: number; kind: string; origin: string; startedAt: number; updatedAt: number; finishedAt: number | null; state: string; progress: string }

interface SourceRow { id: number; account_id: number; origin: string; folder: string; uid_validity: number }
interface ItemRow { item: string; uid_validity: number; hash: string; email_id: string | null; mailbox_id: number | null; uid: number | null; skipped: string | null; deleted_at: number | null }
interface RunRow { id: number; account_id: number; kind: string; origin: string; started_at: number; updated_at: number; finished_at: number | null; state: string; progress: string }

const toSource = (r: SourceRow): ImportSource => ({ id: r.id, accountId: r.account_id, origin: r.origin, folder: r.folder, uidValidity: r.uid_validity });
const toItem = (r: ItemRow): ImportedItem => ({ item: r.item, uidValidity: r.uid_validity, hash: r.hash, emailId: r.email_id, mailboxId: r.mailbox_id, uid: r.uid, skipped: r.skipped, deletedAt: r.deleted_at });
const toRun = (r: RunRow): ImportRun => ({ id: r.id, accountId: r.account_id, kind: r.kind, origin: r.origin, startedAt: r.started_at, updatedAt: r.updated_at, finishedAt: r.finished_at, state: r.state, progress: r.progress });

export class ImportRecords {
  constructor(private readonly db: Db) {}

  /** The source row of one folder of one origin, created on first use. */
  source(accountId: number, origin: string, folder: string): ImportSource {
    this.db.prepare('INSERT INTO import_sources (account_id, origin, folder) VALUES (?, ?, ?) ON CONFLICT (account_id, origin, folder) DO NOTHING').run(accountId, origin, folder);
    return toSource(this.db.prepare('SELECT * FROM import_sources WHERE account_id = ? AND origin = ? AND folder = ?').get(accountId, origin, folder) as SourceRow);
  }

  /** Remember the folder's current UIDVALIDITY (items of an older one are matched by content). */
  setUidValidity(sourceId: number, uidValidity: number): void {
    this.db.prepare('UPDATE import_sources SET uid_validity = ? WHERE id = ?').run(uidValidity, sourceId);
  }

  /** Items (keys) already brought in (or skipped for good) under this UIDVALIDITY. */
  doneItems(sourceId: number, uidValidity = 0): Set<string> {
    const rows = this.db.prepare('SELECT item FROM import_items WHERE source_id = ? AND uid_validity = ?').pluck().all(sourceId, uidValidity) as string[];
    return new Set(rows);
  }

  /** Content hashes brought in from this source (under any UIDVALIDITY). */
  hasHash(sourceId: number, hash: string): boolean {
    return !!this.db.prepare('SELECT 1 FROM import_items WHERE source_id = ? AND hash = ? AND skipped IS NULL').get(sourceId, hash);
  }

  /** Provider message ids (Gmail's X-GM-MSGID, RFC 8474 EMAILID) already brought in from an origin. */
  emailIds(accountId: number, origin: string): Set<string> {
    const rows = this.db.prepare(`SELECT i.email_id FROM import_items i JOIN import_sources s ON s.id = i.source_id
      WHERE s.account_id = ? AND s.origin = ? AND i.email_id IS NOT NULL`).pluck().all(accountId, origin) as string[];
    return new Set(rows);
  }

  /** Whether the account holds this content in any mailbox. */
  accountHasContent(accountId: number, hash: string): boolean {
    return !!this.db.prepare(`SELECT 1 FROM blobs b JOIN messages m ON m.blob_id = b.id JOIN mailboxes x ON x.id = m.mailbox_id
      WHERE b.hash = ? AND x.account_id = ? LIMIT 1`).get(hash, accountId);
  }

  /** Record an item brought in (mailboxId/uid set) or skipped for good (skipped: why). Called
   *  inside the message's transaction for a stored one. */
  record(sourceId: number, item: string, r: { uidValidity?: number; hash: string; emailId?: string; mailboxId?: number; uid?: number; skipped?: string }): void {
    this.db.prepare(`INSERT INTO import_items (source_id, item, uid_validity, hash, email_id, mailbox_id, uid, skipped) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (source_id, item) DO UPDATE SET uid_validity = excluded.uid_validity, hash = excluded.hash, email_id = excluded.email_id,
        mailbox_id = excluded.mailbox_id, uid = excluded.uid, skipped = excluded.skipped`)
      .run(sourceId, item, r.uidValidity ?? 0, r.hash, r.emailId ?? null, r.mailboxId ?? null, r.uid ?? null, r.skipped ?? null);
  }

  /** Items imported (not skipped) under this UIDVALIDITY and not yet deleted at the source. */
  importedNotDeleted(sourceId: number, uidValidity: number): ImportedItem[] {
    return (this.db.prepare('SELECT * FROM import_items WHERE source_id = ? AND uid_validity = ? AND skipped IS NULL AND mailbox_id IS NOT NULL AND deleted_at IS NULL')
      .all(sourceId, uidValidity) as ItemRow[]).map(toItem);
  }

  markDeleted(sourceId: number, items: readonly string[], now = Date.now()): void {
    const st = this.db.prepare('UPDATE import_items SET deleted_at = ? WHERE source_id = ? AND item = ?');
    this.db.transaction(() => { for (const i of items) st.run(now, sourceId, i); })();
  }

  /** How many messages imports brought into an account (skipped items not counted). */
  countImported(accountId: number): number {
    return this.db.prepare(`SELECT count(*) FROM import_items i JOIN import_sources s ON s.id = i.source_id
      WHERE s.account_id = ? AND i.mailbox_id IS NOT NULL`).pluck().get(accountId) as number;
  }

  items(sourceId: number): ImportedItem[] {
    return (this.db.prepare('SELECT * FROM import_items WHERE source_id = ?').all(sourceId) as ItemRow[]).map(toItem);
  }

  sources(accountId: number): ImportSource[] {
    return (this.db.prepare('SELECT * FROM import_sources WHERE account_id = ? ORDER BY id').all(accountId) as SourceRow[]).map(toSource);
  }

  /** The content hash of a blob row (exports read message files by it). */
  blobHash(blobId: number): string | undefined {
    return this.db.prepare('SELECT hash FROM blobs WHERE id = ?').pluck().get(blobId) as string | undefined;
  }

  // Runs: one row per import or export while it runs and after, for the panel's progress page.
  startRun(accountId: number, kind: string, origin: string, now = Date.now()): number {
    return Number(this.db.prepare('INSERT INTO import_runs (account_id, kind, origin, started_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(accountId, kind, origin, now, now).lastInsertRowid);
  }

  updateRun(id: number, progress: unknown, now = Date.now()): void {
    this.db.prepare('UPDATE import_runs SET progress = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(progress), now, id);
  }

  finishRun(id: number, state: 'done' | 'failed', progress: unknown, now = Date.now()): void {
    this.db.prepare('UPDATE import_runs SET progress = ?, updated_at = ?, finished_at = ?, state = ? WHERE id = ?').run(JSON.stringify(progress), now, now, state, id);
  }

  runs(accountId?: number, limit = 20): ImportRun[] {
    const rows = accountId === undefined
      ? this.db.prepare('SELECT * FROM import_runs ORDER BY id DESC LIMIT ?').all(limit)
      : this.db.prepare('SELECT * FROM import_runs WHERE account_id = ? ORDER BY id DESC LIMIT ?').all(accountId, limit);
    return (rows as RunRow[]).map(toRun);
  }
}
