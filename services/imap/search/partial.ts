// PARTIAL (RFC 9394): a page of a SEARCH/SORT result ("RETURN (PARTIAL 1:100)", the newest with
// "-1:-100") and of a FETCH ("UID FETCH 1:* (FLAGS) (PARTIAL -1:-50)"). A range counts positions
// in the result (1 the first, -1 the last); "4:2" is "2:4". "*", a single number and mixed signs
// are not ranges (BAD).
import { bad } from '../errors.js';
import type { ImapArg } from '../wire.js';

export interface PartialRange {
  /** the lower and upper position, both >= 1, counted from the end when `fromEnd` */
  low: number;
  high: number;
  fromEnd: boolean;
}

const MAX = 4294967295;

function position(text: string, whole: string, command: string): number {
  if (!/^[1-9][0-9]{0,9}$/.test(text) || Number(text) > MAX) throw bad(`${command}: PARTIAL range ${whole.slice(0, 40)} is not n:m or -n:-m with positions from 1`);
  return Number(text);
}

export function parsePartialRange(a: ImapArg | undefined, command: string): PartialRange {
  if (!a || a.kind !== 'atom') throw bad(`${command}: PARTIAL needs a range (e.g. 1:100 or -1:-100)`);
  const m = /^(-?)([^:]+):(-?)([^:]+)$/.exec(a.value);
  if (!m || m[1] !== m[3]) throw bad(`${command}: PARTIAL range ${a.value.slice(0, 40)} is not n:m or -n:-m`);
  const x = position(m[2]!, a.value, command);
  const y = position(m[4]!, a.value, command);
  return { low: Math.min(x, y), high: Math.max(x, y), fromEnd: m[1] === '-' };
}

/** The range as it is echoed in the response: "2:4", "-1:-100". */
export function formatPartialRange(r: PartialRange): string {
  return r.fromEnd ? `-${r.low}:-${r.high}` : `${r.low}:${r.high}`;
}

/** The [start, end) indexes the range names in a list of `length` items. */
export function partialBounds(length: number, r: PartialRange): [number, number] {
  if (!r.fromEnd) return [Math.min(length, r.low - 1), Math.min(length, r.high)];
  const end = Math.max(0, length - r.low + 1);
  return [Math.min(end, Math.max(0, length - r.high)), end];
}

/** The items of `list` (in its order) at the positions of the range. */
export function applyPartial<T>(list: readonly T[], r: PartialRange): T[] {
  const [start, end] = partialBounds(list.length, r);
  return list.slice(start, end);
}
