// SEARCH criteria (RFC 9051 6.4.4, RFC 3501 6.4.4) with ESEARCH result options (RFC 4731),
// SEARCHRES "$" (RFC 5182), CONDSTORE MODSEQ (RFC 7162 3.1.5) and WITHIN OLDER/YOUNGER (RFC 5032):
// parsed into a tree of keys the evaluator walks.
import { bad, no } from '../errors.js';
import { parseSequenceSet, type SequenceSet } from '../sequence.js';
import type { ImapArg } from '../wire.js';
import { parsePartialRange, type PartialRange } from './partial.js';

/** RETURN options: RFC 4731 (MIN MAX ALL COUNT), RFC 5182 (SAVE), RFC 5267 (UPDATE; CONTEXT is
 *  only a hint and is dropped), RFC 9394 (PARTIAL). */
export type ReturnOption = 'MIN' | 'MAX' | 'ALL' | 'COUNT' | 'SAVE' | 'UPDATE' | 'PARTIAL';

export type SearchKey =
  | { op: 'all' }
  | { op: 'none' }
  | { op: 'flag'; flag: string; present: boolean }
  | { op: 'recent' }
  | { op: 'seq'; set: SequenceSet }
  | { op: 'uid'; set: SequenceSet }
  | { op: 'header'; field: string; needle: string }
  | { op: 'text'; where: 'body' | 'text'; needle: string }
  | { op: 'date'; sent: boolean; cmp: 'before' | 'on' | 'since'; day: number }
  | { op: 'size'; larger: boolean; n: number }
  | { op: 'modseq'; n: number }
  | { op: 'within'; older: boolean; seconds: number }
  | { op: 'not'; key: SearchKey }
  | { op: 'or'; a: SearchKey; b: SearchKey }
  | { op: 'and'; keys: SearchKey[] };

export interface SearchProgram {
  /** ESEARCH result options (RFC 4731); undefined for a plain SEARCH */
  returnOptions?: ReturnOption[];
  /** the page RETURN (PARTIAL range) asks for (RFC 9394) */
  partial?: PartialRange;
  charset: string;
  key: SearchKey;
  /** a MODSEQ key is used: the response carries the highest modseq (RFC 7162 3.1.5) */
  usesModseq: boolean;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** "1-Feb-1994" -> days since 1970-01-01. */
export function parseSearchDate(text: string): number {
  const m = /^([0-9]{1,2})-([A-Za-z]{3})-([0-9]{4})$/.exec(text);
  const month = m ? MONTHS.indexOf(m[2]!.toLowerCase()) : -1;
  if (!m || month < 0 || Number(m[1]) < 1 || Number(m[1]) > 31) throw bad(`invalid date: ${text} (expected e.g. 1-Feb-2026)`);
  return Math.floor(Date.UTC(Number(m[3]), month, Number(m[1])) / 86_400_000);
}

const CHARSETS = new Set(['UTF-8', 'US-ASCII', 'UTF8', 'ASCII']);
/** what BADCHARSET names (RFC 9051 7.1): the two every client has; the other charsets of the
 *  WHATWG Encoding Standard that are ASCII-compatible (ISO-8859-*, KOI8-R, windows-125x, ...) work too */
const BADCHARSET = 'BADCHARSET (UTF-8 US-ASCII)';

/** A decoder for another charset the WHATWG Encoding Standard knows, if it is ASCII-compatible
 *  (search keys and atoms are ASCII). */
function charsetDecoder(name: string): TextDecoder | undefined {
  let d: TextDecoder;
  try { d = new TextDecoder(name, { fatal: true }); } catch { return undefined; }
  try { return d.decode(Buffer.from('Az09 ()')) === 'Az09 ()' ? d : undefined; } catch { return undefined; }
}

const FLAG_KEYS: Record<string, [string, boolean]> = {
  ANSWERED: ['\\Answered', true], UNANSWERED: ['\\Answered', false],
  DELETED: ['\\Deleted', true], UNDELETED: ['\\Deleted', false],
  DRAFT: ['\\Draft', true], UNDRAFT: ['\\Draft', false],
  FLAGGED: ['\\Flagged', true], UNFLAGGED: ['\\Flagged', false],
  SEEN: ['\\Seen', true], UNSEEN: ['\\Seen', false],
};

const HEADER_KEYS: Record<string, string> = { FROM: 'from', TO: 'to', CC: 'cc', BCC: 'bcc', SUBJECT: 'subject' };

class Reader {
  i = 0;
  usesModseq = false;
  /** strings in another CHARSET than UTF-8/US-ASCII are decoded with this */
  decoder: TextDecoder | undefined;
  constructor(readonly args: readonly ImapArg[], readonly utf8: boolean) {}
  get done(): boolean { return this.i >= this.args.length; }
  next(what: string): ImapArg {
    const a = this.args[this.i++];
    if (!a) throw bad(`SEARCH: missing ${what}`);
    return a;
  }
  atom(what: string): string {
    const a = this.next(what);
    if (a.kind !== 'atom') throw bad(`SEARCH: ${what} must be an atom`);
    return a.value;
  }
  /** astring: atom or string, decoded from the CHARSET (UTF-8 unless one was named) */
  astring(what: string): string {
    const a = this.next(what);
    if (a.kind === 'atom') return a.value;
    if (a.kind === 'string' && this.decoder) {
      try { return this.decoder.decode(a.value); } catch { throw no(`SEARCH: the string is not valid ${this.decoder.encoding}`, BADCHARSET); }
    }
    if (a.kind === 'string') {
      const s = a.value.toString('utf8');
      if (s.includes('\uFFFD') && !a.value.includes(Buffer.from('\uFFFD'))) throw no('SEARCH: the string is not valid UTF-8', BADCHARSET);
      return s;
    }
    throw bad(`SEARCH: ${what} must be a string`);
  }
  number(what: string): number {
    const s = this.atom(what);
    if (!/^[0-9]{1,20}$/.test(s) || !Number.isSafeInteger(Number(s))) throw bad(`SEARCH: ${what} must be a number`);
    return Number(s);
  }
  date(): number {
    const a = this.next('date');
    if (a.kind === 'list') throw bad('SEARCH: a date is like 1-Feb-2026');
    return parseSearchDate(a.kind === 'atom' ? a.value : a.value.toString('latin1'));
  }
}

function parseKey(r: Reader, depth: number): SearchKey {
  if (depth > 100) throw bad('SEARCH: criteria nested too deeply');
  const a = r.next('search key');
  if (a.kind === 'list') {
    if (a.items.length === 0) throw bad('SEARCH: empty parenthesized criteria');
    const inner = new Reader(a.items, r.utf8);
    inner.decoder = r.decoder;
    const keys: SearchKey[] = [];
    while (!inner.done) keys.push(parseKey(inner, depth + 1));
    r.usesModseq ||= inner.usesModseq;
    return keys.length === 1 ? keys[0]! : { op: 'and', keys };
  }
  if (a.kind === 'string') throw bad('SEARCH: expected a search key, got a string');
  const word = a.value.toUpperCase();
  const flag = FLAG_KEYS[word];
  if (flag) return { op: 'flag', flag: flag[0], present: flag[1] };
  const header = HEADER_KEYS[word];
  if (header) return { op: 'header', field: header, needle: r.astring(`${word} value`) };
  switch (word) {
    case 'ALL': return { op: 'all' };
    // \Recent (RFC 3501 6.4.4): NEW is RECENT UNSEEN, OLD is NOT RECENT. A session without
    // \Recent (IMAP4rev2) has no recent messages: NEW and RECENT match nothing, OLD everything.
    case 'RECENT': return { op: 'recent' };
    case 'OLD': return { op: 'not', key: { op: 'recent' } };
    case 'NEW': return { op: 'and', keys: [{ op: 'recent' }, { op: 'flag', flag: '\\Seen', present: false }] };
    case 'KEYWORD': case 'UNKEYWORD': {
      const k = r.atom('keyword');
      if (!/^[^(){ %*"\\\]\x00-\x20\x7f]+$/.test(k)) throw bad(`SEARCH: invalid keyword: ${k}`);
      return { op: 'flag', flag: k, present: word === 'KEYWORD' };
    }
    case 'HEADER': {
      const field = r.astring('header field name');
      if (!/^[\x21-\x39\x3b-\x7e]+$/.test(field)) throw bad(`SEARCH: invalid header field name: ${field}`);
      return { op: 'header', field: field.toLowerCase(), needle: r.astring('header value') };
    }
    case 'BODY': return { op: 'text', where: 'body', needle: r.astring('BODY value') };
    case 'TEXT': return { op: 'text', where: 'text', needle: r.astring('TEXT value') };
    case 'BEFORE': case 'ON': case 'SINCE': return { op: 'date', sent: false, cmp: word.toLowerCase() as 'before', day: r.date() };
    case 'SENTBEFORE': case 'SENTON': case 'SENTSINCE': return { op: 'date', sent: true, cmp: word.slice(4).toLowerCase() as 'before', day: r.date() };
    case 'LARGER': case 'SMALLER': return { op: 'size', larger: word === 'LARGER', n: r.number(`${word} size`) };
    case 'OLDER': case 'YOUNGER': return { op: 'within', older: word === 'OLDER', seconds: r.number('interval') };
    case 'UID': {
      const s = r.atom('UID set');
      return { op: 'uid', set: parseSequenceSet(s) };
    }
    case 'NOT': return { op: 'not', key: parseKey(r, depth + 1) };
    case 'OR': { const x = parseKey(r, depth + 1); const y = parseKey(r, depth + 1); return { op: 'or', a: x, b: y }; }
    case 'MODSEQ': {
      // MODSEQ [entry-name entry-type-req] mod-sequence-valzer: per-flag entries are accepted and
      // treated as the message's modseq (we keep one per message).
      const nxt = r.args[r.i];
      if (nxt && nxt.kind === 'string') { r.i++; const t = r.atom('entry type').toLowerCase(); if (!['priv', 'shared', 'all'].includes(t)) throw bad('SEARCH: MODSEQ entry type is priv, shared or all'); }
      r.usesModseq = true;
      return { op: 'modseq', n: r.number('mod-sequence') };
    }
    default:
      if (/^[0-9*:,$]+$/.test(a.value)) return { op: 'seq', set: parseSequenceSet(a.value) };
      throw bad(`SEARCH: unknown search key: ${a.value.length > 40 ? a.value.slice(0, 40) + '...' : a.value}`);
  }
}

/** Parse the arguments of SEARCH / UID SEARCH. */
export function parseSearch(args: ImapArg[], opts: { utf8: boolean }): SearchProgram {
  const r = new Reader(args, opts.utf8);
  let returnOptions: ReturnOption[] | undefined;
  let charset = 'UTF-8';
  const first = args[0];
  let partial: PartialRange | undefined;
  if (first && first.kind === 'atom' && first.value.toUpperCase() === 'RETURN') {
    r.i++;
    const list = r.next('RETURN options');
    if (list.kind !== 'list') throw bad('SEARCH: RETURN needs a parenthesized list, e.g. RETURN (MIN COUNT)');
    ({ options: returnOptions, partial } = parseReturnOptions(list.items, 'SEARCH', true));
  }
  const c = args[r.i];
  if (c && c.kind === 'atom' && c.value.toUpperCase() === 'CHARSET') {
    r.i++;
    const name = r.astring('charset').toUpperCase();
    if (!CHARSETS.has(name)) {
      r.decoder = charsetDecoder(name);
      if (!r.decoder) throw no(`SEARCH: charset ${name.slice(0, 40)} is not supported`, BADCHARSET);
    }
    charset = name;
  }
  if (r.done) throw bad('SEARCH: missing search criteria');
  const keys: SearchKey[] = [];
  while (!r.done) keys.push(parseKey(r, 0));
  const key = keys.length === 1 ? keys[0]! : { op: 'and' as const, keys };
  return { ...(returnOptions ? { returnOptions } : {}), ...(partial ? { partial } : {}), charset, key, usesModseq: r.usesModseq };
}

/** The RETURN list of SEARCH (with SAVE) or SORT: "RETURN ()" means ALL (RFC 4731 3.1); ALL and
 *  PARTIAL exclude each other (RFC 9394 3.1). */
export function parseReturnOptions(items: readonly ImapArg[], command: string, save: boolean): { options: ReturnOption[]; partial?: PartialRange } {
  const options: ReturnOption[] = [];
  let partial: PartialRange | undefined;
  const known = ['MIN', 'MAX', 'ALL', 'COUNT', 'UPDATE', 'PARTIAL', ...(save ? ['SAVE'] : [])];
  for (let i = 0; i < items.length; i++) {
    const o = items[i]!;
    const v = o.kind === 'atom' ? o.value.toUpperCase() : '';
    if (v === 'CONTEXT') continue; // RFC 5267 4.2: a hint that the result will be reused
    if (!known.includes(v)) throw bad(`${command}: unknown RETURN option ${o.kind === 'atom' ? o.value.slice(0, 40) : ''}`.trim());
    if (v === 'PARTIAL') {
      if (partial) throw bad(`${command}: PARTIAL given twice`);
      partial = parsePartialRange(items[++i], command);
    }
    if (!options.includes(v as ReturnOption)) options.push(v as ReturnOption);
  }
  if (options.includes('ALL') && options.includes('PARTIAL')) throw bad(`${command}: RETURN ALL and PARTIAL exclude each other`);
  if (options.length === 0) options.push('ALL');
  return { options, ...(partial ? { partial } : {}) };
}
