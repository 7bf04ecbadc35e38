// Sequence sets (RFC 9051 section 9, "sequence-set"): "1,3:5,7:*", "$" (SEARCHRES). Numbers are
// sequence numbers or UIDs depending on the command; "*" means the largest one in use.
import { bad } from './errors.js';
export const STAR = Number.POSITIVE_INFINITY;
function num(s) {
    if (s === '*')
        return STAR;
    if (!/^[1-9][0-9]{0,9}$/.test(s) || Number(s) > 4294967295)
        throw bad(`invalid number in sequence set: ${s}`);
    return Number(s);
}
export function parseSequenceSet(text) {
    if (text === '$')
        return { saved: true };
    if (!/^[0-9*:,]+$/.test(text))
        throw bad(`invalid sequence set: ${text}`);
    const ranges = text.split(',').map((part) => {
        const bits = part.split(':');
        if (bits.length > 2 || bits.some((b) => b === ''))
            throw bad(`invalid sequence set: ${text}`);
        const a = num(bits[0]);
        const b = bits.length === 2 ? num(bits[1]) : a;
        return { from: Math.min(a, b), to: Math.max(a, b) };
    });
    return { ranges };
}
export function isSequenceSet(text) {
    try {
        parseSequenceSet(text);
        return true;
    }
    catch {
        return false;
    }
}
/** A set with "*" resolved against `max`, as disjoint ranges sorted ascending (overlapping and
 *  adjacent ranges merged): every question about a set is then a binary search, so a client's
 *  32,000-range set costs its ranges once, not once per message. */
export function normalize(set, max) {
    const cached = normalized.get(set);
    if (cached && cached.max === max)
        return cached.ranges;
    const rs = set.ranges.map((r) => {
        const a = r.from === STAR ? max : r.from;
        const b = r.to === STAR ? max : r.to;
        return { from: Math.min(a, b), to: Math.max(a, b) };
    }).sort((x, y) => x.from - y.from);
    const out = [];
    for (const r of rs) {
        const last = out[out.length - 1];
        if (last && r.from <= last.to + 1) {
            if (r.to > last.to)
                last.to = r.to;
        }
        else
            out.push({ ...r });
    }
    normalized.set(set, { max, ranges: out });
    return out;
}
const normalized = new WeakMap();
/** Does `n` fall in the set, where "*" stands for `max` (the largest number in use)? */
export function inSet(set, n, max) {
    const rs = normalize(set, max);
    let lo = 0;
    let hi = rs.length - 1;
    while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const r = rs[mid];
        if (n < r.from)
            hi = mid - 1;
        else if (n > r.to)
            lo = mid + 1;
        else
            return true;
    }
    return false;
}
/** Index of the first element of sorted `a` that is >= v. */
function lowerBound(a, v, from = 0) {
    let lo = from;
    let hi = a.length;
    while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (a[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}
/** The members of `set` among `present` (sorted ascending numbers in use), ascending: each range
 *  is found by binary search, so the cost is ranges x log(present) plus the members. */
export function select(set, present) {
    const max = present.length ? present[present.length - 1] : 0;
    const out = [];
    let i = 0;
    for (const r of normalize(set, max)) {
        i = lowerBound(present, r.from, i);
        while (i < present.length && present[i] <= r.to)
            out.push(present[i++]);
        if (i >= present.length)
            break;
    }
    return out;
}
/** Compact form of sorted numbers: [1,2,3,5] -> "1:3,5" (for COPYUID, ESEARCH ALL, VANISHED). */
export function formatSet(numbers) {
    const sorted = [...new Set(numbers)].sort((a, b) => a - b);
    const out = [];
    for (let i = 0; i < sorted.length; i++) {
        const start = sorted[i];
        let end = start;
        while (i + 1 < sorted.length && sorted[i + 1] === end + 1)
            end = sorted[++i];
        out.push(start === end ? String(start) : `${start}:${end}`);
    }
    return out.join(',');
}
//# sourceMappingURL=sequence.js.map