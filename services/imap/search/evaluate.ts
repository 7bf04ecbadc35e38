// Evaluate a SEARCH program over a selected mailbox. Flags, sizes, dates and sets come from the
// message rows; header keys from the cached header block (decoded, case-insensitive substring);
// BODY and TEXT through the store's trigram index, which is exact for needles of 3+ characters.
// Shorter needles (and header keys, as a prefilter) fall back to reading: the index only narrows.
import { decodeWords, parseHeaderFields, type HeaderField } from '../../../appliance/mail/header.js';
import { searchableText } from '../../../appliance/mail/text.js';
import { addressSearchText } from '../../../appliance/mail/address.js';

const ADDRESS_FIELDS = new Set(['from', 'to', 'cc', 'bcc', 'sender', 'reply-to']);
import type { BlobInfo, MessageMeta, Store } from '../../../appliance/store/index.js';
import { inSet } from '../sequence.js';
import type { SearchKey, SearchProgram } from './program.js';

export interface SearchContext {
  mailboxId: number;
  /** the session's view: sequence number and row of each message, ascending */
  messages: ReadonlyArray<{ seq: number; meta: MessageMeta }>;
  store: Store;
  /** the SEARCHRES saved result (UIDs) for "$" */
  saved: number[];
  /** the messages that are \Recent in this session (none when absent) */
  isRecent?: (uid: number) => boolean;
  raw(meta: MessageMeta): Buffer;
  blob(meta: MessageMeta): BlobInfo;
  /** now, for OLDER/YOUNGER (ms since the epoch; default Date.now()) */
  now?: number;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** The calendar day of a Date header as written (its own time zone), days since the epoch. */
export function sentDay(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const m = /([0-9]{1,2})\s+([A-Za-z]{3})[A-Za-z]*\.?\s+([0-9]{2,4})/.exec(value);
  if (m) {
    const month = MONTHS.indexOf(m[2]!.toLowerCase());
    let year = Number(m[3]);
    if (m[3]!.length === 2) year += year < 50 ? 2000 : 1900; // RFC 5322 4.3 obsolete years
    else if (m[3]!.length === 3) year += 1900;
    if (month >= 0) return Math.floor(Date.UTC(year, month, Number(m[1])) / 86_400_000);
  }
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : Math.floor(t / 86_400_000);
}

const fold = (s: string): string => s.toLowerCase();

interface MessageCache { fields?: HeaderField[]; text?: { headers: string; body: string } }

class Evaluation {
  private readonly indexHits = new Map<SearchKey, Set<number>>();
  private readonly cache = new Map<number, MessageCache>();
  private readonly maxSeq: number;
  private readonly maxUid: number;
  private readonly saved: Set<number>;

  constructor(private readonly ctx: SearchContext) {
    const last = ctx.messages[ctx.messages.length - 1];
    this.maxSeq = last ? last.seq : 0;
    this.maxUid = last ? last.meta.uid : 0;
    this.saved = new Set(ctx.saved);
  }

  private entry(meta: MessageMeta): MessageCache {
    let e = this.cache.get(meta.uid);
    if (!e) { e = {}; this.cache.set(meta.uid, e); }
    return e;
  }

  private fields(meta: MessageMeta): HeaderField[] {
    const e = this.entry(meta);
    return (e.fields ??= parseHeaderFields(this.ctx.blob(meta).headers));
  }

  private text(meta: MessageMeta): { headers: string; body: string } {
    const e = this.entry(meta);
    if (!e.text) {
      const raw = this.ctx.raw(meta);
      const t = searchableText(raw, this.ctx.blob(meta).mime);
      e.text = { headers: fold(t.headers), body: fold(t.body) };
    }
    return e.text;
  }

  /** Candidates from the trigram index (every UID for needles under 3 characters). */
  private hits(key: SearchKey, column: 'body' | 'headers' | 'text', needle: string): Set<number> {
    let h = this.indexHits.get(key);
    if (!h) { h = this.ctx.store.messages.searchText(this.ctx.mailboxId, column, needle); this.indexHits.set(key, h); }
    return h;
  }

  matches(key: SearchKey, seq: number, meta: MessageMeta): boolean {
    switch (key.op) {
      case 'all': return true;
      case 'none': return false;
      case 'recent': return this.ctx.isRecent ? this.ctx.isRecent(meta.uid) : false;
      case 'flag': {
        const f = key.flag.toLowerCase();
        return meta.flags.some((x) => x.toLowerCase() === f) === key.present;
      }
      case 'seq': return 'saved' in key.set ? this.saved.has(meta.uid) : inSet(key.set, seq, this.maxSeq);
      case 'uid': return 'saved' in key.set ? this.saved.has(meta.uid) : inSet(key.set, meta.uid, this.maxUid);
      case 'size': return key.larger ? meta.size > key.n : meta.size < key.n;
      case 'modseq': return meta.modseq >= key.n;
      case 'within': {
        const age = ((this.ctx.now ?? Date.now()) - meta.internalDate) / 1000;
        return key.older ? age >= key.seconds : age <= key.seconds;
      }
      case 'date': {
        let day: number | undefined;
        if (key.sent) {
          day = sentDay(this.fields(meta).find((f) => f.key === 'date')?.value);
          if (day === undefined) day = Math.floor(meta.internalDate / 86_400_000);
        } else day = Math.floor(meta.internalDate / 86_400_000);
        return key.cmp === 'before' ? day < key.day : key.cmp === 'on' ? day === key.day : day >= key.day;
      }
      case 'header': {
        const needle = fold(key.needle);
        const trimmed = key.needle.trim();
        // The index holds "Name: decoded value" lines: a cheap prefilter for needles it can answer.
        // (Not for an address needle the normalised form may hold and the raw value not.)
        const normalisedOnly = ADDRESS_FIELDS.has(key.field) && /[@<>.]/.test(trimmed);
        if (trimmed.length >= 3 && !normalisedOnly && !this.hits(key, 'headers', trimmed).has(meta.uid)) return false;
        return this.fields(meta).some((f) => f.key === key.field && fold(ADDRESS_FIELDS.has(f.key) ? addressSearchText(decodeWords(f.value)) : decodeWords(f.value)).includes(needle));
      }
      case 'text': {
        const needle = key.needle.trim();
        const column = key.where === 'body' ? 'body' : 'text';
        if (!this.hits(key, column, needle).has(meta.uid)) return false;
        if (needle.length >= 3) return true;
        if (needle.length === 0) return true;
        const t = this.text(meta);
        const n = fold(needle);
        return key.where === 'body' ? t.body.includes(n) : t.body.includes(n) || t.headers.includes(n);
      }
      case 'not': return !this.matches(key.key, seq, meta);
      case 'or': return this.matches(key.a, seq, meta) || this.matches(key.b, seq, meta);
      case 'and': return key.keys.every((k) => this.matches(k, seq, meta));
    }
  }
}

/** Cheap keys first, so that expensive ones (text) run on fewer messages. */
function cost(k: SearchKey): number {
  switch (k.op) {
    case 'text': return 3;
    case 'header': return 2;
    case 'date': return k.sent ? 2 : 0;
    case 'not': return cost(k.key);
    case 'or': return Math.max(cost(k.a), cost(k.b));
    case 'and': return Math.max(0, ...k.keys.map(cost));
    default: return 0;
  }
}

function ordered(k: SearchKey): SearchKey {
  if (k.op === 'and') return { op: 'and', keys: k.keys.map(ordered).sort((a, b) => cost(a) - cost(b)) };
  if (k.op === 'not') return { op: 'not', key: ordered(k.key) };
  if (k.op === 'or') return { op: 'or', a: ordered(k.a), b: ordered(k.b) };
  return k;
}

/** The UIDs (ascending) of the messages that match. */
export function evaluateSearch(program: SearchProgram, ctx: SearchContext): number[] {
  const ev = new Evaluation(ctx);
  const key = ordered(program.key);
  const out: number[] = [];
  for (const { seq, meta } of ctx.messages) if (ev.matches(key, seq, meta)) out.push(meta.uid);
  return out.sort((a, b) => a - b);
}
