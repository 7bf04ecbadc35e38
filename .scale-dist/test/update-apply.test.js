// Updates with real processes: release N runs with mail; N+1 is applied while an SMTP client keeps
// sending (every message that got a 250 is readable after, N+1's migration ran); a bundle with a
// bad signature or a changed file is refused before anything changes; then a rollback by hand goes
// back to N with N's schema and every message. (Automatic rollbacks: update-rollback.test.ts.)
import t from 'tap';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repack } from './harness/bundle-tamper.js';
import { updateBox, REPO } from './harness/update-box.js';
import { generateKey } from '../appliance/update/minisign.js';
const box = await updateBox('postern-update-apply-');
t.teardown(box.close);
t.test('release N is installed and runs with mail', async (t) => {
    const b = await box.bundle('1.0.0');
    const r = await box.run(join(REPO, 'bin', 'postern.js'), ['update', 'apply', b]);
    t.equal(r.code, 0, r.stderr);
    t.match(r.stdout, /postern 1\.0\.0 is installed and passed its self-test/);
    t.equal(box.current(), 'releases/1.0.0');
    const add = await box.postern(['user', 'add', 'alice@example.test', '--admin'], 'alice password 1\n');
    t.equal(add.code, 0, add.stderr);
    const s = box.sender('before');
    await box.waitFor(() => s.acked.length >= 5);
    await s.stop();
    t.same(box.missing(s.acked, (await box.inboxIds()).ids), []);
});
t.test('N+1 is applied while an SMTP client keeps sending: every acknowledged message is readable', async (t) => {
    const b = await box.bundle('1.1.0', [{ id: '920-update-probe', sql: 'CREATE TABLE update_probe (id INTEGER PRIMARY KEY);' }]);
    const s = box.sender('to-1.1.0');
    await box.waitFor(() => s.acked.length >= 3);
    const r = await box.postern(['update', 'apply', b]);
    const during = s.acked.length;
    await box.waitFor(() => s.acked.length >= during + 3);
    await s.stop();
    t.equal(r.code, 0, r.stderr);
    t.match(r.stdout, /postern 1\.1\.0 is installed and passed its self-test \(was 1\.0\.0; SMTP answered again after \d+ ms\)/);
    t.equal(box.current(), 'releases/1.1.0');
    t.ok(box.tables().tables.includes('update_probe'), "1.1.0's migration ran");
    t.equal(box.status().last.result, 'installed');
    t.same(box.missing(s.acked, (await box.inboxIds()).ids), [], `all ${s.acked.length} acknowledged messages are readable (${s.refused} attempts refused while switching; longest gap ${s.longestGap} ms)`);
    t.comment(`apply 1.0.0 -> 1.1.0: SMTP downtime by the updater's clock ${box.status().last.downtimeMs} ms, whole apply ${box.status().last.totalMs} ms; client: longest gap between two 250s ${s.longestGap} ms`);
});
t.test('a bundle with a bad signature or a changed file is refused before anything changes', async (t) => {
    const pid = box.appPid();
    const before = box.tables();
    const forged = await box.bundle('1.4.0', [{ id: '923-forged', sql: 'DROP TABLE update_probe;' }], generateKey());
    const r = await box.postern(['update', 'apply', forged]);
    t.equal(r.code, 1);
    t.match(r.stderr, /the bundle was refused, nothing changed: the bundle's signature is not valid: the signature was made with key [0-9A-F]{16}, not with the trusted key/);
    const good = await box.bundle('1.4.1');
    const changed = join(box.dir, 'changed.tar.gz');
    await repack(good, changed, (es) => es.map((e) => (e.header.name === 'app/dist/appliance/cli.js' ? { ...e, body: Buffer.concat([e.body, Buffer.from('\n;process.exit(0);\n')]) } : e)));
    const r2 = await box.postern(['update', 'apply', changed]);
    t.equal(r2.code, 1);
    t.match(r2.stderr, /nothing changed: the file app\/dist\/appliance\/cli\.js in the bundle has more bytes than its manifest says/);
    t.equal(box.current(), 'releases/1.1.0');
    t.equal(box.appPid(), pid, 'the running release was not stopped');
    t.notOk(existsSync(join(box.root, 'releases', '1.4.0')) || existsSync(join(box.root, 'releases', '1.4.1')), 'nothing unpacked');
    t.same(box.tables(), before, 'the database is untouched');
    t.equal(box.status().last.result, 'refused');
    const st = await box.postern(['update', 'status']);
    t.match(st.stdout, /last update: refused 1\.1\.0 -> \? at .*: the file app\/dist\/appliance\/cli\.js/);
});
t.test('a rollback by hand goes back to N, with N\'s schema and every message received since', async (t) => {
    const before = await box.inboxIds();
    const r = await box.postern(['update', 'rollback']);
    t.equal(r.code, 0, r.stderr);
    t.match(r.stdout, /rolled back by hand from 1\.1\.0; rolled back to 1\.0\.0 \(\d+ message\(s\) delivered again/);
    t.equal(box.current(), 'releases/1.0.0');
    t.notOk(box.tables().tables.includes('update_probe'), "1.0.0's schema is back");
    const after = await box.inboxIds();
    t.same([...before.ids].filter((id) => !after.ids.has(id)), [], `none of the ${before.ids.size} messages is lost`);
    const again = await box.postern(['update', 'rollback']);
    t.equal(again.code, 1);
    t.match(again.stderr, /there is nothing to roll back to/);
});
//# sourceMappingURL=update-apply.test.js.map