import { decodeWords, parseHeaderFields } from '../mail/header.js';
import { bodyText, fieldSearchText, SEARCH_FIELDS } from '../mail/text.js';
const WORD = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;
const ADDRESS = /(?:(?![<>,;:"()[\]*?])[\p{L}\p{N}\p{M}\p{Co}\p{P}\p{S}])+/gu;
const WORD_CHAR = /^[\p{L}\p{N}\p{M}\p{Co}]$/u;
const ADDRESS_CHAR = /^(?![<>,;:"()[\]*?])[\p{L}\p{N}\p{M}\p{Co}\p{P}\p{S}]$/u;
const isAddressField = (s) => s === 'from' || s === 'to' || s === 'cc' || s === 'bcc';
/** Terms of a text (already folded) in the class of a column. */
export function tokens(text, address = false) {
    return text.match(address ? ADDRESS : WORD) ?? [];
}
export const fold = (s) => s.toLowerCase();
const COLUMNS = {
    text: '{headers body}', body: '{body}', headers: '{headers}',
    from: '{f_from}', to: '{f_to}', cc: '{f_cc}', bcc: '{f_bcc}', subject: '{f_subject}',
};
/** FTS5 query string for one term. */
const q = (term) => `"${term.replace(/"/g, '""')}"`;
/** Vocabulary expansions above this many terms are not used to narrow (the needle is in most of
 *  the vocabulary: e.g. one letter); the search then verifies every message. */
const MAX_TERMS = 20_000;
const CHUNK = 400;
const MAX_SUFFIX_TERMS = 200;
export class TextIndex {
    db;
    sql;
    /** the last plans (a SEARCH evaluates the same needle for many messages) */
    plans = new Map();
    constructor(db) {
        this.db = db;
        this.sql = {
            insRow: db.prepare('INSERT INTO message_words (rowid, headers, body, f_from, f_to, f_cc, f_bcc, f_subject) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
            delRow: db.prepare('DELETE FROM message_words WHERE rowid = ?'),
            insTerm: db.prepare('INSERT INTO search_terms (term) VALUES (?) ON CONFLICT DO NOTHING RETURNING id'),
            insTri: db.prepare('INSERT INTO search_terms_tri (rowid, term) VALUES (?, ?)'),
            glob: db.prepare('SELECT term FROM search_terms_tri WHERE term GLOB ? LIMIT ?').pluck(),
            scan: db.prepare('SELECT term FROM search_terms WHERE instr(term, ?) > 0 LIMIT ?').pluck(),
            scanSuffix: db.prepare('SELECT term FROM search_terms WHERE substr(term, -?) = ? LIMIT ?').pluck(),
            pendingAny: db.prepare('SELECT 1 FROM text_index_pending LIMIT 1').pluck(),
            pendingNext: db.prepare('SELECT p.blob_id AS id, b.hash, b.mime, b.headers FROM text_index_pending p LEFT JOIN blobs b ON b.id = p.blob_id ORDER BY p.blob_id LIMIT ?'),
            pendingDel: db.prepare('DELETE FROM text_index_pending WHERE blob_id = ?'),
            isPending: db.prepare('SELECT 1 FROM text_index_pending WHERE blob_id = ?').pluck(),
            hasRow: db.prepare('SELECT 1 FROM message_words WHERE message_words MATCH ? AND rowid = ?').pluck(),
        };
    }
    /** Index a blob's text. Inside the delivery's transaction. */
    add(blobId, text) {
        const vocabulary = new Set();
        const column = (s, address = false) => {
            const ts = tokens(fold(s), address);
            for (const t of ts)
                vocabulary.add(t);
            return ts.join(' ');
        };
        const f = text.fields;
        this.sql.insRow.run(blobId, column(text.headers), column(text.body), column(f.from, true), column(f.to, true), column(f.cc, true), column(f.bcc, true), column(f.subject));
        for (const term of vocabulary) {
            const r = this.sql.insTerm.get(term);
            if (r)
                this.sql.insTri.run(r.id, term);
        }
        this.plans.clear();
    }
    /** Drop a blob's row (its terms stay in the vocabulary: harmless, they only lead to no row). */
    remove(blobId) {
        this.sql.delRow.run(blobId);
        this.sql.pendingDel.run(blobId);
    }
    /** Vocabulary terms matching a GLOB-style pattern around `needle` (no GLOB metacharacters in
     *  terms or needles: the token classes exclude them). */
    vocabulary(needle, where, limit) {
        if (needle.length >= 3)
            return this.sql.glob.all(where === 'inside' ? `*${needle}*` : `*${needle}`, limit);
        return (where === 'inside' ? this.sql.scan.all(needle, limit) : this.sql.scanSuffix.all(needle.length, needle, limit));
    }
    /** How to find the documents whose `scope` text contains `needle` (folded by the caller). */
    plan(scope, needle) {
        const key = `${scope}\0${needle}`;
        let p = this.plans.get(key);
        if (!p) {
            p = this.makePlan(scope, needle);
            if (this.plans.size > 64)
                this.plans.clear();
            this.plans.set(key, p);
        }
        return p;
    }
    makePlan(scope, needle) {
        const address = isAddressField(scope);
        const cols = COLUMNS[scope];
        const ts = tokens(needle, address);
        if (ts.length === 0)
            return { match: [], all: true, exact: false };
        const charClass = address ? ADDRESS_CHAR : WORD_CHAR;
        if (ts.length === 1 && ts[0] === needle) {
            // rule 1: one token, no separators
            const terms = this.vocabulary(needle, 'inside', MAX_TERMS + 1);
            if (terms.length > MAX_TERMS)
                return { match: [], all: true, exact: false };
            const match = [];
            for (let i = 0; i < terms.length; i += CHUNK)
                match.push(`${cols} : (${terms.slice(i, i + CHUNK).map(q).join(' OR ')})`);
            return { match, all: false, exact: true };
        }
        // rule 2: separators inside; the candidates are verified
        const first = [...needle][0];
        const last = [...needle].at(-1);
        const startLoose = charClass.test(first);
        const endLoose = charClass.test(last);
        const phrase = startLoose ? ts.slice(1) : ts;
        const parts = [];
        // the index keeps no positions (detail=column): all of the words, the last one as a prefix
        phrase.forEach((t, i) => parts.push(q(t) + (endLoose && i === phrase.length - 1 ? ' *' : '')));
        if (startLoose) {
            const ends = this.vocabulary(ts[0], 'suffix', MAX_SUFFIX_TERMS + 1);
            if (ends.length === 0)
                return { match: [], all: false, exact: true };
            if (ends.length <= MAX_SUFFIX_TERMS)
                parts.push(`(${ends.map(q).join(' OR ')})`);
        }
        if (parts.length === 0)
            return { match: [], all: true, exact: false };
        return { match: [`${cols} : (${parts.join(' AND ')})`], all: false, exact: false };
    }
    /** Are blobs still waiting to be indexed (an old store being converted)? */
    pending() {
        return this.sql.pendingAny.get() !== undefined;
    }
    isPending(blobId) {
        return this.sql.isPending.get(blobId) !== undefined;
    }
    /** Is this blob among the plan's candidates? */
    candidate(plan, blobId) {
        if (plan.all)
            return true;
        for (const m of plan.match)
            if (this.sql.hasRow.get(m, blobId) !== undefined)
                return true;
        return false;
    }
    /** Index up to `limit` blobs of the conversion queue, in one transaction each batch; returns
     *  how many were done. `read` gives a blob's file. A crash between batches loses nothing: the
     *  queue rows of a batch go in the same transaction as its index rows. */
    catchUp(limit, read, searchable) {
        const rows = this.sql.pendingNext.all(limit);
        if (rows.length === 0)
            return 0;
        const texts = rows.map((r) => {
            if (r.hash === null || r.mime === null)
                return undefined; // the blob is gone
            try {
                return searchable(read(r.hash), JSON.parse(r.mime));
            }
            catch {
                return undefined;
            }
        });
        this.db.transaction(() => {
            rows.forEach((r, i) => {
                if (this.sql.isPending.get(r.id) === undefined)
                    return; // reclaimed meanwhile
                const t = texts[i];
                if (t) {
                    this.sql.delRow.run(r.id);
                    this.add(r.id, t);
                }
                this.sql.pendingDel.run(r.id);
            });
        }).immediate();
        this.plans.clear();
        return rows.length;
    }
}
/** Does the text of a message contain the needle (the verification of rule 2)? `headers` is the
 *  cached header block; `raw` reads the message (only for BODY and TEXT). */
export function textContains(scope, needle, headers, raw) {
    if (SEARCH_FIELDS.includes(scope))
        return headerContains(scope, needle, headers);
    if (scope === 'headers' || scope === 'text') {
        const lines = parseHeaderFields(headers).map((f) => `${f.name}: ${decodeWords(f.value)}`).join('\n');
        if (fold(lines).includes(needle))
            return true;
        if (scope === 'headers')
            return false;
    }
    const m = raw();
    return fold(bodyText(m.raw, m.mime)).includes(needle);
}
/** Does any field named `field` (lower-case) contain the needle, decoded and folded (address
 *  fields also as normalised addresses)? */
export function headerContains(field, needle, headers) {
    return parseHeaderFields(headers).some((f) => f.key === field && fold(fieldSearchText(f.key, decodeWords(f.value))).includes(needle));
}
/** The index's column order (message_words) and how each column is tokenized. */
const INDEX_COLUMNS = [
    ['headers', false], ['body', false], ['from', true], ['to', true], ['cc', true], ['bcc', true], ['subject', false],
];
/** Varints of an FTS5 docsize record: the number of tokens of each column. */
function readSizes(sz) {
    const out = [];
    let i = 0;
    while (i < sz.length) {
        // SQLite's varint: big-endian groups of 7 bits, the high bit set on all but the last byte
        let v = 0;
        for (;;) {
            const byte = sz[i++];
            v = v * 128 + (byte & 0x7f);
            if ((byte & 0x80) === 0 || i >= sz.length)
                break;
        }
        out.push(v);
    }
    return out;
}
/** fsck's view of the word index: FTS5's own integrity checks, every blob indexed (or queued for
 *  indexing) with the number of terms its text gives in every column, no row without a blob. */
export function checkTextIndex(db) {
    const sizes = db.prepare('SELECT sz FROM message_words_docsize WHERE id = ?').pluck();
    const pending = db.prepare('SELECT 1 FROM text_index_pending WHERE blob_id = ?').pluck();
    return {
        blob(id, text) {
            const sz = sizes.get(id);
            if (sz === undefined)
                return pending.get(id) === undefined ? 'not in the search index (and not queued for indexing)' : undefined;
            const t = text();
            const expected = INDEX_COLUMNS.map(([c, address]) => tokens(fold(c === 'headers' || c === 'body' ? t[c] : t.fields[c]), address).length);
            const got = readSizes(sz);
            if (expected.some((n, i) => got[i] !== n))
                return `the search index holds ${got.join('/')} terms per column, the message gives ${expected.join('/')}`;
            return undefined;
        },
        finish() {
            const out = [];
            for (const table of ['message_words', 'search_terms_tri']) {
                try {
                    db.prepare(`INSERT INTO ${table} (${table}) VALUES ('integrity-check')`).run();
                }
                catch (e) {
                    out.push(`search index (${table}): ${e.message}`);
                }
            }
            const orphans = db.prepare('SELECT COUNT(*) FROM message_words_docsize d WHERE NOT EXISTS (SELECT 1 FROM blobs b WHERE b.id = d.id)').pluck().get();
            if (orphans > 0)
                out.push(`search index: ${orphans} row(s) for message content that no longer exists`);
            return out;
        },
    };
}
//# sourceMappingURL=text-index.js.map