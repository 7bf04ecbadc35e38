// The daily schedule, failure notices, overdue state and retention (issue 16): a target that fails
// is shown as failed and mailed to the admins once per streak, retried after an hour, not before;
// once it works a snapshot is written and nothing more until a day has passed; a day and a bit
// without one is overdue. Pruning keeps 7 daily / 4 weekly / 6 monthly (here fewer), removes the
// other snapshots and the data only they needed, and what stays verifies end to end.
import t from 'tap';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { validateConfig } from '../appliance/config.js';
import { Store } from '../appliance/store/index.js';
import { createBackupKeys, runBackup, pruneTarget, verifyTarget, backupStatus, targetState, runDueBackups, snapshotsToKeep } from '../appliance/backup/index.js';
import { tempDir } from './harness/appliance.js';
import { message } from './harness/backup-box.js';
t.test('schedule: failure shown and mailed once, retried hourly, daily when good, overdue after a day', async (t) => {
    const work = tempDir('postern-backup-schedule-');
    t.teardown(() => rmSync(work, { recursive: true, force: true }));
    const dataDir = join(work, 'data');
    const config = validateConfig({ dataDir, domains: ['example.test'], tor: { mode: 'off' } }, { baseDir: work, torOnPath: false });
    const store = Store.open(dataDir);
    t.teardown(() => store.close());
    store.domains.ensure('example.test');
    const alice = await store.accounts.create('alice@example.test', 'correct horse battery', { role: 'admin' });
    const bob = await store.accounts.create('bob@example.test', 'correct horse battery');
    for (let i = 0; i < 5; i++)
        store.deliver([{ accountId: bob.id }], message(i, 'bob@example.test'));
    await createBackupKeys(store);
    const usb = join(work, 'media', 'usb');
    store.backups.addTarget('usb', 'folder', usb);
    const inbox = (id) => store.messages.list(store.mailboxes.get(id, 'INBOX').id);
    const notices = () => inbox(alice.id).filter((m) => store.readMessage(store.messages.blob(m.blobId).hash).toString().includes('Subject: Backup to "usb" failed'));
    t.equal(backupStatus(store)[0].state, 'never');
    const now = Date.now();
    const r1 = await runDueBackups(store, config, now);
    t.equal(r1.length, 1);
    t.notOk(r1[0].ok, 'the disk is not there: the run fails');
    t.match(r1[0].error, /does not exist .* is the disk plugged in/);
    t.equal(backupStatus(store)[0].state, 'failed', 'the status says failed');
    t.match(backupStatus(store)[0].text, /failed: the backup folder/);
    t.equal(notices().length, 1, 'the admin got a notice in the INBOX');
    t.equal(inbox(bob.id).length, 5, 'members get no notice');
    t.same(await runDueBackups(store, config, now + 10 * 60_000), [], 'not retried within the hour');
    const r2 = await runDueBackups(store, config, now + 2 * 3600_000);
    t.equal(r2.length, 1, 'retried after an hour');
    t.equal(notices().length, 1, 'no second notice for the same streak of failures');
    mkdirSync(join(work, 'media'));
    const r3 = await runDueBackups(store, config, now + 4 * 3600_000);
    t.ok(r3[0]?.ok, JSON.stringify(r3));
    t.equal(r3[0].seq, 1);
    t.equal(backupStatus(store)[0].state, 'ok');
    t.same(await runDueBackups(store, config, now + 5 * 3600_000), [], 'one snapshot a day');
    const rec = store.backups.target('usb');
    t.equal(targetState(rec, rec.lastOkAt + 27 * 3600_000).state, 'overdue', 'a day and a bit without a snapshot is overdue');
    t.ok((await runDueBackups(store, config, rec.lastOkAt + 25 * 3600_000))[0]?.ok, 'due again after a day');
});
t.test('prune: the retention applied on a target, what stays verifies', async (t) => {
    const work = tempDir('postern-backup-prune-');
    t.teardown(() => rmSync(work, { recursive: true, force: true }));
    const dataDir = join(work, 'data');
    const config = validateConfig({ dataDir, domains: ['example.test'], tor: { mode: 'off' } }, { baseDir: work, torOnPath: false });
    const store = Store.open(dataDir);
    t.teardown(() => store.close());
    store.domains.ensure('example.test');
    const bob = await store.accounts.create('bob@example.test', 'correct horse battery');
    const { recoveryCode } = await createBackupKeys(store);
    const usb = join(work, 'usb');
    store.backups.addTarget('usb', 'folder', usb);
    for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 3; i++)
            store.deliver([{ accountId: bob.id }], message(round * 10 + i, 'bob@example.test', 2000));
        await runBackup(store, config, 'usb');
    }
    const countData = () => readdirSync(join(usb, 'data')).reduce((n, d) => n + readdirSync(join(usb, 'data', d)).length, 0);
    const before = countData();
    const r = await pruneTarget(store, 'usb', { daily: 1, weekly: 0, monthly: 0 });
    t.same(r.kept, [3], 'all three are from today: only the newest stays with one daily');
    t.same(r.removed, [1, 2]);
    t.same(readdirSync(join(usb, 'snapshots')), ['0000000003.json']);
    t.ok(r.objectsRemoved > 0 && countData() === before - r.objectsRemoved, `objects only the removed snapshots needed are gone (${r.objectsRemoved})`);
    const v = await verifyTarget(store, 'usb', { secret: recoveryCode });
    t.ok(v.decrypted);
    t.equal(v.messages, 9, 'the kept snapshot still has every message file (packs of earlier runs stay)');
    const next = await runBackup(store, config, 'usb');
    t.equal(next.newMessageFiles, 0, 'after a prune the box still knows what the target holds');
});
t.test('retention: 7 daily, 4 weekly, 6 monthly', async (t) => {
    const day = 86400_000;
    const start = Date.UTC(2026, 0, 1, 3);
    const snaps = Array.from({ length: 300 }, (_, i) => ({ seq: i + 1, createdAt: start + i * day }));
    const keep = snapshotsToKeep(snaps);
    const kept = [...keep].sort((a, b) => b - a);
    t.same(kept.slice(0, 7), [300, 299, 298, 297, 296, 295, 294], 'the last 7 days');
    t.ok(keep.size <= 17 && keep.size >= 13, `at most 7 + 4 + 6 kept (${keep.size})`);
    const months = new Set(kept.map((s) => new Date(snaps[s - 1].createdAt).toISOString().slice(0, 7)));
    t.equal(months.size, 6, 'one per month for 6 months');
    const oldest = snaps[kept.at(-1) - 1].createdAt;
    t.ok(snaps[299].createdAt - oldest < 190 * day, 'nothing older than about 6 months');
    // several a day: only the newest of each day counts
    const dense = Array.from({ length: 30 }, (_, i) => ({ seq: i + 1, createdAt: start + i * 3600_000 }));
    t.same([...snapshotsToKeep(dense, { daily: 7, weekly: 0, monthly: 0 })].sort((a, b) => a - b), [21, 30], 'the newest of each of the two days');
});
t.test("the panel's overview shows a failing backup, and warns when there is none", async (t) => {
    const { startTestAppliance } = await import('./harness/appliance.js');
    const { PanelHttp } = await import('./harness/panel-http.js');
    const app = await startTestAppliance({ listeners: ['panel'] });
    t.teardown(() => app.stop());
    await app.store.accounts.create('admin@example.test', 'admin-password-1234', { role: 'admin' });
    const c = new PanelHttp(app.port('panel'), app.appliance.tls.ca);
    const signed = await c.signIn('admin@example.test', 'admin-password-1234');
    t.ok(signed.status < 400, `signed in (${signed.status})`);
    const none = await c.get('/dashboard');
    t.equal(none.status, 200);
    t.match(none.body, /No backup is set up: a dead SD card or a stolen box would lose all mail and keys/);
    await createBackupKeys(app.store);
    app.store.backups.addTarget('usb', 'folder', join(app.dataDir, 'no', 'such', 'disk'));
    await runDueBackups(app.store, app.config);
    const failing = await c.get('/dashboard');
    t.match(failing.body, /<li class="down"><strong>usb<\/strong> \(failed\): the last run \([^)]*\) failed: the backup folder .* does not exist/);
});
//# sourceMappingURL=backup-schedule.test.js.map