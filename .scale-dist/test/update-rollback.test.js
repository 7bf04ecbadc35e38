// Automatic rollback with real processes, while an SMTP client keeps sending: N+2 whose migration
// fails (it exits at start) and N+3 whose migration breaks the self-test's login (it ran and
// accepted mail) both go back to N by themselves, with N's schema, every acknowledged message
// (those N+3 accepted are delivered again from their files), a notice to the admin, and mail
// flowing after.
import t from 'tap';
import { join } from 'node:path';
import { updateBox, REPO } from './harness/update-box.js';
const box = await updateBox('postern-update-rollback-');
t.teardown(box.close);
const probe = { id: '920-update-probe', sql: 'CREATE TABLE update_probe (id INTEGER PRIMARY KEY);' };
t.test('release N runs with mail', async (t) => {
    const r = await box.run(join(REPO, 'bin', 'postern.js'), ['update', 'apply', await box.bundle('1.0.0', [probe])]);
    t.equal(r.code, 0, r.stderr);
    const add = await box.postern(['user', 'add', 'alice@example.test', '--admin'], 'alice password 1\n');
    t.equal(add.code, 0, add.stderr);
});
t.test('N+2 exits at start (its migration fails): rolled back by itself, mail still flows', async (t) => {
    const b = await box.bundle('1.2.0', [probe, { id: '921-broken', sql: 'ALTER TABLE no_such_table ADD COLUMN x;' }]);
    const s = box.sender('to-1.2.0');
    await box.waitFor(() => s.acked.length >= 3);
    const r = await box.postern(['update', 'apply', b]);
    const after = s.acked.length;
    await box.waitFor(() => s.acked.length >= after + 3);
    await s.stop();
    t.equal(r.code, 1);
    t.match(r.stderr, /postern 1\.2\.0 failed its self-test: the new release's process exited during the self-test.*rolled back to 1\.0\.0/);
    t.equal(box.current(), 'releases/1.0.0');
    t.equal(box.status().last.result, 'rolled-back');
    t.notOk(box.tables().migrations.includes('921-broken'));
    t.same(box.missing(s.acked, (await box.inboxIds()).ids), [], `all ${s.acked.length} acknowledged messages are readable`);
    const st = await box.postern(['update', 'status']);
    t.match(st.stdout, /last update: rolled-back 1\.0\.0 -> 1\.2\.0 at .*: postern 1\.2\.0 failed its self-test/);
});
t.test('N+3 runs and accepts mail but fails its self-test: the old schema comes back, its mail is delivered again', async (t) => {
    const b = await box.bundle('1.3.0', [probe,
        { id: '922-bad-data', sql: "CREATE TABLE update_probe_b (id INTEGER PRIMARY KEY); UPDATE accounts SET password_hash = 'broken' WHERE address LIKE 'postern-selfcheck@%';" },
    ]);
    const s = box.sender('to-1.3.0');
    await box.waitFor(() => s.acked.length >= 3);
    const r = await box.postern(['update', 'apply', b]);
    const after = s.acked.length;
    await box.waitFor(() => s.acked.length >= after + 3);
    await s.stop();
    t.equal(r.code, 1);
    t.match(r.stderr, /postern 1\.3\.0 failed its self-test: IMAP login of the check account failed within 25 s.*rolled back to 1\.0\.0 \(\d+ message\(s\) delivered again/);
    const last = box.status().last;
    t.equal(last.result, 'rolled-back');
    t.ok(last.redelivered > 0, `messages 1.3.0 accepted were delivered again (${last.redelivered})`);
    t.equal(box.current(), 'releases/1.0.0');
    const tb = box.tables();
    t.notOk(tb.tables.includes('update_probe_b'), "1.3.0's table is gone: the backup point is back");
    t.notOk(tb.migrations.includes('922-bad-data'));
    t.ok(tb.tables.includes('update_probe'), "1.0.0's schema is there");
    const inbox = await box.inboxIds();
    t.same(box.missing(s.acked, inbox.ids), [], `all ${s.acked.length} acknowledged messages are readable`);
    t.ok(inbox.subjects.includes('Postern: an update was rolled back'), 'the admin got a notice');
    const again = box.sender('after-rollback');
    await box.waitFor(() => again.acked.length >= 2);
    await again.stop();
    t.same(box.missing(again.acked, (await box.inboxIds()).ids), [], 'mail still flows');
});
//# sourceMappingURL=update-rollback.test.js.map