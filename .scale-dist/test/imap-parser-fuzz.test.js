// Property and fuzz tests of the IMAP command framer and parser: generated commands round-trip
// through any chunking of the byte stream; random and mutated bytes never throw anything but a
// protocol error; and thousands of mutated commands sent to a live session leave the server
// answering and the store intact.
import t from 'tap';
import fc from 'fast-check';
import { CommandFramer } from '../services/imap/framing.js';
import { parseCommand, ParseError } from '../services/imap/parser.js';
import { ImapError } from '../services/imap/errors.js';
import { decodeMailboxName, encodeMailboxName } from '../services/imap/utf7.js';
import { startTestAppliance } from './harness/appliance.js';
import { ImapLineClient } from './harness/imap-line.js';
import { imapLimits } from '../services/imap/limits.js';
const LIMITS = { maxLine: 8192, maxLiteral: 4096, maxCommand: 16384 };
function frames(chunks, limits = LIMITS) {
    const out = [];
    const f = new CommandFramer(limits, {
        frame: (x) => out.push(x),
        literal: (a) => (a.size > limits.maxLiteral ? new ImapError('BAD', 'too big', 'TOOBIG') : undefined),
        proceed: () => undefined,
    });
    for (const c of chunks)
        f.push(c);
    return out;
}
function chunked(data, cuts) {
    const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
    const out = [];
    let last = 0;
    for (const p of points) {
        out.push(data.subarray(last, p));
        last = p;
    }
    out.push(data.subarray(last));
    return out;
}
const atomText = fc.stringMatching(/^[A-Za-z0-9$.\-\\:,]{1,12}$/).filter((s) => s.toUpperCase() !== 'NIL' || true);
const sectionAtom = fc.tuple(fc.constantFrom('BODY', 'BODY.PEEK', 'BINARY'), fc.constantFrom('', 'HEADER', 'TEXT', '1.2.MIME', 'HEADER.FIELDS (From To)', 'HEADER.FIELDS.NOT (Subject "X-Y")'), fc.option(fc.constantFrom('<0.100>', '<5>'), { nil: undefined }))
    .map(([k, s, p]) => `${k}[${s}]${p ?? ''}`);
const atomArg = fc.oneof(atomText, sectionAtom).map((v) => ({ arg: { kind: 'atom', value: v }, wire: Buffer.from(v, 'latin1') }));
const quotedArg = fc.string({ maxLength: 20 }).map((s) => s.replace(/[^\x20-\x7e]/g, 'x')).map((s) => ({
    arg: { kind: 'string', value: Buffer.from(s), literal: false },
    wire: Buffer.from('"' + s.replace(/(["\\])/g, '\\$1') + '"'),
}));
const literalArg = fc.tuple(fc.uint8Array({ maxLength: 40 }), fc.constantFrom('', '+')).map(([bytes, plus]) => {
    const value = Buffer.from(bytes);
    return { arg: { kind: 'string', value, literal: true }, wire: Buffer.concat([Buffer.from(`{${value.length}${plus}}\r\n`), value]) };
});
const { arg: anyArg } = fc.letrec((tie) => ({
    arg: fc.oneof({ depthSize: 'small', withCrossShrink: true }, atomArg, quotedArg, literalArg, tie('list')),
    list: fc.array(tie('arg'), { maxLength: 4 }).map((items) => ({
        arg: { kind: 'list', items: items.map((i) => i.arg) },
        wire: Buffer.concat([Buffer.from('('), ...items.flatMap((i, n) => (n ? [Buffer.from(' '), i.wire] : [i.wire])), Buffer.from(')')]),
    })),
}));
const command = fc.tuple(fc.stringMatching(/^[A-Za-z0-9]{1,8}$/), fc.constantFrom('NOOP', 'FETCH', 'SEARCH', 'LOGIN', 'APPEND', 'UID FETCH', 'STORE', 'LIST'), fc.array(anyArg, { maxLength: 5 }))
    .map(([tag, name, args]) => ({
    tag, name, args: args.map((a) => a.arg),
    wire: Buffer.concat([Buffer.from(`${tag} ${name}`), ...args.flatMap((a) => [Buffer.from(' '), a.wire]), Buffer.from('\r\n')]),
}));
function plain(a) {
    if (a.kind === 'atom')
        return ['atom', a.value];
    if (a.kind === 'string')
        return ['string', a.value.toString('hex'), a.literal];
    return ['list', a.items.map(plain)];
}
t.test('generated commands parse back to what was generated, however the stream is cut', async (t) => {
    let runs = 0;
    fc.assert(fc.property(command, fc.array(fc.nat(), { maxLength: 6 }), (cmd, cuts) => {
        runs++;
        const got = frames(chunked(cmd.wire, cuts));
        if (got.length !== 1)
            return false;
        const p = parseCommand(got[0]);
        return p.tag === cmd.tag && p.name === cmd.name && JSON.stringify(p.args.map(plain)) === JSON.stringify(cmd.args.map(plain));
    }), { numRuns: 3000 });
    t.equal(runs >= 3000, true, `${runs} generated commands`);
});
t.test('modified UTF-7 mailbox names round-trip', async (t) => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (name) => decodeMailboxName(encodeMailboxName(name)) === name), { numRuns: 2000 });
    t.equal(encodeMailboxName('Entwürfe & Co/日本語'), 'Entw&APw-rfe &- Co/&ZeVnLIqe-');
    t.throws(() => decodeMailboxName('&Jjo'), /malformed/);
    t.throws(() => decodeMailboxName('&AGE-'), /ASCII encoded/);
});
t.test('the section atom stays one atom', async (t) => {
    const [f] = frames([Buffer.from('a1 UID FETCH 1:* (UID BODY.PEEK[HEADER.FIELDS (From To)]<0.100> BINARY[1.2])\r\n')]);
    const p = parseCommand(f);
    t.same(p.args.map(plain), [['atom', '1:*'], ['list', [['atom', 'UID'], ['atom', 'BODY.PEEK[HEADER.FIELDS (From To)]<0.100>'], ['atom', 'BINARY[1.2]']]]]);
});
/** Mutations of real commands: byte flips, insertions of grammar characters, truncation, duplication. */
const CORPUS = [
    'a1 LOGIN alice@example.test "correct horse"', 'a2 SELECT INBOX', 'a3 FETCH 1:* (FLAGS UID BODY.PEEK[HEADER.FIELDS (From)]<0.10>)',
    'a4 UID SEARCH CHARSET UTF-8 OR SUBJECT "x" BODY {3}\r\nabc', 'a5 STORE 1:2 +FLAGS.SILENT (\\Seen $x)', 'a6 LIST (SPECIAL-USE) "" "*" RETURN (STATUS (MESSAGES))',
    'a7 APPEND INBOX (\\Seen) {12+}\r\nSubject: x\r\n', 'a8 UID MOVE 1 Trash', 'a9 STATUS INBOX (MESSAGES UIDNEXT HIGHESTMODSEQ)', 'b1 COPY 1 "Archive"',
    'b2 SELECT INBOX (QRESYNC (1 2 1:5))', 'b3 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1)', 'b4 CREATE "a&AOk-b"', 'b5 RENAME x y', 'b6 ENABLE QRESYNC UTF8=ACCEPT',
    'b7 UID STORE 1 (UNCHANGEDSINCE 5) FLAGS ()', 'b8 ID ("name" "fuzz")', 'b9 EXPUNGE', 'c1 UID EXPUNGE 1:3', 'c2 NAMESPACE', 'c3 GETQUOTAROOT INBOX', 'c4 EXAMINE Trash',
];
const SPECIALS = ['(', ')', '[', ']', '{', '}', '"', '\\', ' ', '\r\n', '*', '%', '~{2}\r\n', '{0}\r\n', '<', '>', '\0', '\xff', '{99999999}\r\n'];
const mutated = fc.tuple(fc.constantFrom(...CORPUS), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 4 }), fc.nat(), fc.constantFrom(...SPECIALS)), { minLength: 1, maxLength: 4 }))
    .map(([base, muts]) => {
    let b = Buffer.from(base, 'latin1');
    for (const [pos, kind, byte, special] of muts) {
        const at = pos % (b.length + 1);
        if (kind === 0) {
            b = Buffer.from(b);
            if (b.length)
                b[at % b.length] = byte % 256;
        }
        else if (kind === 1)
            b = Buffer.concat([b.subarray(0, at), Buffer.from(special, 'latin1'), b.subarray(at)]);
        else if (kind === 2)
            b = b.subarray(0, at);
        else if (kind === 3)
            b = Buffer.concat([b.subarray(0, at), b.subarray(at, at + 20), b.subarray(at)]);
        else
            b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + (byte % 8)))]);
    }
    return Buffer.concat([b, Buffer.from('\r\n')]);
});
t.test('random and mutated bytes: only protocol errors, bounded, and the stream resynchronizes', async (t) => {
    let runs = 0;
    const input = fc.oneof(mutated, fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)));
    fc.assert(fc.property(input, fc.array(fc.nat(), { maxLength: 4 }), (bytes, cuts) => {
        runs++;
        const got = frames([...chunked(bytes, cuts), Buffer.from('\r\nz9 NOOP\r\n')]);
        for (const f of got) {
            if (f.error) {
                if (!(f.error instanceof ImapError))
                    return false;
                continue;
            }
            for (const l of f.lines)
                if (l.length > LIMITS.maxLine)
                    return false;
            try {
                parseCommand(f);
            }
            catch (e) {
                if (!(e instanceof ParseError))
                    throw e;
            }
        }
        return true;
    }), { numRuns: 5000 });
    t.equal(runs, 5000, `${runs} random/mutated inputs`);
    // After garbage ending in a line break, a well-formed command comes out intact.
    const after = frames([Buffer.from('x {5}\r\nab'), Buffer.from('cde\r\n'), Buffer.from('q1 NOOP\r\n')]);
    t.equal(parseCommand(after[after.length - 1]).tag, 'q1');
    // An unterminated line longer than the limit is cut off, not buffered.
    const long = frames([Buffer.from('a '.padEnd(LIMITS.maxLine * 3, 'x')), Buffer.from('\r\nq2 NOOP\r\n')]);
    t.match(long[0]?.error?.message ?? '', /line too long/);
    t.equal(parseCommand(long[1]).tag, 'q2');
});
t.test('thousands of mutated commands against a live session', async (t) => {
    imapLimits.authFailureDelayMs = 1;
    const app = await startTestAppliance({ listeners: ['imaps'] });
    t.teardown(() => app.stop());
    const acc = await app.store.accounts.create('alice@example.test', 'correct horse');
    for (let i = 1; i <= 5; i++)
        app.store.deliver([{ accountId: acc.id }], Buffer.from(`From: a@example.org\r\nSubject: m${i}\r\n\r\nbody ${i}\r\n`));
    const ca = ImapLineClient.caOf(app.dataDir);
    const samples = fc.sample(mutated, { numRuns: 3000, seed: 4242 });
    const BATCH = 100;
    let sent = 0;
    let synced = 0;
    for (let i = 0; i < samples.length; i += BATCH) {
        const c = await ImapLineClient.tls(app.port('imaps'), ca);
        const ok = await c.command('LOGIN alice@example.test "correct horse"');
        t.equal(ok.status, 'OK');
        await c.command('SELECT INBOX');
        for (const s of samples.slice(i, i + BATCH)) {
            if (/\bLOGOUT\b/i.test(s.toString('latin1')))
                continue;
            c.write(s);
            sent++;
        }
        // End an IDLE or AUTHENTICATE the mutations may have started, fill a pending literal.
        c.write('DONE\r\n*\r\n' + ' '.repeat(64) + '\r\n');
        try {
            const end = await c.command('NOOP', 5000);
            if (end.status === 'OK' || end.status === 'BAD' || end.status === 'NO')
                synced++;
        }
        catch { /* closed (e.g. a mutated LOGOUT) or still inside a literal: the next batch goes on */ }
        c.close();
    }
    t.ok(sent > 2500, `${sent} mutated commands sent`);
    t.ok(synced >= 20, `${synced} of 30 batches answered a final NOOP after their mutated commands`);
    const c = await ImapLineClient.tls(app.port('imaps'), ca);
    t.teardown(() => c.close());
    t.equal((await c.command('LOGIN alice@example.test "correct horse"')).status, 'OK', 'the server still answers');
    t.equal((await c.command('SELECT INBOX')).status, 'OK');
    t.equal(app.store.check().problems.length, 0, 'store.check() is clean');
});
//# sourceMappingURL=imap-parser-fuzz.test.js.map