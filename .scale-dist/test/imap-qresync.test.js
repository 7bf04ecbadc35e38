// QRESYNC (RFC 7162 3.2.5) when the expunge log does not tell everything (RENAME INBOX moves the
// messages away without expunge records): VANISHED (EARLIER) still names them, trimmed by the
// known UIDs and the sequence match data; bad match data is BAD. UID EXPUNGE (RFC 4315 2.1) removes
// only the \Deleted messages of its set; UNSELECT (RFC 3691) closes without expunging.
import t from 'tap';
import { startImapsAccount } from './harness/imap-account.js';
import { ImapLineClient } from './harness/imap-line.js';
let app;
let ca;
let accountId;
let n = 0;
t.before(async () => { ({ app, ca, accountId } = await startImapsAccount()); });
t.teardown(() => app.stop());
async function deliver(count) {
    for (let i = 0; i < count; i++) {
        n++;
        await app.store.deliver([{ accountId }], Buffer.from(`From: bob@example.org\r\nSubject: q ${n}\r\nMessage-ID: <q${n}@example.org>\r\n\r\nHello ${n}\r\n`));
    }
}
async function session(t, qresync = true) {
    const c = await ImapLineClient.tls(app.port('imaps'), ca);
    t.teardown(() => c.close());
    if ((await c.command('LOGIN alice@example.test "correct horse"')).status !== 'OK')
        throw new Error('login failed');
    if (qresync)
        t.same((await c.command('ENABLE QRESYNC')).lines, ['* ENABLED QRESYNC CONDSTORE']);
    return c;
}
function state(lines) {
    const text = lines.join('\n');
    return { uv: Number(/UIDVALIDITY ([0-9]+)/.exec(text)?.[1]), hm: Number(/HIGHESTMODSEQ ([0-9]+)/.exec(text)?.[1]) };
}
const vanished = (lines) => lines.filter((l) => l.startsWith('* VANISHED'));
t.test('QRESYNC after RENAME INBOX: VANISHED names the messages that left without a record', async (t) => {
    await deliver(5); // UIDs 1:5
    const a = await session(t);
    const first = state((await a.command('SELECT INBOX')).lines);
    t.ok(first.uv > 0 && first.hm > 0);
    await a.command('UNSELECT');
    t.equal((await a.command('RENAME INBOX Old')).status, 'OK', 'RENAME INBOX moves the messages to Old');
    await deliver(5); // UIDs 6:10
    const b = await session(t);
    const sel = await b.command(`SELECT INBOX (QRESYNC (${first.uv} ${first.hm}))`);
    t.equal(sel.status, 'OK');
    t.same(vanished(sel.lines), ['* VANISHED (EARLIER) 1:5'], 'the moved messages are gone for the client');
    const known = state(sel.lines);
    t.equal(known.uv, first.uv, 'INBOX keeps its UIDVALIDITY');
    // The client now knows 6:10 at `known.hm`; another session expunges UID 8 (recorded).
    const c = await session(t, false);
    await c.command('SELECT INBOX');
    await c.command('UID STORE 8 +FLAGS.SILENT (\\Deleted)');
    t.same((await c.command('EXPUNGE')).lines, ['* 3 EXPUNGE']);
    await b.command('UNSELECT');
    const plain = await b.command(`SELECT INBOX (QRESYNC (${known.uv} ${known.hm}))`);
    t.same(vanished(plain.lines), ['* VANISHED (EARLIER) 1:5,8'], 'without more data: the unrecorded ones and the expunged one');
    const withKnown = await b.command(`SELECT INBOX (QRESYNC (${known.uv} ${known.hm} 6:10))`);
    t.same(vanished(withKnown.lines), ['* VANISHED (EARLIER) 8'], 'known UIDs limit the answer');
    const matched = await b.command(`SELECT INBOX (QRESYNC (${known.uv} ${known.hm} 1:10 (1:2 6:7)))`);
    t.same(vanished(matched.lines), ['* VANISHED (EARLIER) 8'], 'sequence 2 is still UID 7: nothing below 7 vanished');
    t.match(matched.tagged, /OK \[READ-WRITE\]/);
    const stale = await b.command(`SELECT INBOX (QRESYNC (${known.uv} ${known.hm} 1:10 (1,3 6,8)))`);
    t.same(vanished(stale.lines), ['* VANISHED (EARLIER) 8'], 'sequence 3 was UID 8 and is now UID 9: that pair does not match; sequence 1 is still UID 6, which trims 1:5');
    const partly = await b.command(`SELECT INBOX (QRESYNC (${known.uv} ${known.hm} 1:10 (4 9)))`);
    t.same(vanished(partly.lines), ['* VANISHED (EARLIER) 1:5,8'], 'sequence 4 is now UID 10, not 9: no trimming');
    t.equal(partly.status, 'OK');
    // UID FETCH (CHANGEDSINCE VANISHED) (RFC 7162 3.2.6) knows the unrecorded ones too.
    await b.command('SELECT INBOX');
    const fv = await b.command(`UID FETCH 1:* (FLAGS) (CHANGEDSINCE ${first.hm} VANISHED)`);
    t.same(vanished(fv.lines), ['* VANISHED (EARLIER) 1:5,8']);
    const fv2 = await b.command(`UID FETCH 7:* (FLAGS) (CHANGEDSINCE ${known.hm} VANISHED)`);
    t.same(vanished(fv2.lines), ['* VANISHED (EARLIER) 8'], 'only UIDs in the set');
    const wrongUv = await b.command(`SELECT INBOX (QRESYNC (${known.uv + 1} ${known.hm}))`);
    t.same(vanished(wrongUv.lines), [], 'another UIDVALIDITY: no VANISHED');
});
t.test('bad sequence match data is BAD', async (t) => {
    const b = await session(t);
    const { uv, hm } = state((await b.command('EXAMINE INBOX')).lines);
    for (const bad of [`(${uv} ${hm} 1:10 (1:3 6:7))`, `(${uv} ${hm} 1:10 (1:* 6:7))`, `(${uv} ${hm} 1:10 1:2)`, `(${uv} ${hm} 1:10 (1:2))`, `(${uv} ${hm} 1:10 (1:2 6:7) x)`, `(${uv} ${hm} 1:10 (1:200000 1:200000))`]) {
        const r = await b.command(`SELECT INBOX (QRESYNC ${bad})`);
        t.equal(r.status, 'BAD', bad);
    }
    t.equal((await b.command('NOOP')).status, 'OK', 'the session goes on');
});
t.test('UID EXPUNGE removes only the \\Deleted messages of its set', async (t) => {
    const q = await session(t);
    const p = await session(t, false);
    t.match((await q.command('SELECT INBOX')).lines.join('\n'), /\* 4 EXISTS/); // UIDs 6 7 9 10
    await p.command('SELECT INBOX');
    t.equal((await q.command('UID STORE 6,7,9 +FLAGS.SILENT (\\Deleted)')).status, 'OK');
    const ex = await q.command('UID EXPUNGE 5:7');
    t.equal(ex.status, 'OK');
    t.same(ex.lines, ['* VANISHED 6:7'], 'QRESYNC: VANISHED for this session');
    t.same((await p.command('NOOP')).lines, ['* 1 EXPUNGE', '* 1 EXPUNGE', '* 1 FETCH (UID 9 FLAGS (\\Deleted))'], 'the other session: EXPUNGE by sequence number, then the flag change');
    t.same((await p.command('UID SEARCH ALL')).lines, ['* SEARCH 9 10'], 'UID 9 is \\Deleted but outside the set: kept');
    t.same((await q.command('UID EXPUNGE 100')).lines, [], 'a UID set with no messages: nothing');
    t.equal((await p.command('UID EXPUNGE 9')).lines.join('\n'), '* 1 EXPUNGE', 'without QRESYNC: EXPUNGE');
    t.same((await q.command('NOOP')).lines, ['* VANISHED 9']);
    t.equal((await p.command('UID EXPUNGE')).status, 'BAD', 'UID EXPUNGE needs a UID set');
    const r = await session(t, false);
    await r.command('EXAMINE INBOX');
    t.match((await r.command('UID EXPUNGE 1:*')).tagged, /NO \[READ-ONLY\]/);
});
t.test('UNSELECT closes without expunging; CLOSE expunges silently', async (t) => {
    const c = await session(t, false);
    await c.command('SELECT INBOX');
    t.equal((await c.command('STORE 1 +FLAGS.SILENT (\\Deleted)')).status, 'OK');
    const u = await c.command('UNSELECT');
    t.equal(u.status, 'OK');
    t.same(u.lines, []);
    t.match((await c.command('FETCH 1 (FLAGS)')).tagged, /BAD .*select a mailbox first/);
    t.match((await c.command('UNSELECT')).tagged, /BAD/, 'UNSELECT needs a selected mailbox');
    t.match((await c.command('CAPABILITY')).lines[0] ?? '', / UNSELECT /);
    t.match((await c.command('STATUS INBOX (MESSAGES)')).lines[0] ?? '', /MESSAGES 1\)/, 'the \\Deleted message is still there');
    await c.command('SELECT INBOX');
    const close = await c.command('CLOSE');
    t.same(close.lines, [], 'CLOSE sends no EXPUNGE');
    t.match((await c.command('STATUS INBOX (MESSAGES)')).lines[0] ?? '', /MESSAGES 0\)/);
});
//# sourceMappingURL=imap-qresync.test.js.map