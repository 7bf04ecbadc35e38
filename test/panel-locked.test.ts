// While the storage is locked (LUKS mode, before anyone unlocked it) the panel serves only the
// unlock page, the health check, static files and the public device files; every other page
// leads to the unlock page, and wrong passphrases are throttled. (The volume itself cannot open on
// this machine: no device-mapper; the unlock path's failure is what is exercised here.)
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestAppliance } from './harness/appliance.js';
import { PanelHttp } from './harness/panel-http.js';
import { CONTENT_SECURITY_POLICY } from '../web/app.js';

t.test('a locked box shows only the unlock page', async (t) => {
  const parent = mkdtempSync(join(tmpdir(), 'postern-locked-'));
  const app = await startTestAppliance({ listeners: ['panel', 'imaps'], dataDir: join(parent, 'data'), config: { storage: { mode: 'luks' } } });
  t.teardown(async () => { await app.stop(); rmSync(parent, { recursive: true, force: true }); });
  t.equal(app.appliance.state, 'locked');
  const c = new PanelHttp(app.port('panel'), app.appliance.tls.ca);

  const health = await c.get('/health');
  t.equal(health.status, 200);
  t.same(JSON.parse(health.body), { status: 'ok', state: 'locked' });
  for (const path of ['/', '/dashboard', '/signin', '/setup', '/accounts', '/devices']) {
    const r = await c.get(path);
    t.equal(r.status, 303, `${path} while locked`);
    t.equal(r.headers.location, '/unlock', `${path} leads to the unlock page`);
  }
  const page = await c.get('/unlock');
  t.equal(page.status, 200);
  t.equal(page.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
  t.match(page.body, /Storage passphrase or recovery key/);
  t.match(page.body, /Create the encrypted storage/);

  const noToken = await c.post('/unlock', { passphrase: 'whatever-it-is' }, { csrf: null });
  t.equal(noToken.status, 403, 'unlock needs the CSRF token too');
  for (let i = 0; i < 10; i++) {
    const r = await c.post('/unlock', { passphrase: `wrong passphrase ${i}` });
    t.equal(r.status, 400, `wrong passphrase ${i + 1} is refused`);
    t.match(r.body, /did not open the storage/);
  }
  const throttled = await c.post('/unlock', { passphrase: 'the right one, maybe' });
  t.equal(throttled.status, 429, 'then the client must wait');
  t.ok(Number(throttled.headers['retry-after']) > 0);
  t.equal(app.appliance.state, 'locked', 'still locked');

  const wkd = await c.get('/.well-known/openpgpkey/hu/kei1q4tipxxu1yj79k9kfukdhfy631xe');
  t.equal(wkd.status, 503, 'no keys while locked');
  const autoconfig = await c.get('/mail/config-v1.1.xml');
  t.equal(autoconfig.status, 200, 'device files still served (they name only servers and ports)');
  t.match(autoconfig.body, /<domain>example\.test<\/domain>/);
});
