// The panel's security over real HTTPS (the appliance's own TLS listener and CA): security headers
// on every response, CSRF refusals, the access-control table (a member never reaches admin pages),
// session renewal at sign-in, sign-in throttling, and the public device-setup files.
import t, { type Test } from 'tap';
import { execFileSync } from 'node:child_process';
import { startTestAppliance, type TestAppliance } from './harness/appliance.js';
import { PanelHttp, type PanelResponse } from './harness/panel-http.js';
import { ACCESS_TABLE } from '../web/access.js';
import { CONTENT_SECURITY_POLICY } from '../web/app.js';

const ADMIN = 'admin@example.test';
const ADMIN_PW = 'admin-password-1234';
const MEMBER = 'ben@example.test';
const MEMBER_PW = 'member-password-1234';

function client(app: TestAppliance): PanelHttp {
  return new PanelHttp(app.port('panel'), app.appliance.tls.ca);
}

function checkHeaders(t: Test, r: PanelResponse, what: string): void {
  t.equal(r.headers['content-security-policy'], CONTENT_SECURITY_POLICY, `${what}: CSP`);
  t.equal(r.headers['x-frame-options'], 'DENY', `${what}: X-Frame-Options`);
  t.equal(r.headers['x-content-type-options'], 'nosniff', `${what}: nosniff`);
  t.equal(r.headers['referrer-policy'], 'no-referrer', `${what}: Referrer-Policy`);
  t.match(r.headers['strict-transport-security'], /max-age=\d+/, `${what}: HSTS`);
  t.equal(r.headers['cross-origin-opener-policy'], 'same-origin', `${what}: COOP`);
}

t.test('before setup: only the setup page, and its form needs the CSRF token', async (t) => {
  const app = await startTestAppliance({ listeners: ['panel'] });
  t.teardown(() => app.stop());
  const c = client(app);
  const home = await c.get('/dashboard');
  t.equal(home.status, 303);
  t.equal(home.headers.location, '/setup');
  const cookieAttrs = String(home.headers['set-cookie']);
  t.match(cookieAttrs, /^__Host-postern=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Strict$/, 'session cookie attributes');
  const form = await c.get('/setup');
  t.equal(form.status, 200);
  t.match(form.body, /name="_csrf"/);
  t.match(form.body, /name="code"/, 'the wizard asks for the setup code');
  const code = app.setupCode();
  t.match(code, /^[A-HJ-NP-Z2-9]{10}$/, 'a setup code was made at start');
  const fields = { code: code!, domain: 'smith.test', hostname: 'mail.smith.test', name: 'anna', password: ADMIN_PW, password2: ADMIN_PW };
  const none = await c.post('/setup', fields, { csrf: null });
  t.equal(none.status, 403, 'no CSRF token: refused');
  const wrong = await c.post('/setup', fields, { csrf: 'x'.repeat(43) });
  t.equal(wrong.status, 403, 'wrong CSRF token: refused');
  const noCode = await c.post('/setup', { ...fields, code: '' });
  t.equal(noCode.status, 400, 'no setup code: refused');
  t.match(noCode.body, /Enter the setup code/);
  const badCode = await c.post('/setup', { ...fields, code: code!.split('').reverse().join('') });
  t.equal(badCode.status, 400, 'a wrong setup code: refused');
  t.match(badCode.body, /That setup code is not right/);
  t.equal(app.store.accounts.count(), 0, 'nothing was created by refused posts');
  const before = c.cookie;
  const ok = await c.post('/setup', fields);
  t.equal(ok.status, 303);
  t.equal(ok.headers.location, '/welcome/members');
  t.not(c.cookie, before, 'the session id changes when the administrator is signed in');
  const admin = app.store.accounts.byAddress('anna@smith.test');
  t.equal(admin?.role, 'admin');
  t.ok(app.store.domains.has('smith.test'));
  t.equal(app.store.settings.get('hostname'), 'mail.smith.test');
  t.equal(app.setupCode(), undefined, 'the setup code is gone once the administrator exists');
  // the household's names are chosen: the box's CA is made for them (it is name-constrained)
  c.ca = app.appliance.tls.ca;
  const welcome = await c.get('/welcome/members');
  t.equal(welcome.status, 200);
  t.match(welcome.body, /Your recovery code/, 'the account key recovery code is shown once');
  const again = await c.get('/welcome/members');
  t.notMatch(again.body, /Your recovery code/, 'and only once');
  const tooShort = await c.post('/accounts', { local: 'ben', domain: 'smith.test', password: 'short', role: 'member', next: '/welcome/members' });
  t.equal(tooShort.status, 400, 'a refused family account is explained on the same step');
  t.match(tooShort.body, /Add your family[\s\S]*role="alert"[^>]*>The first password needs at least 12 characters/);
  const added = await c.post('/accounts', { local: 'ben', domain: 'smith.test', password: 'bens-password-123', role: 'member', next: '/welcome/members' });
  t.equal(added.headers.location, '/welcome/members');
  t.equal(app.store.accounts.byAddress('ben@smith.test')?.role, 'member');
  const dns = await c.get('/welcome/dns');
  t.match(dns.body, /_domainkey\.smith\.test\./, 'DKIM record of the new domain');
  t.match(dns.body, /data-copy=/, 'copy button');
  const later = await c.get('/setup');
  t.equal(later.status, 303, 'setup is closed once an administrator exists');
  const stranger = client(app);
  const s2 = await stranger.get('/setup');
  t.equal(s2.status, 303);
  t.equal(s2.headers.location, '/signin');
});

t.test('security headers, access table, CSRF, roles, renewal, throttling', async (t) => {
  const app = await startTestAppliance({ listeners: ['panel', 'imaps', 'submissions'] });
  t.teardown(() => app.stop());
  await app.store.accounts.create(ADMIN, ADMIN_PW, { role: 'admin' });
  const member = await app.store.accounts.create(MEMBER, MEMBER_PW);
  await app.store.accounts.create('cara@example.test', MEMBER_PW);

  t.test('every response carries the security headers', async (t) => {
    const c = client(app);
    for (const path of ['/health', '/signin', '/static/panel.css', '/no/such/page', '/dashboard', '/ca.crt', '/mail/config-v1.1.xml']) {
      checkHeaders(t, await c.get(path), path);
    }
    const post = await c.post('/signin', { address: 'x@example.test', password: 'nope' }, { csrf: null });
    checkHeaders(t, post, 'refused POST');
    const big = await c.post('/signin', { address: 'x@example.test', password: 'p'.repeat(70_000) });
    t.equal(big.status, 413, 'a body over 64 KiB is refused before it is read');
    checkHeaders(t, big, 'too large');
  });

  t.test('sign-in renews the session id; the old id is worthless', async (t) => {
    const c = client(app);
    await c.get('/signin');
    const anonymous = c.cookie!;
    t.ok(anonymous);
    const r = await c.post('/signin', { address: ADMIN, password: ADMIN_PW });
    t.equal(r.status, 303);
    t.not(c.cookie, anonymous, 'new id at sign-in');
    const dash = await c.get('/dashboard');
    t.equal(dash.status, 200);
    t.match(dash.body, /Overview/);
    const old = await c.get('/dashboard', { cookie: `__Host-postern=${anonymous}` });
    t.equal(old.status, 303, 'the pre-sign-in id does not carry the sign-in');
    t.match(String(old.headers.location), /^\/signin/);
    // A session id chosen by an attacker is never adopted.
    const fixed = client(app);
    fixed.cookie = 'attacker-chosen-value';
    await fixed.get('/signin');
    t.not(fixed.cookie, 'attacker-chosen-value');
    // Sign-out ends the session.
    const signedIn = c.cookie!;
    await c.post('/signout', {});
    const after = await c.get('/dashboard', { cookie: `__Host-postern=${signedIn}` });
    t.equal(after.status, 303, 'signed-out id no longer works');
  });

  t.test('a member cannot reach any admin route, nor change anything there', async (t) => {
    const c = client(app);
    const r = await c.signIn(MEMBER, MEMBER_PW);
    t.equal(r.status, 303);
    t.equal((await c.get('/')).headers.location, '/devices');
    const devices = await c.get('/devices');
    t.equal(devices.status, 200);
    t.match(devices.body, /ben@example\.test/);
    for (const rule of ACCESS_TABLE.filter((x) => x.access === 'admin')) {
      const path = rule.path.replace(':id', String(member.id));
      const res = rule.method === 'GET' ? await c.get(path) : await c.post(path, { alias: 'x@example.test', target: MEMBER, password: 'new-password-12345', confirm: 'yes', quotaMb: '1', domain: 'evil.test', local: 'evil' });
      t.equal(res.status, 403, `${rule.method} ${path} refused for a member`);
    }
    t.same(app.store.aliases.list(), [], 'no alias created');
    t.equal(app.store.accounts.byId(member.id)?.quotaBytes, 0, 'quota unchanged');
    t.notOk(app.store.domains.has('evil.test'));
    t.ok(await app.store.accounts.authenticate(MEMBER, MEMBER_PW), 'password unchanged');
    // The profile is always the signed-in member's own.
    const profile = await c.get('/devices/postern.mobileconfig');
    t.equal(profile.status, 200);
    t.equal(profile.headers['content-type'], 'application/x-apple-aspen-config');
    t.match(profile.body, /ben@example\.test/);
    t.notMatch(profile.body, /cara@example\.test/);
    // A real plist parser reads it, with the CA payload and the mail payload.
    const parsed = JSON.parse(execFileSync('python3', ['-c', 'import plistlib,sys,json; p=plistlib.loads(sys.stdin.buffer.read()); print(json.dumps([[x["PayloadType"], x.get("IncomingMailServerPortNumber"), x.get("EmailAddress")] for x in p["PayloadContent"]]))'], { input: profile.raw }).toString()) as unknown[];
    t.same(parsed, [['com.apple.security.root', null, null], ['com.apple.mail.managed', app.port('imaps'), MEMBER]]);
    // Not signed in at all: to the sign-in page, and a POST changes nothing.
    const anon = client(app);
    const a1 = await anon.get('/accounts');
    t.equal(a1.status, 303);
    t.equal(a1.headers.location, '/signin?next=%2Faccounts');
    await anon.get('/signin');
    const a2 = await anon.post('/aliases', { alias: 'y@example.test', target: MEMBER });
    t.equal(a2.status, 303);
    t.same(app.store.aliases.list(), []);
  });

  t.test('admin POSTs need the CSRF token, as a field or an htmx header', async (t) => {
    const c = client(app);
    await c.signIn(ADMIN, ADMIN_PW);
    await c.get('/aliases');
    const none = await c.post('/aliases', { alias: 'family@example.test', target: MEMBER }, { csrf: null });
    t.equal(none.status, 403);
    const wrong = await c.post('/aliases', { alias: 'family@example.test', target: MEMBER }, { csrf: c.csrf!.slice(1) + 'A' });
    t.equal(wrong.status, 403);
    const other = client(app);
    await other.signIn(ADMIN, ADMIN_PW);
    const crossed = await c.post('/aliases', { alias: 'family@example.test', target: MEMBER }, { csrf: other.csrf! });
    t.equal(crossed.status, 403, "another session's token is refused");
    const crossSite = await c.post('/aliases', { alias: 'family@example.test', target: MEMBER }, { headers: { 'sec-fetch-site': 'cross-site' } });
    t.equal(crossSite.status, 403, 'a cross-site form post is refused even with the token');
    t.same(app.store.aliases.list(), []);
    const htmx = await c.post('/aliases', { alias: 'family@example.test', target: MEMBER }, { csrf: null, headers: { 'hx-request': 'true', 'x-csrf-token': c.csrf! } });
    t.equal(htmx.status, 303);
    t.same(app.store.aliases.list(), [{ address: 'family@example.test', target: MEMBER }]);
    const page = await c.get('/aliases');
    t.match(page.body, /family@example\.test now delivers to ben@example\.test/);
  });

  t.test('repeated wrong passwords are throttled per client; an account under attack refuses only the clients that failed', async (t) => {
    const c = new PanelHttp(app.port('panel'), app.appliance.tls.ca, '127.0.0.21');
    await c.get('/signin');
    for (let i = 0; i < 10; i++) {
      const r = await c.post('/signin', { address: 'cara@example.test', password: `wrong-${i}` });
      t.equal(r.status, 400, `wrong password ${i + 1}`);
    }
    const blocked = await c.post('/signin', { address: 'cara@example.test', password: MEMBER_PW });
    t.equal(blocked.status, 429, 'the guessing client waits, even with the right password');
    t.ok(Number(blocked.headers['retry-after']) > 0);
    t.match(blocked.body, /Too many wrong passwords/);
    const byClient = await c.post('/signin', { address: ADMIN, password: ADMIN_PW });
    t.equal(byClient.status, 429, 'client throttled for every account');
    // the household, from another address, still signs in to the attacked account with the right password
    const home = new PanelHttp(app.port('panel'), app.appliance.tls.ca, '127.0.0.22');
    const ok = await home.signIn('cara@example.test', MEMBER_PW);
    t.equal(ok.status, 303, 'the right password from a client that did not fail is let in');
  });

  t.test('public device files: autoconfig and the CA certificate', async (t) => {
    const c = client(app);
    for (const path of ['/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=ben%40example.test', '/mail/config-v1.1.xml']) {
      const r = await c.get(path);
      t.equal(r.status, 200, path);
      const info = execFileSync('python3', ['-c', 'import sys,xml.etree.ElementTree as E; r=E.fromstring(sys.stdin.buffer.read()); print(r.find("emailProvider/incomingServer/port").text, r.find("emailProvider/incomingServer/socketType").text, r.find("emailProvider/outgoingServer/port").text, r.find("emailProvider/domain").text)'], { input: r.raw }).toString().trim();
      t.equal(info, `${app.port('imaps')} SSL ${app.port('submissions')} example.test`);
    }
    const other = await c.get('/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=someone%40elsewhere.test');
    t.equal(other.status, 404);
    const ca = await c.get('/ca.crt');
    t.equal(ca.body, app.appliance.tls.ca);
    t.equal(c.cookie, undefined, 'public files start no session');
  });

  t.test('static assets: gzip, immutable with their hash, htmx 2 from the package', async (t) => {
    const c = client(app);
    const page = await c.get('/signin');
    const src = /src="(\/static\/htmx\.min\.js\?v=[0-9a-f]+)"/.exec(page.body)?.[1];
    t.ok(src);
    const js = await c.get(src!, { 'accept-encoding': 'gzip' });
    t.equal(js.headers['content-encoding'], 'gzip');
    t.match(js.headers['cache-control'], /immutable/);
    const { gunzipSync } = await import('node:zlib');
    t.match(gunzipSync(js.raw).toString(), /htmx/);
    t.notMatch(page.body, /<script>|<style|style="| on[a-z]+="/i, 'no inline script, style or handler in the page');
  });
});

t.test('one port: TLS for everyone, plain HTTP only for loopback (the panel onion through tor)', async (t) => {
  const { isLoopback, httpsRedirect } = await import('../web/panel.js');
  const { get } = await import('node:http');
  const app = await startTestAppliance({ listeners: ['panel'] });
  t.teardown(() => app.stop());
  const plain = await new Promise<{ status: number; body: string; csp: string }>((resolve, reject) => {
    get({ host: '127.0.0.1', port: app.port('panel'), path: '/health' }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, csp: String(res.headers['content-security-policy']) }));
    }).on('error', reject);
  });
  t.equal(plain.status, 200, 'tor (loopback) gets plain HTTP');
  t.equal(plain.csp, CONTENT_SECURITY_POLICY);
  const tls = await client(app).get('/health');
  t.equal(tls.status, 200, 'and TLS works on the same port');
  t.ok(isLoopback('127.0.0.1'));
  t.ok(isLoopback('::ffff:127.0.0.1'));
  t.ok(isLoopback('::1'));
  t.notOk(isLoopback('192.168.1.20'));
  t.notOk(isLoopback('::ffff:10.0.0.2'));
  t.notOk(isLoopback(undefined));
  t.match(httpsRedirect(Buffer.from('GET /signin?next=%2F HTTP/1.1\r\nHost: box.lan:8080\r\nAccept: */*\r\n\r\n')), /^HTTP\/1\.1 301 [^\r]*\r\nLocation: https:\/\/box\.lan:8080\/signin\?next=%2F\r\n/, 'a LAN browser typing http:// is sent to https://');
  t.match(httpsRedirect(Buffer.from('POST /signin HTTP/1.1\r\nHost: box.lan\r\n\r\naddress=a&password=b')), /^HTTP\/1\.1 400 /, 'a plain POST from the LAN is refused, not followed');
  t.match(httpsRedirect(Buffer.from('GET / HTTP/1.1\r\nHost: evil\r\n\tinjected\r\n\r\n')), /^HTTP\/1\.1 (301|400)/);
  t.notMatch(httpsRedirect(Buffer.from('GET /\r\nSet-Cookie: x HTTP/1.1\r\nHost: a\r\n\r\n')), /Set-Cookie/, 'no header injection through the path');
});

t.test('every registered route is in the access table, and nothing else is reachable', async (t) => {
  const { buildPanelApp } = await import('../web/app.js');
  const { Sessions } = await import('../web/sessions.js');
  const { LoginThrottle, CLIENT_POLICY } = await import('../web/throttle.js');
  const { accessFor } = await import('../web/access.js');
  const app = await startTestAppliance({ listeners: [] });
  t.teardown(() => app.stop());
  const panel = buildPanelApp({ config: app.config, tls: app.appliance.tls, appliance: app.appliance, sessions: new Sessions(), clientThrottle: new LoginThrottle(CLIENT_POLICY) });
  const routes = panel.routes.filter((r) => r.method !== 'ALL');
  t.ok(routes.length >= 40);
  for (const r of routes) {
    const rule = accessFor(r.method, r.path);
    t.ok(rule && rule.path === r.path, `${r.method} ${r.path} has its own rule`);
  }
  for (const rule of ACCESS_TABLE) {
    t.ok(routes.some((r) => r.method === rule.method && r.path === rule.path), `rule ${rule.method} ${rule.path} has a route`);
  }
  t.equal(accessFor('GET', '/static/../app.js'), undefined);
  t.equal(accessFor('DELETE', '/accounts/1/remove'), undefined);
});
