// Signed-in panel sessions kept in the store (migration 710): the same cookie works after the
// appliance restarts; sign-out, a password change (panel or CLI) and both time limits end it; the
// store holds a SHA-256 of the cookie, never the cookie. Through the real appliance over HTTPS,
// the real CLI, and the session table on disk with a controlled clock.
import t from 'tap';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startTestAppliance, tempDir } from './harness/appliance.js';
import { PanelHttp } from './harness/panel-http.js';
import { postern } from './harness/cli.js';
import { Store } from '../appliance/store/index.js';
import { Sessions, tokenHash, TOUCH_INTERVAL_MS } from '../web/sessions.js';
const ADMIN = 'anna@example.test';
const ADMIN_PW = 'anna-password-1234';
const MEMBER = 'ben@example.test';
const MEMBER_PW = 'ben-password-12345';
function client(app, cookie) {
    const c = new PanelHttp(app.port('panel'), app.appliance.tls.ca);
    if (cookie)
        c.cookie = cookie;
    return c;
}
/** Every byte the database has on disk (main file and write-ahead log). */
function databaseBytes(dir) {
    return Buffer.concat(readdirSync(dir).filter((f) => f.startsWith('postern.db')).map((f) => readFileSync(join(dir, f))));
}
t.test('a signed-in cookie survives a restart; sign-out and password changes end it', async (t) => {
    const dataDir = tempDir();
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
    let app = await startTestAppliance({ listeners: ['panel'], dataDir });
    t.teardown(() => app.stop());
    await app.store.accounts.create(ADMIN, ADMIN_PW, { role: 'admin' });
    await app.store.accounts.create(MEMBER, MEMBER_PW, { role: 'member' });
    const anna = client(app);
    t.equal((await anna.signIn(ADMIN, ADMIN_PW)).status, 303);
    t.equal((await anna.get('/dashboard')).status, 200);
    const cookie = anna.cookie;
    const csrf = anna.csrf;
    const ben = client(app);
    t.equal((await ben.signIn(MEMBER, MEMBER_PW)).status, 303);
    t.equal((await ben.get('/devices')).status, 200);
    t.equal(app.store.settings.panelSessions.get(tokenHash(cookie))?.accountId, app.store.accounts.byAddress(ADMIN).id, 'the session row is keyed by the hash');
    await app.stop();
    const disk = databaseBytes(dataDir);
    t.equal(disk.indexOf(cookie), -1, 'the cookie itself is nowhere in the database files');
    t.not(disk.indexOf(tokenHash(cookie)), -1, 'its SHA-256 is');
    app = await startTestAppliance({ listeners: ['panel'], dataDir });
    const again = client(app, cookie);
    const dash = await again.get('/dashboard');
    t.equal(dash.status, 200, 'the same cookie still works after the restart');
    t.match(dash.body, /anna@example\.test/);
    t.equal(dash.headers['set-cookie'], undefined, 'and is not replaced');
    t.equal(again.csrf, csrf, 'with the same CSRF token');
    const added = await again.post('/aliases', { alias: 'info@example.test', target: ADMIN });
    t.equal(added.status, 303, 'a form posted with the restored session passes the CSRF check');
    t.equal(app.store.aliases.list().length, 1);
    // Ben's password changed with the CLI while the appliance runs: his panel session ends.
    const benAfter = client(app, ben.cookie);
    t.equal((await benAfter.get('/devices')).status, 200, 'ben is signed in after the restart too');
    const cli = await postern(['user', 'passwd', MEMBER, '--data', dataDir], { input: 'ben-new-password-123\n' });
    t.equal(cli.code, 0, cli.stderr);
    t.match(cli.stdout, /1 panel session\(s\) signed out/);
    const refusedBen = await benAfter.get('/devices');
    t.equal(refusedBen.status, 303, 'after the CLI password change the cookie is refused');
    t.match(String(refusedBen.headers.location), /^\/signin/);
    // A second browser of Anna's; Anna changes her password in the first: the second is signed out.
    const other = client(app);
    t.equal((await other.signIn(ADMIN, ADMIN_PW)).status, 303);
    t.equal((await other.get('/dashboard')).status, 200);
    await again.get('/password');
    const changed = await again.post('/password', { current: ADMIN_PW, password: 'anna-new-password-1', password2: 'anna-new-password-1' });
    t.equal(changed.status, 303);
    t.equal((await again.get('/dashboard')).status, 200, 'the changer stays signed in');
    t.equal((await other.get('/dashboard')).status, 303, 'the other browser is signed out');
    const out = await again.post('/signout', {});
    t.equal(out.status, 303);
    const old = client(app, cookie);
    const refused = await old.get('/dashboard');
    t.equal(refused.status, 303, 'after sign-out the old cookie is refused');
    t.match(String(refused.headers.location), /^\/signin/);
    t.equal(app.store.settings.panelSessions.get(tokenHash(cookie)), undefined, 'and its row is gone');
    // A stored session past its absolute limit is refused by the running panel too.
    const late = client(app);
    t.equal((await late.signIn(ADMIN, 'anna-new-password-1')).status, 303);
    t.equal((await late.get('/dashboard')).status, 200);
    const row = app.store.settings.panelSessions.get(tokenHash(late.cookie));
    app.store.settings.panelSessions.put({ ...row, expiresAt: Date.now() - 1 });
    const expired = await late.get('/dashboard');
    t.equal(expired.status, 303, 'expired: refused');
    t.match(String(expired.headers.location), /^\/signin/);
    // Removing an account removes its sessions with it.
    const ben2 = client(app);
    t.equal((await ben2.signIn(MEMBER, 'ben-new-password-123')).status, 303);
    const benHash = tokenHash(ben2.cookie);
    t.ok(app.store.settings.panelSessions.get(benHash));
    app.store.accounts.remove(MEMBER);
    t.equal(app.store.settings.panelSessions.get(benHash), undefined);
});
t.test('stored sessions end at the idle and the absolute limit, also across a restart', async (t) => {
    const dir = tempDir();
    const store = Store.open(dir);
    t.teardown(() => { store.close(); rmSync(dir, { recursive: true, force: true }); });
    store.domains.ensure('example.test');
    const acc = await store.accounts.create(ADMIN, ADMIN_PW, { role: 'admin' });
    let now = 1_000_000_000;
    const limits = { idleMs: 10 * 60_000, absoluteMs: 60 * 60_000, max: 100 };
    const rows = () => store.settings.panelSessions;
    const first = new Sessions(limits, () => now, rows);
    const s = first.signIn(undefined, acc.id, 'admin', ADMIN);
    // "Restart": a new Sessions over the same store finds it.
    let boot = new Sessions(limits, () => now, rows);
    now += 9 * 60_000;
    t.equal(boot.get(s.id)?.accountId, acc.id, 'restored within the idle limit');
    t.equal(boot.get(s.id)?.csrf, s.csrf);
    now += 9 * 60_000;
    t.ok(boot.get(s.id), 'each request moves the idle limit on');
    t.ok(rows().get(tokenHash(s.id)).idleUntil >= now + limits.idleMs - TOUCH_INTERVAL_MS, 'and the stored one too');
    boot = new Sessions(limits, () => now, rows);
    now += limits.idleMs + 1;
    t.equal(boot.get(s.id), undefined, 'idle too long: refused after a restart');
    t.equal(rows().get(tokenHash(s.id)), undefined, 'and forgotten');
    const s2 = first.signIn(undefined, acc.id, 'admin', ADMIN);
    for (let i = 0; i < 6; i++) {
        now += 9 * 60_000;
        t.ok(first.get(s2.id), `kept alive ${i}`);
    }
    now += 7 * 60_000;
    t.equal(first.get(s2.id), undefined, 'past the absolute limit: refused although in use');
    t.equal(new Sessions(limits, () => now, rows).get(s2.id), undefined, 'also by a restarted panel');
    // A session made while the store was closed (locked) for a browser with a stored cookie.
    const s3 = first.signIn(undefined, acc.id, 'admin', ADMIN);
    let open = false;
    const locked = new Sessions(limits, () => now, () => (open ? store.settings.panelSessions : undefined));
    t.equal(locked.get(s3.id), undefined, 'while locked a stored cookie cannot be checked');
    const temp = locked.create(s3.id);
    t.not(temp.id, s3.id, 'the browser gets a fresh session for the unlock page');
    open = true;
    const back = locked.get(temp.id);
    t.equal(back?.id, s3.id, 'after unlock the stored session comes back');
    t.equal(back?.accountId, acc.id);
    t.equal(locked.get(temp.id), undefined, 'and the temporary one is gone');
    const forged = new Sessions(limits, () => now, () => (open ? store.settings.panelSessions : undefined));
    open = false;
    const f = forged.create('A'.repeat(43));
    open = true;
    t.equal(forged.get(f.id)?.accountId, undefined, 'an unknown cookie presented while locked gives nothing after unlock');
});
//# sourceMappingURL=panel-sessions-store.test.js.map