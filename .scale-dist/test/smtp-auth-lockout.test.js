// The per-account lockout shared by SMTP AUTH and IMAP LOGIN (appliance/auth-lockout.ts): wrong
// passwords for one account from several loopback addresses (127.0.0.2, .3 ...) lock it, across
// both protocols; an address that failed is then refused even with the right password, while an
// address that did not fail still gets in with it; other accounts are not affected. Real
// appliance, real TLS, raw SMTP and IMAP dialogues from chosen source addresses; the policy's
// rules (windows, doubling, bounded memory) against a fake clock.
import t from 'tap';
import { connect as tlsConnect } from 'node:tls';
import { connect as netConnect } from 'node:net';
import { startTestAppliance } from './harness/appliance.js';
import { AccountLockout, useAccountLockout } from '../appliance/auth-lockout.js';
import { imapLimits } from '../services/imap/limits.js';
const PASSWORD = 'correct horse battery';
/** One line-oriented TLS dialogue from a chosen loopback source address. */
class Dialogue {
    s;
    buf = '';
    wake;
    closed = false;
    constructor(s) {
        this.s = s;
        s.setEncoding('latin1');
        s.on('data', (d) => { this.buf += d; this.wake?.(); });
        s.on('close', () => { this.closed = true; this.wake?.(); });
        s.on('error', () => { this.closed = true; this.wake?.(); });
    }
    static async open(port, from, ca) {
        const plain = await new Promise((resolve, reject) => {
            const sock = netConnect({ host: '127.0.0.1', port, localAddress: from }, () => resolve(sock));
            sock.once('error', reject);
        });
        const s = await new Promise((resolve, reject) => {
            const sock = tlsConnect({ socket: plain, ca, servername: 'mail.example.test' }, () => resolve(sock));
            sock.once('error', reject);
        });
        return new Dialogue(s);
    }
    /** Read until a line matches `end`; returns everything read. */
    async until(end, timeoutMs = 20_000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            const lines = this.buf.split('\r\n');
            const i = lines.findIndex((l) => end.test(l));
            if (i >= 0) {
                const out = lines.slice(0, i + 1).join('\r\n');
                this.buf = lines.slice(i + 1).join('\r\n');
                return out;
            }
            if (this.closed || Date.now() > deadline)
                throw new Error(`no ${end} (have ${JSON.stringify(this.buf)})`);
            await new Promise((r) => { const tm = setTimeout(r, 100); this.wake = () => { clearTimeout(tm); r(); }; });
        }
    }
    send(line) { this.s.write(line + '\r\n'); }
    close() { this.s.destroy(); }
}
let app;
t.before(async () => {
    imapLimits.authFailureDelayMs = 10;
    app = await startTestAppliance({ listeners: ['submissions', 'imaps'] });
    await app.store.accounts.create('alice@example.test', PASSWORD);
    await app.store.accounts.create('bob@example.test', PASSWORD);
    // 4 failures lock the account for a minute; a clean address waits 300 ms
    useAccountLockout(app.store, new AccountLockout({ delayAfterFailures: 4, freeFailures: 4, windowMs: 60_000, baseLockMs: 60_000, maxLockMs: 60_000, lockedDelayMs: 300, maxAccounts: 100, maxClientsPerAccount: 100 }));
});
t.teardown(async () => { await app?.stop(); });
async function smtpAuth(from, user, pass) {
    const d = await Dialogue.open(app.port('submissions'), from, app.appliance.tls.ca);
    try {
        await d.until(/^220 /);
        d.send('EHLO client.example.org');
        await d.until(/^250 /);
        d.send(`AUTH PLAIN ${Buffer.from(`\0${user}\0${pass}`).toString('base64')}`);
        return (await d.until(/^\d{3} /)).split('\r\n').at(-1);
    }
    finally {
        d.close();
    }
}
async function imapLogin(from, user, pass) {
    const d = await Dialogue.open(app.port('imaps'), from, app.appliance.tls.ca);
    try {
        await d.until(/^\* OK/);
        d.send(`a1 LOGIN "${user}" "${pass}"`);
        return (await d.until(/^a1 /)).split('\r\n').at(-1);
    }
    finally {
        d.close();
    }
}
t.test('failures from many addresses over SMTP and IMAP lock the account for those addresses only', async (t) => {
    const lockout = new AccountLockout();
    t.ok(lockout, 'the default policy constructs');
    t.match(await smtpAuth('127.0.0.2', 'alice@example.test', 'guess-1'), /^535 5\.7\.8 /);
    t.match(await imapLogin('127.0.0.3', 'alice@example.test', 'guess-2'), /^a1 NO \[AUTHENTICATIONFAILED\]/);
    t.match(await smtpAuth('127.0.0.4', 'alice@example.test', 'guess-3'), /^535 5\.7\.8 /);
    // three failures: not locked yet, the right password from a failed address still works
    t.match(await imapLogin('127.0.0.4', 'alice@example.test', PASSWORD), /^a1 OK /);
    t.match(await imapLogin('127.0.0.5', 'ALICE@example.test', 'guess-4'), /^a1 NO \[AUTHENTICATIONFAILED\]/, 'the account name is compared case-insensitively');
    // locked now: addresses that failed are refused, even with the right password, by both protocols
    t.match(await smtpAuth('127.0.0.2', 'alice@example.test', PASSWORD), /^454 4\.7\.0 Too many failed authentications for this account/);
    t.match(await imapLogin('127.0.0.3', 'alice@example.test', PASSWORD), /^a1 NO \[UNAVAILABLE\]/);
    t.match(await smtpAuth('127.0.0.5', 'alice@example.test', PASSWORD), /^454 4\.7\.0 /, 'a failure over IMAP counts for SMTP');
    // an address that did not fail gets in with the right password, after the short delay
    let started = Date.now();
    t.match(await smtpAuth('127.0.0.6', 'alice@example.test', PASSWORD), /^235 /);
    t.ok(Date.now() - started >= 250, 'the clean address waited for the locked account');
    t.match(await imapLogin('127.0.0.7', 'alice@example.test', PASSWORD), /^a1 OK /);
    // ... but a wrong password from it makes it one of the refused addresses
    t.match(await smtpAuth('127.0.0.8', 'alice@example.test', 'guess-5'), /^535 /);
    t.match(await smtpAuth('127.0.0.8', 'alice@example.test', PASSWORD), /^454 4\.7\.0 /);
    // other accounts are not affected, not even from the addresses that guessed at alice
    started = Date.now();
    t.match(await smtpAuth('127.0.0.2', 'bob@example.test', PASSWORD), /^235 /);
    t.match(await imapLogin('127.0.0.3', 'bob@example.test', PASSWORD), /^a1 OK /);
});
t.test('the policy: window, lock doubling up to the maximum, success clears only that address', async (t) => {
    let now = 1_000_000;
    const l = new AccountLockout({ delayAfterFailures: 2, freeFailures: 3, windowMs: 10_000, baseLockMs: 1000, maxLockMs: 4000, lockedDelayMs: 50, maxAccounts: 2, maxClientsPerAccount: 2 }, () => now);
    l.failed('a', '10.0.0.1');
    t.same(l.check('a', '10.0.0.1'), { refused: false, delayMs: 0 }, 'one failure: no delay');
    l.failed('a', '10.0.0.2');
    t.same(l.check('a', '10.0.0.7'), { refused: false, delayMs: 50 }, 'two failures: every address is slowed, none refused');
    t.notOk(l.locked('a'));
    now += 11_000;
    l.failed('a', '10.0.0.3');
    t.notOk(l.locked('a'), 'failures outside the window are forgotten');
    l.failed('a', '10.0.0.1');
    l.failed('a', '10.0.0.2');
    t.ok(l.locked('a'));
    t.same(l.check('a', '10.0.0.2'), { refused: true, retryAfterMs: 1000 });
    t.same(l.check('a', '10.0.0.9'), { refused: false, delayMs: 50 });
    l.failed('a', '10.0.0.2');
    t.same(l.check('a', '10.0.0.2'), { refused: true, retryAfterMs: 2000 }, 'each further failure doubles the lock');
    l.failed('a', '10.0.0.2');
    l.failed('a', '10.0.0.2');
    t.same(l.check('a', '10.0.0.2'), { refused: true, retryAfterMs: 4000 }, 'up to the maximum');
    l.succeeded('a', '10.0.0.2');
    t.same(l.check('a', '10.0.0.2'), { refused: false, delayMs: 50 }, 'the right password clears that address');
    t.ok(l.locked('a'), 'but not the account');
    t.same(l.check('a', '10.0.0.3'), { refused: false, delayMs: 50 }, 'at most 2 addresses are remembered per account (oldest dropped)');
    l.failed('b', 'x');
    l.failed('c', 'x');
    t.notOk(l.locked('a'), 'at most 2 accounts are remembered (oldest dropped)');
    now += 11_000;
    t.same(l.check('c', 'x'), { refused: false, delayMs: 0 }, 'forgotten after the window');
});
//# sourceMappingURL=smtp-auth-lockout.test.js.map