// The selected mailbox as one session sees it (RFC 9051 section 2.3.1.2, 7.5.1, 7.5.2): the
// sequence-number -> UID map, the flags the client was told, and the modseq watermarks up to
// which other sessions' changes were reported. Changes are found by modseq in the store
// (CONDSTORE bookkeeping), so a refresh with nothing new costs one row read.
import type { Store, Mailbox, MessageMeta } from '../../appliance/store/index.js';
import { atom, type ImapValue } from './wire.js';
import { formatSet, normalize, type SequenceSet } from './sequence.js';
import { bad } from './errors.js';

export interface RefreshOptions {
  /** EXPUNGE may be sent now (not during FETCH, STORE, SEARCH: RFC 9051 7.5.1) */
  expunge: boolean;
  /** CONDSTORE is on: FETCH responses carry MODSEQ */
  condstore: boolean;
  /** QRESYNC is on: VANISHED instead of EXPUNGE */
  qresync: boolean;
}

export type Untagged = ImapValue[];

/** How a session treats \Recent (RFC 3501 2.3.2): SELECT claims the messages no session has
 *  claimed yet, EXAMINE only looks (it changes nothing, RFC 3501 6.3.2), IMAP4rev2 has no \Recent. */
export type RecentMode = 'claim' | 'peek' | 'off';

const SYSTEM_FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'];

// Memory: the view holds 4 bytes per message (the UIDs in a Uint32Array); flags are not kept (the
// store has them; the client is assumed to know every message's state as of the modseq watermark,
// and only what it was told above the watermark is remembered until the next refresh), \Recent is
// a few UID ranges, and changes are read from the store in bounded chunks.

/** Index of the first element of a[0..n) that is >= v. */
function lowerBound(a: Uint32Array, n: number, v: number): number {
  let lo = 0, hi = n;
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (a[mid]! < v) lo = mid + 1; else hi = mid; }
  return lo;
}

export class SelectedMailbox {
  readonly id: number;
  readonly accountId: number;
  readonly uidValidity: number;
  name: string;
  /** seq - 1 -> UID, ascending, in buf[0..count) */
  private buf: Uint32Array;
  private count: number;
  /** UID -> modseq of the flags this session told the client above the `modseq` watermark (own
   *  STORE, FETCH FLAGS): the next refresh does not repeat them. Emptied at each refresh. */
  private readonly told = new Map<number, number>();
  /** keywords the client was told about in FLAGS (RFC 9051 7.3.5: a new one means a new FLAGS) */
  readonly keywords = new Set<string>();
  /** sequence number of the first message without \Seen at SELECT (0: none) */
  firstUnseen = 0;
  /** UID ranges [lo, hi] that are \Recent in this session (the messages in them that are still
   *  here are the recent ones) */
  private readonly recent: Array<[number, number]> = [];
  /** the RECENT count the client was last told (SELECT tells it first) */
  private reportedRecent = 0;
  /** changes (new messages, flags) up to this modseq were reported */
  private modseq: number;
  /** expunges up to this modseq were reported */
  private expungeModseq: number;

  constructor(private readonly store: Store, mb: Mailbox, readonly readOnly: boolean, readonly recentMode: RecentMode = 'off') {
    this.id = mb.id;
    this.accountId = mb.accountId;
    this.uidValidity = mb.uidValidity;
    this.name = mb.name;
    this.modseq = mb.highestModseq;
    this.expungeModseq = mb.highestModseq;
    this.buf = store.messages.uids(mb.id);
    this.count = this.buf.length;
    const unseen = store.messages.firstUnseenUid(mb.id);
    if (unseen) this.firstUnseen = this.seqOf(unseen);
    for (const k of store.messages.keywords(mb.id)) this.keywords.add(k);
    this.noteRecent(0);
    // Anything that changed between reading the mailbox row and the UIDs is picked up next time.
    const now = store.mailboxes.byId(mb.id);
    if (now && now.highestModseq !== mb.highestModseq) this.modseq = this.expungeModseq = Math.min(this.modseq, now.highestModseq);
  }

  get exists(): number { return this.count; }
  /** The UIDs in sequence order (a view: valid until the mailbox view changes). */
  get uids(): Uint32Array { return this.buf.subarray(0, this.count); }
  /** UID of a 1-based sequence number (undefined beyond the mailbox) */
  uidAt(seq: number): number | undefined { return seq >= 1 && seq <= this.count ? this.buf[seq - 1] : undefined; }
  /** the number of \Recent messages (the RECENT response) */
  get recentCount(): number {
    let n = 0;
    for (const [lo, hi] of this.recent) n += lowerBound(this.buf, this.count, hi + 1) - lowerBound(this.buf, this.count, lo);
    return n;
  }

  /** `* n RECENT` when the count changed since the client was last told (RFC 3501 7.3.2). */
  recentUpdate(): Untagged[] {
    if (this.recentMode === 'off') return [];
    const n = this.recentCount;
    if (n === this.reportedRecent) return [];
    this.reportedRecent = n;
    return [[n, atom('RECENT')]];
  }

  /** SELECT/EXAMINE told the client the count. */
  noteRecentReported(): void { this.reportedRecent = this.recentCount; }

  isRecent(uid: number): boolean {
    for (const [lo, hi] of this.recent) if (uid >= lo && uid <= hi) return true;
    return false;
  }

  /** The flags to show for a message: its stored flags, and \Recent when it is recent here. */
  shownFlags(uid: number, flags: readonly string[]): string[] {
    return this.isRecent(uid) ? [...flags, '\\Recent'] : [...flags];
  }

  /** Of the UIDs from index `from` on, mark as recent those this session claims now (SELECT) or,
   *  for EXAMINE, those no session has claimed yet. */
  private noteRecent(from: number): void {
    if (this.recentMode === 'off' || from >= this.count) return;
    const mark = this.recentMode === 'claim' ? this.store.mailboxes.claimRecent(this.id, this.maxUid) : this.store.mailboxes.recentUid(this.id);
    const lo = Math.max(mark + 1, this.buf[from]!);
    if (lo <= this.maxUid) this.recent.push([lo, this.maxUid]);
  }
  get maxUid(): number { return this.count ? this.buf[this.count - 1]! : 0; }

  /** 1-based sequence number of a UID, or 0 */
  seqOf(uid: number): number {
    const i = lowerBound(this.buf, this.count, uid);
    return i < this.count && this.buf[i] === uid ? i + 1 : 0;
  }

  private push(uid: number): void {
    if (this.count === this.buf.length) {
      const grown = new Uint32Array(Math.max(16, this.buf.length + (this.buf.length >> 1)));
      grown.set(this.buf.subarray(0, this.count));
      this.buf = grown;
    }
    this.buf[this.count++] = uid;
  }

  /** UIDs (ascending) named by a set of sequence numbers or UIDs. A sequence number beyond the
   *  mailbox is an error (RFC 9051 9: "seq-number"); a UID set just matches what exists. */
  resolve(set: SequenceSet, byUid: boolean, saved: readonly number[]): number[] {
    return Array.from(this.resolveUids(set, byUid, saved));
  }

  /** resolve(), compactly (4 bytes per message: FETCH 1:* of a large mailbox). */
  resolveUids(set: SequenceSet, byUid: boolean, saved: readonly number[]): Uint32Array {
    if ('saved' in set) return Uint32Array.from(saved.filter((u) => this.seqOf(u) > 0)).sort();
    const n = this.count;
    if (!byUid) {
      if (n === 0) throw bad('the mailbox is empty: no sequence numbers are valid');
      for (const r of set.ranges) {
        if ((r.from !== Number.POSITIVE_INFINITY && r.from > n) || (r.to !== Number.POSITIVE_INFINITY && r.to > n)) {
          throw bad(`invalid message sequence number (the mailbox has ${n} messages)`);
        }
      }
    }
    // index spans [a, b) of the view, ascending and disjoint
    const spans: Array<[number, number]> = [];
    for (const r of normalize(set, byUid ? this.maxUid : n)) {
      const a = byUid ? lowerBound(this.buf, n, r.from) : r.from - 1;
      const b = byUid ? lowerBound(this.buf, n, r.to + 1) : r.to;
      if (b > a) spans.push([a, b]);
    }
    if (spans.length === 1) return this.buf.slice(spans[0]![0], spans[0]![1]);
    let total = 0;
    for (const [a, b] of spans) total += b - a;
    const out = new Uint32Array(total);
    let k = 0;
    for (const [a, b] of spans) { out.set(this.buf.subarray(a, b), k); k += b - a; }
    return out;
  }

  /** FLAGS and PERMANENTFLAGS for this mailbox (at SELECT and when a keyword appears). */
  flagsResponses(): Untagged[] {
    const all = [...SYSTEM_FLAGS, ...[...this.keywords].sort()];
    return [
      [atom('FLAGS'), all.map(atom)],
      [atom('OK'), atom(this.readOnly ? '[PERMANENTFLAGS ()]' : `[PERMANENTFLAGS (${all.join(' ')} \\*)]`), atom('flags permitted')],
    ];
  }

  /** Keywords among `flags` the client has not been told of yet: the FLAGS and PERMANENTFLAGS
   *  responses to send before the FETCH that shows them (RFC 9051 7.3.5: FLAGS lists the flags
   *  that can be in the mailbox), or nothing. */
  announce(flags: readonly string[]): Untagged[] {
    let fresh = false;
    for (const f of flags) if (!f.startsWith('\\') && !this.keywords.has(f)) { this.keywords.add(f); fresh = true; }
    return fresh ? this.flagsResponses() : [];
  }

  /** The client was told these flags (by FETCH or STORE): no need to report them again. */
  noteFlags(uid: number, _flags: readonly string[], modseq: number): void {
    if (modseq > this.modseq) this.told.set(uid, modseq);
  }

  /** This session expunged these UIDs itself: drop them and return the untagged responses. */
  removeOwn(uids: readonly number[], qresync: boolean): Untagged[] {
    return [...this.remove(uids, qresync), ...this.recentUpdate()];
  }

  /** Drop the UIDs present in the view; EXPUNGE responses carry each one's sequence number at
   *  the time it is reported (ascending, so each earlier removal shifts the later ones by one). */
  private remove(uids: readonly number[], qresync: boolean): Untagged[] {
    const sorted = [...new Set(uids)].sort((a, b) => a - b);
    const gone: number[] = [];
    const out: Untagged[] = [];
    let w = 0; // compact in one pass
    let j = 0;
    for (let i = 0; i < this.count; i++) {
      const u = this.buf[i]!;
      while (j < sorted.length && sorted[j]! < u) j++;
      if (j < sorted.length && sorted[j] === u) {
        if (!qresync) out.push([i + 1 - gone.length, atom('EXPUNGE')]);
        gone.push(u);
        this.told.delete(u);
        continue;
      }
      this.buf[w++] = u;
    }
    this.count = w;
    if (qresync && gone.length) out.push([atom('VANISHED'), atom(formatSet(gone))]);
    return out;
  }

  /** What other sessions (or deliveries) changed since the last refresh, as untagged responses:
   *  EXPUNGE/VANISHED first, then EXISTS, then FETCH FLAGS. `gone` when the mailbox was deleted. */
  refresh(opts: RefreshOptions): { updates: Untagged[]; gone: boolean } {
    const mb = this.store.mailboxes.byId(this.id);
    if (!mb || mb.uidValidity !== this.uidValidity) return { updates: [], gone: true };
    this.name = mb.name;
    const updates: Untagged[] = [];
    if (opts.expunge && mb.highestModseq > this.expungeModseq) {
      const removed = this.store.messages.expungedSince(this.id, this.expungeModseq);
      updates.push(...this.remove(removed, opts.qresync));
      this.expungeModseq = mb.highestModseq;
    }
    if (mb.highestModseq > this.modseq) {
      const before = this.count;
      const flagUpdates: MessageMeta[] = [];
      let max = this.maxUid;
      let newKeyword = false;
      for (const m of this.store.messages.changedSinceChunked(this.id, this.modseq)) {
        for (const f of m.flags) if (!f.startsWith('\\') && !this.keywords.has(f)) { this.keywords.add(f); newKeyword = true; }
        if (m.uid > max) {
          this.push(m.uid);
          max = m.uid;
        } else if (this.seqOf(m.uid) > 0 && this.told.get(m.uid) !== m.modseq) {
          flagUpdates.push(m);
        }
      }
      this.told.clear();
      if (newKeyword) updates.push(...this.flagsResponses());
      if (this.count !== before) {
        this.noteRecent(before);
        updates.push([this.count, atom('EXISTS')], ...this.recentUpdate());
      }
      for (const m of flagUpdates) {
        const attrs: ImapValue[] = [atom('UID'), m.uid, atom('FLAGS'), this.shownFlags(m.uid, m.flags).map(atom)];
        if (opts.condstore) attrs.push(atom('MODSEQ'), [m.modseq]);
        updates.push([this.seqOf(m.uid), atom('FETCH'), attrs]);
      }
      this.modseq = mb.highestModseq;
      // Messages that left without an expunge record (e.g. RENAME INBOX moves them away): the
      // count tells, and a comparison with the store's UIDs finds them.
      if (opts.expunge && this.store.mailboxes.status(this.id).messages !== this.count) {
        const present = this.store.messages.uids(this.id);
        const missing: number[] = [];
        for (let i = 0; i < this.count; i++) {
          const u = this.buf[i]!;
          const k = lowerBound(present, present.length, u);
          if (k >= present.length || present[k] !== u) missing.push(u);
        }
        updates.push(...this.remove(missing, opts.qresync));
      }
    }
    updates.push(...this.recentUpdate());
    return { updates, gone: false };
  }
}
