// SORT and THREAD (RFC 5256; DISPLAYFROM/DISPLAYTO of RFC 5957; SORT RETURN of ESORT and
// CONTEXT=SORT's UPDATE, RFC 5267; PARTIAL, RFC 9394) and their UID forms. The search keys are SEARCH's (search/), run the same way; this handler
// orders or threads the matches with message/sort-keys.ts and message/thread.ts.
import { atom, type ImapArg, type ImapValue } from '../wire.js';
import { bad, no } from '../errors.js';
import { parseSearch, type SearchProgram } from '../search/index.js';
import { parseReturnOptions, type ReturnOption } from '../search/program.js';
import { applyPartial, formatPartialRange, type PartialRange } from '../search/partial.js';
import { SELECTED, type CommandHandler, type ImapSession } from '../session-state.js';
import { searchSelected } from './search.js';
import { SortHeaders, addrMailbox, baseSubject, compareStrings, displayAddress, parseSentDate } from '../message/sort-keys.js';
import { formatThreads, messageIds, orderedSubject, references, type ThreadInput } from '../message/thread.js';
import type { MessageMeta } from '../../../appliance/store/index.js';

type SortKey = 'ARRIVAL' | 'CC' | 'DATE' | 'FROM' | 'SIZE' | 'SUBJECT' | 'TO' | 'DISPLAYFROM' | 'DISPLAYTO';
const KEYS = new Set<string>(['ARRIVAL', 'CC', 'DATE', 'FROM', 'SIZE', 'SUBJECT', 'TO', 'DISPLAYFROM', 'DISPLAYTO']);
interface Criterion { key: SortKey; reverse: boolean }

function parseCriteria(a: ImapArg | undefined, command: string): Criterion[] {
  if (!a || a.kind !== 'list' || a.items.length === 0) throw bad(`${command}: the sort criteria are a parenthesized list, e.g. (REVERSE DATE)`);
  const out: Criterion[] = [];
  let reverse = false;
  for (const it of a.items) {
    const w = it.kind === 'atom' ? it.value.toUpperCase() : '';
    if (w === 'REVERSE') { if (reverse) throw bad(`${command}: REVERSE twice`); reverse = true; continue; }
    if (!KEYS.has(w)) throw bad(`${command}: unknown sort criterion ${w || '(not an atom)'}`);
    out.push({ key: w as SortKey, reverse });
    reverse = false;
  }
  if (reverse) throw bad(`${command}: REVERSE must be followed by a sort key`);
  return out;
}

/** "charset search-key..." of SORT and THREAD as a SEARCH program (the charset is mandatory). */
function searchProgram(s: ImapSession, args: readonly ImapArg[], command: string): SearchProgram {
  const charset = args[0];
  if (!charset || charset.kind === 'list') throw bad(`${command}: a charset (e.g. UTF-8) and search keys are needed`);
  if (args.length < 2) throw bad(`${command}: search keys are needed (e.g. ALL)`);
  const program = parseSearch([{ kind: 'atom', value: 'CHARSET' }, charset, ...args.slice(1)], { utf8: s.utf8 });
  if (program.usesModseq) s.enableCondstore();
  return program;
}

interface Row { meta: MessageMeta; seq: number; h?: SortHeaders }

function headersOf(s: ImapSession, r: Row): SortHeaders {
  return (r.h ??= new SortHeaders(s.store.messages.blob(r.meta.blobId).headers));
}

function sentDate(s: ImapSession, r: Row): number {
  return parseSentDate(headersOf(s, r).first('date')) ?? r.meta.internalDate;
}

function keyValue(s: ImapSession, r: Row, key: SortKey): string | number {
  switch (key) {
    case 'ARRIVAL': return r.meta.internalDate;
    case 'SIZE': return r.meta.size;
    case 'DATE': return sentDate(s, r);
    case 'SUBJECT': return baseSubject(headersOf(s, r).first('subject')).subject;
    case 'FROM': return addrMailbox(headersOf(s, r), 'from');
    case 'TO': return addrMailbox(headersOf(s, r), 'to');
    case 'CC': return addrMailbox(headersOf(s, r), 'cc');
    case 'DISPLAYFROM': return displayAddress(headersOf(s, r), 'from');
    case 'DISPLAYTO': return displayAddress(headersOf(s, r), 'to');
  }
}

/** The matches in sort order; ties by sequence number (RFC 5256 3: the mailbox order). */
function sortRows(s: ImapSession, rows: Row[], criteria: readonly Criterion[]): Row[] {
  const values = new Map<Row, Array<string | number>>();
  for (const r of rows) values.set(r, criteria.map((c) => keyValue(s, r, c.key)));
  return [...rows].sort((a, b) => {
    const va = values.get(a)!, vb = values.get(b)!;
    for (let i = 0; i < criteria.length; i++) {
      const x = va[i]!, y = vb[i]!;
      const d = typeof x === 'number' && typeof y === 'number' ? x - y : compareStrings(String(x), String(y));
      if (d !== 0) return criteria[i]!.reverse ? -d : d;
    }
    return a.seq - b.seq;
  });
}

function matches(s: ImapSession, program: SearchProgram): Row[] {
  const box = s.selected!;
  const { uids, metas } = searchSelected(s, program);
  const rows: Row[] = [];
  for (const uid of uids) {
    const meta = metas.get(uid);
    const seq = box.seqOf(uid);
    if (meta && seq > 0) rows.push({ meta, seq });
  }
  return rows;
}

/** ESORT's ALL: the numbers in sort order, consecutive ascending runs as ranges. */
function orderedSet(nums: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < nums.length;) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === nums[j]! + 1) j++;
    out.push(j > i ? `${nums[i]}:${nums[j]}` : String(nums[i]));
    i = j + 1;
  }
  return out.join(',');
}

function sort(byUid: boolean): CommandHandler {
  return {
    states: SELECTED,
    async run(s, cmd) {
      const args = [...cmd.args];
      let ret: ReturnOption[] | undefined;
      let partial: PartialRange | undefined;
      if (args[0]?.kind === 'atom' && args[0].value.toUpperCase() === 'RETURN') {
        const list = args[1];
        if (!list || list.kind !== 'list') throw bad(`${cmd.name}: RETURN needs a parenthesized list`);
        ({ options: ret, partial } = parseReturnOptions(list.items, cmd.name, false));
        args.splice(0, 2);
      }
      const criteria = parseCriteria(args[0], cmd.name);
      const program = searchProgram(s, args.slice(1), cmd.name);
      const box = s.selected!;
      const sortedUids = () => sortRows(s, matches(s, program), criteria).map((r) => r.meta.uid);
      const uids = sortedUids();
      const nums = byUid ? uids : uids.map((u) => box.seqOf(u));
      if (!ret) { await s.untagged(atom('SORT'), ...nums); return; }
      const out: ImapValue[] = [atom('ESEARCH'), [atom('TAG'), cmd.tag]];
      if (byUid) out.push(atom('UID'));
      if (ret.includes('MIN') && nums.length) out.push(atom('MIN'), nums[0]!);
      if (ret.includes('MAX') && nums.length) out.push(atom('MAX'), nums[nums.length - 1]!);
      if (ret.includes('ALL') && nums.length) out.push(atom('ALL'), atom(orderedSet(nums)));
      if (ret.includes('COUNT')) out.push(atom('COUNT'), nums.length);
      if (partial) {
        const page = applyPartial(nums, partial);
        out.push(atom('PARTIAL'), [atom(formatPartialRange(partial)), page.length ? atom(orderedSet(page)) : null]);
      }
      await s.untagged(...out);
      if (ret.includes('UPDATE')) {
        const refused = s.contexts.add({ tag: cmd.tag, uid: byUid, sorted: true, result: uids, evaluate: sortedUids }, s.store.mailboxes.byId(box.id)?.highestModseq ?? 0);
        if (refused) await s.untagged(...refused);
      }
    },
  };
}

function thread(byUid: boolean): CommandHandler {
  return {
    states: SELECTED,
    async run(s, cmd) {
      const alg = cmd.args[0];
      const name = alg?.kind === 'atom' ? alg.value.toUpperCase() : '';
      if (name !== 'REFERENCES' && name !== 'ORDEREDSUBJECT') {
        if (!name) throw bad(`${cmd.name}: name the algorithm (REFERENCES or ORDEREDSUBJECT)`);
        throw no(`${cmd.name}: unknown threading algorithm ${name}`, 'CANNOT');
      }
      const program = searchProgram(s, cmd.args.slice(1), cmd.name);
      const input: ThreadInput[] = matches(s, program).map((r) => {
        const h = headersOf(s, r);
        const subj = baseSubject(h.first('subject'));
        let refs = messageIds(h.first('references'));
        if (refs.length === 0) refs = messageIds(h.first('in-reply-to')).slice(0, 1);
        return {
          n: byUid ? r.meta.uid : r.seq,
          sentDate: sentDate(s, r),
          subject: subj.subject,
          reply: subj.reply,
          messageId: messageIds(h.first('message-id'))[0],
          references: refs,
        };
      });
      const roots = name === 'ORDEREDSUBJECT' ? orderedSubject(input) : references(input);
      const list = formatThreads(roots);
      await s.untagged(atom('THREAD'), ...(list ? [atom(list)] : []));
    },
  };
}

export const SORT = sort(false);
export const UID_SORT = sort(true);
export const THREAD = thread(false);
export const UID_THREAD = thread(true);
