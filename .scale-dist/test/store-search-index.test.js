// The word index behind SEARCH (appliance/store/text-index.ts): results equal RFC 3501's substring
// rule (computed by brute force over every message) for needles cut at random places, inside
// words, across punctuation, in addresses and encoded headers; an old store converts (migration
// 400) and answers the same before, during and after the conversion; kill -9 during indexing
// leaves an index fsck accepts; expunged content leaves within the store's bound by itself.
import t from 'tap';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { Store, prepareMessage } from '../appliance/store/index.js';
import { fieldSearchText, searchableText } from '../appliance/mail/text.js';
import { parseMime } from '../appliance/mail/mime.js';
import { decodeWords, parseHeaderFields } from '../appliance/mail/header.js';
import { RECLAIM_BOUND_MS } from '../appliance/store/maintenance.js';
import { tempDir } from './harness/appliance.js';
import { runUntilKilled } from './harness/killed-child.js';
const WORDS = ['meeting', 'budget', 'approved', 'Köln', 'café', 'naïve', 'Straße', 're-send', 'e-mail', 'x', 'ok', 'déjà', 'vu',
    'example', 'sample', 'ample', 'lake', 'Lakeside', '2026', 'v1.2.3', 'foo_bar', 'C++', 'naïvety', '東京', 'データ', 'über', 'ÜBER', 'tax', 'syntax'];
const PEOPLE = ['"Alice Smith" <alice@example.org>', 'bob@mail.example.net', '=?UTF-8?B?QmrDtnJu?= <bjorn@example.se>', 'carol+lists@example.org', 'Dave <d.ave@sub.example.com>'];
/** A small deterministic generator (tests must be reproducible). */
function rng(seed) {
    let s = seed >>> 0;
    return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}
function corpus(n, seed = 7) {
    const r = rng(seed);
    const pick = (a) => a[Math.floor(r() * a.length)];
    const sentence = (k) => Array.from({ length: k }, () => pick(WORDS) + pick(['', '', '', '.', ',', '!', ':', '-', '/'])).join(' ');
    const out = [];
    for (let i = 0; i < n; i++) {
        const qp = r() < 0.3;
        const body = qp ? sentence(20).replace(/[^\x20-\x7e]/g, (c) => [...Buffer.from(c)].map((b) => '=' + b.toString(16).toUpperCase()).join('')) : sentence(20);
        out.push(Buffer.from([
            `From: ${pick(PEOPLE)}`, `To: ${pick(PEOPLE)}, ${pick(PEOPLE)}`, ...(r() < 0.5 ? [`Cc: ${pick(PEOPLE)}`] : []),
            `Subject: ${r() < 0.3 ? '=?ISO-8859-1?Q?caf=E9_' + pick(['menu', 'plan']) + '?=' : sentence(4)}`,
            `Message-ID: <id${i}.${Math.floor(r() * 1e9).toString(36)}@example.org>`,
            'MIME-Version: 1.0', `Content-Type: text/plain; charset=utf-8`, `Content-Transfer-Encoding: ${qp ? 'quoted-printable' : '8bit'}`,
            '', body, '',
        ].join('\r\n'), 'utf8'));
    }
    return out;
}
const fold = (s) => s.toLowerCase();
async function filledStore(n) {
    const dir = tempDir();
    const store = Store.open(dir);
    store.domains.ensure('example.test');
    const a = await store.accounts.create('alice@example.test', 'correct horse');
    const msgs = corpus(n);
    // group commit: many messages per fsynced transaction (UIDs in request order)
    await Promise.all(msgs.map((m) => store.acceptGrouped({ deliveries: [{ message: prepareMessage(m), targets: [{ accountId: a.id }] }] })));
    const inbox = store.mailboxes.get(a.id, 'INBOX');
    return { dir, store, account: a, inbox, msgs };
}
/** What RFC 3501 says, by reading every message (each message parsed once per test). */
const parsed = new WeakMap();
function bruteForce(msgs, scope, needle, field) {
    const out = [];
    const n = fold(needle);
    msgs.forEach((raw, i) => {
        let t = parsed.get(raw);
        if (!t) {
            const s = searchableText(raw, parseMime(raw));
            const fields = parseHeaderFields(raw.subarray(0, raw.indexOf('\r\n\r\n') + 2)).map((f) => ({ key: f.key, value: fold(fieldSearchText(f.key, decodeWords(f.value))) }));
            t = { headers: fold(s.headers), body: fold(s.body), fields };
            parsed.set(raw, t);
        }
        let hit;
        if (scope === 'header')
            hit = t.fields.some((f) => f.key === field && f.value.includes(n));
        else if (scope === 'text')
            hit = t.headers.includes(n) || t.body.includes(n);
        else if (scope === 'body')
            hit = t.body.includes(n);
        else
            hit = t.headers.includes(n);
        if (hit)
            out.push(i + 1);
    });
    return out;
}
function ours(store, mailboxId, scope, needle, field) {
    const filter = scope === 'header' ? { kind: 'header', field: field, needle } : { kind: 'text', scope, needle };
    const { exact, rows } = store.search.select(mailboxId, filter);
    const out = [];
    for (const m of rows)
        if (exact || store.search.textMatches(m.blobId, filter))
            out.push(m.uid);
    return out;
}
/** Needles: random cuts of the messages' own text (crossing word boundaries, punctuation and
 *  spaces), plus fixed cases. */
function needles(msgs, count, seed = 11) {
    const r = rng(seed);
    const fixed = ['ample', 'AMPLE', 'ample.org', '@example.org', 'alice@example.org', 'alice smith', 'e.org', 'öln', 'KÖLN', 'strasse', 'straße',
        'v1.2', '.2.3', 'c++', '++', 'x', 'e', 'é', 'ta', '東', '京デ', 'über ü', 'no-such-word', 're-se', 'mail.ex', 'de', 'café m', 'bjö', 'rn@ex'];
    const out = [...fixed];
    for (let i = 0; i < count; i++) {
        const raw = msgs[Math.floor(r() * msgs.length)];
        const t = searchableText(raw, parseMime(raw));
        const src = r() < 0.5 ? t.body : t.headers;
        const len = 1 + Math.floor(r() * 14);
        const at = Math.floor(r() * Math.max(1, src.length - len));
        const cut = src.slice(at, at + len).replace(/[\r\n]/g, ' ');
        if (cut.trim())
            out.push(cut);
    }
    return out;
}
const SCOPES = [['text'], ['body'], ['headers'], ['header', 'from'], ['header', 'to'], ['header', 'cc'], ['header', 'subject'], ['header', 'message-id']];
t.test('substring results equal a scan of every message, for needles cut anywhere', async (t) => {
    const f = await filledStore(150);
    t.teardown(() => { f.store.close(); rmSync(f.dir, { recursive: true, force: true }); });
    let compared = 0;
    let nonEmpty = 0;
    for (const needle of needles(f.msgs, 120)) {
        for (const [scope, field] of SCOPES) {
            const want = bruteForce(f.msgs, scope, needle, field);
            const got = ours(f.store, f.inbox.id, scope, needle, field);
            if (JSON.stringify(want) !== JSON.stringify(got))
                t.same(got, want, `${scope}${field ? ' ' + field : ''} "${needle}"`);
            compared++;
            if (want.length)
                nonEmpty++;
        }
    }
    t.ok(nonEmpty > compared / 3, `${nonEmpty} of ${compared} comparisons have matches`);
    t.pass(`${compared} searches compared`);
    t.ok(f.store.check().ok, 'fsck: the index agrees with the messages');
});
/** Turn a store into what an old one looked like before migration 400 (trigram table, no word
 *  index) so that opening it runs the conversion. */
function makeOld(dir) {
    const db = new Database(`${dir}/postern.db`);
    db.exec(`DROP TABLE message_words; DROP TABLE search_terms_tri; DROP TABLE search_terms; DROP TABLE text_index_pending;
    CREATE VIRTUAL TABLE blob_text USING fts5(headers, body, content='', contentless_delete=1, tokenize='trigram');
    DELETE FROM schema_migrations WHERE id IN ('400-word-index', '401-word-index-columns');`);
    db.close();
}
t.test('an old store converts: same answers during and after, resumable', async (t) => {
    const f = await filledStore(60);
    t.teardown(() => rmSync(f.dir, { recursive: true, force: true }));
    const probe = needles(f.msgs, 25, 3);
    const before = probe.map((n) => SCOPES.map(([s, fl]) => ours(f.store, f.inbox.id, s, n, fl)));
    f.store.close();
    makeOld(f.dir);
    const store = Store.open(f.dir);
    t.teardown(() => store.close());
    t.ok(store.textIndex.pending(), 'opening queued every blob for indexing');
    t.same(probe.map((n) => SCOPES.map(([s, fl]) => ours(store, f.inbox.id, s, n, fl))), before, 'unindexed blobs are verified: same answers while converting');
    store.textIndex.catchUp(25, (h) => store.readMessage(h), searchableText);
    t.ok(store.textIndex.pending(), 'half converted');
    t.same(probe.map((n) => SCOPES.map(([s, fl]) => ours(store, f.inbox.id, s, n, fl))), before, 'same answers half way');
    store.settle();
    t.notOk(store.textIndex.pending(), 'conversion done');
    t.same(probe.map((n) => SCOPES.map(([s, fl]) => ours(store, f.inbox.id, s, n, fl))), before, 'same answers after');
    t.ok(store.check().ok, 'fsck clean after the conversion');
});
t.test('kill -9 during indexing leaves a consistent index', async (t) => {
    const f = await filledStore(200);
    t.teardown(() => rmSync(f.dir, { recursive: true, force: true }));
    const probe = needles(f.msgs, 15, 5);
    const want = probe.map((n) => bruteForce(f.msgs, 'text', n));
    f.store.close();
    makeOld(f.dir);
    Store.open(f.dir).close(); // the migration runs here, before the child starts
    const child = fileURLToPath(new URL('./harness/index-catchup.js', import.meta.url));
    let interrupted = 0;
    for (let round = 0; round < 4; round++) {
        let done = false;
        await runUntilKilled([child, f.dir], Math.floor(Math.random() * 25), (line) => { if (line === 'DONE')
            done = true; });
        if (!done)
            interrupted++;
    }
    t.ok(interrupted > 0, `${interrupted} of 4 kills came while indexing`);
    const store = Store.open(f.dir);
    t.teardown(() => store.close());
    const half = store.check();
    t.same(half.problems.filter((p) => p.severity === 'error'), [], 'fsck after the kills: no error (indexed blobs agree, the rest is queued)');
    t.same(probe.map((n) => ours(store, f.inbox.id, 'text', n)), want, 'answers after the kills equal a scan of every message');
    store.settle();
    t.notOk(store.textIndex.pending(), 'indexing completes after the kills');
    t.same(store.check().problems.filter((p) => p.severity === 'error'), [], 'fsck clean when done');
    t.same(probe.map((n) => ours(store, f.inbox.id, 'text', n)), want, 'and the same answers');
});
t.test('fsck notices an index that disagrees with the messages', async (t) => {
    const f = await filledStore(5);
    t.teardown(() => { f.store.close(); rmSync(f.dir, { recursive: true, force: true }); });
    t.ok(f.store.check().ok);
    const db = new Database(`${f.dir}/postern.db`);
    db.prepare('DELETE FROM message_words WHERE rowid = 2').run();
    db.close();
    const report = f.store.check();
    t.notOk(report.ok);
    t.match(report.problems.map((p) => p.text).join('\n'), /not in the search index/);
});
async function until(cond, ms) {
    const end = Date.now() + ms;
    while (Date.now() < end) {
        if (cond())
            return true;
        await new Promise((r) => setTimeout(r, 50));
    }
    return cond();
}
t.test('expunged content and its index rows leave by themselves within the bound', async (t) => {
    const f = await filledStore(30);
    t.teardown(() => { f.store.close(); rmSync(f.dir, { recursive: true, force: true }); });
    const files = () => [...f.store.blobs.list()].length;
    const indexed = () => f.store.search.select(f.inbox.id, { kind: 'text', scope: 'headers', needle: 'example' }).exact;
    t.equal(files(), 30);
    t.ok(indexed());
    f.store.messages.store(f.inbox.id, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'add', ['\\Deleted']);
    t.same(f.store.messages.expunge(f.inbox.id).length, 10);
    // no reclaim() call: the store's own maintenance does it
    t.ok(await until(() => files() === 20, RECLAIM_BOUND_MS + 2000), `files gone within ${RECLAIM_BOUND_MS} ms (+ slack for a loaded machine)`);
    const db = new Database(`${f.dir}/postern.db`, { readonly: true });
    t.equal(db.prepare('SELECT COUNT(*) FROM message_words_docsize').pluck().get(), 20, 'their index rows are gone');
    t.equal(db.prepare('SELECT COUNT(*) FROM blobs').pluck().get(), 20, 'their blob rows are gone');
    db.close();
    // removing an account: its mailboxes' messages cascade; the content follows by itself
    f.store.accounts.remove(f.account.address);
    t.ok(await until(() => files() === 0, RECLAIM_BOUND_MS + 2000), 'account removal: files gone within the bound');
    t.ok(f.store.check().ok, 'fsck clean');
});
//# sourceMappingURL=store-search-index.test.js.map