// SEARCH answers: "* SEARCH 2 5 [(MODSEQ n)]" (RFC 9051 7.3.4, RFC 7162 3.1.5) or, with RETURN
// options, "* ESEARCH (TAG "a1") UID MIN 2 MAX 5 ALL 2:5 COUNT 3 [MODSEQ n]" (RFC 4731), and the
// result a SAVE keeps for "$" (RFC 5182 2.4).
import { atom, type ImapValue } from '../wire.js';
import { formatSet } from '../sequence.js';
import type { SearchProgram } from './program.js';
import { applyPartial, formatPartialRange } from './partial.js';

export interface SearchResult {
  /** matching numbers to report, ascending: sequence numbers for SEARCH, UIDs for UID SEARCH */
  numbers: number[];
  /** the highest modseq among the matches (for a search with a MODSEQ key) */
  highestModseq?: number;
}

/** The untagged response after "* ", or undefined when none is sent (RETURN (SAVE) alone). */
export function formatSearchResponse(program: SearchProgram, result: SearchResult, opts: { tag: string; uid: boolean }): ImapValue[] | undefined {
  const nums = result.numbers;
  const modseq = program.usesModseq && nums.length > 0 && result.highestModseq !== undefined ? result.highestModseq : undefined;
  const ret = program.returnOptions;
  if (!ret) {
    const out: ImapValue[] = [atom('SEARCH'), ...nums];
    if (modseq !== undefined) out.push([atom('MODSEQ'), modseq]);
    return out;
  }
  if (ret.length === 1 && ret[0] === 'SAVE') return undefined;
  const out: ImapValue[] = [atom('ESEARCH'), [atom('TAG'), opts.tag]];
  if (opts.uid) out.push(atom('UID'));
  if (ret.includes('MIN') && nums.length) out.push(atom('MIN'), nums[0]!);
  if (ret.includes('MAX') && nums.length) out.push(atom('MAX'), nums[nums.length - 1]!);
  // any order is valid (RFC 4731 "search-return-data"); this is Dovecot's
  if (ret.includes('ALL') && nums.length) out.push(atom('ALL'), atom(formatSet(nums)));
  if (ret.includes('COUNT')) out.push(atom('COUNT'), nums.length);
  if (program.partial) {
    const page = applyPartial(nums, program.partial);
    out.push(atom('PARTIAL'), [atom(formatPartialRange(program.partial)), page.length ? atom(formatSet(page)) : null]);
  }
  if (modseq !== undefined) out.push(atom('MODSEQ'), modseq);
  return out;
}

/** What RETURN (SAVE ...) keeps (UIDs): all matches, or only the MIN and/or MAX ones when SAVE is
 *  combined with MIN/MAX and not ALL/COUNT (RFC 5182 2.4). undefined when nothing is saved. */
export function savedResult(program: SearchProgram, uids: readonly number[]): number[] | undefined {
  const ret = program.returnOptions;
  if (!ret || !ret.includes('SAVE')) return undefined;
  // RFC 9394 3.1: with PARTIAL, the page is what is saved
  if (program.partial) return applyPartial(uids, program.partial);
  const min = ret.includes('MIN');
  const max = ret.includes('MAX');
  if ((min || max) && !ret.includes('ALL') && !ret.includes('COUNT') && uids.length) {
    const out = new Set<number>();
    if (min) out.add(uids[0]!);
    if (max) out.add(uids[uids.length - 1]!);
    return [...out].sort((a, b) => a - b);
  }
  return [...uids];
}
