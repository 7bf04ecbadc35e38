// While the storage is locked (LUKS mode, before anyone unlocked it) the panel serves only the
// unlock page, the health check, static files and the public device files; every other page
// leads to the unlock page. (The volume cannot open on this machine: no device-mapper, no storage
// helper; the page must say so. Wrong passphrases and their throttling: panel-unlock.test.ts.)
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestAppliance } from './harness/appliance.js';
import { PanelHttp } from './harness/panel-http.js';
import { CONTENT_SECURITY_POLICY } from '../web/app.js';
import { launchBrowser, newContext, screenshot, watchProblems } from './harness/browser.js';
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
    t.match(page.body, /role="alert">The storage service of this box is not running/, 'says why nothing can be unlocked here (no helper on this machine)');
    t.notMatch(page.body, /Create the encrypted storage/, 'no storage creation offered while the helper cannot say the volume is new');
    const noToken = await c.post('/unlock', { passphrase: 'whatever-it-is' }, { csrf: null });
    t.equal(noToken.status, 403, 'unlock needs the CSRF token too');
    for (let i = 0; i < 12; i++) {
        const r = await c.post('/unlock', { passphrase: `some passphrase ${i}` });
        t.equal(r.status, 400, `attempt ${i + 1} is answered`);
        t.match(r.body, /storage service of this box is not running/);
    }
    t.equal(app.appliance.state, 'locked', 'still locked');
    const wkd = await c.get('/.well-known/openpgpkey/hu/kei1q4tipxxu1yj79k9kfukdhfy631xe');
    t.equal(wkd.status, 503, 'no keys while locked');
    const autoconfig = await c.get('/mail/config-v1.1.xml');
    t.equal(autoconfig.status, 200, 'device files still served (they name only servers and ports)');
    t.match(autoconfig.body, /<domain>example\.test<\/domain>/);
});
t.test('the unlock page in Chromium: explains why it cannot unlock, no CSP problem', async (t) => {
    const parent = mkdtempSync(join(tmpdir(), 'postern-locked-'));
    const app = await startTestAppliance({ listeners: ['panel'], dataDir: join(parent, 'data'), config: { storage: { mode: 'luks' } } });
    const browser = await launchBrowser();
    t.teardown(async () => { await browser.close(); await app.stop(); rmSync(parent, { recursive: true, force: true }); });
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    const problems = watchProblems(page);
    await page.goto(`https://127.0.0.1:${app.port('panel')}/accounts`);
    t.equal(new URL(page.url()).pathname, '/unlock', 'any page leads to the unlock page');
    await screenshot(page, 'panel-unlock');
    await page.getByLabel('Storage passphrase or recovery key').fill('not the passphrase');
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await page.getByRole('alert').waitFor();
    t.match(await page.getByRole('alert').textContent(), /storage service of this box is not running/);
    t.equal(app.appliance.state, 'locked');
    await screenshot(page, 'panel-unlock-refused');
    t.same(problems, []);
});
//# sourceMappingURL=panel-locked.test.js.map