// \Recent (RFC 3501 2.3.2, 6.3.1, 6.3.2, 6.3.10, 6.4.4, 7.3.2, 7.4.1) over real TLS sessions: a
// message is recent in exactly one session (the first to SELECT after it arrived, or the selected
// session first told of it), EXAMINE does not claim, STATUS RECENT counts what nobody claimed,
// SEARCH RECENT/NEW/OLD, COPY/APPEND make messages recent again, IMAP4rev2 sessions see none.
import t from 'tap';
import { tempDir } from './harness/appliance.js';
import { startImapsAccount } from './harness/imap-account.js';
import { ImapLineClient } from './harness/imap-line.js';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../appliance/store/index.js';
function message(i) {
    return Buffer.from(`From: Bob <bob@example.org>\r\nTo: alice@example.test\r\nSubject: recent ${i}\r\nMessage-ID: <r${i}@example.org>\r\n\r\nHello ${i}.\r\n`);
}
let app;
let ca;
let accountId;
let n = 0;
t.before(async () => { ({ app, ca, accountId } = await startImapsAccount()); });
t.teardown(() => app.stop());
async function deliver() {
    await app.store.deliver([{ accountId }], message(++n));
}
async function session(t, rev2 = false) {
    const c = await ImapLineClient.tls(app.port('imaps'), ca);
    t.teardown(() => c.close());
    const r = await c.command('LOGIN alice@example.test "correct horse"');
    if (r.status !== 'OK')
        throw new Error('login failed: ' + r.tagged);
    if (rev2)
        t.equal((await c.command('ENABLE IMAP4rev2')).status, 'OK');
    return c;
}
const recentLine = (lines) => lines.find((l) => / RECENT$/.test(l));
const statusRecent = async (c, box = 'INBOX') => (await c.command(`STATUS ${box} (MESSAGES RECENT)`)).lines.join('\n');
t.test('one session gets \\Recent; EXAMINE only looks; STATUS RECENT; SEARCH RECENT/NEW/OLD', async (t) => {
    await deliver();
    await deliver();
    const a = await session(t);
    const b = await session(t);
    const c = await session(t);
    t.equal(await statusRecent(a), '* STATUS "INBOX" (MESSAGES 2 RECENT 2)', 'nobody claimed the two messages yet');
    const ex = await b.command('EXAMINE INBOX');
    t.equal(recentLine(ex.lines), '* 2 RECENT', 'EXAMINE reports the unclaimed messages as recent');
    t.match(ex.tagged, /OK \[READ-ONLY\]/);
    const exFetch = await b.command('FETCH 1:* (FLAGS)');
    t.same(exFetch.lines, ['* 1 FETCH (FLAGS (\\Recent))', '* 2 FETCH (FLAGS (\\Recent))']);
    t.equal(await statusRecent(c), '* STATUS "INBOX" (MESSAGES 2 RECENT 2)', 'EXAMINE claimed nothing');
    const sel = await a.command('SELECT INBOX');
    t.equal(recentLine(sel.lines), '* 2 RECENT', 'the first SELECT claims both');
    t.same((await a.command('FETCH 1:2 (FLAGS)')).lines, ['* 1 FETCH (FLAGS (\\Recent))', '* 2 FETCH (FLAGS (\\Recent))']);
    t.same((await a.command('SEARCH RECENT')).lines, ['* SEARCH 1 2']);
    t.same((await a.command('SEARCH OLD')).lines, ['* SEARCH']);
    t.same((await a.command('STORE 1 +FLAGS (\\Seen)')).lines, ['* 1 FETCH (FLAGS (\\Seen \\Recent))'], 'STORE answers with \\Recent, which it keeps');
    t.same((await a.command('SEARCH NEW')).lines, ['* SEARCH 2'], 'NEW is RECENT UNSEEN');
    t.same((await a.command('SEARCH NOT NEW')).lines, ['* SEARCH 1']);
    t.equal(await statusRecent(c), '* STATUS "INBOX" (MESSAGES 2 RECENT 0)', 'claimed: STATUS counts nothing');
    const sel2 = await c.command('SELECT INBOX');
    t.equal(recentLine(sel2.lines), '* 0 RECENT', 'a later SELECT gets none of them');
    t.same((await c.command('SEARCH RECENT')).lines, ['* SEARCH']);
    t.same((await c.command('SEARCH OLD')).lines, ['* SEARCH 1 2']);
    t.same((await c.command('FETCH 2 (FLAGS)')).lines, ['* 2 FETCH (FLAGS ())']);
    t.same((await a.command('FETCH 2 (FLAGS)')).lines, ['* 2 FETCH (FLAGS (\\Recent))'], 'still recent in the session that claimed it');
    // A new arrival: the selected session told of it first claims it.
    await deliver();
    const na = await a.command('NOOP');
    t.same(na.lines, ['* 3 EXISTS', '* 3 RECENT'], 'EXISTS then the new RECENT count');
    const nc = await c.command('NOOP');
    t.same(nc.lines, ['* 3 EXISTS'], 'the other selected session is told of it, not as recent (its RECENT count stays 0)');
    const nb = await b.command('NOOP');
    t.same(nb.lines, ['* 3 EXISTS', '* 1 FETCH (UID 1 FLAGS (\\Seen \\Recent))'], 'EXAMINE: claimed by another session meanwhile, not recent here; the \\Seen set by the other session');
    t.same((await a.command('UID SEARCH RECENT')).lines, ['* SEARCH 1 2 3']);
    // Expunging a recent message lowers the count (RFC 3501 7.4.1).
    t.equal((await a.command('STORE 1 +FLAGS.SILENT (\\Deleted)')).status, 'OK');
    t.same((await a.command('EXPUNGE')).lines, ['* 1 EXPUNGE', '* 2 RECENT'], 'the count changed: RECENT after the EXPUNGE');
    t.same((await a.command('SEARCH RECENT')).lines, ['* SEARCH 1 2']);
});
t.test('concurrent sessions: a new message is recent in exactly one of them', async (t) => {
    const sessions = await Promise.all([session(t), session(t), session(t), session(t)]);
    for (const s of sessions)
        t.equal((await s.command('SELECT INBOX')).status, 'OK');
    const counts = async () => Promise.all(sessions.map(async (s) => Number((await s.command('SEARCH RECENT')).lines[0].split(' ').length - 2)));
    const before = await counts();
    const told = [...before];
    for (let round = 0; round < 5; round++) {
        await deliver();
        // all four refresh at the same time: exactly one claims the message, and only its RECENT
        // count changes (RECENT is sent when the count changed)
        const noops = await Promise.all(sessions.map((s) => s.command('NOOP')));
        const sum = told.reduce((x, y) => x + y, 0);
        noops.forEach((r, i) => {
            t.ok(r.lines.some((l) => / EXISTS$/.test(l)), `round ${round}: session ${i} told of the new message`);
            const m = /^\* (\d+) RECENT$/.exec(recentLine(r.lines) ?? '');
            if (m)
                told[i] = Number(m[1]);
        });
        t.equal(told.reduce((x, y) => x + y, 0), sum + 1, `round ${round}: one session claimed it`);
    }
    const after = await counts();
    t.same(after, told, 'the RECENT updates agree with SEARCH RECENT');
    const gained = after.map((x, i) => x - before[i]);
    t.equal(gained.reduce((x, y) => x + y, 0), 5, 'five messages, five claims in total');
    t.equal(await statusRecent(await session(t)), `* STATUS "INBOX" (MESSAGES ${n - 1} RECENT 0)`, 'nothing left unclaimed');
    t.equal(await statusRecent(sessions[0]), `* STATUS "INBOX" (MESSAGES ${n - 1} RECENT ${after[0]})`, 'STATUS of the selected mailbox counts its own recent messages');
});
t.test('IDLE: a new arrival comes with EXISTS and RECENT', async (t) => {
    const a = await session(t);
    t.equal((await a.command('SELECT INBOX')).status, 'OK');
    const tag = a.nextTag();
    a.write(`${tag} IDLE\r\n`);
    t.match(await a.line(), /^\+ /);
    await deliver();
    t.match(await a.line(), /^\* \d+ EXISTS$/);
    t.equal(await a.line(), '* 1 RECENT');
    a.write('DONE\r\n');
    t.equal((await a.until(tag)).status, 'OK');
});
t.test('APPEND and COPY make messages recent for the next session', async (t) => {
    const a = await session(t);
    t.equal((await a.command('CREATE Recent1')).status, 'OK');
    t.equal(await statusRecent(a, 'Recent1'), '* STATUS "Recent1" (MESSAGES 0 RECENT 0)');
    const msg = message(100);
    const tag = a.nextTag();
    a.write(`${tag} APPEND Recent1 (\\Seen) {${msg.length}+}\r\n`);
    a.write(Buffer.concat([msg, Buffer.from('\r\n')]));
    t.equal((await a.until(tag)).status, 'OK');
    t.equal((await a.command('SELECT INBOX')).status, 'OK');
    t.equal((await a.command('COPY 1:2 Recent1')).status, 'OK');
    t.equal(await statusRecent(a, 'Recent1'), '* STATUS "Recent1" (MESSAGES 3 RECENT 3)');
    const b = await session(t);
    const sel = await b.command('SELECT Recent1');
    t.equal(recentLine(sel.lines), '* 3 RECENT');
    t.same((await b.command('SEARCH NEW')).lines, ['* SEARCH 2 3'], 'the appended message is \\Seen: recent but not new');
    t.same((await b.command('FETCH 1 (FLAGS)')).lines, ['* 1 FETCH (FLAGS (\\Seen \\Recent))']);
    t.match((await b.command('STORE 1 +FLAGS (\\Recent)')).tagged, /BAD/, '\\Recent cannot be stored');
    t.equal(await statusRecent(a, 'Recent1'), '* STATUS "Recent1" (MESSAGES 3 RECENT 0)');
    // A message COPYed into the mailbox a session has selected is recent in that session.
    t.equal((await a.command('COPY 1 Recent1')).status, 'OK');
    t.same((await b.command('NOOP')).lines, ['* 4 EXISTS', '* 4 RECENT']);
});
t.test('IMAP4rev2 sessions have no \\Recent and claim nothing', async (t) => {
    const box = 'Rev2Box';
    const setup = await session(t);
    t.equal((await setup.command(`CREATE ${box}`)).status, 'OK');
    t.equal((await setup.command('SELECT INBOX')).status, 'OK');
    t.equal((await setup.command(`COPY 1 ${box}`)).status, 'OK');
    const r2 = await session(t, true);
    const sel = await r2.command(`SELECT ${box}`);
    t.equal(sel.status, 'OK');
    t.notOk(sel.lines.some((l) => /RECENT/.test(l)), 'no RECENT in the SELECT response');
    t.same((await r2.command('FETCH 1 (FLAGS)')).lines, ['* 1 FETCH (FLAGS ())']);
    t.match((await r2.command('SEARCH RECENT')).lines.join('\n'), /^\* ESEARCH \(TAG "[^"]+"\)$/);
    t.match((await r2.command('SEARCH OLD')).lines.join('\n'), /ALL 1$/);
    t.equal((await setup.command(`COPY 1 ${box}`)).status, 'OK');
    const noop = await r2.command('NOOP');
    t.same(noop.lines, ['* 2 EXISTS'], 'a new message: EXISTS only');
    t.equal(await statusRecent(setup, box), `* STATUS "${box}" (MESSAGES 2 RECENT 2)`, 'the IMAP4rev2 session claimed nothing');
    const rev1 = await session(t);
    t.equal(recentLine((await rev1.command(`SELECT ${box}`)).lines), '* 2 RECENT');
    t.same((await rev1.command('ENABLE IMAP4rev2')).lines, ['* ENABLED'], 'not while a mailbox is selected (RFC 5161 3.1)');
    t.same((await rev1.command('FETCH 1 (FLAGS)')).lines, ['* 1 FETCH (FLAGS (\\Recent))'], 'the session stays IMAP4rev1');
});
t.test('the store: a claim moves the mark once; counts follow it', async (t) => {
    const mb = app.store.mailboxes.create(accountId, 'ClaimBox');
    t.equal(app.store.mailboxes.recentUid(mb.id), 0, 'a new mailbox: nothing claimed');
    for (let i = 0; i < 3; i++)
        await app.store.deliver([{ accountId, mailboxId: mb.id, mailbox: mb.name }], message(1000 + i));
    t.equal(app.store.mailboxes.recentCount(mb.id), 3);
    t.equal(app.store.mailboxes.claimRecent(mb.id, 2), 0, 'the first claim gets UIDs 1:2');
    t.equal(app.store.mailboxes.claimRecent(mb.id, 2), 2, 'a second claim of the same UIDs gets none');
    t.equal(app.store.mailboxes.claimRecent(mb.id, 1), 2, 'the mark never goes back');
    t.equal(app.store.mailboxes.recentCount(mb.id), 1);
    t.equal(app.store.mailboxes.claimRecent(mb.id, 3), 2);
    t.equal(app.store.mailboxes.recentCount(mb.id), 0);
});
t.test('migration 310: messages stored before it are not recent', async (t) => {
    const dir = tempDir();
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const before = Store.open(dir);
    before.domains.ensure('example.test');
    const acc = await before.accounts.create('old@example.test', 'old password');
    for (let i = 0; i < 2; i++)
        before.deliver([{ accountId: acc.id }], message(2000 + i));
    before.close();
    // Back to the schema before 310 (Python's sqlite3, outside the store), then open again.
    execFileSync('python3', ['-c', [
            'import sqlite3, sys',
            'db = sqlite3.connect(sys.argv[1])',
            'db.execute("ALTER TABLE mailboxes DROP COLUMN recent_uid")',
            'db.execute("DELETE FROM schema_migrations WHERE id = \'310-recent\'")',
            'db.commit()',
        ].join('\n'), join(dir, 'postern.db')]);
    const after = Store.open(dir);
    t.teardown(() => after.close());
    const inbox = after.mailboxes.get(acc.id, 'INBOX');
    t.equal(after.mailboxes.recentCount(inbox.id), 0, 'the two old messages count as claimed');
    t.equal(after.mailboxes.recentUid(inbox.id), 2);
    after.deliver([{ accountId: acc.id }], message(2002));
    t.equal(after.mailboxes.recentCount(inbox.id), 1, 'a new one is recent');
});
//# sourceMappingURL=imap-recent.test.js.map