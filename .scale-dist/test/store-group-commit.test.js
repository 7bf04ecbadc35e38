// Group commit in the store: concurrent acceptances share one transaction, each caller hears
// "stored" only after the commit, and a request that fails (quota, missing mailbox) fails alone.
import t from 'tap';
import { rmSync, existsSync } from 'node:fs';
import { Store, StoreError, prepareMessage } from '../appliance/store/index.js';
import { MailPipeline } from '../appliance/pipeline.js';
import { BlobFiles } from '../appliance/store/blobs.js';
import { tempDir } from './harness/appliance.js';
function msg(subject, bodyBytes = 200) {
    const body = `${subject} `.repeat(Math.ceil(bodyBytes / (subject.length + 1))).slice(0, bodyBytes);
    return Buffer.from(`From: Bob <bob@example.org>\r\nTo: alice@example.test\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@example.org>\r\n\r\n${body}\r\n`);
}
async function fresh(t) {
    const dir = tempDir('postern-group-commit-');
    const store = Store.open(dir);
    t.teardown(() => { store.close(); rmSync(dir, { recursive: true, force: true }); });
    store.domains.ensure('example.test');
    const alice = await store.accounts.create('alice@example.test', 'correct horse');
    const bob = await store.accounts.create('bob@example.test', 'correct horse', { quotaBytes: 1000 });
    return { dir, store, alice, bob };
}
function inbox(store, accountId) {
    const mb = store.mailboxes.get(accountId, 'INBOX');
    return store.messages.list(mb.id).map((m) => {
        const raw = store.readMessage(store.messages.blob(m.blobId).hash).toString('latin1');
        return /^Subject: (.*)$/m.exec(raw)[1];
    });
}
function to(accountId, subject, bytes, mailbox) {
    return { deliveries: [{ message: prepareMessage(msg(subject, bytes)), targets: [{ accountId, ...(mailbox ? { mailbox } : {}) }] }] };
}
t.test('requests made in the same turn share one commit; the one over quota fails alone', async (t) => {
    const { store, alice, bob } = await fresh(t);
    const before = store.groupCommit.batches;
    const results = await Promise.allSettled([
        store.acceptGrouped(to(alice.id, 'one')),
        store.acceptGrouped(to(bob.id, 'fits', 300)),
        store.acceptGrouped(to(bob.id, 'too big', 2000)),
        store.acceptGrouped(to(alice.id, 'two')),
        store.acceptGrouped(to(alice.id, 'nowhere', 100, 'No Such Folder')),
        store.acceptGrouped(to(alice.id, 'three')),
    ]);
    t.same(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    const over = results[2].reason;
    t.ok(over instanceof StoreError);
    t.equal(over.code, 'over-quota', 'the over-quota caller hears over-quota');
    t.equal(results[4].reason.code, 'not-found', 'the bad target hears not-found');
    t.equal(store.groupCommit.batches - before, 1, 'all six went into one transaction');
    t.same(inbox(store, alice.id).sort(), ['one', 'three', 'two'], 'the others are stored');
    t.same(inbox(store, bob.id), ['fits'], 'bob has only the message that fit');
    const uids = results.flatMap((r) => (r.status === 'fulfilled' ? r.value.delivered.map((d) => `${d.mailboxId}:${d.uid}`) : []));
    t.equal(new Set(uids).size, 4, 'every stored message has its own UID');
    t.equal(store.accounts.byAddress('bob@example.test').usedBytes, msg('fits', 300).length, 'quota counts only the stored message');
    t.ok(store.check().ok, 'fsck is clean');
    t.same(store.check().problems, [], 'the refused requests left no unreferenced file behind');
});
t.test('quota is checked in batch order: the second of two that only fit alone fails', async (t) => {
    const { store, bob } = await fresh(t);
    const results = await Promise.allSettled([store.acceptGrouped(to(bob.id, 'first', 500)), store.acceptGrouped(to(bob.id, 'second', 500))]);
    t.same(results.map((r) => r.status), ['fulfilled', 'rejected']);
    t.same(inbox(store, bob.id), ['first']);
    t.ok(store.check().ok);
});
t.test('each caller resolves only after its rows are committed, and a later request waits for the next batch', async (t) => {
    const { store, alice } = await fresh(t);
    const order = [];
    const first = store.acceptGrouped(to(alice.id, 'a')).then((r) => {
        order.push('a');
        // at the moment of the 250, the row is there for anyone who reads the store
        t.same(inbox(store, alice.id), ['a']);
        t.ok(existsSync(store.blobs.path(store.messages.blob(store.messages.get(r.delivered[0].mailboxId, r.delivered[0].uid).blobId).hash)));
        return r;
    });
    await first;
    const second = await store.acceptGrouped(to(alice.id, 'b'));
    order.push('b');
    t.same(order, ['a', 'b']);
    t.equal(second.delivered[0].uid, 2);
});
t.test('a batch stores and queues: local targets and remote recipients in one request', async (t) => {
    const { store, alice } = await fresh(t);
    const p = prepareMessage(msg('mixed'));
    const [r1, r2] = await Promise.all([
        store.acceptGrouped({ deliveries: [{ message: p, targets: [{ accountId: alice.id, mailbox: 'Sent', flags: ['\\Seen'] }] }], remote: { message: p, mailFrom: 'alice@example.test', recipients: ['x@remote.example', 'y@other.example'], accountId: alice.id } }),
        store.acceptGrouped({ deliveries: [], remote: { message: prepareMessage(msg('queued only')), mailFrom: 'alice@example.test', recipients: ['z@remote.example'] } }),
    ]);
    t.equal(r1.delivered.length, 1);
    t.equal(r1.queued.length, 2, 'one queue entry per domain');
    t.equal(r2.queued.length, 1);
    t.equal(store.queue.count(), 3);
    const sent = store.mailboxes.get(alice.id, 'Sent');
    t.same(store.messages.list(sent.id)[0].flags, ['\\Seen']);
    t.ok(store.check().ok, 'fsck: blob reference counts include the queue entries');
});
t.test('the same content from many callers is one file, referenced by each row', async (t) => {
    const { store, alice } = await fresh(t);
    const raw = msg('same');
    await Promise.all(Array.from({ length: 20 }, () => store.acceptGrouped({ deliveries: [{ message: prepareMessage(raw), targets: [{ accountId: alice.id }] }] })));
    t.equal(inbox(store, alice.id).length, 20);
    t.equal([...store.blobs.list()].length, 1);
    t.ok(store.check().ok);
});
t.test('content reclaimed while a request waited is written again before the commit', async (t) => {
    const { store, alice } = await fresh(t);
    const raw = msg('again');
    // an earlier copy, expunged: its blob row has no references left, its file is still there
    const [d] = store.deliver([{ accountId: alice.id }], raw);
    store.messages.store(d.mailboxId, [d.uid], 'add', ['\\Deleted']);
    store.messages.expunge(d.mailboxId);
    // the request finds the file in place (same content); reclaim removes the old row and the file
    // after that, before the batch commits
    const place = store.blobs.place.bind(store.blobs);
    let reclaimed = -1;
    store.blobs.place = async (b, hash) => {
        const dir = await place(b, hash);
        t.ok(existsSync(store.blobs.path(hash)), 'the file was there when the request placed it');
        reclaimed = store.reclaim();
        return dir;
    };
    await store.acceptGrouped(to(alice.id, 'again'));
    t.equal(reclaimed, 1, 'reclaim removed the old row and its file while the request waited');
    t.same(inbox(store, alice.id), ['again']);
    t.ok(store.check().ok, 'fsck: the file of the committed row exists and matches');
});
t.test('many concurrent callers: few commits, every message stored once', async (t) => {
    const { store, alice } = await fresh(t);
    const before = { b: store.groupCommit.batches, r: store.groupCommit.requests };
    const n = 200;
    const all = await Promise.all(Array.from({ length: n }, (_, i) => store.acceptGrouped(to(alice.id, `bulk ${i}`, 2000))));
    t.equal(all.length, n);
    t.equal(store.groupCommit.requests - before.r, n);
    const batches = store.groupCommit.batches - before.b;
    t.ok(batches < n / 2, `${n} requests in ${batches} commits`);
    t.equal(inbox(store, alice.id).length, n);
    t.ok(store.check().ok);
});
t.test('the pipeline goes through the group commit; the synchronous API still works beside it', async (t) => {
    const { store, alice, bob } = await fresh(t);
    const pipeline = new MailPipeline(store);
    const before = store.groupCommit.requests;
    const sync = store.deliver([{ accountId: alice.id }], msg('sync'));
    const results = await Promise.allSettled([
        pipeline.deliverLocal([{ accountId: alice.id }], msg('p1')),
        pipeline.accept([{ accountId: bob.id }], undefined, msg('too big for bob', 5000)),
        pipeline.append([{ accountId: alice.id, mailbox: 'Drafts', flags: ['\\Draft'] }], msg('draft')),
    ]);
    t.same(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    t.equal(results[1].reason.code, 'over-quota');
    t.equal(store.groupCommit.requests - before, 3, 'all three went through the group commit');
    t.equal(sync[0].uid, 1);
    t.same(inbox(store, alice.id), ['sync', 'p1']);
    t.same(inbox(store, bob.id), []);
    t.ok(store.check().ok);
});
t.test('a store closed under waiting requests rejects them instead of claiming success', async (t) => {
    const dir = tempDir('postern-group-commit-');
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const store = Store.open(dir);
    store.domains.ensure('example.test');
    const alice = await store.accounts.create('alice@example.test', 'correct horse');
    const pending = store.acceptGrouped(to(alice.id, 'late'));
    store.close();
    await t.rejects(pending, 'no success after close');
    const files = [...new BlobFiles(dir).list()].length;
    await t.rejects(store.acceptGrouped(to(alice.id, 'later')), /closed/, 'a request after close is refused');
    t.equal([...new BlobFiles(dir).list()].length, files, 'and writes no file (the volume may be gone)');
});
//# sourceMappingURL=store-group-commit.test.js.map