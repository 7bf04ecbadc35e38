// Postern's IMAP server at the byte level: STARTTLS and LOGINDISABLED, command injection, literals
// (synchronizing, LITERAL+, limits), malformed commands, authentication delay and lockout,
// CONDSTORE/QRESYNC, modified UTF-7 names, sequence numbers across another session's EXPUNGE.
import t from 'tap';
import { startTestAppliance } from './harness/appliance.js';
import { ImapLineClient } from './harness/imap-line.js';
import { imapLimits } from '../services/imap/limits.js';
imapLimits.authFailureDelayMs = 20;
function message(i) {
    return Buffer.from(`From: Bob <bob@example.org>\r\nTo: alice@example.test\r\nSubject: message ${i}\r\nMessage-ID: <m${i}@example.org>\r\n\r\nHello number ${i}.\r\n`);
}
let app;
let ca;
let accountId;
t.before(async () => {
    app = await startTestAppliance({ listeners: ['imap', 'imaps'] });
    ca = ImapLineClient.caOf(app.dataDir);
    accountId = (await app.store.accounts.create('alice@example.test', 'correct horse')).id;
    await app.store.accounts.create('carol@example.test', 'carol password');
    for (let i = 1; i <= 3; i++)
        app.store.deliver([{ accountId }], message(i));
});
t.teardown(() => app.stop());
async function loggedIn(user = 'alice@example.test', pass = 'correct horse') {
    const c = await ImapLineClient.tls(app.port('imaps'), ca);
    const r = await c.command(`LOGIN ${user} "${pass}"`);
    if (r.status !== 'OK')
        throw new Error('login failed: ' + r.tagged);
    return c;
}
t.test('plain port: LOGINDISABLED, no password before STARTTLS, plaintext injection discarded', async (t) => {
    const c = await ImapLineClient.plain(app.port('imap'));
    t.teardown(() => c.close());
    t.match(c.greeting, /^\* OK \[CAPABILITY [^\]]*STARTTLS[^\]]*LOGINDISABLED/);
    t.notMatch(c.greeting, /AUTH=PLAIN/, 'no AUTH= offered before TLS');
    const login = await c.command('LOGIN alice@example.test "correct horse"');
    t.match(login.tagged, /NO \[PRIVACYREQUIRED\]/);
    const auth = await c.command(`AUTHENTICATE PLAIN ${Buffer.from('\0alice@example.test\0correct horse').toString('base64')}`);
    t.match(auth.tagged, /NO \[PRIVACYREQUIRED\]/);
    // STARTTLS with a command pipelined in plaintext: the server must not run it.
    const tag = c.nextTag();
    c.write(`${tag} STARTTLS\r\nx1 LOGIN alice@example.test "correct horse"\r\n`);
    const r = await c.until(tag);
    t.equal(r.status, 'OK');
    await c.startTls(ca);
    const caps = await c.command('CAPABILITY');
    t.match(caps.lines[0] ?? '', /AUTH=PLAIN/);
    t.notMatch(caps.lines[0] ?? '', /STARTTLS|LOGINDISABLED/);
    const noop = await c.command('NOOP');
    t.notOk(noop.lines.some((l) => l.startsWith('x1')), 'the injected LOGIN got no answer');
    t.match((await c.command('SELECT INBOX')).tagged, /BAD .*log in first/, 'still not logged in');
    t.equal((await c.command('LOGIN alice@example.test "correct horse"')).status, 'OK');
    // Many commands injected after STARTTLS (enough to pause reading): discarded, TLS still starts.
    const d = await ImapLineClient.plain(app.port('imap'));
    t.teardown(() => d.close());
    const tag2 = d.nextTag();
    d.write(`${tag2} STARTTLS\r\n` + 'x NOOP\r\n'.repeat(200));
    t.equal((await d.until(tag2)).status, 'OK');
    await d.startTls(ca);
    const after = await d.command('NOOP');
    t.equal(after.status, 'OK', 'TLS works after a flood of injected commands');
    t.notOk(after.lines.length, 'none of them was answered');
});
t.test('literals: synchronizing, LITERAL+, size limits; the connection survives', async (t) => {
    const c = await ImapLineClient.tls(app.port('imaps'), ca);
    t.teardown(() => c.close());
    const tag = c.nextTag();
    c.write(`${tag} LOGIN {18}\r\n`);
    t.match(await c.line(), /^\+ /, 'continuation for a synchronizing literal');
    c.write('alice@example.test {13+}\r\ncorrect horse\r\n');
    t.equal((await c.until(tag)).status, 'OK', 'LOGIN with a literal and a LITERAL+ literal');
    // Too large for a non-APPEND literal: refused before the data is sent.
    const big = c.nextTag();
    c.write(`${big} SELECT {1000000}\r\n`);
    const refused = await c.until(big);
    t.match(refused.tagged, /BAD \[TOOBIG\]/);
    // A LITERAL+ literal that is too large is swallowed, the command refused, the session intact.
    const plus = c.nextTag();
    c.write(`${plus} SELECT {70000+}\r\n`);
    c.write(Buffer.alloc(70000, 0x61));
    c.write('\r\n');
    t.match((await c.until(plus)).tagged, /BAD \[TOOBIG\]/);
    // An over-long line.
    const long = c.nextTag();
    c.write(`${long} NOOP ${'x'.repeat(imapLimits.maxLine + 10)}\r\n`);
    t.match((await c.until(long)).tagged, /BAD line too long/);
    t.equal((await c.command('NOOP')).status, 'OK', 'still in sync after the refusals');
    // APPEND beyond APPENDLIMIT is refused before the data.
    const limit = Number(/APPENDLIMIT=([0-9]+)/.exec((await c.command('CAPABILITY')).lines[0] ?? '')?.[1]);
    t.ok(limit > 0, 'APPENDLIMIT advertised');
    const ap = c.nextTag();
    c.write(`${ap} APPEND INBOX {${limit + 1}}\r\n`);
    t.match((await c.until(ap)).tagged, /NO \[TOOBIG\]/);
    // A real APPEND with a synchronizing literal.
    const msg = message(99);
    const ap2 = c.nextTag();
    c.write(`${ap2} APPEND INBOX (\\Seen) " 5-Nov-2026 10:11:12 +0100" {${msg.length}}\r\n`);
    t.match(await c.line(), /^\+ /);
    c.write(Buffer.concat([msg, Buffer.from('\r\n')]));
    const done = await c.until(ap2);
    t.match(done.tagged, /OK \[APPENDUID [0-9]+ 4\]/);
    app.store.messages.expunge(app.store.mailboxes.get(accountId, 'INBOX').id, []);
    const inbox = app.store.mailboxes.get(accountId, 'INBOX');
    const m4 = app.store.messages.get(inbox.id, 4);
    t.equal(new Date(m4.internalDate).toISOString(), '2026-11-05T09:11:12.000Z');
    t.same(m4.flags, ['\\Seen']);
    app.store.messages.store(inbox.id, [4], 'add', ['\\Deleted']);
    app.store.messages.expunge(inbox.id, [4]);
});
t.test('malformed commands get BAD with a reason, never a crash', async (t) => {
    const c = await ImapLineClient.tls(app.port('imaps'), ca);
    t.teardown(() => c.close());
    const cases = [
        ['FROB', /BAD unknown command FROB/],
        ['SELECT INBOX', /BAD .*log in first/],
        ['LOGIN "unterminated', /BAD unterminated quoted string/],
        ['LOGIN a b c', /BAD LOGIN: unexpected extra arguments/],
        ['LOGIN (a) b', /BAD LOGIN: user name must be a string/],
        ['NOOP ((((', /BAD/],
        ['UID', /BAD UID needs a command/],
    ];
    for (const [cmd, re] of cases)
        t.match((await c.command(cmd)).tagged, re, cmd);
    c.write('\r\n');
    t.match(await c.line(), /^\* BAD empty command line/);
    c.write('+ NOOP\r\n');
    t.match(await c.line(), /^\* BAD/);
    t.equal((await c.command('LOGIN alice@example.test "correct horse"')).status, 'OK');
    const more = [
        ['FETCH 1 FLAGS', /BAD FETCH is not valid in this state: select a mailbox first/],
        ['SELECT Nowhere', /NO \[NONEXISTENT\]/],
        ['CREATE "a*b"', /NO \[CANNOT\]/],
        ['CREATE "&Jjo"', /NO \[CANNOT\] malformed modified UTF-7/],
    ];
    for (const [cmd, re] of more)
        t.match((await c.command(cmd)).tagged, re, cmd);
    t.equal((await c.command('SELECT INBOX')).status, 'OK');
    const sel = [
        ['FETCH 9 FLAGS', /BAD invalid message sequence number/],
        ['FETCH 1:x FLAGS', /BAD invalid sequence set/],
        ['FETCH 1 (FLAGS BOGUS)', /BAD unknown FETCH data item/],
        ['STORE 1 FLAGS.LOUD (\\Seen)', /BAD STORE: expected FLAGS/],
        ['STORE 1 +FLAGS (\\Recent)', /BAD STORE: \\Recent cannot be stored/],
        ['COPY 1 Nowhere', /NO \[TRYCREATE\]/],
        ['SEARCH FROBNICATE', /BAD/],
    ];
    for (const [cmd, re] of sel)
        t.match((await c.command(cmd)).tagged, re, cmd);
    t.equal(app.store.check().problems.length, 0);
});
t.test('failed logins are delayed, then locked out (also for the right password)', async (t) => {
    const c = await ImapLineClient.tls(app.port('imaps'), ca);
    t.teardown(() => c.close());
    for (let i = 0; i < imapLimits.maxFailuresPerClientUser; i++) {
        t.match((await c.command('LOGIN carol@example.test "wrong password"')).tagged, /NO \[AUTHENTICATIONFAILED\]/);
    }
    t.match((await c.command('LOGIN carol@example.test "carol password"')).tagged, /NO \[UNAVAILABLE\]/, 'locked out');
    const ir = Buffer.from('\0alice@example.test\0correct horse').toString('base64');
    t.match((await c.command(`AUTHENTICATE PLAIN ${ir}`)).tagged, /OK \[CAPABILITY /, 'another user still logs in (SASL-IR)');
    const d = await ImapLineClient.tls(app.port('imaps'), ca);
    t.teardown(() => d.close());
    const tag = d.nextTag();
    d.write(`${tag} AUTHENTICATE PLAIN\r\n`);
    t.equal(await d.line(), '+ ');
    d.write('*\r\n');
    t.match((await d.until(tag)).tagged, /BAD AUTHENTICATE cancelled/);
});
t.test('other sessions: no EXPUNGE during FETCH; sequence numbers stay right; IDLE hears delivery', async (t) => {
    const a = await loggedIn();
    const b = await loggedIn();
    t.teardown(() => { a.close(); b.close(); });
    t.match((await a.command('SELECT INBOX')).lines.join('\n'), /\* 3 EXISTS/);
    await b.command('SELECT INBOX');
    t.equal((await b.command('STORE 2 +FLAGS.SILENT (\\Deleted)')).status, 'OK');
    const ex = await b.command('EXPUNGE');
    t.same(ex.lines, ['* 2 EXPUNGE']);
    const f = await a.command('FETCH 1:3 (UID)');
    t.notOk(f.lines.some((l) => /EXPUNGE/.test(l)), 'no EXPUNGE during FETCH');
    t.ok(f.lines.some((l) => /^\* 2 FETCH \(FLAGS \(\\Deleted\)\)$/.test(l) || /^\* 3 FETCH \(UID 3\)$/.test(l)));
    const n = await a.command('NOOP');
    t.ok(n.lines.includes('* 2 EXPUNGE'), 'EXPUNGE after NOOP');
    t.same((await a.command('FETCH 2 (UID)')).lines, ['* 2 FETCH (UID 3)'], 'sequence 2 is now UID 3');
    // IDLE
    const tag = a.nextTag();
    a.write(`${tag} IDLE\r\n`);
    t.match(await a.line(), /^\+ /);
    app.store.deliver([{ accountId }], message(5));
    t.equal(await a.line(3000), '* 3 EXISTS', 'EXISTS during IDLE');
    t.equal(await a.line(3000), '* 1 RECENT', 'the new message is recent in this session (RFC 3501 7.3.2)');
    await b.command('STORE 1 +FLAGS (\\Flagged)');
    t.match(await a.line(3000), /^\* 1 FETCH \(UID 1 FLAGS \(\\Flagged\)\)$/, 'FETCH FLAGS during IDLE');
    a.write('DONE\r\n');
    t.match((await a.until(tag)).tagged, /OK/);
    await b.command('STORE 1 +FLAGS ($Work)');
    const kw = await a.command('NOOP');
    t.ok(kw.lines.includes('* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Work)'), 'a new keyword brings a new FLAGS');
    t.ok(kw.lines.includes('* 1 FETCH (UID 1 FLAGS (\\Flagged $Work))'));
    // non-PEEK BODY[] sets \Seen and reports it
    const body = await a.command('FETCH 3 (BODY[TEXT])');
    t.match(body.lines[0] ?? '', /FLAGS \(\\Seen \\Recent\)/, '\\Seen, and \\Recent since this session claimed it');
});
t.test('CONDSTORE and QRESYNC', async (t) => {
    const c = await loggedIn();
    t.teardown(() => c.close());
    t.same((await c.command('ENABLE QRESYNC')).lines, ['* ENABLED QRESYNC CONDSTORE']);
    const sel = await c.command('SELECT INBOX');
    const uv = Number(/UIDVALIDITY ([0-9]+)/.exec(sel.lines.join('\n'))?.[1]);
    const hm = Number(/HIGHESTMODSEQ ([0-9]+)/.exec(sel.lines.join('\n'))?.[1]);
    t.ok(uv > 0 && hm > 0);
    const st = await c.command('STORE 1 +FLAGS (\\Answered)');
    t.match(st.lines[0] ?? '', /^\* 1 FETCH \(FLAGS \(\\Answered \\Flagged \$Work\) MODSEQ \([0-9]+\)\)$/, 'STORE answers FLAGS and MODSEQ');
    const cond = await c.command(`UID STORE 1 (UNCHANGEDSINCE ${hm}) +FLAGS (\\Seen)`);
    t.match(cond.tagged, /OK \[MODIFIED 1\]/, 'UNCHANGEDSINCE refuses a message changed since');
    const inbox = app.store.mailboxes.get(accountId, 'INBOX');
    app.store.messages.store(inbox.id, [3], 'add', ['\\Deleted']);
    app.store.messages.expunge(inbox.id, [3]);
    await c.command('UNSELECT');
    const q = await c.command(`SELECT INBOX (QRESYNC (${uv} ${hm}))`);
    const text = q.lines.join('\n');
    t.match(text, /\* VANISHED \(EARLIER\) 3$/m, 'VANISHED (EARLIER) lists UIDs expunged since');
    t.match(text, /\* 1 FETCH \(UID 1 FLAGS \([^)]*\) MODSEQ \([0-9]+\)\)/, 'changed flags since');
    const ch = await c.command(`UID FETCH 1:* (FLAGS) (CHANGEDSINCE ${hm} VANISHED)`);
    t.match(ch.lines.join('\n'), /VANISHED \(EARLIER\) 3$/m);
});
t.test('mailbox names: modified UTF-7 by default, UTF-8 after ENABLE UTF8=ACCEPT; LIST extensions; QUOTA', async (t) => {
    const c = await loggedIn();
    t.teardown(() => c.close());
    t.equal((await c.command('CREATE "&ZeVnLIqe-/Caf&AOk-"')).status, 'OK');
    t.ok(app.store.mailboxes.get(accountId, '日本語/Café'), 'stored as UTF-8');
    const list = await c.command('LIST "" "*"');
    t.ok(list.lines.includes('* LIST (\\HasChildren) "/" "&ZeVnLIqe-"'));
    t.ok(list.lines.includes('* LIST (\\HasNoChildren) "/" "&ZeVnLIqe-/Caf&AOk-"'));
    t.ok(list.lines.includes('* LIST (\\HasNoChildren \\Sent) "/" "Sent"'));
    t.same((await c.command('LIST "" ""')).lines, ['* LIST (\\Noselect) "/" ""']);
    const su = await c.command('LIST (SPECIAL-USE) "" "*" RETURN (STATUS (MESSAGES UIDNEXT))');
    t.equal(su.lines.filter((l) => l.startsWith('* LIST')).length, 5);
    t.ok(su.lines.includes('* STATUS "Sent" (MESSAGES 0 UIDNEXT 1)'));
    t.same((await c.command('NAMESPACE')).lines, ['* NAMESPACE (("" "/")) NIL NIL']);
    await c.command('ENABLE UTF8=ACCEPT');
    t.ok((await c.command('LIST "" "日本語*"')).lines.includes('* LIST (\\HasChildren) "/" "日本語"'.replace(/日本語/, Buffer.from('日本語').toString('latin1'))));
    t.same((await c.command('GETQUOTAROOT INBOX')).lines, ['* QUOTAROOT "INBOX"'], 'no quota: no root');
    app.store.accounts.setQuota('alice@example.test', 10 * 1024 * 1024);
    const q = await c.command('GETQUOTAROOT INBOX');
    t.equal(q.lines[0], '* QUOTAROOT "INBOX" ""');
    t.match(q.lines[1] ?? '', /^\* QUOTA "" \(STORAGE [0-9]+ 10240\)$/);
    t.equal((await c.command('DELETE "日本語"'.replace(/日本語/, '&ZeVnLIqe-'))).status, 'NO', 'has children');
    t.equal(app.store.check().problems.length, 0);
});
t.test('limits: autologout before login, too many connections from one address', async (t) => {
    const saved = { ...imapLimits };
    t.teardown(() => { Object.assign(imapLimits, saved); });
    imapLimits.preAuthTimeoutMs = 300;
    const idle = await ImapLineClient.tls(app.port('imaps'), ca);
    t.teardown(() => idle.close());
    t.match(await idle.line(5000), /^\* BYE Autologout/);
    // Loopback counts as one client here (in production it is shared by every onion client).
    imapLimits.sharedLoopback = false;
    imapLimits.maxConnectionsPerAddress = 2;
    const a = await ImapLineClient.tls(app.port('imaps'), ca);
    const b = await ImapLineClient.tls(app.port('imaps'), ca);
    const c = await ImapLineClient.tls(app.port('imaps'), ca);
    t.teardown(() => { a.close(); b.close(); c.close(); });
    t.match(a.greeting, /^\* OK/);
    t.match(c.greeting, /^\* BYE \[UNAVAILABLE\] too many connections/);
    a.close();
    b.close();
    c.close();
    await new Promise((r) => setTimeout(r, 100));
    // An HTTP client on the IMAP port: BAD a few times, then BYE and the connection closes.
    const web = await ImapLineClient.tls(app.port('imaps'), ca);
    t.teardown(() => web.close());
    web.write('GET / HTTP/1.1\r\nHost: x\r\n' + 'X-Header: y\r\n'.repeat(30) + '\r\n');
    let last = '';
    for (let i = 0; i < 40 && !web.closed; i++) {
        try {
            last = await web.line(2000);
        }
        catch {
            break;
        }
        if (last.startsWith('* BYE'))
            break;
    }
    t.equal(last, '* BYE too many invalid commands');
});
t.test('clients vanishing mid-command (IDLE, AUTHENTICATE, literal, big FETCH) do not disturb the server', async (t) => {
    const idle = await loggedIn();
    await idle.command('SELECT INBOX');
    idle.write('i1 IDLE\r\n');
    t.match(await idle.line(), /^\+ /);
    idle.close();
    const auth = await ImapLineClient.tls(app.port('imaps'), ca);
    auth.write('a1 AUTHENTICATE PLAIN\r\n');
    t.equal(await auth.line(), '+ ');
    auth.close();
    const lit = await ImapLineClient.tls(app.port('imaps'), ca);
    lit.write('l1 LOGIN {10}\r\n');
    t.match(await lit.line(), /^\+ /);
    lit.write('abc');
    lit.close();
    const big = await loggedIn();
    await big.command('SELECT INBOX');
    big.write('f1 FETCH 1:* (BODY.PEEK[] BODY.PEEK[] BODY.PEEK[])\r\n');
    big.close();
    await new Promise((r) => setTimeout(r, 200));
    const c = await loggedIn();
    t.teardown(() => c.close());
    t.equal((await c.command('SELECT INBOX')).status, 'OK', 'the server still serves');
    app.store.deliver([{ accountId }], message(42));
    t.equal((await c.command('NOOP')).status, 'OK');
    t.equal(app.store.check().problems.length, 0);
});
t.test('IMAP4rev2 and UTF8=ACCEPT: ESEARCH, LIST in SELECT, UTF8 APPEND; RENAME INBOX seen by another session', async (t) => {
    const acc = await app.store.accounts.create('dave@example.test', 'dave password');
    for (let i = 1; i <= 2; i++)
        app.store.deliver([{ accountId: acc.id }], message(i));
    const c = await loggedIn('dave@example.test', 'dave password');
    const other = await loggedIn('dave@example.test', 'dave password');
    t.teardown(() => { c.close(); other.close(); });
    t.same((await c.command('ENABLE IMAP4rev2 UTF8=ACCEPT')).lines, ['* ENABLED IMAP4rev2 UTF8=ACCEPT']);
    const sel = await c.command('SELECT INBOX');
    t.ok(sel.lines.includes('* LIST () "/" "INBOX"'), 'SELECT answers LIST in IMAP4rev2');
    t.notOk(sel.lines.some((l) => /RECENT/.test(l)), 'no RECENT in IMAP4rev2');
    const s = await c.command('SEARCH ALL');
    t.same(s.lines, [`* ESEARCH (TAG "${s.tagged.split(' ')[0]}") ALL 1:2`], 'SEARCH answers ESEARCH in IMAP4rev2');
    const body = Buffer.from('Subject: Grüße aus Köln\r\n\r\nHallo\r\n');
    const tag = c.nextTag();
    c.write(Buffer.concat([Buffer.from(`${tag} APPEND INBOX UTF8 (~{${body.length}+}\r\n`), body, Buffer.from(')\r\n')]));
    t.match((await c.until(tag)).tagged, /OK \[APPENDUID [0-9]+ 3\]/);
    await other.command('SELECT INBOX');
    t.equal((await c.command('RENAME INBOX Saved')).status, 'OK');
    const n = await other.command('NOOP');
    t.same(n.lines, ['* 1 EXPUNGE', '* 1 EXPUNGE', '* 1 EXPUNGE', '* 0 RECENT'], 'the other session learns that INBOX was emptied (and that its recent messages went with it)');
    const st = await c.command('STATUS Saved (MESSAGES)');
    t.same(st.lines, ['* STATUS "Saved" (MESSAGES 3)']);
});
//# sourceMappingURL=imap-protocol.test.js.map