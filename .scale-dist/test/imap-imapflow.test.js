// Postern's IMAP server driven by a real client library (imapflow): the everyday commands a mail
// app uses, IDLE woken by a delivery, and two sessions seeing each other's changes.
import t from 'tap';
import { ImapFlow } from 'imapflow';
import { startTestAppliance } from './harness/appliance.js';
import { ImapLineClient } from './harness/imap-line.js';
function message(i, extra = '') {
    return Buffer.from(`From: Bob <bob@example.org>\r\nTo: alice@example.test\r\nSubject: message ${i}${extra}\r\nMessage-ID: <m${i}@example.org>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n\r\nHello number ${i}, the kumquat report.\r\n`);
}
async function client(app, ca) {
    const c = new ImapFlow({ host: '127.0.0.1', port: app.port('imaps'), secure: true, auth: { user: 'alice@example.test', pass: 'correct horse' }, tls: { ca, servername: 'localhost' }, logger: false, maxIdleTime: 60_000 });
    await c.connect();
    return c;
}
function waitEvent(c, name, ms = 5000) {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${name} event within ${ms} ms`)), ms);
        c.once(name, (v) => { clearTimeout(timer); resolve(v); });
    });
}
t.test('imapflow: LIST, SELECT, FETCH, SEARCH, STORE, APPEND, COPY, MOVE, EXPUNGE', async (t) => {
    const app = await startTestAppliance({ listeners: ['imap', 'imaps'] });
    t.teardown(() => app.stop());
    const acc = await app.store.accounts.create('alice@example.test', 'correct horse');
    for (let i = 1; i <= 5; i++)
        app.store.deliver([{ accountId: acc.id }], message(i, i === 3 ? ' =?UTF-8?Q?caf=C3=A9?=' : ''));
    const c = await client(app, ImapLineClient.caOf(app.dataDir));
    t.teardown(() => c.close());
    t.ok(c.capabilities.has('IDLE') && c.capabilities.has('UIDPLUS') && c.capabilities.has('MOVE') && c.capabilities.has('CONDSTORE'), 'capabilities after login');
    const boxes = await c.list();
    t.same(boxes.map((b) => b.path).sort(), ['Archive', 'Drafts', 'INBOX', 'Junk', 'Sent', 'Trash']);
    t.equal(boxes.find((b) => b.path === 'Sent')?.specialUse, '\\Sent');
    await c.mailboxCreate('Projects/Kumquat');
    t.ok((await c.list()).some((b) => b.path === 'Projects/Kumquat'), 'CREATE with a parent');
    const box = await c.mailboxOpen('INBOX');
    t.equal(box.exists, 5);
    t.ok(box.uidValidity > 0n);
    const got = [];
    for await (const m of c.fetch('1:*', { uid: true, envelope: true, source: true, flags: true })) {
        got.push({ seq: m.seq, uid: m.uid, subject: m.envelope?.subject ?? '', size: m.source?.length ?? 0 });
    }
    t.same(got.map((g) => g.uid), [1, 2, 3, 4, 5]);
    t.equal(got[2].subject, 'message 3 café', 'encoded words decoded in ENVELOPE');
    t.equal(got[0].size, message(1).length, 'BODY[] is the whole message');
    t.same(await c.search({ seen: false }, { uid: true }), [1, 2, 3, 4, 5], 'imapflow fetches source with BODY.PEEK: nothing was marked \\Seen');
    t.same(await c.search({ body: 'kumquat' }, { uid: true }), [1, 2, 3, 4, 5], 'SEARCH BODY through the text index');
    t.same(await c.search({ subject: 'message 4' }, { uid: true }), [4]);
    await c.messageFlagsAdd('1:2', ['\\Seen']);
    t.same(await c.search({ seen: false }, { uid: true }), [3, 4, 5], 'SEARCH UNSEEN after STORE');
    t.ok(await c.messageFlagsAdd({ uid: '4' }, ['\\Flagged', '$Important'], { uid: true }));
    const f4 = await c.fetchOne('4', { flags: true }, { uid: true });
    t.ok(f4 && f4.flags?.has('\\Flagged') && f4.flags.has('$Important'), 'STORE +FLAGS with a keyword');
    t.same(await c.search({ flagged: true }, { uid: true }), [4]);
    const appended = await c.append('INBOX', message(6), ['\\Seen', '\\Draft'], new Date('2026-01-02T03:04:05Z'));
    t.equal(appended && appended.uid, 6, 'APPENDUID');
    const a6 = await c.fetchOne('6', { flags: true, internalDate: true }, { uid: true });
    t.ok(a6 && a6.flags?.has('\\Draft'));
    t.equal(a6 && new Date(a6.internalDate).toISOString(), '2026-01-02T03:04:05.000Z', 'INTERNALDATE from APPEND');
    const copied = await c.messageCopy('1:2', 'Archive', { uid: true });
    t.same(copied && [...copied.uidMap.entries()], [[1, 1], [2, 2]], 'COPYUID');
    const moved = await c.messageMove('5', 'Trash', { uid: true });
    t.same(moved && [...moved.uidMap.entries()], [[5, 1]], 'MOVE answers COPYUID');
    t.equal(c.mailbox && c.mailbox.exists, 5, 'MOVE expunged the source');
    t.ok(await c.messageDelete('1', { uid: true }), 'STORE \\Deleted + EXPUNGE');
    const left = [];
    for await (const m of c.fetch('1:*', { uid: true }))
        left.push(m.uid);
    t.same(left, [2, 3, 4, 6], 'sequence numbers follow the expunge');
    const st = await c.status('Archive', { messages: true, uidNext: true, unseen: true });
    if (!st)
        throw new Error('STATUS failed');
    t.equal(st.messages, 2);
    t.equal(st.uidNext, 3);
    t.equal(app.store.check().problems.length, 0, 'store integrity');
    await c.logout();
});
t.test('imapflow: two sessions see each other; IDLE hears a delivery', async (t) => {
    const app = await startTestAppliance({ listeners: ['imaps'] });
    t.teardown(() => app.stop());
    const acc = await app.store.accounts.create('alice@example.test', 'correct horse');
    for (let i = 1; i <= 3; i++)
        app.store.deliver([{ accountId: acc.id }], message(i));
    const ca = ImapLineClient.caOf(app.dataDir);
    const a = await client(app, ca);
    const b = await client(app, ca);
    t.teardown(() => { a.close(); b.close(); });
    await a.mailboxOpen('INBOX');
    await b.mailboxOpen('INBOX');
    const flags = waitEvent(a, 'flags');
    await b.messageFlagsAdd('2', ['\\Answered']);
    await a.noop();
    const fe = await flags;
    t.ok(fe.flags.has('\\Answered'), 'A got FETCH FLAGS for B\'s STORE');
    const expunge = waitEvent(a, 'expunge');
    await b.messageDelete('1');
    await a.noop();
    t.equal((await expunge).seq, 1, 'A got EXPUNGE 1 for B\'s expunge');
    t.equal(a.mailbox && a.mailbox.exists, 2);
    // A idles (imapflow enters IDLE by itself when nothing else runs); a delivery wakes it.
    const exists = waitEvent(a, 'exists', 5000);
    const idling = a.idle();
    await new Promise((r) => setTimeout(r, 200));
    app.store.deliver([{ accountId: acc.id }], message(4));
    t.equal((await exists).count, 3, 'EXISTS arrived during IDLE');
    await a.noop(); // ends IDLE
    await idling;
    await b.noop(); // B learns of the new message (EXISTS) before it FETCHes
    const uids = [];
    for await (const m of b.fetch('1:*', { uid: true }))
        uids.push(m.uid);
    t.same(uids, [2, 3, 4], 'B sees the delivered message too');
    await a.logout();
    await b.logout();
});
t.test('imapflow over STARTTLS on the plain port', async (t) => {
    const app = await startTestAppliance({ listeners: ['imap'] });
    t.teardown(() => app.stop());
    await app.store.accounts.create('alice@example.test', 'correct horse');
    const c = new ImapFlow({ host: '127.0.0.1', port: app.port('imap'), secure: false, doSTARTTLS: true, auth: { user: 'alice@example.test', pass: 'correct horse' }, tls: { ca: ImapLineClient.caOf(app.dataDir), servername: 'localhost' }, logger: false });
    await c.connect();
    t.teardown(() => c.close());
    t.ok(c.secureConnection, 'upgraded to TLS before LOGIN');
    const box = await c.mailboxOpen('Sent');
    t.equal(box.exists, 0);
    await c.logout();
});
//# sourceMappingURL=imap-imapflow.test.js.map