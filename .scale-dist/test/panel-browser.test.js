// The panel in real Chromium (Debian's package, driven by playwright-core) against a real
// appliance over HTTPS: the first-run wizard to a working account, adding an alias, a member
// refused an admin page, retrying a queued message, and the essential forms without JavaScript.
// Each step saves a screenshot in test-artifacts/. No page may report a CSP violation or a script
// error.
import t from 'tap';
import nodemailer from 'nodemailer';
import { startTestAppliance } from './harness/appliance.js';
import { launchBrowser, newContext, screenshot, watchProblems } from './harness/browser.js';
const ADMIN_PW = 'correct-horse-battery';
const BEN_PW = 'bens-first-password';
let app;
let browser;
let base;
t.before(async () => {
    app = await startTestAppliance({ listeners: ['panel', 'submissions', 'imaps'] });
    base = `https://127.0.0.1:${app.port('panel')}`;
    browser = await launchBrowser();
});
t.teardown(async () => {
    await browser?.close();
    await app?.stop();
});
async function signIn(page, address, password) {
    await page.goto(`${base}/signin`);
    await page.getByLabel('Your mail address').fill(address);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/signin'));
}
t.test('first-run wizard to a working account', async (t) => {
    const ctx = await newContext(browser);
    t.teardown(() => ctx.close());
    const page = await ctx.newPage();
    const problems = watchProblems(page);
    await page.goto(base + '/');
    t.equal(new URL(page.url()).pathname, '/setup', 'a new box opens the setup');
    t.equal(await page.evaluate(() => typeof window.htmx), 'object', 'htmx loaded under the CSP');
    await screenshot(page, 'panel-setup');
    // The one-time code from the box's console (the wizard refuses without it).
    await page.getByLabel('Setup code').fill(app.setupCode().toLowerCase().replace(/^(.{5})/, '$1 '));
    await page.getByLabel('Mail domain').fill('example.test');
    await page.getByLabel('Name of this box').fill('mail.example.test');
    await page.getByLabel('Your address name').fill('anna');
    await page.getByLabel('Password (at least 12 characters)').fill(ADMIN_PW);
    await page.getByLabel('Password again').fill(ADMIN_PW);
    await page.getByRole('button', { name: 'Create my account' }).click();
    await page.getByRole('heading', { name: 'Add your family' }).waitFor();
    t.match(await page.locator('#secret-value').textContent(), /\S{10,}/, 'recovery code shown');
    await screenshot(page, 'panel-setup-members');
    t.equal(app.store.accounts.byAddress('anna@example.test')?.role, 'admin');
    await page.getByLabel('Address', { exact: true }).fill('ben');
    await page.getByLabel('First password (at least 12 characters)').fill(BEN_PW);
    await page.getByRole('button', { name: 'Add account' }).click();
    await page.getByText('The account ben@example.test is ready.').waitFor();
    t.equal(app.store.accounts.byAddress('ben@example.test')?.role, 'member');
    await page.getByRole('link', { name: 'Next: DNS records' }).click();
    await page.getByRole('heading', { name: 'Publish your DNS records' }).waitFor();
    t.ok(await page.getByText('_domainkey.example.test.', { exact: false }).first().isVisible(), 'DKIM record listed');
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    await page.getByRole('button', { name: 'Copy the records' }).first().click();
    await page.getByRole('button', { name: 'Copied' }).first().waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    t.match(copied, /^example\.test\.\s.*\bMX\b/m, 'the copy button put the zone lines on the clipboard (static script, no inline handler)');
    t.match(copied, /_domainkey\.example\.test\./);
    await screenshot(page, 'panel-setup-dns');
    await page.getByRole('link', { name: 'Next: devices' }).click();
    t.ok(await page.getByRole('link', { name: 'Download the certificate' }).isVisible());
    await page.getByRole('link', { name: 'Finish: go to the overview' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    t.match(await page.locator('main').textContent(), /This panel \(HTTPS\)/);
    await screenshot(page, 'panel-dashboard');
    // The member's account works: a real SMTP client authenticates with it over TLS.
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: app.port('submissions'), secure: true, auth: { user: 'ben@example.test', pass: BEN_PW }, tls: { ca: app.appliance.tls.ca, servername: 'localhost' } });
    t.equal(await transport.verify(), true, 'ben signs in to submission with the password set in the wizard');
    transport.close();
    t.same(problems, [], 'no CSP violation or script error');
});
t.test('adding an alias (with htmx, then without JavaScript)', async (t) => {
    const ctx = await newContext(browser);
    t.teardown(() => ctx.close());
    const page = await ctx.newPage();
    const problems = watchProblems(page);
    const htmxPosts = [];
    page.on('request', (r) => { if (r.method() === 'POST' && r.headers()['hx-request'])
        htmxPosts.push(new URL(r.url()).pathname); });
    await signIn(page, 'anna@example.test', ADMIN_PW);
    await page.getByRole('link', { name: 'Aliases' }).click();
    await page.getByLabel('Alias address').fill('family@example.test');
    await page.getByLabel('Delivers to').selectOption('ben@example.test');
    await page.getByRole('button', { name: 'Add alias' }).click();
    await page.getByText('family@example.test now delivers to ben@example.test.').waitFor();
    t.same(htmxPosts, ['/aliases'], 'the form went through htmx (with the CSRF header)');
    t.same(app.store.aliases.list(), [{ address: 'family@example.test', target: 'ben@example.test' }]);
    await screenshot(page, 'panel-aliases');
    // A mistake is explained, not lost.
    await page.getByLabel('Alias address').fill('family@nowhere.test');
    await page.getByRole('button', { name: 'Add alias' }).click();
    await page.getByRole('alert').waitFor();
    t.match(await page.getByRole('alert').textContent(), /nowhere\.test is not one of this box's domains/);
    t.same(problems, []);
    const plain = await browser.newContext({ ignoreHTTPSErrors: true, javaScriptEnabled: false });
    t.teardown(() => plain.close());
    const p2 = await plain.newPage();
    await signIn(p2, 'anna@example.test', ADMIN_PW);
    await p2.goto(`${base}/aliases`);
    await p2.getByLabel('Alias address').fill('shop@example.test');
    await p2.getByRole('button', { name: 'Add alias' }).click();
    await p2.getByText('shop@example.test now delivers to').waitFor();
    t.equal(app.store.aliases.list().length, 2, 'the same form works without JavaScript');
});
t.test('every admin page: labelled controls, one h1, no CSP problem', async (t) => {
    const ctx = await newContext(browser);
    t.teardown(() => ctx.close());
    const page = await ctx.newPage();
    const problems = watchProblems(page);
    await signIn(page, 'anna@example.test', ADMIN_PW);
    for (const path of ['/dashboard', '/accounts', '/aliases', '/domains', '/queue', '/peers', '/onion-access', '/logs', '/devices', '/openpgp', '/password', '/welcome/members']) {
        const r = await page.goto(base + path);
        t.equal(r?.status(), 200, path);
        const report = await page.evaluate(() => {
            const unlabelled = [];
            for (const el of Array.from(document.querySelectorAll('input, select, textarea, button'))) {
                const e = el;
                if (e.type === 'hidden' || e.getAttribute('aria-hidden') === 'true')
                    continue;
                const name = e.tagName === 'BUTTON' ? (e.textContent ?? '').trim() : (e.labels?.length ? 'label' : e.getAttribute('aria-label') ?? '');
                if (!name)
                    unlabelled.push(`${e.tagName.toLowerCase()}[name=${e.name}]`);
            }
            return { unlabelled, h1: document.querySelectorAll('h1').length, lang: document.documentElement.lang, styled: document.querySelectorAll('[style]').length };
        });
        t.same(report, { unlabelled: [], h1: 1, lang: 'en', styled: 0 }, `${path}: every control has a name`);
    }
    t.same(problems, []);
});
t.test('a member signs in and is refused an admin page', async (t) => {
    const ctx = await newContext(browser);
    t.teardown(() => ctx.close());
    const page = await ctx.newPage();
    const problems = watchProblems(page);
    await signIn(page, 'ben@example.test', BEN_PW);
    t.equal(new URL(page.url()).pathname, '/devices', 'a member lands on device setup');
    t.ok(await page.getByRole('link', { name: 'Download my profile' }).isVisible());
    t.equal(await page.getByRole('link', { name: 'Accounts' }).count(), 0, 'no admin links for a member');
    await screenshot(page, 'panel-member-devices');
    const r = await page.goto(`${base}/accounts`);
    t.equal(r?.status(), 403);
    await page.getByRole('heading', { name: 'Not for your account' }).waitFor();
    t.notMatch(await page.content(), /anna@example\.test/, 'no account list leaks');
    await screenshot(page, 'panel-member-refused');
    t.same(problems, [], 'no CSP violation or script error');
});
t.test('retrying a queued message', async (t) => {
    const raw = Buffer.from('From: ben@example.test\r\nTo: friend@example.org\r\nSubject: hello\r\nMessage-ID: <q1@example.test>\r\n\r\nhi\r\n');
    const [id] = app.store.enqueue(raw, 'ben@example.test', ['friend@example.org']);
    const later = Date.now() + 3600_000;
    app.store.queue.recordAttempt(id, [], '451 4.4.1 no answer from the MX', later);
    const before = app.store.queue.get(id);
    const ctx = await newContext(browser);
    t.teardown(() => ctx.close());
    const page = await ctx.newPage();
    const problems = watchProblems(page);
    await signIn(page, 'anna@example.test', ADMIN_PW);
    await page.getByRole('link', { name: 'Outgoing mail' }).click();
    const row = page.locator(`#q-${id}`);
    t.match(await row.textContent(), /friend@example\.org/);
    t.match(await row.textContent(), /451 4\.4\.1/);
    await screenshot(page, 'panel-queue');
    await row.getByRole('button', { name: 'Retry now' }).click();
    await page.getByText('The message will be tried again now.').waitFor();
    const after = app.store.queue.get(id);
    t.ok(!after || after.nextAttemptAt < later || after.attempts > before.attempts, 'the entry is due now (or already tried again)');
    await screenshot(page, 'panel-queue-retried');
    if (app.store.queue.get(id)) {
        await page.locator(`#q-${id}`).getByRole('button', { name: 'Delete' }).click();
        await page.getByText('The message is deleted and will not be sent.').waitFor();
        t.equal(app.store.queue.get(id), undefined, 'deleted from the queue');
    }
    t.same(problems, []);
});
//# sourceMappingURL=panel-browser.test.js.map