import t from 'tap';
import { rmSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../appliance/store/index.js';
import { tempDir } from './harness/appliance.js';
function msg(subject, body = 'Hello there, this is a test message.') {
    return Buffer.from(`From: Bob <bob@example.org>\r\nTo: alice@example.test\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@example.org>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n\r\n${body}\r\n`);
}
async function fresh(t) {
    const dir = tempDir();
    const store = Store.open(dir);
    t.teardown(() => { store.close(); rmSync(dir, { recursive: true, force: true }); });
    store.domains.ensure('example.test');
    const alice = await store.accounts.create('alice@example.test', 'correct horse', { role: 'admin' });
    return { dir, store, alice };
}
t.test('migrations from an empty database, and again', async (t) => {
    const dir = tempDir();
    const s1 = Store.open(dir);
    t.ok(s1.domains.list().length === 0);
    s1.close();
    const s2 = Store.open(dir); // re-open: no migration applied twice
    t.same(s2.domains.list(), []);
    s2.close();
    rmSync(dir, { recursive: true, force: true });
});
t.test('accounts get the special-use mailboxes and authenticate', async (t) => {
    const { store, alice } = await fresh(t);
    const names = store.mailboxes.list(alice.id).map((m) => `${m.name}:${m.specialUse ?? ''}`);
    t.same(names.sort(), ['Archive:\\Archive', 'Drafts:\\Drafts', 'INBOX:', 'Junk:\\Junk', 'Sent:\\Sent', 'Trash:\\Trash']);
    t.ok(await store.accounts.authenticate('Alice@Example.test', 'correct horse'));
    t.notOk(await store.accounts.authenticate('alice@example.test', 'wrong horse'));
    t.notOk(await store.accounts.authenticate('nobody@example.test', 'correct horse'));
    await t.rejects(store.accounts.create('alice@example.test', 'another pass'), { code: 'exists' });
    await t.rejects(store.accounts.create('bob@elsewhere.test', 'another pass'), { code: 'not-found' });
    await t.rejects(store.accounts.create('not-an-address', 'another pass'), { code: 'invalid' });
});
t.test('aliases resolve; subaddresses deliver to the account', async (t) => {
    const { store, alice } = await fresh(t);
    store.aliases.add('postmaster@example.test', 'alice@example.test');
    t.same(store.aliases.resolve('postmaster@example.test'), [alice.id]);
    t.same(store.aliases.resolve('alice+lists@example.test'), [alice.id]);
    t.same(store.aliases.resolve('nobody@example.test'), []);
    t.same(store.aliases.addressesOf(alice.id).sort(), ['alice@example.test', 'postmaster@example.test']);
});
t.test('delivery assigns UIDs, indexes text, and fsck is clean', async (t) => {
    const { store, alice } = await fresh(t);
    const a = store.deliver([{ accountId: alice.id }], msg('First'));
    const b = store.deliver([{ accountId: alice.id }], msg('Second', 'The quick brown fox'));
    t.equal(a[0].uid, 1);
    t.equal(b[0].uid, 2);
    const inbox = store.mailboxes.get(alice.id, 'inbox');
    t.equal(inbox.uidNext, 3);
    t.same([...store.messages.searchText(inbox.id, 'body', 'brown fo')], [2]);
    t.same([...store.messages.searchText(inbox.id, 'headers', 'first')], [1]);
    const report = store.check();
    t.ok(report.ok, 'fsck clean');
    t.equal(report.messages, 2);
});
t.test('quota: a full mailbox refuses, nothing half-stored', async (t) => {
    const { store, alice } = await fresh(t);
    store.accounts.setQuota(alice.address, 400);
    store.deliver([{ accountId: alice.id }], msg('fits'));
    t.throws(() => store.deliver([{ accountId: alice.id }], msg('too much', 'x'.repeat(500))), { code: 'over-quota' });
    const inbox = store.mailboxes.get(alice.id, 'INBOX');
    t.equal(store.messages.list(inbox.id).length, 1);
    t.ok(store.check().ok);
});
t.test('flags, expunge, copy and move keep modseq and counters right', async (t) => {
    const { store, alice } = await fresh(t);
    for (let i = 0; i < 3; i++)
        store.deliver([{ accountId: alice.id }], msg(`m${i}`));
    const inbox = store.mailboxes.get(alice.id, 'INBOX');
    const before = store.mailboxes.byId(inbox.id).highestModseq;
    const r = store.messages.store(inbox.id, [1, 2], 'add', ['\\Seen', '\\Deleted', 'custom']);
    t.equal(r.changed.length, 2);
    t.ok(r.changed[0].modseq > before);
    t.same(r.changed[0].flags, ['\\Seen', '\\Deleted', 'custom']);
    const trash = store.mailboxes.get(alice.id, 'Trash');
    t.same(store.messages.copy(inbox.id, [1], trash.id), [[1, 1]]);
    t.same(store.messages.expunge(inbox.id), [1, 2]);
    t.same(store.messages.expungedSince(inbox.id, before), [1, 2]);
    t.same(store.messages.copy(inbox.id, [3], trash.id, true), [[3, 2]]);
    t.equal(store.messages.list(inbox.id).length, 0);
    t.equal(store.reclaim(), 1, 'message 2 had no other reference');
    t.ok(store.check().ok);
});
t.test('fsck finds a damaged message file and a missing one', async (t) => {
    const { dir, store, alice } = await fresh(t);
    store.deliver([{ accountId: alice.id }], msg('one'));
    store.deliver([{ accountId: alice.id }], msg('two'));
    const files = [];
    for (const d of readdirSync(join(dir, 'blobs')))
        if (d.length === 2)
            for (const f of readdirSync(join(dir, 'blobs', d)))
                files.push(join(dir, 'blobs', d, f));
    t.equal(files.length, 2);
    writeFileSync(files[0], 'tampered');
    rmSync(files[1]);
    const r = store.check();
    t.notOk(r.ok);
    t.equal(r.problems.filter((p) => p.severity === 'error').length, 2);
});
//# sourceMappingURL=store.test.js.map