// Issue #14 finding 7 (and the lockout half of 5): password checks are counted atomically. 50
// parallel wrong logins from one client over IMAP, SMTP AUTH and the panel's sign-in reach the
// password check at most as often as the limit allows (each attempt is reserved before the
// asynchronous argon2 check); the household's right password from another client still gets in;
// a client polling through its own lock does not push the lock's end out. Real appliance, real
// TLS, raw dialogues from chosen loopback addresses; the number of password checks is counted on
// the store.
import t from 'tap';
import { startTestAppliance } from './harness/appliance.js';
import { LineDialogue } from './harness/line-dialogue.js';
import { PanelHttp } from './harness/panel-http.js';
import { imapLimits } from '../services/imap/limits.js';
import { AuthThrottle } from '../services/imap/auth-throttle.js';
const PASSWORD = 'correct horse battery';
const USER = 'alice@example.test';
let app;
let checks = 0;
t.before(async () => {
    imapLimits.authFailureDelayMs = 10;
    app = await startTestAppliance({ listeners: ['submissions', 'imaps', 'panel'], config: { smtp: { maxConnectionsPerClient: 100 } } });
    await app.store.accounts.create('admin@example.test', 'admin-password-1234', { role: 'admin' });
    await app.store.accounts.create(USER, PASSWORD);
    await app.store.accounts.create('bob@example.test', PASSWORD);
    const accounts = app.store.accounts;
    const original = accounts.authenticate.bind(accounts);
    accounts.authenticate = async (...args) => { checks++; return original(...args); };
});
t.teardown(async () => { await app?.stop(); });
async function imapLogin(from, user, pass) {
    const d = await LineDialogue.open(app.port('imaps'), { from, ca: app.appliance.tls.ca });
    try {
        await d.until(/^\* OK/);
        d.send(`a1 LOGIN "${user}" "${pass}"`);
        return await d.line(/^a1 /, 60_000);
    }
    finally {
        d.close();
    }
}
async function smtpAuth(from, user, pass) {
    const d = await LineDialogue.open(app.port('submissions'), { from, ca: app.appliance.tls.ca });
    try {
        await d.until(/^220 /);
        d.send('EHLO client.example.org');
        await d.until(/^250 /);
        d.send(`AUTH PLAIN ${Buffer.from(`\0${user}\0${pass}`).toString('base64')}`);
        return await d.line(/^\d{3} /, 60_000);
    }
    finally {
        d.close();
    }
}
t.test('IMAP: 50 parallel wrong LOGINs from one client reach the password check at most 5 times', async (t) => {
    checks = 0;
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => imapLogin('127.0.0.2', USER, `guess-${i}`)));
    const failed = answers.filter((a) => /^a1 NO \[AUTHENTICATIONFAILED\]/.test(a)).length;
    const refused = answers.filter((a) => /^a1 NO \[UNAVAILABLE\]/.test(a)).length;
    t.equal(failed + refused, 50, 'every login was answered NO');
    t.ok(failed <= imapLimits.maxFailuresPerClientUser, `at most ${imapLimits.maxFailuresPerClientUser} passwords were checked (${failed})`);
    t.ok(checks <= imapLimits.maxFailuresPerClientUser, `the store checked ${checks} passwords`);
    t.match(await imapLogin('127.0.0.2', USER, PASSWORD), /^a1 NO \[UNAVAILABLE\]/, 'the guessing client stays refused, even with the right password');
    t.match(await imapLogin('127.0.0.3', USER, PASSWORD), /^a1 OK /, 'another client still signs in');
});
t.test('SMTP AUTH: 50 parallel wrong passwords from one client reach the check at most 5 times', async (t) => {
    checks = 0;
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => smtpAuth('127.0.0.4', 'bob@example.test', `guess-${i}`)));
    const failed = answers.filter((a) => /^535 5\.7\.8 /.test(a)).length;
    const refused = answers.filter((a) => /^454 4\.7\.0 /.test(a)).length;
    t.equal(failed + refused, 50, `every attempt was refused (${answers.filter((a) => !/^(535|454) /.test(a)).join(' | ')})`);
    t.ok(failed <= 5, `at most 5 passwords were checked (${failed})`);
    t.ok(checks <= 5, `the store checked ${checks} passwords`);
    t.match(await smtpAuth('127.0.0.5', 'bob@example.test', PASSWORD), /^235 /, 'another client still authenticates');
});
t.test('panel: 50 parallel wrong sign-ins from one client reach the check at most 10 times', async (t) => {
    checks = 0;
    const answers = await Promise.all(Array.from({ length: 50 }, async (_, i) => {
        const c = new PanelHttp(app.port('panel'), app.appliance.tls.ca, '127.0.0.6');
        await c.get('/signin');
        return (await c.post('/signin', { address: 'bob@example.test', password: `guess-${i}` })).status;
    }));
    t.equal(answers.filter((s) => s === 400 || s === 429).length, 50, 'every sign-in was refused');
    t.ok(answers.filter((s) => s === 400).length <= 10, 'at most 10 were checked');
    t.ok(checks <= 10, `the store checked ${checks} passwords`);
    const home = new PanelHttp(app.port('panel'), app.appliance.tls.ca, '127.0.0.7');
    t.equal((await home.signIn('bob@example.test', PASSWORD)).status, 303, 'the household signs in from another client');
});
t.test('a client polling through its lock does not extend it (the IMAP throttle on a stepped clock)', async (t) => {
    const realNow = Date.now;
    let now = 1_000_000;
    Date.now = () => now;
    t.teardown(() => { Date.now = realNow; });
    const th = new AuthThrottle();
    for (let i = 0; i < imapLimits.maxFailuresPerClientUser; i++)
        await th.begin('tor-circuit:5', 'cara@example.test', now).failed();
    t.equal(th.begin('tor-circuit:5', 'cara@example.test', now), undefined, 'locked after the failures');
    // a mail client with an old saved password retries every 30 s for the whole lock
    let refusals = 0;
    const end = now + imapLimits.lockoutMs - 1000;
    while (now < end) {
        now += 30_000;
        if (now < end && th.begin('tor-circuit:5', 'cara@example.test', now) === undefined)
            refusals++;
    }
    t.ok(refusals > 20, `the retries were refused (${refusals})`);
    now += 2000;
    const attempt = th.begin('tor-circuit:5', 'cara@example.test', now);
    t.ok(attempt, 'the lock ends when it was set to, although the client never stopped');
    attempt?.succeeded();
});
//# sourceMappingURL=hostile-auth-race.test.js.map