// Sequence sets (RFC 9051 section 9, "sequence-set"): "1,3:5,7:*", "$" (SEARCHRES). Numbers are
// sequence numbers or UIDs depending on the command; "*" means the largest one in use.
import { bad } from './errors.js';

export const STAR = Number.POSITIVE_INFINITY;

export interface SequenceRange { from: number; to: number } // from <= to after normalisation; STAR = "*"
export type SequenceSet = { ranges: SequenceRange[] } | { saved: true };

function num(s: string): number {
  if (s === '*') return STAR;
  if (!/^[1-9][0-9]{0,9}$/.test(s) || Number(s) > 4294967295) throw bad(`invalid number in sequence set: ${s}`);
  return Number(s);
}

export function parseSequenceSet(text: string): SequenceSet {
  if (text === '$') return { saved: true };
  if (!/^[0-9*:,]+$/.test(text)) throw bad(`invalid sequence set: ${text}`);
  const ranges = text.split(',').map((part) => {
    const bits = part.split(':');
    if (bits.length > 2 || bits.some((b) => b === '')) throw bad(`invalid sequence set: ${text}`);
    const a = num(bits[0]!);
    const b = bits.length === 2 ? num(bits[1]!) : a;
    return { from: Math.min(a, b), to: Math.max(a, b) };
  });
  return { ranges };
}

export function isSequenceSet(text: string): boolean {
  try { parseSequenceSet(text); return true; } catch { return false; }
}

/** Does `n` fall in the set, where "*" stands for `max` (the largest number in use)? */
export function inSet(set: { ranges: SequenceRange[] }, n: number, max: number): boolean {
  for (const r of set.ranges) {
    const from = r.from === STAR ? max : r.from;
    const to = r.to === STAR ? max : r.to;
    if (n >= Math.min(from, to) && n <= Math.max(from, to)) return true;
  }
  return false;
}

/** The members of `set` among `present` (sorted ascending numbers in use). */
export function select(set: { ranges: SequenceRange[] }, present: readonly number[]): number[] {
  const max = present.length ? present[present.length - 1]! : 0;
  return present.filter((n) => inSet(set, n, max));
}

/** Compact form of sorted numbers: [1,2,3,5] -> "1:3,5" (for COPYUID, ESEARCH ALL, VANISHED). */
export function formatSet(numbers: readonly number[]): string {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const start = sorted[i]!;
    let end = start;
    while (i + 1 < sorted.length && sorted[i + 1] === end + 1) end = sorted[++i]!;
    out.push(start === end ? String(start) : `${start}:${end}`);
  }
  return out.join(',');
}
