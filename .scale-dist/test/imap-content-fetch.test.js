// FETCH item parsing and rendering on a real store: macros, section grammar and its errors, the
// echoed item names, \Seen, which items read the message file (none of FLAGS, UID, ENVELOPE,
// BODYSTRUCTURE, top-level HEADER.FIELDS), and a fuzz of the MIME parser and renderers with
// mutated real messages (no crash, offsets in bounds, only ImapError for bad requests).
import t from 'tap';
import fc from 'fast-check';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store } from '../appliance/store/index.js';
import { parseMime } from '../appliance/mail/mime.js';
import { headerEnd } from '../appliance/mail/header.js';
import { tempDir } from './harness/appliance.js';
import { fetchReadsFile, fetchSetsSeen, formatInternalDate, parseFetchItems, renderFetch } from '../services/imap/message/fetch.js';
import { parseAddressList } from '../services/imap/message/envelope.js';
import { parseSection } from '../services/imap/message/section.js';
import { ImapError } from '../services/imap/errors.js';
import { toWire } from '../services/imap/wire.js';
const FIXTURES = join(fileURLToPath(new URL('.', import.meta.url)), '../../test/fixtures/mime');
const A = (value) => ({ kind: 'atom', value });
const L = (...items) => ({ kind: 'list', items: items.map(A) });
function wire(values) {
    return values.map((v) => toWire(v).toString('latin1')).join(' ');
}
function badOf(f) {
    try {
        f();
    }
    catch (e) {
        if (e instanceof ImapError)
            return e;
        throw e;
    }
    return undefined;
}
t.test('parsing FETCH items', async (t) => {
    t.same(parseFetchItems([A('fast')]).map((i) => i.name), ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE']);
    t.same(parseFetchItems([A('ALL')]).map((i) => i.name), ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE']);
    t.same(parseFetchItems([A('FULL')]).map((i) => i.name), ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY']);
    t.same(parseFetchItems([A('BODY.PEEK[HEADER.FIELDS (From To)]<0.100>')]), [{ name: 'BODY[]', peek: true, section: { path: [], text: 'HEADER.FIELDS', fields: ['From', 'To'] }, partial: { offset: 0, length: 100 } }]);
    t.same(parseFetchItems([L('UID', 'body[1.2.mime]', 'BINARY.PEEK[1.2]<5.10>', 'BINARY.SIZE[3]', 'MODSEQ')]), [
        { name: 'UID' },
        { name: 'BODY[]', peek: false, section: { path: [1, 2], text: 'MIME' } },
        { name: 'BINARY[]', peek: true, path: [1, 2], partial: { offset: 5, length: 10 } },
        { name: 'BINARY.SIZE', path: [3] },
        { name: 'MODSEQ' },
    ]);
    t.same(parseSection('2.HEADER.FIELDS.NOT ("X-A" b)'), { path: [2], text: 'HEADER.FIELDS.NOT', fields: ['X-A', 'b'] });
    t.same(parseFetchItems([{ kind: 'list', items: [A('PREVIEW'), L('LAZY')] }]).map((i) => i.name), ['PREVIEW']);
    for (const bad of ['BODY[', 'BODY[]<>', 'BODY[]<1>', 'BODY[]<1.0>', 'BODY[0]', 'BODY[1.]', 'BODY[MIME]', 'BODY[HEADER.FIELDS]', 'BODY[HEADER.FIELDS ()]',
        'BODY[HEADER.FIELDS (a:b)]', 'BODY[TEXT.1]', 'BINARY[HEADER]', 'BINARY.SIZE[1]<0.5>', 'RFC822.FOO', 'BODYSTRUCTURE[1]', 'X', 'BODY[99999999999]']) {
        t.equal(badOf(() => parseFetchItems([L(bad)]))?.status, 'BAD', `BAD for ${bad}`);
    }
    t.equal(badOf(() => parseFetchItems([L('ALL')]))?.status, 'BAD', 'macros are not list members');
    t.equal(badOf(() => parseFetchItems([]))?.status, 'BAD');
    t.equal(badOf(() => parseFetchItems([L()]))?.status, 'BAD');
    t.equal(badOf(() => parseFetchItems([{ kind: 'string', value: Buffer.from('FLAGS'), literal: false }]))?.status, 'BAD');
    t.equal(fetchSetsSeen(parseFetchItems([L('BODY.PEEK[]', 'RFC822.HEADER', 'BINARY.PEEK[1]')])), false);
    for (const it of ['BODY[]', 'RFC822', 'RFC822.TEXT', 'BINARY[1]', 'BODY[1.MIME]'])
        t.equal(fetchSetsSeen(parseFetchItems([A(it)])), true, `${it} sets \\Seen`);
    t.equal(formatInternalDate(Date.UTC(2026, 0, 5, 3, 4, 5)), ' 5-Jan-2026 03:04:05 +0000');
});
t.test('rendering from a real store reads the file only when needed', async (t) => {
    const dir = tempDir();
    const store = Store.open(dir);
    t.teardown(() => { store.close(); rmSync(dir, { recursive: true, force: true }); });
    store.domains.ensure('example.test');
    const alice = await store.accounts.create('alice@example.test', 'correct horse');
    const raw = readFileSync(join(FIXTURES, 'nested.eml'));
    store.deliver([{ accountId: alice.id, flags: ['\\Flagged', '$Work'] }], raw, Date.UTC(2026, 10, 23, 9, 8, 7));
    const inbox = store.mailboxes.get(alice.id, 'INBOX');
    const meta = store.messages.list(inbox.id)[0];
    let fileReads = 0;
    const subject = { meta, blob: () => store.messages.blob(meta.blobId), raw: () => { fileReads++; return store.readMessage(store.messages.blob(meta.blobId).hash); } };
    const light = parseFetchItems([L('UID', 'FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'MODSEQ', 'ENVELOPE', 'BODYSTRUCTURE', 'BODY', 'RFC822.HEADER', 'BODY.PEEK[HEADER]', 'BODY.PEEK[HEADER.FIELDS (Subject)]')]);
    t.equal(fetchReadsFile(light), false);
    const r = renderFetch(light, subject);
    t.equal(fileReads, 0, 'no message file read for metadata, ENVELOPE, BODYSTRUCTURE and top-level headers');
    t.equal(r.setsSeen, false);
    const text = wire(r.values);
    t.match(text, /^UID 1 FLAGS \(\\Flagged \$Work\) INTERNALDATE "23-Nov-2026 09:08:07 \+0000" RFC822\.SIZE 1766 MODSEQ \(\d+\) ENVELOPE \("Tue, 24 Nov 2026/);
    t.match(text, /BODY\[HEADER\.FIELDS \(SUBJECT\)\] \{42\}\r\nSubject: Holiday pictures and the plan\r\n\r\n$/);
    const heavy = parseFetchItems([L('BODY[1.1]<0.4>', 'BINARY.PEEK[2]', 'BINARY.SIZE[1.2.2]', 'RFC822.TEXT', 'PREVIEW')]);
    t.equal(fetchReadsFile(heavy), true);
    const h = renderFetch(heavy, subject);
    t.equal(h.setsSeen, true);
    t.equal(fileReads, 1, 'the message file is read once per message');
    const ht = wire(h.values);
    t.match(ht, /^BODY\[1\.1\]<0> \{4\}\r\nHere BINARY\[2\] ~\{48\}\r\n%PDF-1\.4/);
    t.match(ht, /BINARY\.SIZE\[1\.2\.2\] 70 /);
    t.match(ht, /PREVIEW "Here are the pictures from the lake — see the attachment\. The plan is attached too\."|PREVIEW \{\d+\}\r\nHere are the pictures/);
    // message/rfc822 BODYSTRUCTURE needs the inner header: from the file
    const fwd = readFileSync(join(FIXTURES, 'rfc822.eml'));
    store.deliver([{ accountId: alice.id }], fwd);
    const meta2 = store.messages.list(inbox.id)[1];
    let reads2 = 0;
    const s2 = { meta: meta2, blob: () => store.messages.blob(meta2.blobId), raw: () => { reads2++; return store.readMessage(store.messages.blob(meta2.blobId).hash); } };
    const bs = wire(renderFetch(parseFetchItems([A('BODYSTRUCTURE')]), s2).values);
    t.equal(reads2, 1);
    t.match(bs, /"message" "rfc822" NIL NIL NIL "7bit" 495 \("Tue, 24 Nov 2026 17:00:00 \+0000" "Meeting notes =\?utf-8\?B\?4pyU\?="/);
    t.equal(badOf(() => renderFetch(parseFetchItems([A('BINARY[2]')]), { ...s2, meta: meta2 }))?.status, undefined, 'BINARY of a message/rfc822 part decodes as 7bit');
    t.equal(badOf(() => renderFetch(parseFetchItems([A('BINARY[]')]), subject)), undefined);
});
t.test('addresses: groups, routes, comments, missing parts', async (t) => {
    t.same(parseAddressList('"Doe, Jane" <jane@x.org>, bob@y.org (Bob B), =?utf-8?q?Z=C3=B6e?= <z@z.org>'), [
        { name: 'Doe, Jane', adl: null, mailbox: 'jane', host: 'x.org' },
        { name: 'Bob B', adl: null, mailbox: 'bob', host: 'y.org' },
        { name: '=?utf-8?q?Z=C3=B6e?=', adl: null, mailbox: 'z', host: 'z.org' },
    ]);
    t.same(parseAddressList('team: a@x.org, B <b@x.org>;, c@x.org'), [
        { name: null, adl: null, mailbox: 'team', host: null },
        { name: null, adl: null, mailbox: 'a', host: 'x.org' },
        { name: 'B', adl: null, mailbox: 'b', host: 'x.org' },
        { name: null, adl: null, mailbox: null, host: null },
        { name: null, adl: null, mailbox: 'c', host: 'x.org' },
    ]);
    t.same(parseAddressList('<@a.org,@b.org:u@c.org>'), [{ name: null, adl: '@a.org,@b.org', mailbox: 'u', host: 'c.org' }]);
    t.same(parseAddressList('root'), [{ name: null, adl: null, mailbox: 'root', host: 'MISSING_DOMAIN' }]);
    t.same(parseAddressList(''), []);
    t.same(parseAddressList(',,;<>'), [{ name: null, adl: null, mailbox: '', host: null }]);
});
function checkTree(p, len, depth = 0) {
    if (!(p.start >= 0 && p.start <= p.bodyStart && p.bodyStart <= p.end && p.end <= len))
        return false;
    if (depth > 60)
        return false;
    for (const c of p.parts ?? [])
        if (!checkTree(c, len, depth + 1) || c.start < p.bodyStart || c.end > p.end)
            return false;
    if (p.message && !checkTree(p.message, len, depth + 1))
        return false;
    return true;
}
t.test('fuzz: mutated real messages never crash the MIME parser or the renderers', async (t) => {
    const corpus = readdirSync(FIXTURES).filter((f) => f.endsWith('.eml')).map((f) => readFileSync(join(FIXTURES, f)));
    const pieces = ['\r\n', '\n', '--', 'boundary', ':', ';', '"', '=?utf-8?b?', '?=', '(', ')', '<', '>', '@', ',', 'Content-Type: multipart/mixed; boundary=x\r\n', 'Content-Type: message/rfc822\r\n', '--x\r\n', '--x--', '\r\n\r\n', '\0', '\xff', 'Content-Transfer-Encoding: base64\r\n', '=\r\n', '=4'];
    const mutation = fc.record({
        base: fc.integer({ min: 0, max: corpus.length - 1 }),
        edits: fc.array(fc.record({ at: fc.nat(), del: fc.nat({ max: 20 }), ins: fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 8 })) }), { maxLength: 12 }),
    });
    const items = parseFetchItems([L('ENVELOPE', 'BODYSTRUCTURE', 'BODY', 'BODY.PEEK[]<3.40>', 'BODY.PEEK[HEADER.FIELDS (FROM SUBJECT)]', 'BODY.PEEK[1]', 'BODY.PEEK[1.MIME]', 'BODY.PEEK[2.1.TEXT]', 'BODY.PEEK[1.HEADER]', 'PREVIEW', 'BINARY.SIZE[1]')]);
    let runs = 0;
    fc.assert(fc.property(mutation, ({ base, edits }) => {
        let s = corpus[base].toString('latin1');
        for (const e of edits) {
            const at = e.at % (s.length + 1);
            s = s.slice(0, at) + e.ins + s.slice(at + e.del);
        }
        const raw = Buffer.from(s, 'latin1');
        const mime = JSON.parse(JSON.stringify(parseMime(raw))); // as the store caches it
        if (!checkTree(mime, raw.length))
            return false;
        const meta = { id: 1, uid: 1, modseq: 1, size: raw.length, internalDate: 0, flags: [], blobId: 1 };
        const subject = { meta, blob: () => ({ hash: 'x', size: raw.length, headers: raw.subarray(0, headerEnd(raw)), mime }), raw: () => raw };
        try {
            const out = renderFetch(items, subject);
            wire(out.values);
        }
        catch (e) {
            if (!(e instanceof ImapError))
                throw e;
        }
        runs++;
        return true;
    }), { numRuns: 3000 });
    t.ok(runs >= 3000, `${runs} mutated messages rendered`);
});
t.test('fuzz: random FETCH and SEARCH arguments give BAD/NO or a result, never a crash', async (t) => {
    const words = ['BODY', 'BODY.PEEK', 'BINARY', 'BINARY.SIZE', '[', ']', '[]', '<', '>', '<0.10>', '1', '.', 'HEADER', 'HEADER.FIELDS', '.NOT', 'MIME', 'TEXT', '(', ')', ' ', 'FROM', 'To', '"', '*', ':', '$', '0',
        'OR', 'NOT', 'UID', 'SINCE', '1-Feb-2026', 'CHARSET', 'UTF-8', 'RETURN', 'MIN', 'MODSEQ', 'KEYWORD', 'HEADER', 'LARGER', 'ALL', 'SEEN', 'ENVELOPE', 'FAST', 'PREVIEW', 'LAZY'];
    const argArb = fc.letrec((tie) => ({
        arg: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 6 }).map((ws) => ({ kind: 'atom', value: ws.join('') })), fc.string({ maxLength: 10 }).map((s) => ({ kind: 'string', value: Buffer.from(s), literal: false })), fc.array(tie('arg'), { maxLength: 4 }).map((items) => ({ kind: 'list', items }))),
    })).arg;
    const { parseSearch } = await import('../services/imap/search/index.js');
    let parsed = 0;
    fc.assert(fc.property(fc.array(argArb, { maxLength: 6 }), (args) => {
        for (const f of [() => parseFetchItems(args), () => parseSearch(args, { utf8: false })]) {
            try {
                f();
                parsed++;
            }
            catch (e) {
                if (!(e instanceof ImapError))
                    throw e;
            }
        }
        return true;
    }), { numRuns: 5000 });
    t.ok(parsed > 0, `${parsed} random argument lists were valid; the rest got BAD/NO`);
});
//# sourceMappingURL=imap-content-fetch.test.js.map