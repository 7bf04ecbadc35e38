// The unlock flow and the Tor part of the dashboard, against the panel application with a stand-in
// for the appliance: this machine has no device-mapper (no LUKS volume can open) and the test
// network has no Tor directory, so the two seams the panel calls (unlock/setupStorage, the tor
// service's status) are played by a small object; the store behind it is real.
import t from 'tap';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { buildPanelApp } from '../web/app.js';
import { SESSION_COOKIE } from '../web/session-cookie.js';
import { DEFAULT_SESSION_LIMITS, Sessions } from '../web/sessions.js';
import { LoginThrottle, CLIENT_POLICY } from '../web/throttle.js';
import { systemDir, validateConfig } from '../appliance/config.js';
import { ensureSetupCode } from '../web/setup-code.js';
import { ensureTls } from '../appliance/tls/authority.js';
import { Store } from '../appliance/store/index.js';
import { VolumeError } from '../appliance/volume.js';
import { tempDir } from './harness/appliance.js';
import { setQuiet } from '../appliance/log.js';
setQuiet(!process.env.POSTERN_TEST_LOGS);
t.test('unlock, first storage setup, and the Tor status with QR codes', async (t) => {
    const dir = tempDir();
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    // The storage helper's status question, answered over its real unix-socket protocol.
    let luks = false;
    const helperSocket = join(dir, 'helper.sock');
    const helper = createServer((sock) => sock.once('data', (d) => {
        const req = JSON.parse(d.toString());
        sock.end(JSON.stringify(req.op === 'status' ? { ok: true, status: { luks, open: false, mounted: false } } : { ok: false, code: 'failed', message: 'not in this test' }) + '\n');
    }));
    await new Promise((r) => helper.listen(helperSocket, r));
    t.teardown(() => helper.close());
    const config = validateConfig({ hostname: 'mail.example.test', domains: ['example.test'], dataDir: join(dir, 'data'), storage: { mode: 'luks', helperSocket }, tor: { mode: 'off' }, listen: { panel: '127.0.0.1:1' } }, { baseDir: dir, torOnPath: false });
    const tls = await ensureTls(join(dir, 'tls'), config.hostname, config.domains);
    const torStatus = {
        mode: 'launch', bootstrap: 100, summary: 'Bootstrapped 100% (done): Done', connected: true,
        onions: [{ name: 'panel', address: `${'a'.repeat(56)}.onion`, ports: [80], published: true }, { name: 'imap', address: `${'b'.repeat(56)}.onion`, ports: [993], published: false }],
    };
    const tor = { name: 'tor', listeners: [], close: async () => undefined, status: () => torStatus, socks: () => undefined, refreshPanelAuth: async () => undefined };
    let store;
    let state = 'locked';
    const tried = [];
    const handle = {
        config, tls,
        get state() { return state; },
        get store() { return store; },
        listeners: () => [{ name: 'panel', endpoint: { host: '127.0.0.1', port: 1 }, up: true }],
        service: (name) => (name === 'tor' ? tor : undefined),
        async setupStorage(passphrase) { tried.push(`setup:${passphrase}`); luks = true; await this.unlock(passphrase); return { recoveryKey: 'RK-1234-5678-ABCD' }; },
        async unlock(passphrase) {
            tried.push(passphrase);
            if (passphrase !== 'the right passphrase')
                throw new VolumeError('No key available with this passphrase.', 'bad-secret');
            store = Store.open(config.dataDir);
            store.domains.ensure('example.test');
            state = 'running';
        },
        async lock() { store?.close(); store = undefined; state = 'locked'; },
    };
    t.teardown(() => store?.close());
    // Signed-in sessions kept in the store while it is open, as the panel service does.
    const app = buildPanelApp({ config, tls, appliance: handle, sessions: new Sessions(DEFAULT_SESSION_LIMITS, Date.now, () => store?.settings.panelSessions), clientThrottle: new LoginThrottle(CLIENT_POLICY) });
    let cookie = '';
    let csrf = '';
    const call = async (method, path, form) => {
        const headers = { cookie: `${SESSION_COOKIE}=${cookie}` };
        let body;
        if (form) {
            headers['content-type'] = 'application/x-www-form-urlencoded';
            body = new URLSearchParams({ _csrf: csrf, ...form }).toString();
        }
        const r = await app.request(path, { method, headers, ...(body ? { body } : {}) });
        const set = /__Host-postern=([^;]+)/.exec(r.headers.get('set-cookie') ?? '');
        if (set)
            cookie = set[1];
        const text = await r.text();
        const token = /name="csrf-token" content="([^"]+)"/.exec(text);
        if (token)
            csrf = token[1];
        return { status: r.status, location: r.headers.get('location'), text };
    };
    t.equal((await call('GET', '/dashboard')).location, '/unlock');
    const fresh = await call('GET', '/unlock');
    t.equal(fresh.status, 200);
    t.match(fresh.text, /<h1>Set up the encrypted storage<\/h1>/, 'a new volume: the setup form');
    t.notMatch(fresh.text, /Storage passphrase or recovery key/, 'and no unlock form');
    const wrong = await call('POST', '/unlock', { passphrase: 'a wrong one' });
    t.equal(wrong.status, 400);
    t.equal(state, 'locked');
    t.match(fresh.text, /name="code"/, 'creating the storage asks for the setup code');
    // What the appliance makes and prints at start (the stand-in here does not start one).
    const { code } = ensureSetupCode(systemDir(config));
    const noCode = await call('POST', '/unlock/setup', { passphrase: 'the right passphrase', passphrase2: 'the right passphrase' });
    t.equal(noCode.status, 400, 'without the setup code nobody on the LAN creates the storage');
    t.match(noCode.text, /Enter the setup code/);
    t.equal(state, 'locked');
    const setupMismatch = await call('POST', '/unlock/setup', { code, passphrase: 'a new passphrase!', passphrase2: 'another passphrase' });
    t.equal(setupMismatch.status, 400);
    t.match(setupMismatch.text, /not the same/);
    const setup = await call('POST', '/unlock/setup', { code: code.toLowerCase(), passphrase: 'the right passphrase', passphrase2: 'the right passphrase' });
    t.equal(setup.status, 303);
    t.equal(state, 'running', 'the storage is created and unlocked');
    t.same(tried, ['a wrong one', 'setup:the right passphrase', 'the right passphrase']);
    const next = await call('GET', '/');
    t.equal(next.location, '/setup', 'a new box continues with the first setup');
    const firstSetup = await call('GET', '/setup');
    t.match(firstSetup.text, /Storage recovery key/);
    t.match(firstSetup.text, /RK-1234-5678-ABCD/, 'the recovery key is shown once');
    t.notMatch((await call('GET', '/setup')).text, /RK-1234/, 'and only once');
    t.equal((await call('GET', '/unlock')).location, '/', 'the unlock page is closed while unlocked');
    await store.accounts.create('anna@example.test', 'anna-password-123', { role: 'admin' });
    await call('GET', '/signin');
    t.equal((await call('POST', '/signin', { address: 'anna@example.test', password: 'anna-password-123' })).status, 303);
    const dash = await call('GET', '/dashboard');
    t.equal(dash.status, 200);
    t.match(dash.text, /Bootstrapped 100% \(done\): Done \(100% connected\)/);
    t.equal((dash.text.match(/<img class="qr" src="data:image\/png;base64,/g) ?? []).length, 2, 'a QR code per onion address');
    t.match(dash.text, new RegExp(`${'a'.repeat(56)}\\.onion`));
    t.match(dash.text, /not published yet/);
    t.match(dash.text, /Lock the storage now/, 'LUKS mode offers locking');
    t.notMatch(dash.text, /hx-trigger="every/, 'no polling once Tor is bootstrapped');
    torStatus.bootstrap = 45;
    const booting = await call('GET', '/dashboard');
    t.match(booting.text, /id="tor-status"[^>]*hx-get="\/dashboard"[^>]*hx-trigger="every 10s"/, 'the Tor section refreshes itself while Tor bootstraps');
    const poll = await app.request('/dashboard', { headers: { cookie: `${SESSION_COOKIE}=${cookie}`, 'hx-request': 'true', 'hx-target': 'tor-status' } });
    t.equal(poll.status, 200);
    t.equal(poll.headers.get('hx-push-url'), null, 'a poll adds no history entry');
    const form = await app.request('/dashboard', { headers: { cookie: `${SESSION_COOKIE}=${cookie}`, 'hx-request': 'true', 'hx-target': 'main' } });
    t.equal(form.headers.get('hx-push-url'), '/dashboard', 'a form result shows its page in the address bar');
    torStatus.bootstrap = 100;
    const devices = await call('GET', '/devices');
    t.match(devices.text, new RegExp(`IMAP over Tor</th><td><code>${'b'.repeat(56)}\\.onion`), 'device instructions name the onion host');
    const locked = await call('POST', '/lock', {});
    t.equal(locked.location, '/unlock');
    t.equal(state, 'locked');
    t.equal((await call('GET', '/dashboard')).location, '/unlock', 'locked: every signed-in page leads to the unlock page');
    const signedIn = cookie;
    t.equal((await call('POST', '/unlock', { passphrase: 'the right passphrase' })).location, '/');
    t.equal(state, 'running');
    t.equal(cookie, signedIn, 'the browser kept its cookie through the lock');
    t.equal((await call('GET', '/dashboard')).status, 200, 'after the unlock the session from before is valid again');
    // A restarted panel (new memory) while locked: the browser's cookie cannot be checked, so it gets
    // a session for the unlock page, and its stored session back after the unlock.
    t.equal((await call('POST', '/lock', {})).location, '/unlock');
    const restarted = buildPanelApp({ config, tls, appliance: handle, sessions: new Sessions(DEFAULT_SESSION_LIMITS, Date.now, () => store?.settings.panelSessions), clientThrottle: new LoginThrottle(CLIENT_POLICY) });
    const visit = async (method, path, form) => {
        const headers = { cookie: `${SESSION_COOKIE}=${cookie}` };
        if (form)
            headers['content-type'] = 'application/x-www-form-urlencoded';
        const r = await restarted.request(path, { method, headers, ...(form ? { body: new URLSearchParams({ _csrf: csrf, ...form }).toString() } : {}) });
        const set = /__Host-postern=([^;]+)/.exec(r.headers.get('set-cookie') ?? '');
        if (set)
            cookie = set[1];
        const text = await r.text();
        const token = /name="csrf-token" content="([^"]+)"/.exec(text);
        if (token)
            csrf = token[1];
        return { status: r.status, location: r.headers.get('location') };
    };
    t.equal((await visit('GET', '/unlock')).status, 200);
    t.not(cookie, signedIn, 'while locked the browser gets a session for the unlock page');
    t.equal((await visit('POST', '/unlock', { passphrase: 'the right passphrase' })).location, '/');
    t.equal((await visit('GET', '/dashboard')).status, 200, 'and its stored session back after the unlock');
    t.equal(cookie, signedIn, 'under its old cookie');
    t.equal((await visit('POST', '/lock', {})).location, '/unlock');
    t.equal((await call('GET', '/dashboard')).location, '/unlock', 'locked again');
    const existing = await call('GET', '/unlock');
    t.match(existing.text, /<h1>Unlock the mail storage<\/h1>/, 'an existing volume: the unlock form');
    t.notMatch(existing.text, /Create the encrypted storage/, 'and no setup form');
    for (let i = 0; i < 10; i++) {
        const r = await call('POST', '/unlock', { passphrase: `guess number ${i}` });
        t.equal(r.status, 400);
        t.match(r.text, /That passphrase did not open the storage/);
    }
    const blocked = await call('POST', '/unlock', { passphrase: 'the right passphrase' });
    t.equal(blocked.status, 429, 'after 10 wrong passphrases the client waits, even with the right one');
    t.match(blocked.text, /Too many wrong passphrases/);
    t.equal(state, 'locked');
});
//# sourceMappingURL=panel-unlock.test.js.map