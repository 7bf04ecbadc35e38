// SEARCH: parsing (every key, RETURN options, CHARSET, errors), evaluation on a real store (flags,
// sets, "$", dates, sizes, MODSEQ, headers, BODY/TEXT through the trigram index with the fallback
// for short needles) and the result sets compared with Dovecot's for the same messages.
import t from 'tap';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store } from '../appliance/store/index.js';
import { tempDir } from './harness/appliance.js';
import { startDovecot } from './harness/dovecot.js';
import { RawImapClient } from './harness/imap-raw.js';
import { evaluateSearch, formatSearchResponse, parseSearch, savedResult } from '../services/imap/search/index.js';
import { ImapError } from '../services/imap/errors.js';
import { toWire } from '../services/imap/wire.js';
const FIXTURES = join(fileURLToPath(new URL('.', import.meta.url)), '../../test/fixtures/mime');
/** Command text -> parser arguments (atoms, quoted strings, parenthesized lists). */
function args(text) {
    let i = 0;
    const list = () => {
        const out = [];
        while (i < text.length) {
            const c = text[i];
            if (c === ' ') {
                i++;
                continue;
            }
            if (c === ')') {
                i++;
                return out;
            }
            if (c === '(') {
                i++;
                out.push({ kind: 'list', items: list() });
                continue;
            }
            if (c === '"') {
                let v = '';
                i++;
                while (text[i] !== '"') {
                    if (text[i] === '\\')
                        i++;
                    v += text[i++];
                }
                i++;
                out.push({ kind: 'string', value: Buffer.from(v, 'utf8'), literal: false });
                continue;
            }
            let v = '';
            while (i < text.length && !' ()'.includes(text[i]))
                v += text[i++];
            out.push({ kind: 'atom', value: v });
        }
        return out;
    };
    return list();
}
/** The same text for the wire: quoted strings with 8-bit characters become LITERAL+ literals. */
function wire(text) {
    return Buffer.from(text.replace(/"([^"]*[^\x00-\x7f][^"]*)"/g, (_m, s) => `{${Buffer.byteLength(s)}+}\r\n${s}`), 'utf8');
}
async function fixtureStore() {
    const dir = tempDir();
    const store = Store.open(dir);
    store.domains.ensure('example.test');
    const alice = await store.accounts.create('alice@example.test', 'correct horse');
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.eml')).sort();
    const day = Date.UTC(2026, 10, 20, 12, 0, 0);
    files.forEach((f, i) => store.deliver([{ accountId: alice.id }], readFileSync(join(FIXTURES, f)), day + i * 86_400_000));
    const inbox = store.mailboxes.get(alice.id, 'INBOX');
    const uids = [...store.messages.uids(inbox.id)];
    const ctx = (saved = []) => ({
        mailboxId: inbox.id,
        store,
        saved,
        exists: uids.length,
        uidAt: (seq) => uids[seq - 1],
        seqOf: (uid) => uids.indexOf(uid) + 1,
        now: day + 10 * 86_400_000,
    });
    return { dir, store, files, inbox, ctx, close: () => { store.close(); rmSync(dir, { recursive: true, force: true }); } };
}
t.test('parsing: keys, RETURN, CHARSET and clear errors', async (t) => {
    const p = parseSearch(args('RETURN (MIN COUNT) CHARSET UTF-8 OR FROM alice (SINCE 1-Feb-2026 NOT SEEN) UID 1:5,7 LARGER 10 MODSEQ 5'), { utf8: false });
    t.same(p.returnOptions, ['MIN', 'COUNT']);
    t.equal(p.usesModseq, true);
    t.equal(p.key.op, 'and');
    t.same(parseSearch(args('RETURN () ALL'), { utf8: false }).returnOptions, ['ALL'], 'RETURN () is ALL');
    t.equal(parseSearch(args('ALL'), { utf8: false }).returnOptions, undefined, 'plain SEARCH has no return options');
    t.same(parseSearch(args('MODSEQ "/flags/\\\\draft" all 620162338'), { utf8: false }).key, { op: 'modseq', n: 620162338 });
    const err = (text) => { try {
        parseSearch(args(text), { utf8: false });
    }
    catch (e) {
        if (e instanceof ImapError)
            return e;
        throw e;
    } throw new Error(`accepted: ${text}`); };
    const badCs = err('CHARSET X-NO-SUCH-CHARSET FROM x');
    t.equal(badCs.status, 'NO');
    t.equal(badCs.code, 'BADCHARSET (UTF-8 US-ASCII)');
    for (const text of ['', 'FROM', 'BEFORE 31-Foo-2026', 'BEFORE 2026-01-01', 'LARGER x', 'FOO', 'OR ALL', 'UID 0', 'UID 1:x', '()', 'RETURN (BOGUS) ALL', 'RETURN MIN ALL', 'KEYWORD (x)', 'HEADER "bad name" x', '"a string"']) {
        t.equal(err(text).status, 'BAD', `BAD for "${text}"`);
    }
    let deep = 'ALL';
    for (let i = 0; i < 200; i++)
        deep = `NOT ${deep}`;
    t.equal(err(deep).status, 'BAD', 'nesting is bounded');
});
t.test('evaluation on a real store', async (t) => {
    const f = await fixtureStore();
    t.teardown(f.close);
    const uid = (name) => f.files.indexOf(name) + 1;
    const run = (text, saved = []) => evaluateSearch(parseSearch(args(text), { utf8: false }), f.ctx(saved));
    f.store.messages.store(f.inbox.id, [uid('nested.eml'), uid('simple.eml')], 'add', ['\\Seen', '$Work']);
    f.store.messages.store(f.inbox.id, [uid('simple.eml')], 'add', ['\\Flagged']);
    t.same(run('ALL'), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    t.same(run('SEEN'), [uid('nested.eml'), uid('simple.eml')]);
    t.same(run('UNSEEN FLAGGED'), []);
    t.same(run('KEYWORD $work'), [uid('nested.eml'), uid('simple.eml')], 'keywords compare case-insensitively');
    t.same(run('UNKEYWORD $Work').length, 8);
    t.same(run('NEW'), [], 'no \\Recent: NEW and RECENT match nothing');
    t.same(run('OLD').length, 10);
    t.same(run('2:3,*'), [2, 3, 10]);
    t.same(run('UID 7:*'), [7, 8, 9, 10]);
    t.same(run('$', [2, 5]), [2, 5]);
    t.same(run('UID $', [2, 5]), [2, 5]);
    t.same(run('SUBJECT "café"'), [uid('simple.eml')], 'encoded words are decoded (ISO-8859-1 Q)');
    t.same(run('FROM "björn"'), [uid('simple.eml')], 'decoded, case-insensitive (UTF-8 B)');
    t.same(run('TO "jürgen"'), [uid('utf8.eml')], '8-bit UTF-8 header');
    t.same(run('SUBJECT "Köln"'), [uid('utf8.eml')]);
    t.same(run('CC Friends'), [uid('nested.eml')]);
    t.same(run('HEADER In-Reply-To older'), [uid('nested.eml')]);
    t.same(run('HEADER X-Missing ""'), []);
    t.same(run('HEADER Message-ID ""').length, 6, 'an empty HEADER value matches every message with the field');
    t.same(run('BODY "budget approved"'), [uid('rfc822.eml')], 'the trigram index (3+ characters)');
    t.same(run('BODY ké'), [], 'short needle: verified by reading');
    t.same(run('BODY ss'), [uid('digest.eml'), uid('rfc822.eml')], 'short needle found by reading ("message")');
    t.same(run('TEXT Holiday'), [uid('nested.eml')], 'TEXT covers headers');
    t.same(run('TEXT "café is ready"'), [uid('simple.eml')], 'decoded quoted-printable body');
    t.same(run('LARGER 1000'), [uid('nested.eml')]);
    t.same(run('SMALLER 100'), [uid('headeronly.eml')]);
    t.same(run('ON 22-Nov-2026'), [3], 'internal date by day');
    t.same(run('BEFORE 22-Nov-2026'), [1, 2]);
    t.same(run('SINCE 27-Nov-2026'), [8, 9, 10]);
    t.same(run('SENTON 24-Nov-2026'), [uid('nested.eml')], 'the Date header day as written');
    t.same(run('SENTBEFORE 24-Nov-2026'), [uid('nomime.eml'), uid('simple.eml')]);
    t.same(run('OLDER 700000'), [1, 2], 'WITHIN: older than about 8 days');
    t.same(run('YOUNGER 300000'), [8, 9, 10]);
    t.same(run('OR FROM alice FROM carol'), [uid('nested.eml'), uid('rfc822.eml')]);
    t.same(run('NOT (FROM alice SUBJECT plan)').length, 9);
    const modseq = f.store.messages.get(f.inbox.id, uid('simple.eml')).modseq;
    t.same(run(`MODSEQ ${modseq}`), [uid('simple.eml')]);
});
t.test('responses: SEARCH, ESEARCH, MODSEQ and SAVE', async (t) => {
    const p = parseSearch(args('ALL'), { utf8: false });
    t.equal(toWire(formatSearchResponse(p, { numbers: [2, 5] }, { tag: 'a1', uid: false })).toString(), '(SEARCH 2 5)'.slice(1, -1).replace(/^/, '(') + ')');
    const e = parseSearch(args('RETURN (MIN MAX COUNT ALL) MODSEQ 3'), { utf8: false });
    t.equal(toWire(formatSearchResponse(e, { numbers: [2, 3, 4, 9], highestModseq: 12 }, { tag: 'a1', uid: true })).toString(), '(ESEARCH (TAG "a1") UID MIN 2 MAX 9 ALL 2:4,9 COUNT 4 MODSEQ 12)');
    t.equal(toWire(formatSearchResponse(e, { numbers: [] }, { tag: 'b', uid: false })).toString(), '(ESEARCH (TAG "b") COUNT 0)', 'no MIN/MAX/ALL for no match');
    const m = parseSearch(args('MODSEQ 3'), { utf8: false });
    t.equal(toWire(formatSearchResponse(m, { numbers: [4], highestModseq: 7 }, { tag: 'a', uid: false })).toString(), '(SEARCH 4 (MODSEQ 7))');
    const s = parseSearch(args('RETURN (SAVE) ALL'), { utf8: false });
    t.equal(formatSearchResponse(s, { numbers: [1] }, { tag: 'a', uid: false }), undefined, 'SAVE alone sends no ESEARCH');
    t.same(savedResult(s, [3, 4, 5]), [3, 4, 5]);
    t.same(savedResult(parseSearch(args('RETURN (SAVE MIN MAX) ALL'), { utf8: false }), [3, 4, 5]), [3, 5]);
    t.same(savedResult(parseSearch(args('RETURN (SAVE MIN COUNT) ALL'), { utf8: false }), [3, 4, 5]), [3, 4, 5]);
    t.equal(savedResult(p, [1]), undefined);
});
t.test('the same matches as Dovecot', async (t) => {
    const f = await fixtureStore();
    const dovecot = await startDovecot();
    t.teardown(async () => { f.close(); await dovecot.stop(); });
    f.files.forEach((name, i) => dovecot.addMessage(readFileSync(join(FIXTURES, name)), i + 1));
    const client = await RawImapClient.open(dovecot.port);
    t.teardown(() => client.close());
    t.equal((await client.command(`LOGIN ${dovecot.user} ${dovecot.password}`)).status, 'OK');
    t.equal((await client.command('SELECT INBOX')).status, 'OK');
    const marked = [f.files.indexOf('nested.eml') + 1, f.files.indexOf('simple.eml') + 1];
    t.equal((await client.command(`STORE ${marked.join(',')} +FLAGS (\\Seen $Work)`)).status, 'OK');
    f.store.messages.store(f.inbox.id, marked, 'add', ['\\Seen', '$Work']);
    const queries = [
        'ALL', 'SEEN', 'UNSEEN', 'KEYWORD $Work', 'UNKEYWORD $Work', 'FLAGGED', 'UNDELETED', 'ANSWERED', 'DRAFT', '2:4', '*', 'UID 3:*', '5:*',
        'FROM alice', 'FROM example.org', 'FROM "Björn"', 'FROM bjorn', 'TO alice', 'TO "Jürgen"', 'CC eve', 'CC "Eve E."', 'BCC ivan', 'SUBJECT "café"', 'SUBJECT meeting',
        'SUBJECT "crème"', 'SUBJECT "Grüße"', 'HEADER Message-ID nested', 'HEADER Content-Type multipart', 'HEADER In-Reply-To b@example',
        'HEADER X-Missing ""', 'BODY lake', 'BODY "budget approved"', 'BODY "is ready"', 'BODY "Café"', 'BODY "soft line break"', 'BODY "Grüße"',
        'BODY unterminated', 'BODY "first part"', 'TEXT Holiday', 'TEXT "Meeting notes"', 'TEXT "budget"', 'BODY nope-not-there',
        'LARGER 600', 'SMALLER 500', 'SENTBEFORE 25-Nov-2026', 'SENTON 24-Nov-2026', 'SENTSINCE 27-Nov-2026',
        'OR FROM alice FROM carol', 'NOT SEEN', 'NOT (FROM alice SUBJECT plan)', 'OR (SEEN FROM alice) SMALLER 100', 'SEEN NOT KEYWORD $Work',
    ];
    for (const q of queries) {
        const theirs = await client.command(Buffer.concat([Buffer.from('UID SEARCH CHARSET UTF-8 '), wire(q)]));
        t.equal(theirs.status, 'OK', `Dovecot answers ${q}`);
        const line = /\* SEARCH([0-9 ]*)\r\n/.exec(theirs.bytes.toString('latin1'));
        const expected = (line?.[1] ?? '').trim().split(' ').filter(Boolean).map(Number).sort((a, b) => a - b);
        const ours = evaluateSearch(parseSearch(args(`CHARSET UTF-8 ${q}`), { utf8: false }), f.ctx());
        t.same(ours, expected, q);
    }
});
//# sourceMappingURL=imap-content-search.test.js.map