// The mailbox namespace in the store and on the wire: subscriptions are names that outlive their
// mailboxes (RFC 3501 6.3.6-6.3.9, RFC 5258 \NonExistent), copied from the old per-mailbox flags
// by migration 320; DELETE of a mailbox with children keeps a \Noselect name (RFC 3501 6.3.4) that
// holds nothing, cannot be selected, appended or copied to, goes with its last child and becomes a
// mailbox again on CREATE; RENAME moves children; LIST "" "" gives the reference's root.
import t from 'tap';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Store } from '../appliance/store/index.js';
import { tempDir } from './harness/appliance.js';
import { startImapsAccount } from './harness/imap-account.js';
import { ImapLineClient } from './harness/imap-line.js';
const message = (i) => Buffer.from(`From: bob@example.org\r\nSubject: ns ${i}\r\nMessage-ID: <nsw${i}@example.org>\r\n\r\nHello ${i}\r\n`);
async function freshStore(t) {
    const dir = tempDir();
    const store = Store.open(dir);
    t.teardown(() => { store.close(); rmSync(dir, { recursive: true, force: true }); });
    store.domains.ensure('example.test');
    const { id } = await store.accounts.create('alice@example.test', 'correct horse');
    return { dir, store, accountId: id };
}
t.test('migration 320 copies the subscribed flags of an older database', async (t) => {
    const dir = tempDir();
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    let store = Store.open(dir);
    store.domains.ensure('example.test');
    const { id } = await store.accounts.create('alice@example.test', 'correct horse');
    store.mailboxes.create(id, 'Lists/Rust');
    store.close();
    // Back to the schema before 320: a subscribed column (default 1), one mailbox unsubscribed.
    const db = new Database(join(dir, 'postern.db'));
    db.exec(`DROP TABLE subscriptions; DROP TABLE noselect_names;
    ALTER TABLE mailboxes ADD COLUMN subscribed INTEGER NOT NULL DEFAULT 1;
    UPDATE mailboxes SET subscribed = 0 WHERE name IN ('Junk', 'Lists');
    DELETE FROM schema_migrations WHERE id = '320-subscriptions';`);
    db.close();
    store = Store.open(dir);
    t.teardown(() => store.close());
    t.same(store.subscriptions.list(id), ['Archive', 'Drafts', 'INBOX', 'Lists/Rust', 'Sent', 'Trash'], 'the subscribed mailboxes, not Junk and Lists');
    const db2 = new Database(join(dir, 'postern.db'), { readonly: true });
    const cols = db2.prepare('PRAGMA table_info(mailboxes)').all().map((c) => c.name);
    db2.close();
    t.notOk(cols.includes('subscribed'), 'the old column is gone (one source of truth)');
});
t.test('store: \\Noselect names and subscriptions', async (t) => {
    const { store, accountId: a } = await freshStore(t);
    const mb = store.mailboxes;
    mb.create(a, 'P/Q/R');
    mb.create(a, 'p/x'); // another name that only differs in case: not a child of P
    const p = mb.get(a, 'P');
    store.deliver([{ accountId: a, mailbox: 'P' }], message(1));
    const usedBefore = store.accounts.byId(a).usedBytes;
    t.same(mb.delete(a, 'P'), { noselect: true }, 'P has children: kept as \\Noselect');
    t.equal(mb.get(a, 'P'), undefined, 'P is no mailbox any more');
    t.equal(mb.byId(p.id), undefined);
    t.ok(mb.isNoselect(a, 'P'));
    t.ok(store.accounts.byId(a).usedBytes < usedBefore, 'its messages no longer count against the quota');
    t.throws(() => store.deliver([{ accountId: a, mailbox: 'P' }], message(2)), { code: 'not-found' }, 'nothing can be delivered to a \\Noselect name');
    t.throws(() => mb.delete(a, 'P'), { code: 'in-use' }, 'a \\Noselect name with children cannot be deleted');
    t.throws(() => mb.rename(a, 'P/Q', 'P'), { code: 'exists' }, 'a \\Noselect name is taken');
    t.same(mb.delete(a, 'p'), { noselect: true }, 'p (lower case) has its own child');
    t.same(mb.noselectNames(a), ['P', 'p']);
    mb.delete(a, 'p/x');
    t.same(mb.noselectNames(a), ['P'], 'p went with its last child; P (another case) stays');
    // RENAME of a \Noselect parent moves the children; the emptied parent goes
    mb.rename(a, 'P', 'Top/P');
    t.same(mb.noselectNames(a), ['Top/P']);
    t.ok(mb.get(a, 'Top/P/Q/R') && mb.get(a, 'Top'), 'children moved, the new parent created');
    mb.rename(a, 'Top/P/Q', 'Q');
    t.same(mb.noselectNames(a), [], 'Top/P lost its last child: gone');
    // CREATE makes a \Noselect name a mailbox again, with a new UIDVALIDITY
    mb.delete(a, 'Q');
    t.same(mb.noselectNames(a), ['Q']);
    const again = mb.create(a, 'Q');
    t.ok(again.uidValidity > p.uidValidity, 'a new UIDVALIDITY');
    t.same(mb.noselectNames(a), []);
    // children are found case-sensitively (SQL LIKE would ignore ASCII case and move foo/x too)
    mb.create(a, 'Case');
    mb.create(a, 'case/x');
    mb.rename(a, 'Case', 'Renamed');
    t.ok(mb.get(a, 'case/x'), 'case/x is not a child of Case');
    t.equal(mb.get(a, 'Renamed/x'), undefined);
    t.same(mb.delete(a, 'Renamed'), { noselect: false }, 'Renamed has no children');
    t.throws(() => mb.delete(a, 'INBOX'), { code: 'invalid' });
    t.throws(() => mb.delete(a, 'Nowhere'), { code: 'not-found' });
    // subscriptions are names: they survive DELETE and RENAME and are INBOX-normalised
    const subs = store.subscriptions;
    subs.add(a, 'Q/R');
    subs.add(a, 'inbox');
    t.ok(subs.has(a, 'INBOX'));
    mb.rename(a, 'Q', 'Z');
    t.ok(subs.has(a, 'Q/R'), 'kept after RENAME');
    mb.delete(a, 'Z/R');
    t.ok(subs.has(a, 'Q/R'), 'kept after DELETE');
    t.ok(subs.remove(a, 'Q/R'));
    t.notOk(subs.remove(a, 'Q/R'), 'not subscribed any more');
    t.throws(() => subs.add(a, 'bad//name'), { code: 'invalid' });
    // the account goes with its names
    store.accounts.remove('alice@example.test');
    t.same(subs.list(a), [], 'subscriptions removed with the account');
    t.same(mb.noselectNames(a), []);
});
let app;
let ca;
let accountId;
t.before(async () => { ({ app, ca, accountId } = await startImapsAccount()); });
t.teardown(() => app.stop());
async function session(t) {
    const c = await ImapLineClient.tls(app.port('imaps'), ca);
    t.teardown(() => c.close());
    t.equal((await c.command('LOGIN alice@example.test "correct horse"')).status, 'OK');
    return c;
}
t.test('wire: DELETE of a parent, the \\Noselect name, and subscriptions after it', async (t) => {
    const c = await session(t);
    const other = await session(t);
    const ok = async (cmd, client = c) => {
        const r = await client.command(cmd);
        t.equal(r.status, 'OK', `${cmd}: ${r.tagged}`);
        return r.lines;
    };
    const answer = async (cmd) => (await c.command(cmd)).tagged.replace(/^\S+ /, '');
    await ok('CREATE Work/2026/Q4');
    t.same(await ok('LSUB "" "Work*"'), [], 'CREATE subscribes nothing (RFC 3501 6.3.3: SUBSCRIBE does)');
    await app.store.deliver([{ accountId, mailbox: 'Work' }], message(3));
    await ok('SUBSCRIBE Work');
    await ok('SUBSCRIBE Work/2026/Q4');
    await ok('EXAMINE Work', other);
    await ok('DELETE Work');
    t.same(await ok('LIST "" "Work*"'), ['* LIST (\\Noselect \\HasChildren) "/" "Work"', '* LIST (\\HasChildren) "/" "Work/2026"', '* LIST (\\HasNoChildren) "/" "Work/2026/Q4"']);
    t.same(await ok('LIST "" "Work" RETURN (STATUS (MESSAGES))'), ['* LIST (\\Noselect \\HasChildren) "/" "Work"'], 'no STATUS for a \\Noselect name (RFC 5819)');
    t.same(await ok('LIST (SUBSCRIBED) "" "Work*"'), ['* LIST (\\Noselect \\HasChildren \\Subscribed) "/" "Work"', '* LIST (\\HasNoChildren \\Subscribed) "/" "Work/2026/Q4"'], 'still subscribed');
    t.same(await ok('LSUB "" "Work*"'), ['* LSUB () "/" "Work"', '* LSUB () "/" "Work/2026/Q4"']);
    t.match(await answer('SELECT Work'), /^NO \[NONEXISTENT\] /);
    t.match(await answer('STATUS Work (MESSAGES)'), /^NO \[NONEXISTENT\] /);
    t.match(await answer('APPEND Work {4+}\r\nHi\r\n'), /^NO \[TRYCREATE\] /);
    await app.store.deliver([{ accountId }], message(4));
    await ok('SELECT INBOX');
    t.match(await answer('COPY 1 Work'), /^NO \[TRYCREATE\] /, 'COPY to a \\Noselect name is refused');
    t.match(await answer('MOVE 1 Work'), /^NO \[TRYCREATE\] /, 'and MOVE');
    await ok('UNSELECT');
    t.match(await answer('DELETE Work'), /^NO \[HASCHILDREN\] /);
    // the session that had Work open is told with BYE (RFC 3501 7.1.5) and closed
    await t.rejects(other.command('NOOP'), /connection closed/, 'the other session is closed: its mailbox is gone');
    // the last children go: the \Noselect name goes with them; the subscription stays
    await ok('DELETE Work/2026/Q4');
    t.same(await ok('LIST "" "Work*"'), ['* LIST (\\Noselect \\HasChildren) "/" "Work"', '* LIST (\\HasNoChildren) "/" "Work/2026"']);
    await ok('DELETE Work/2026');
    t.same(await ok('LIST "" "Work*"'), [], 'nothing left');
    t.same(await ok('LIST (SUBSCRIBED) "" "Work*"'), ['* LIST (\\NonExistent \\HasNoChildren \\Subscribed) "/" "Work"', '* LIST (\\NonExistent \\HasNoChildren \\Subscribed) "/" "Work/2026/Q4"']);
    t.same(await ok('LIST (SUBSCRIBED RECURSIVEMATCH) "" "W%"'), ['* LIST (\\NonExistent \\HasNoChildren \\Subscribed) "/" "Work" ("CHILDINFO" ("SUBSCRIBED"))']);
    t.same(await ok('LSUB "" "Work/%"'), ['* LSUB (\\Noselect) "/" "Work/2026"'], 'LSUB: the unsubscribed parent of a subscribed name');
    t.same(await ok('LIST "" "Work*" RETURN (SUBSCRIBED)'), [], 'RETURN (SUBSCRIBED) lists existing mailboxes only');
    t.match(await answer('SUBSCRIBE Nowhere'), /^NO \[NONEXISTENT\] /, 'SUBSCRIBE needs the name to exist (as Dovecot)');
    await ok('UNSUBSCRIBE Nowhere');
    await ok('UNSUBSCRIBE Work');
    await ok('UNSUBSCRIBE Work/2026/Q4');
    t.same(await ok('LSUB "" "Work*"'), []);
    // CREATE of a name that had gone leaves the subscription list alone
    await ok('CREATE Work');
    t.same(app.store.subscriptions.list(accountId).filter((n) => n.startsWith('Work')), []);
});
t.test('wire: LIST "" "" gives the delimiter and the root of the reference (RFC 3501 6.3.8)', async (t) => {
    const c = await session(t);
    const lines = async (cmd) => (await c.command(cmd)).lines;
    t.same(await lines('LIST "" ""'), ['* LIST (\\Noselect) "/" ""']);
    t.same(await lines('LIST "Archive/2026/" ""'), ['* LIST (\\Noselect) "/" "Archive/"']);
    t.same(await lines('LIST "Archive" ""'), ['* LIST (\\Noselect) "/" ""']);
    t.same(await lines('LIST "&ZeVnLIqe-/x" ""'), ['* LIST (\\Noselect) "/" "&ZeVnLIqe-/"'], 'the root in modified UTF-7');
    t.equal((await c.command('ENABLE UTF8=ACCEPT')).status, 'OK');
    // (the line client reads bytes as latin1)
    t.same(await lines('LIST "日本語/x" ""'), [Buffer.from('* LIST (\\Noselect) "/" "日本語/"').toString('latin1')], 'and in UTF-8 after ENABLE UTF8=ACCEPT');
});
//# sourceMappingURL=imap-namespace.test.js.map