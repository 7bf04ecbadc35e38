// Evaluate a SEARCH program over a selected mailbox. The program becomes the store's filter
// (appliance/store/message-search.ts): flags, keywords, sequence and UID ranges, sizes, internal
// dates, MODSEQ and text keys are evaluated in SQL and the word index, and the candidate rows are
// streamed in UID order. Where the store's answer is not exact (a needle across word boundaries,
// \Recent, "$", the Date header), each candidate is checked here, text keys by the store.
import { parseHeaderFields } from '../../../appliance/mail/header.js';
import { inSet, STAR } from '../sequence.js';
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** The calendar day of a Date header as written (its own time zone), days since the epoch. */
export function sentDay(value) {
    if (!value)
        return undefined;
    const m = /([0-9]{1,2})\s+([A-Za-z]{3})[A-Za-z]*\.?\s+([0-9]{2,4})/.exec(value);
    if (m) {
        const month = MONTHS.indexOf(m[2].toLowerCase());
        let year = Number(m[3]);
        if (m[3].length === 2)
            year += year < 50 ? 2000 : 1900; // RFC 5322 4.3 obsolete years
        else if (m[3].length === 3)
            year += 1900;
        if (month >= 0)
            return Math.floor(Date.UTC(year, month, Number(m[1])) / 86_400_000);
    }
    const t = Date.parse(value);
    return Number.isNaN(t) ? undefined : Math.floor(t / 86_400_000);
}
const DAY = 86_400_000;
class Evaluation {
    ctx;
    maxSeq;
    maxUid;
    saved;
    now;
    fieldsOf;
    constructor(ctx) {
        this.ctx = ctx;
        this.maxSeq = ctx.exists;
        this.maxUid = ctx.exists ? ctx.uidAt(ctx.exists) : 0;
        this.saved = new Set(ctx.saved);
        this.now = ctx.now ?? Date.now();
    }
    fields(meta) {
        if (this.fieldsOf?.blobId !== meta.blobId)
            this.fieldsOf = { blobId: meta.blobId, fields: parseHeaderFields(this.ctx.store.messages.blob(meta.blobId).headers) };
        return this.fieldsOf.fields;
    }
    /** UID ranges of a set of sequence numbers or UIDs ("*" the last one in the session's view). */
    ranges(set, bySeq) {
        const out = [];
        const max = bySeq ? this.maxSeq : this.maxUid;
        for (const r of set.ranges) {
            const a = r.from === STAR ? max : r.from;
            const b = r.to === STAR ? max : r.to;
            let lo = Math.min(a, b);
            let hi = Math.max(a, b);
            if (!bySeq) {
                out.push([lo, hi]);
                continue;
            }
            if (lo > this.maxSeq || hi < 1)
                continue;
            lo = Math.max(lo, 1);
            hi = Math.min(hi, this.maxSeq);
            out.push([this.ctx.uidAt(lo), this.ctx.uidAt(hi)]);
        }
        return out;
    }
    /** The store's filter for a key (opaque where only this session knows the answer). */
    filter(key) {
        switch (key.op) {
            case 'all': return { kind: 'all' };
            case 'none': return { kind: 'none' };
            case 'recent': return { kind: 'opaque' };
            case 'flag': return { kind: 'flag', flag: key.flag, present: key.present };
            case 'seq': return 'saved' in key.set ? { kind: 'opaque' } : { kind: 'uids', ranges: this.ranges(key.set, true) };
            case 'uid': return 'saved' in key.set ? { kind: 'opaque' } : { kind: 'uids', ranges: this.ranges(key.set, false) };
            case 'size': return { kind: 'size', larger: key.larger, n: key.n };
            case 'modseq': return { kind: 'modseq', n: key.n };
            case 'within': {
                const edge = this.now - key.seconds * 1000;
                return key.older ? { kind: 'internalDate', to: Math.floor(edge) + 1 } : { kind: 'internalDate', from: Math.ceil(edge) };
            }
            case 'date': {
                if (key.sent)
                    return { kind: 'opaque' };
                const d = key.day * DAY;
                return key.cmp === 'before' ? { kind: 'internalDate', to: d } : key.cmp === 'on' ? { kind: 'internalDate', from: d, to: d + DAY } : { kind: 'internalDate', from: d };
            }
            case 'header': return { kind: 'header', field: key.field, needle: key.needle };
            case 'text': {
                const needle = key.needle.trim();
                return needle === '' ? { kind: 'all' } : { kind: 'text', scope: key.where, needle };
            }
            case 'not': return { kind: 'not', filter: this.filter(key.key) };
            case 'or': return { kind: 'or', a: this.filter(key.a), b: this.filter(key.b) };
            case 'and': return { kind: 'and', filters: key.keys.map((k) => this.filter(k)) };
        }
    }
    /** The whole check of one message (for candidates the store could not decide alone). */
    matches(key, seq, meta) {
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
                const age = (this.now - meta.internalDate) / 1000;
                return key.older ? age >= key.seconds : age <= key.seconds;
            }
            case 'date': {
                let day;
                if (key.sent) {
                    day = sentDay(this.fields(meta).find((f) => f.key === 'date')?.value);
                    if (day === undefined)
                        day = Math.floor(meta.internalDate / DAY);
                }
                else
                    day = Math.floor(meta.internalDate / DAY);
                return key.cmp === 'before' ? day < key.day : key.cmp === 'on' ? day === key.day : day >= key.day;
            }
            case 'header': return this.ctx.store.search.textMatches(meta.blobId, { kind: 'header', field: key.field, needle: key.needle });
            case 'text': {
                const needle = key.needle.trim();
                if (needle === '')
                    return true;
                return this.ctx.store.search.textMatches(meta.blobId, { kind: 'text', scope: key.where, needle });
            }
            case 'not': return !this.matches(key.key, seq, meta);
            case 'or': return this.matches(key.a, seq, meta) || this.matches(key.b, seq, meta);
            case 'and': return key.keys.every((k) => this.matches(k, seq, meta));
        }
    }
}
/** Cheap keys first, so that expensive ones (text) run on fewer messages. */
function cost(k) {
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
function ordered(k) {
    if (k.op === 'and')
        return { op: 'and', keys: k.keys.map(ordered).sort((a, b) => cost(a) - cost(b)) };
    if (k.op === 'not')
        return { op: 'not', key: ordered(k.key) };
    if (k.op === 'or')
        return { op: 'or', a: ordered(k.a), b: ordered(k.b) };
    return k;
}
/** The matching UIDs (ascending) and their highest modseq. Rows are streamed from the store;
 *  only the answer is collected. */
export function searchMailbox(program, ctx, onMatch) {
    const ev = new Evaluation(ctx);
    const key = ordered(program.key);
    const { exact, rows } = ctx.store.search.select(ctx.mailboxId, ev.filter(key));
    const uids = [];
    let highestModseq;
    let firstModseq;
    let lastModseq;
    for (const meta of rows) {
        const seq = ctx.seqOf(meta.uid);
        if (seq === 0)
            continue; // not in this session's view yet
        if (!exact && !ev.matches(key, seq, meta))
            continue;
        uids.push(meta.uid);
        onMatch?.(meta);
        if (highestModseq === undefined || meta.modseq > highestModseq)
            highestModseq = meta.modseq;
        firstModseq ??= meta.modseq;
        lastModseq = meta.modseq;
    }
    return { uids, ...(highestModseq !== undefined ? { highestModseq, firstModseq, lastModseq } : {}) };
}
/** The UIDs (ascending) of the messages that match. */
export function evaluateSearch(program, ctx) {
    return searchMailbox(program, ctx).uids;
}
//# sourceMappingURL=evaluate.js.map