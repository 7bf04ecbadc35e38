// The administrator's pages over HTTPS, end to end against the store: accounts (add with a
// recovery code shown once, reset a password, quota, remove), domains with their DNS records, the
// queue (delete frees the message), a member's own password change, and the log view (redacted).
import t from 'tap';
import { startTestAppliance } from './harness/appliance.js';
import { PanelHttp } from './harness/panel-http.js';

const ADMIN = 'admin@example.test';
const ADMIN_PW = 'admin-password-1234';

t.test('administration end to end', async (t) => {
  const app = await startTestAppliance({ listeners: ['panel'] });
  t.teardown(() => app.stop());
  const admin = await app.store.accounts.create(ADMIN, ADMIN_PW, { role: 'admin' });
  const c = new PanelHttp(app.port('panel'), app.appliance.tls.ca);
  await c.signIn(ADMIN, ADMIN_PW);
  await c.get('/accounts');

  t.test('add an account: recovery code once, then listed', async (t) => {
    const short = await c.post('/accounts', { local: 'dora', domain: 'example.test', password: 'too-short', role: 'member', next: '/accounts' });
    t.equal(short.status, 400);
    t.match(short.body, /at least 12 characters/);
    const r = await c.post('/accounts', { local: 'dora', domain: 'example.test', password: 'doras-password-123', role: 'member', next: '/accounts' });
    t.equal(r.status, 303);
    const page = await c.get('/accounts');
    t.match(page.body, /The account dora@example\.test is ready/);
    t.match(page.body, /Recovery code for dora@example\.test/);
    t.notMatch((await c.get('/accounts')).body, /Recovery code for/, 'shown once');
    const dup = await c.post('/accounts', { local: 'dora', domain: 'example.test', password: 'doras-password-123', role: 'member', next: '/accounts' });
    t.equal(dup.status, 400);
    t.match(dup.body, /already exists/);
    t.equal(app.store.accounts.byAddress('dora@example.test')?.role, 'member');
  });

  t.test('reset a password: the old one stops working and her sessions end', async (t) => {
    const dora = app.store.accounts.byAddress('dora@example.test')!;
    const d = new PanelHttp(app.port('panel'), app.appliance.tls.ca);
    await d.signIn('dora@example.test', 'doras-password-123');
    t.equal((await d.get('/devices')).status, 200);
    await c.get('/accounts');
    const r = await c.post(`/accounts/${dora.id}/password`, { password: 'doras-new-password-1' });
    t.equal(r.status, 303);
    t.notOk(await app.store.accounts.authenticate('dora@example.test', 'doras-password-123'));
    t.ok(await app.store.accounts.authenticate('dora@example.test', 'doras-new-password-1'));
    t.equal((await d.get('/devices')).status, 303, 'her signed-in browser must sign in again');
  });

  t.test('a member changes her own password', async (t) => {
    const d = new PanelHttp(app.port('panel'), app.appliance.tls.ca);
    await d.signIn('dora@example.test', 'doras-new-password-1');
    const other = new PanelHttp(app.port('panel'), app.appliance.tls.ca);
    await other.signIn('dora@example.test', 'doras-new-password-1');
    await d.get('/password');
    const wrong = await d.post('/password', { current: 'not-her-password', password: 'doras-third-password', password2: 'doras-third-password' });
    t.equal(wrong.status, 400);
    t.match(wrong.body, /current password is not right/);
    const mismatch = await d.post('/password', { current: 'doras-new-password-1', password: 'doras-third-password', password2: 'doras-third-passwort' });
    t.equal(mismatch.status, 400);
    const ok = await d.post('/password', { current: 'doras-new-password-1', password: 'doras-third-password', password2: 'doras-third-password' });
    t.equal(ok.status, 303);
    t.ok(await app.store.accounts.authenticate('dora@example.test', 'doras-third-password'));
    t.equal((await d.get('/password')).status, 200, 'this browser stays signed in');
    t.equal((await other.get('/password')).status, 303, 'her other browser is signed out');
  });

  t.test('quota and removal', async (t) => {
    const dora = app.store.accounts.byAddress('dora@example.test')!;
    await c.get('/accounts');
    const bad = await c.post(`/accounts/${dora.id}/quota`, { quotaMb: '-3' });
    t.equal(bad.status, 400);
    t.equal((await c.post(`/accounts/${dora.id}/quota`, { quotaMb: '250' })).status, 303);
    t.equal(app.store.accounts.byId(dora.id)?.quotaBytes, 250 * 1048576);
    const self = await c.post(`/accounts/${admin.id}/remove`, { confirm: 'yes' });
    t.equal(self.status, 400, 'not your own account');
    t.ok(app.store.accounts.byId(admin.id));
    const unconfirmed = await c.post(`/accounts/${dora.id}/remove`, {});
    t.equal(unconfirmed.status, 400, 'removal needs the tick box');
    t.ok(app.store.accounts.byId(dora.id));
    const gone = await c.post(`/accounts/${dora.id}/remove`, { confirm: 'yes' });
    t.equal(gone.status, 303);
    t.equal(app.store.accounts.byId(dora.id), undefined);
    t.equal((await c.post('/accounts/999999/remove', { confirm: 'yes' })).status, 400);
    // Removed behind the panel's back (the CLI), then a new account takes the same row id: a
    // browser still signed in as the old one must not become the new one.
    const erin = await app.store.accounts.create('erin@example.test', 'erins-password-123');
    const e = new PanelHttp(app.port('panel'), app.appliance.tls.ca);
    await e.signIn('erin@example.test', 'erins-password-123');
    t.equal((await e.get('/devices')).status, 200);
    app.store.accounts.remove('erin@example.test');
    const fred = await app.store.accounts.create('fred@example.test', 'freds-password-123');
    t.equal(fred.id, erin.id, 'SQLite reused the row id');
    const stale = await e.get('/devices');
    t.equal(stale.status, 303, "erin's old session does not open fred's account");
    t.equal((await c.post('/accounts/abc/quota', { quotaMb: '1' })).status, 400);
  });

  t.test('domains: add one, its DKIM and MX records appear', async (t) => {
    await c.get('/domains');
    const bad = await c.post('/domains', { domain: 'not a domain' });
    t.equal(bad.status, 400);
    const r = await c.post('/domains', { domain: 'Jones.Test' });
    t.equal(r.status, 303);
    t.ok(app.store.domains.has('jones.test'));
    // a domain the name-constrained CA did not cover: a new CA, which the household installs
    c.ca = app.appliance.tls.ca;
    const page = await c.get('/domains');
    t.match(page.body, /jones\.test\.\s+3600\s+IN\s+MX|jones\.test\.<\/code><\/td><td>MX/);
    t.match(page.body, /_domainkey\.jones\.test\./);
    t.equal((await c.post('/domains', { domain: 'jones.test' })).status, 400, 'already there');
  });

  t.test('queue: delete frees the message file', async (t) => {
    const raw = Buffer.from('From: admin@example.test\r\nTo: x@example.org\r\nSubject: q\r\nMessage-ID: <q2@example.test>\r\n\r\nqueued body\r\n');
    const [id] = app.store.enqueue(raw, ADMIN, ['x@example.org']);
    // The delivery service runs in this appliance too: park the entry an hour ahead so it stays put.
    app.store.queue.recordAttempt(id!, [], '451 4.4.1 test: parked', Date.now() + 3600_000);
    const page = await c.get('/queue');
    t.match(page.body, new RegExp(`id="q-${id}"`));
    const r = await c.post(`/queue/${id}/remove`, {});
    t.equal(r.status, 303);
    t.equal(app.store.queue.get(id!), undefined);
    t.equal(app.store.reclaim(), 0, 'the panel already freed the message file');
    const again = await c.post(`/queue/${id}/retry`, {});
    t.equal(again.status, 400, 'retrying a deleted entry explains itself');
    t.match(again.body, /no longer waiting/);
  });

  t.test('the log view shows events, never an address or IP in clear', async (t) => {
    const s = new PanelHttp(app.port('panel'), app.appliance.tls.ca);
    await s.get('/signin');
    await s.post('/signin', { address: 'secret-person@example.test', password: 'wrong-password' });
    const logs = await c.get('/logs');
    t.equal(logs.status, 200);
    t.match(logs.body, /panel\.signin-failed/);
    t.notMatch(logs.body, /secret-person/);
    t.notMatch(logs.body, /127\.0\.0\.1/);
    t.match(logs.body, /user#[0-9a-f]{8}/);
  });
});
