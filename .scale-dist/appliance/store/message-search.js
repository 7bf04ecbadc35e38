import { FLAG_BITS, flagsFromRow } from './messages.js';
import { fold, headerContains, textContains } from './text-index.js';
import { StoreError } from './errors.js';
import { ADDRESS_FIELDS } from '../mail/text.js';
const TRUE = { sql: '1', params: [], exact: false };
/** UID ranges in one SQL condition at most (SQLite's expression depth is 1000). */
const MAX_SQL_RANGES = 200;
/** Inclusive ranges sorted and merged (overlapping or adjacent ones become one). */
export function mergeRanges(ranges) {
    const sorted = ranges.map(([a, b]) => [Math.min(a, b), Math.max(a, b)]).sort((x, y) => x[0] - y[0]);
    const out = [];
    for (const r of sorted) {
        const last = out[out.length - 1];
        if (last && r[0] <= last[1] + 1) {
            if (r[1] > last[1])
                last[1] = r[1];
        }
        else
            out.push(r);
    }
    return out;
}
export class MessageSearch {
    db;
    text;
    blobs;
    constructor(db, text, blobs) {
        this.db = db;
        this.text = text;
        this.blobs = blobs;
    }
    /** The SQL condition of a text key: the union of the plan's candidates (and blobs not indexed
     *  yet, which make it inexact). */
    textCondition(scope, needle) {
        const plan = this.text.plan(scope, fold(needle));
        const pending = this.text.pending();
        if (plan.all)
            return TRUE;
        const ors = plan.match.map(() => 'm.blob_id IN (SELECT rowid FROM message_words WHERE message_words MATCH ?)');
        if (pending)
            ors.push('m.blob_id IN (SELECT blob_id FROM text_index_pending)');
        return { sql: ors.length ? `(${ors.join(' OR ')})` : '0', params: [...plan.match], exact: plan.exact && !pending };
    }
    compile(f) {
        switch (f.kind) {
            case 'all': return { sql: '1', params: [], exact: true };
            case 'none': return { sql: '0', params: [], exact: true };
            case 'flag': {
                const sys = Object.keys(FLAG_BITS).find((s) => s.toLowerCase() === f.flag.toLowerCase());
                if (sys)
                    return { sql: `(m.flags & ${FLAG_BITS[sys]}) ${f.present ? '!=' : '='} 0`, params: [], exact: true };
                if (f.flag.startsWith('\\'))
                    return { sql: f.present ? '0' : '1', params: [], exact: true };
                // keywords: space-separated, compared case-insensitively
                const has = "(' ' || lower(m.keywords) || ' ') LIKE ? ESCAPE '\\'";
                const pattern = `% ${f.flag.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c)} %`;
                return { sql: f.present ? has : `NOT ${has}`, params: [pattern], exact: true };
            }
            case 'uids': {
                const ranges = mergeRanges(f.ranges);
                if (ranges.length === 0)
                    return { sql: '0', params: [], exact: true };
                // A client's set may hold tens of thousands of ranges: as many BETWEENs SQLite refuses
                // ("expression tree is too large") and costs rows x ranges. Past a few hundred, every row
                // is a candidate and the caller checks its UID against the set (a binary search).
                if (ranges.length > MAX_SQL_RANGES)
                    return TRUE;
                const parts = ranges.map(() => 'm.uid BETWEEN ? AND ?');
                return { sql: `(${parts.join(' OR ')})`, params: ranges.flat(), exact: true };
            }
            case 'size': return { sql: `m.size ${f.larger ? '>' : '<'} ?`, params: [f.n], exact: true };
            case 'modseq': return { sql: 'm.modseq >= ?', params: [f.n], exact: true };
            case 'internalDate': {
                const parts = [];
                const params = [];
                if (f.from !== undefined) {
                    parts.push('m.internal_date >= ?');
                    params.push(f.from);
                }
                if (f.to !== undefined) {
                    parts.push('m.internal_date < ?');
                    params.push(f.to);
                }
                return { sql: parts.length ? `(${parts.join(' AND ')})` : '1', params, exact: true };
            }
            case 'text': return this.textCondition(f.scope, f.needle);
            case 'header': {
                // Sender and Reply-To are searched as normalised addresses too, which the headers column
                // does not hold: every message is a candidate
                if (ADDRESS_FIELDS.has(f.field) && !isSearchField(f.field))
                    return TRUE;
                const c = this.textCondition(isSearchField(f.field) ? f.field : 'headers', f.needle);
                return { ...c, exact: c.exact && isSearchField(f.field) && f.needle !== '' };
            }
            case 'opaque': return TRUE;
            case 'not': {
                const c = this.compile(f.filter);
                return c.exact ? { sql: `NOT (${c.sql})`, params: c.params, exact: true } : TRUE;
            }
            case 'or': {
                const a = this.compile(f.a);
                const b = this.compile(f.b);
                return { sql: `((${a.sql}) OR (${b.sql}))`, params: [...a.params, ...b.params], exact: a.exact && b.exact };
            }
            case 'and': {
                const cs = f.filters.map((x) => this.compile(x));
                if (cs.length === 0)
                    return { sql: '1', params: [], exact: true };
                return { sql: cs.map((c) => `(${c.sql})`).join(' AND '), params: cs.flatMap((c) => c.params), exact: cs.every((c) => c.exact) };
            }
        }
    }
    /** The messages of a mailbox that may match, in UID order, streamed. When `exact` is false,
     *  each row is a candidate the caller must check (with textMatches for text keys). */
    select(mailboxId, filter) {
        const c = this.compile(filter);
        const stmt = this.db.prepare(`SELECT m.id, m.uid, m.modseq, m.size, m.internal_date, m.flags, m.keywords, m.blob_id FROM messages m WHERE m.mailbox_id = ? AND ${c.sql} ORDER BY m.uid`);
        // the cursor opens when iteration starts (an unread result holds nothing open) and closes
        // when it ends or the caller stops early
        function* rows() {
            const it = stmt.iterate(mailboxId, ...c.params);
            for (const r of it)
                yield { id: r.id, uid: r.uid, modseq: r.modseq, size: r.size, internalDate: r.internal_date, flags: flagsFromRow(r.flags, r.keywords), blobId: r.blob_id };
        }
        return { exact: c.exact, rows: rows() };
    }
    /** Does one message match a text or header key? For callers checking candidates. */
    textMatches(blobId, filter) {
        const needle = fold(filter.needle);
        const scope = filter.kind === 'text' ? filter.scope : isSearchField(filter.field) ? filter.field : 'headers';
        const plan = this.text.plan(scope, needle);
        const indexed = !this.text.isPending(blobId);
        if (indexed && !this.text.candidate(plan, blobId))
            return false;
        if (indexed && plan.exact && filter.kind === 'text')
            return true;
        if (indexed && plan.exact && filter.kind === 'header' && isSearchField(filter.field) && needle !== '')
            return true;
        const b = this.db.prepare('SELECT hash, headers, mime FROM blobs WHERE id = ?').get(blobId);
        if (!b)
            throw new StoreError('not-found', 'the message content is missing');
        const raw = () => ({ raw: this.blobs.read(b.hash), mime: JSON.parse(b.mime) });
        if (filter.kind === 'header')
            return headerContains(filter.field, needle, b.headers);
        return textContains(scope, needle, b.headers, raw);
    }
}
const isSearchField = (f) => f === 'from' || f === 'to' || f === 'cc' || f === 'bcc' || f === 'subject';
//# sourceMappingURL=message-search.js.map