// Messages in mailboxes: UIDs, modification sequences (RFC 7162), flags and keywords, expunge,
// copy and move. Every change bumps the mailbox's HIGHESTMODSEQ once and stamps the changed rows.
import type { Db } from './database.js';
import { StoreError } from './errors.js';
import type { MimePart } from '../mail/mime.js';
import type { MailboxEvents, MessageChange } from '../events.js';
import type { MessageSearch } from './message-search.js';
import { junkKeywordsOnCopy, type FolderLike } from './junk-keywords.js';

export const FLAG_BITS = { '\\Seen': 1, '\\Answered': 2, '\\Flagged': 4, '\\Deleted': 8, '\\Draft': 16 } as const;
export type SystemFlag = keyof typeof FLAG_BITS;
export const SYSTEM_FLAGS = Object.keys(FLAG_BITS) as SystemFlag[];

export interface MessageMeta {
  id: number;
  uid: number;
  modseq: number;
  size: number;
  internalDate: number;
  /** system flags and keywords, system flags first */
  flags: string[];
  blobId: number;
}

export interface BlobInfo { hash: string; size: number; headers: Buffer; mime: MimePart }

interface Row { id: number; uid: number; modseq: number; size: number; internal_date: number; flags: number; keywords: string; blob_id: number }

export function flagsFromRow(bits: number, keywords: string): string[] {
  const out: string[] = [];
  for (const f of SYSTEM_FLAGS) if (bits & FLAG_BITS[f]) out.push(f);
  if (keywords) out.push(...keywords.split(' '));
  return out;
}

/** Split client flags into a bit mask and keywords (\Recent and unknown system flags are ignored). */
export function splitFlags(flags: readonly string[]): { bits: number; keywords: string[] } {
  let bits = 0;
  const keywords: string[] = [];
  for (const f of flags) {
    const sys = SYSTEM_FLAGS.find((s) => s.toLowerCase() === f.toLowerCase());
    if (sys) bits |= FLAG_BITS[sys];
    else if (!f.startsWith('\\')) { if (!keywords.some((k) => k.toLowerCase() === f.toLowerCase())) keywords.push(f); }
  }
  return { bits, keywords };
}

function toMeta(r: Row): MessageMeta {
  return { id: r.id, uid: r.uid, modseq: r.modseq, size: r.size, internalDate: r.internal_date, flags: flagsFromRow(r.flags, r.keywords), blobId: r.blob_id };
}

export type StoreMode = 'set' | 'add' | 'remove';

export interface FlagChange { uid: number; modseq: number; flags: string[] }

export class Messages {
  /** `removed` is called after rows left (expunge, move): their content may be reclaimable */
  constructor(private readonly db: Db, private readonly search: MessageSearch, private readonly events?: MailboxEvents, private readonly removed: () => void = () => undefined) {}

  /** Every message of a mailbox in UID order (collected: prefer iterate() for large mailboxes). */
  list(mailboxId: number): MessageMeta[] {
    return [...this.iterate(mailboxId)];
  }

  /** Every message of a mailbox in UID order, streamed through a cursor. */
  *iterate(mailboxId: number, fromUid = 1): Generator<MessageMeta> {
    const it = this.db.prepare('SELECT id, uid, modseq, size, internal_date, flags, keywords, blob_id FROM messages WHERE mailbox_id = ? AND uid >= ? ORDER BY uid').iterate(mailboxId, fromUid) as IterableIterator<Row>;
    for (const r of it) yield toMeta(r);
  }

  /** UIDs of a mailbox in ascending order, compactly (a session's sequence map). */
  uids(mailboxId: number): Uint32Array {
    const n = (this.db.prepare('SELECT COUNT(*) FROM messages WHERE mailbox_id = ?').pluck().get(mailboxId) as number);
    let out = new Uint32Array(n);
    let i = 0;
    for (const uid of this.db.prepare('SELECT uid FROM messages WHERE mailbox_id = ? ORDER BY uid').pluck().iterate(mailboxId) as IterableIterator<number>) {
      if (i === out.length) { const grown = new Uint32Array(out.length * 2 + 16); grown.set(out); out = grown; }
      out[i++] = uid;
    }
    return out.subarray(0, i);
  }

  /** Messages whose modseq is above `modseq` (CONDSTORE CHANGEDSINCE, session refresh). */
  changedSince(mailboxId: number, modseq: number): MessageMeta[] {
    return (this.db.prepare('SELECT id, uid, modseq, size, internal_date, flags, keywords, blob_id FROM messages WHERE mailbox_id = ? AND modseq > ? ORDER BY uid').all(mailboxId, modseq) as Row[]).map(toMeta);
  }

  /** changedSince() read in chunks of `chunk` rows by UID (keyset: no statement stays open
   *  between chunks, so a consumer may await between items; memory is one chunk). */
  *changedSinceChunked(mailboxId: number, modseq: number, chunk = 512): Generator<MessageMeta> {
    const stmt = this.db.prepare('SELECT id, uid, modseq, size, internal_date, flags, keywords, blob_id FROM messages WHERE mailbox_id = ? AND modseq > ? AND uid > ? ORDER BY uid LIMIT ?');
    let after = 0;
    for (;;) {
      const rows = stmt.all(mailboxId, modseq, after, chunk) as Row[];
      for (const r of rows) yield toMeta(r);
      if (rows.length < chunk) return;
      after = rows[rows.length - 1]!.uid;
    }
  }

  /** The messages with UIDs in [fromUid, toUid], in UID order, collected (callers bound the
   *  range: FETCH reads a large set a few hundred rows at a time). */
  range(mailboxId: number, fromUid: number, toUid: number): MessageMeta[] {
    return (this.db.prepare('SELECT id, uid, modseq, size, internal_date, flags, keywords, blob_id FROM messages WHERE mailbox_id = ? AND uid >= ? AND uid <= ? ORDER BY uid').all(mailboxId, fromUid, toUid) as Row[]).map(toMeta);
  }

  /** The lowest UID without \Seen (SELECT's [UNSEEN n]), or 0. */
  firstUnseenUid(mailboxId: number): number {
    return (this.db.prepare('SELECT MIN(uid) FROM messages WHERE mailbox_id = ? AND (flags & 1) = 0').pluck().get(mailboxId) as number | null) ?? 0;
  }

  /** UIDs expunged after `modseq` (QRESYNC VANISHED). */
  expungedSince(mailboxId: number, modseq: number): number[] {
    return (this.db.prepare('SELECT uid FROM expunged WHERE mailbox_id = ? AND modseq > ? ORDER BY uid').all(mailboxId, modseq) as { uid: number }[]).map((r) => r.uid);
  }

  get(mailboxId: number, uid: number): MessageMeta | undefined {
    const r = this.db.prepare('SELECT id, uid, modseq, size, internal_date, flags, keywords, blob_id FROM messages WHERE mailbox_id = ? AND uid = ?').get(mailboxId, uid) as Row | undefined;
    return r ? toMeta(r) : undefined;
  }

  blob(blobId: number): BlobInfo {
    const r = this.db.prepare('SELECT hash, size, headers, mime FROM blobs WHERE id = ?').get(blobId) as { hash: string; size: number; headers: Buffer; mime: string } | undefined;
    if (!r) throw new StoreError('not-found', 'the message content is missing');
    return { hash: r.hash, size: r.size, headers: r.headers, mime: JSON.parse(r.mime) as MimePart };
  }

  /** Keywords in use in a mailbox (for FLAGS and PERMANENTFLAGS). */
  keywords(mailboxId: number): string[] {
    const set = new Set<string>();
    for (const r of this.db.prepare("SELECT DISTINCT keywords FROM messages WHERE mailbox_id = ? AND keywords != ''").all(mailboxId) as { keywords: string }[]) {
      for (const k of r.keywords.split(' ')) set.add(k);
    }
    return [...set].sort();
  }

  /** Change flags on the given UIDs. With `unchangedSince` (CONDSTORE), messages modified after it
   *  are left alone and reported in `failed`. Returns the changed messages with their new modseq. */
  store(mailboxId: number, uids: readonly number[], mode: StoreMode, flags: readonly string[], unchangedSince?: number): { changed: FlagChange[]; failed: number[] } {
    const { bits, keywords } = splitFlags(flags);
    const watch = !!this.events?.watchingMessages && keywords.length > 0;
    const kwChanges: Array<{ blobId: number; added: string[]; removed: string[] }> = [];
    let accountId = 0;
    const out = this.db.transaction(() => {
      const mb = this.db.prepare('SELECT account_id, highest_modseq FROM mailboxes WHERE id = ?').get(mailboxId) as { account_id: number; highest_modseq: number } | undefined;
      if (!mb) throw new StoreError('not-found', 'the mailbox no longer exists');
      accountId = mb.account_id;
      const modseq = mb.highest_modseq + 1;
      const sel = this.db.prepare('SELECT id, uid, modseq, flags, keywords, blob_id FROM messages WHERE mailbox_id = ? AND uid = ?');
      const upd = this.db.prepare('UPDATE messages SET flags = ?, keywords = ?, modseq = ? WHERE id = ?');
      const changed: FlagChange[] = [];
      const failed: number[] = [];
      for (const uid of uids) {
        const r = sel.get(mailboxId, uid) as { id: number; uid: number; modseq: number; flags: number; keywords: string; blob_id: number } | undefined;
        if (!r) continue;
        if (unchangedSince !== undefined && r.modseq > unchangedSince) { failed.push(uid); continue; }
        const cur = r.keywords ? r.keywords.split(' ') : [];
        let nb = r.flags;
        let nk = cur;
        if (mode === 'set') { nb = bits; nk = keywords; }
        else if (mode === 'add') { nb = r.flags | bits; nk = [...cur, ...keywords.filter((k) => !cur.some((c) => c.toLowerCase() === k.toLowerCase()))]; }
        else { nb = r.flags & ~bits; nk = cur.filter((c) => !keywords.some((k) => k.toLowerCase() === c.toLowerCase())); }
        const nks = nk.join(' ');
        if (nb === r.flags && nks === r.keywords) {
          // No change: with UNCHANGEDSINCE the message still counts as stored (RFC 7162 3.1.3).
          continue;
        }
        upd.run(nb, nks, modseq, r.id);
        changed.push({ uid, modseq, flags: flagsFromRow(nb, nks) });
        if (watch && nks !== r.keywords) {
          const has = (list: string[], k: string) => list.some((c) => c.toLowerCase() === k.toLowerCase());
          kwChanges.push({ blobId: r.blob_id, added: nk.filter((k) => !has(cur, k)), removed: cur.filter((k) => !has(nk, k)) });
        }
      }
      if (changed.length) this.db.prepare('UPDATE mailboxes SET highest_modseq = ? WHERE id = ?').run(modseq, mailboxId);
      return { changed, failed };
    }).immediate();
    if (kwChanges.length) this.emit({ kind: 'keywords', accountId, mailboxId, changes: kwChanges });
    return out;
  }

  private emit(change: MessageChange): void {
    try { this.events?.emitMessages(change); } catch { /* a listener never fails the change */ }
  }

  /** Remove messages flagged \Deleted (only those among `uids` when given). Returns their UIDs. */
  expunge(mailboxId: number, uids?: readonly number[]): number[] {
    return this.db.transaction(() => {
      const rows = this.db.prepare('SELECT id, uid, size FROM messages WHERE mailbox_id = ? AND (flags & 8) != 0 ORDER BY uid').all(mailboxId) as { id: number; uid: number; size: number }[];
      const only = uids ? new Set(uids) : undefined;
      const gone = only ? rows.filter((r) => only.has(r.uid)) : rows;
      this.removeRows(mailboxId, gone);
      return gone.map((r) => r.uid);
    }).immediate();
  }

  private removeRows(mailboxId: number, rows: ReadonlyArray<{ id: number; uid: number; size: number }>): void {
    if (rows.length === 0) return;
    this.removed();
    const mb = this.db.prepare('SELECT account_id, highest_modseq FROM mailboxes WHERE id = ?').get(mailboxId) as { account_id: number; highest_modseq: number };
    const modseq = mb.highest_modseq + 1;
    const del = this.db.prepare('DELETE FROM messages WHERE id = ?');
    const rec = this.db.prepare('INSERT OR REPLACE INTO expunged (mailbox_id, uid, modseq) VALUES (?, ?, ?)');
    let bytes = 0;
    for (const r of rows) { del.run(r.id); rec.run(mailboxId, r.uid, modseq); bytes += r.size; }
    this.db.prepare('UPDATE mailboxes SET highest_modseq = ? WHERE id = ?').run(modseq, mailboxId);
    this.db.prepare('UPDATE accounts SET used_bytes = MAX(0, used_bytes - ?) WHERE id = ?').run(bytes, mb.account_id);
  }

  /** Copy messages to another mailbox of the same account (or another: quota is the target's).
   *  Returns [source UID, new UID] pairs in source UID order (UIDPLUS COPYUID). */
  copy(fromMailboxId: number, uids: readonly number[], toMailboxId: number, move = false): Array<[number, number]> {
    let copied: { accountId: number; blobIds: number[] } | undefined;
    const pairs = this.db.transaction(() => {
      const dest = this.db.prepare('SELECT m.uid_next, m.highest_modseq, a.id AS account_id, a.quota_bytes, a.used_bytes FROM mailboxes m JOIN accounts a ON a.id = m.account_id WHERE m.id = ?')
        .get(toMailboxId) as { uid_next: number; highest_modseq: number; account_id: number; quota_bytes: number; used_bytes: number } | undefined;
      if (!dest) throw new StoreError('not-found', 'the target mailbox no longer exists');
      const sel = this.db.prepare('SELECT id, uid, size, internal_date, flags, keywords, blob_id FROM messages WHERE mailbox_id = ? AND uid = ?');
      const rows = [...new Set(uids)].sort((a, b) => a - b)
        .map((u) => sel.get(fromMailboxId, u) as { id: number; uid: number; size: number; internal_date: number; flags: number; keywords: string; blob_id: number } | undefined)
        .filter((r): r is NonNullable<typeof r> => r !== undefined);
      const total = rows.reduce((s, r) => s + r.size, 0);
      const src = this.db.prepare('SELECT account_id FROM mailboxes WHERE id = ?').get(fromMailboxId) as { account_id: number };
      const sameAccountMove = move && src.account_id === dest.account_id;
      if (!sameAccountMove && dest.quota_bytes > 0 && dest.used_bytes + total > dest.quota_bytes) {
        throw new StoreError('over-quota', `the mailbox is full (quota ${dest.quota_bytes} bytes)`);
      }
      const modseq = dest.highest_modseq + 1;
      let uid = dest.uid_next;
      const ins = this.db.prepare('INSERT INTO messages (mailbox_id, uid, modseq, blob_id, size, internal_date, flags, keywords) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      const pairs: Array<[number, number]> = [];
      const folder = this.db.prepare('SELECT name, special_use AS specialUse FROM mailboxes WHERE id = ?');
      const keywordsFor = src.account_id === dest.account_id
        ? junkKeywordsOnCopy(folder.get(fromMailboxId) as FolderLike, folder.get(toMailboxId) as FolderLike)
        : undefined;
      for (const r of rows) {
        ins.run(toMailboxId, uid, modseq, r.blob_id, r.size, r.internal_date, r.flags, keywordsFor ? keywordsFor(r.keywords) : r.keywords);
        pairs.push([r.uid, uid++]);
      }
      if (rows.length) {
        this.db.prepare('UPDATE mailboxes SET uid_next = ?, highest_modseq = ? WHERE id = ?').run(uid, modseq, toMailboxId);
        this.db.prepare('UPDATE accounts SET used_bytes = used_bytes + ? WHERE id = ?').run(total, dest.account_id);
      }
      if (move) this.removeRows(fromMailboxId, rows);
      if (rows.length && src.account_id === dest.account_id) copied = { accountId: dest.account_id, blobIds: rows.map((r) => r.blob_id) };
      return pairs;
    }).immediate();
    if (copied && this.events?.watchingMessages) this.emit({ kind: 'copied', accountId: copied.accountId, fromMailboxId, toMailboxId, move, blobIds: copied.blobIds });
    return pairs;
  }

  /** UIDs of messages whose text contains `needle` (case-insensitive substring, RFC 3501), exact.
   *  `field`: 'body', 'headers' or 'text' (both). */
  searchText(mailboxId: number, field: 'body' | 'headers' | 'text', needle: string): Set<number> {
    const filter = { kind: 'text' as const, scope: field, needle: needle.trim() };
    const { exact, rows } = this.search.select(mailboxId, filter);
    const out = new Set<number>();
    for (const m of rows) if (exact || this.search.textMatches(m.blobId, filter)) out.add(m.uid);
    return out;
  }
}
