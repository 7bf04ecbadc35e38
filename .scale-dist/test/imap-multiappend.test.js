// MULTIAPPEND (RFC 3502) over a real TLS session, byte level: several messages in one APPEND with
// their own flags and dates, synchronizing and LITERAL+ literals, APPENDUID with a UID set
// (RFC 4315), and all or nothing: a bad message, a full mailbox or a store failure halfway leave
// the mailbox as it was.
import t from 'tap';
import { startTestAppliance } from './harness/appliance.js';
import { ImapLineClient } from './harness/imap-line.js';
import { StoreError } from '../appliance/store/index.js';
let app;
let ca;
t.before(async () => {
    app = await startTestAppliance({ listeners: ['imaps'] });
    ca = ImapLineClient.caOf(app.dataDir);
    await app.store.accounts.create('alice@example.test', 'correct horse');
    await app.store.accounts.create('small@example.test', 'small password', { quotaBytes: 150 });
});
t.teardown(() => app.stop());
function message(i) {
    return Buffer.from(`From: Bob <bob@example.org>\r\nSubject: multi ${i}\r\nMessage-ID: <ma${i}@example.org>\r\n\r\nBody ${i}.\r\n`);
}
async function session(t, user = 'alice@example.test', pass = 'correct horse') {
    const c = await ImapLineClient.tls(app.port('imaps'), ca);
    t.teardown(() => c.close());
    if ((await c.command(`LOGIN ${user} "${pass}"`)).status !== 'OK')
        throw new Error('login failed');
    return c;
}
/** APPEND with LITERAL+ literals: `parts` are the text before each message literal. */
async function multiAppend(c, box, parts) {
    const tag = c.nextTag();
    const chunks = [Buffer.from(`${tag} APPEND ${box}`)];
    for (const [before, msg] of parts)
        chunks.push(Buffer.from(`${before ? ' ' + before : ''} {${msg.length}+}\r\n`), msg);
    chunks.push(Buffer.from('\r\n'));
    c.write(Buffer.concat(chunks));
    return c.until(tag);
}
const messages = async (c, box) => (await c.command(`STATUS ${box} (MESSAGES)`)).lines[0] ?? '';
t.test('capability, three messages, own flags and dates, APPENDUID with a UID set', async (t) => {
    const c = await session(t);
    t.match((await c.command('CAPABILITY')).lines[0] ?? '', /^\* CAPABILITY .* MULTIAPPEND( |$)/);
    t.equal((await c.command('CREATE Multi')).status, 'OK');
    const r = await multiAppend(c, 'Multi', [
        ['(\\Seen)', message(1)],
        ['(\\Flagged $Work) "05-Mar-2024 10:11:12 +0100"', message(2)],
        ['', message(3)],
    ]);
    t.equal(r.status, 'OK', r.tagged);
    const uv = /\[APPENDUID ([0-9]+) 1:3\]/.exec(r.tagged);
    t.ok(uv, 'APPENDUID names the three UIDs in order');
    const sel = await c.command('EXAMINE Multi');
    t.ok(sel.lines.includes('* 3 EXISTS'));
    t.ok(sel.lines.includes(`* OK [UIDVALIDITY ${uv?.[1]}] UIDs valid`));
    const f = await c.command('FETCH 1:3 (UID FLAGS INTERNALDATE BODY.PEEK[HEADER.FIELDS (SUBJECT)])');
    const text = f.lines.join('\n');
    t.match(text, /\* 1 FETCH \(UID 1 FLAGS \(\\Seen \\Recent\) INTERNALDATE "[^"]+" BODY\[HEADER\.FIELDS \(SUBJECT\)\] \{[0-9]+\}\r\nSubject: multi 1/);
    t.match(text, /\* 2 FETCH \(UID 2 FLAGS \(\\Flagged \$Work \\Recent\) INTERNALDATE " 5-Mar-2024 09:11:12 \+0000"/);
    t.match(text, /\* 3 FETCH \(UID 3 FLAGS \(\\Recent\)/);
    // Synchronizing literals: a continuation before each message.
    const tag = c.nextTag();
    const m4 = message(4), m5 = message(5);
    c.write(`${tag} APPEND Multi {${m4.length}}\r\n`);
    t.match(await c.line(), /^\+ /, 'continuation for the first message');
    c.write(Buffer.concat([m4, Buffer.from(` (\\Draft) {${m5.length}}\r\n`)]));
    t.match(await c.line(), /^\+ /, 'continuation for the second message');
    c.write(Buffer.concat([m5, Buffer.from('\r\n')]));
    const done = await c.until(tag);
    t.match(done.tagged, /OK \[APPENDUID [0-9]+ 4:5\]/);
    t.equal(await messages(c, 'Multi'), '* STATUS "Multi" (MESSAGES 5)');
});
t.test('all or nothing: a bad message anywhere stores none', async (t) => {
    const c = await session(t);
    t.equal((await c.command('CREATE Atomic')).status, 'OK');
    const empty = await multiAppend(c, 'Atomic', [['', message(1)], ['', Buffer.alloc(0)]]);
    t.match(empty.tagged, /NO \[CANNOT\] APPEND: the message is empty/);
    const recent = await multiAppend(c, 'Atomic', [['', message(1)], ['(\\Recent)', message(2)]]);
    t.match(recent.tagged, /BAD APPEND: \\Recent cannot be set/);
    const date = await multiAppend(c, 'Atomic', [['', message(1)], ['"31-Feb-2024 10:00:00 +0000"', message(2)]]);
    t.match(date.tagged, /BAD APPEND: no such day/);
    const missing = await multiAppend(c, 'Nowhere', [['', message(1)], ['', message(2)]]);
    t.match(missing.tagged, /NO \[TRYCREATE\]/);
    t.equal(await messages(c, 'Atomic'), '* STATUS "Atomic" (MESSAGES 0)', 'nothing was stored');
    // A flag list with no message after it
    const tag = c.nextTag();
    const m = message(1);
    c.write(Buffer.concat([Buffer.from(`${tag} APPEND Atomic {${m.length}+}\r\n`), m, Buffer.from(' (\\Seen)\r\n')]));
    t.match((await c.until(tag)).tagged, /BAD APPEND: missing message literal/);
    t.equal(await messages(c, 'Atomic'), '* STATUS "Atomic" (MESSAGES 0)');
});
t.test('all or nothing: a full mailbox stores none', async (t) => {
    const c = await session(t, 'small@example.test', 'small password');
    const one = message(1);
    t.ok(one.length * 2 > 150 && one.length < 150, 'one message fits the quota, two do not');
    const r = await multiAppend(c, 'INBOX', [['', one], ['', message(2)]]);
    t.match(r.tagged, /NO \[OVERQUOTA\]/);
    t.equal(await messages(c, 'INBOX'), '* STATUS "INBOX" (MESSAGES 0)');
    t.match((await multiAppend(c, 'INBOX', [['', one]])).tagged, /OK \[APPENDUID [0-9]+ 1\]/, 'one alone fits');
});
/** Make the store's group commit fail its `failAt`-th request from now on; returns the calls seen. */
function failingStore(t, failAt) {
    const store = app.store;
    t.type(store.acceptGrouped, 'function', 'the pipeline stores through acceptGrouped');
    const original = store.acceptGrouped;
    let calls = 0;
    store.acceptGrouped = async function (...a) {
        if (++calls === failAt)
            throw new StoreError('over-quota', 'the mailbox is full (test)');
        return original.apply(this, a);
    };
    t.teardown(() => { store.acceptGrouped = original; });
    return { calls: () => calls };
}
t.test('all or nothing: the messages go to the store as one request', async (t) => {
    const c = await session(t);
    t.equal((await c.command('CREATE OneRequest')).status, 'OK');
    const f = failingStore(t, 1);
    const r = await multiAppend(c, 'OneRequest', [['', message(1)], ['(\\Seen)', message(2)], ['', message(3)]]);
    t.equal(f.calls(), 1, 'one store request for the three messages');
    t.match(r.tagged, /NO \[OVERQUOTA\]/);
    t.equal(await messages(c, 'OneRequest'), '* STATUS "OneRequest" (MESSAGES 0)');
    const ok = await multiAppend(c, 'OneRequest', [['', message(1)], ['(\\Seen)', message(2)], ['', message(3)]]);
    t.equal(f.calls(), 2, 'again one request');
    t.match(ok.tagged, /OK \[APPENDUID [0-9]+ 1:3\]/);
    const same = await multiAppend(c, 'OneRequest', [['', message(9)], ['', message(9)]]);
    t.match(same.tagged, /OK \[APPENDUID [0-9]+ 4:5\]/, 'the same message twice: two messages');
    t.equal(app.store.check().problems.length, 0, 'the store is consistent');
});
t.test('all or nothing: with different dates, a store failure after the first message withdraws it', async (t) => {
    const c = await session(t);
    t.equal((await c.command('CREATE Halfway')).status, 'OK');
    const watcher = await session(t);
    t.equal((await watcher.command('SELECT Halfway')).status, 'OK');
    const f = failingStore(t, 2);
    const dated = (i) => [
        [`"0${i}-Jan-2024 10:00:00 +0000"`, message(10 * i + 1)], [`"0${i}-Feb-2024 10:00:00 +0000"`, message(10 * i + 2)], [`"0${i}-Mar-2024 10:00:00 +0000"`, message(10 * i + 3)],
    ];
    const r = await multiAppend(c, 'Halfway', dated(1));
    t.equal(f.calls(), 2, 'one request per message; the third was not tried');
    t.match(r.tagged, /NO \[OVERQUOTA\]/);
    t.equal(await messages(c, 'Halfway'), '* STATUS "Halfway" (MESSAGES 0)', 'the first message was withdrawn');
    const after = await multiAppend(c, 'Halfway', dated(2).slice(0, 2));
    t.match(after.tagged, /OK \[APPENDUID [0-9]+ 2:3\]/, 'UID 1 is not reused');
    const n = await watcher.command('NOOP');
    t.ok(n.lines.includes('* 2 EXISTS'), 'a selected session sees the two stored messages');
    t.same((await watcher.command('FETCH 1:* (UID INTERNALDATE)')).lines, ['* 1 FETCH (UID 2 INTERNALDATE " 2-Jan-2024 10:00:00 +0000")', '* 2 FETCH (UID 3 INTERNALDATE " 2-Feb-2024 10:00:00 +0000")'], 'each message has its own date');
    t.equal(app.store.check().problems.length, 0, 'the store is consistent');
});
t.test('size limits: each message up to APPENDLIMIT', async (t) => {
    const c = await session(t);
    const limit = Number(/APPENDLIMIT=([0-9]+)/.exec((await c.command('CAPABILITY')).lines[0] ?? '')?.[1]);
    t.ok(limit > 0);
    const tag = c.nextTag();
    const m = message(1);
    c.write(Buffer.concat([Buffer.from(`${tag} APPEND INBOX {${m.length}+}\r\n`), m, Buffer.from(` {${limit + 1}}\r\n`)]));
    t.match((await c.until(tag)).tagged, /NO \[TOOBIG\] the message is too large/);
    t.equal((await c.command('NOOP')).status, 'OK', 'the connection goes on');
});
//# sourceMappingURL=imap-multiappend.test.js.map