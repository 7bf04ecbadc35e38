// SMTorP end to end on a private Tor network on loopback (real tor from Debian: one authority made
// with tor-gencert, four relays, TestingTorNetwork), two Postern appliances each with its own tor:
// mail submitted at A (nodemailer) reaches B over B's onion MX with both certificates pinned and is
// read from B's IMAP (imapflow); a forged sender over B's onion is refused; tor killed under A comes
// back with the same onion addresses; the panel onion answers only an authorized client.
import t from 'tap';
import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import { ImapFlow } from 'imapflow';
import { SocksClient } from 'socks';
import { startSmtorpPair, waitFor, onionBanner, panelStatusLine, socks5Reply, PASSWORD } from './harness/smtorp-pair.js';
import { TorControl } from '../services/tor/control.js';
import { createClientAuth } from '../services/tor/client-auth.js';
import { clientTlsOptions } from '../appliance/tls/policy.js';
let p;
t.before(async () => {
    p = await startSmtorpPair();
    t.comment(`private Tor network ready in ${p.net.readySeconds.toFixed(1)} s`);
});
t.teardown(async () => { await p?.stop(); });
async function submitAtA(t, subject) {
    const tr = nodemailer.createTransport({
        host: '127.0.0.1', port: p.a.port('submission'), secure: false, requireTLS: true,
        auth: { user: 'bob@peer-a.test', pass: PASSWORD }, tls: { ca: p.a.appliance.tls.ca, servername: 'mail.peer-a.test' },
    });
    try {
        const info = await tr.sendMail({ from: 'Bob <bob@peer-a.test>', to: 'alice@example.test', subject, text: 'Over Tor, peer to peer.\n' });
        t.same(info.accepted, ['alice@example.test']);
    }
    finally {
        tr.close();
    }
}
async function imapB() {
    const c = new ImapFlow({ host: '127.0.0.1', port: p.b.port('imaps'), secure: true, auth: { user: 'alice@example.test', pass: PASSWORD }, tls: { ca: p.b.appliance.tls.ca, servername: 'localhost' }, logger: false });
    await c.connect();
    return c;
}
/** Wait until B's INBOX (over IMAP) has a message with this subject; returns its source. */
async function arrivedAtB(subject, kick) {
    const c = await imapB();
    try {
        await c.mailboxOpen('INBOX');
        let n = 0;
        return await waitFor(`"${subject}" in B's INBOX`, async () => {
            // a failed first attempt waits minutes for its retry: make it due again now and then
            if (++n % 40 === 0)
                kick.store.queue.retry();
            const uids = await c.search({ subject }, { uid: true });
            if (!uids || !uids.length)
                return undefined;
            const m = await c.fetchOne(String(uids[0]), { source: true }, { uid: true });
            return m ? m.source.toString() : undefined;
        }, 150_000, 500);
    }
    finally {
        await c.logout().catch(() => undefined);
    }
}
t.test('mail from A\'s submission reaches B\'s IMAP over SMTorP', async (t) => {
    const subject = `smtorp ${randomBytes(4).toString('hex')}`;
    await submitAtA(t, subject);
    const src = await arrivedAtB(subject, p.a);
    t.match(src, /^From: Bob <bob@peer-a\.test>/m);
    t.match(src, /Received: from [^\r\n]*\r\n\s+by mail\.example\.test/, 'received by B');
    const entry = p.a.store.queue.list().find((e) => e.mailFrom === 'bob@peer-a.test');
    t.equal(entry, undefined, 'nothing left in A\'s queue');
});
t.test('a forged peer sender over B\'s onion is refused 550 5.7.1', async (t) => {
    const socksPort = p.net.client.socksPort;
    const onion = p.onion(p.b, 'smtp');
    await onionBanner(socksPort, onion);
    const attempt = async (cert) => {
        const { socket } = await SocksClient.createConnection({ proxy: { host: '127.0.0.1', port: socksPort, type: 5 }, command: 'connect', destination: { host: onion, port: 25 }, timeout: 60_000 });
        const tr = nodemailer.createTransport({
            host: onion, port: 25, secure: false, requireTLS: true, name: 'forger.invalid',
            connection: socket,
            tls: clientTlsOptions({ rejectUnauthorized: false, ...(cert ? { key: cert.key, cert: cert.cert } : {}) }),
        });
        try {
            await tr.sendMail({ envelope: { from: 'bob@peer-a.test', to: 'alice@example.test' }, raw: 'From: bob@peer-a.test\r\nTo: alice@example.test\r\nSubject: forged\r\nDate: Mon, 23 Nov 2026 12:00:00 +0000\r\nMessage-ID: <forged@peer-a.test>\r\n\r\nnot really Bob\r\n' });
            return { code: 250, response: 'accepted' };
        }
        catch (e) {
            return { code: e.responseCode, response: String(e.response) };
        }
        finally {
            tr.close();
            socket.destroy();
        }
    };
    const none = await attempt(undefined);
    t.equal(none.code, 550, none.response);
    t.match(none.response, /^550 5\.7\.1 /);
    const other = await attempt(p.b.appliance.tls.keys[0]);
    t.equal(other.code, 550, 'a certificate that is not A\'s');
    const c = await imapB();
    await c.mailboxOpen('INBOX');
    t.same(await c.search({ subject: 'forged' }, { uid: true }), [], 'nothing stored');
    await c.logout();
});
t.test('tor killed under A: restarted, same onion addresses, mail flows again', async (t) => {
    const before = p.tor(p.a).status();
    const pid = before.pid;
    process.kill(pid, 'SIGKILL');
    await waitFor('A\'s tor to restart and bootstrap', () => {
        const s = p.tor(p.a).status();
        return s.pid && s.pid !== pid && s.connected && s.bootstrap === 100 && p.tor(p.a).socks() ? true : undefined;
    }, 120_000);
    const after = p.tor(p.a).status();
    t.same(after.onions.map((o) => o.address), before.onions.map((o) => o.address), 'onion addresses unchanged');
    // A's SMTP onion (torrc HiddenServiceDir) is published again and reachable from the network
    await waitFor('A\'s SMTP onion descriptor to be uploaded again', () => p.tor(p.a).status().onions.find((o) => o.name === 'smtp').published || undefined, 150_000);
    t.match(await onionBanner(p.net.client.socksPort, p.onion(p.a, 'smtp'), 180_000), /^220 mail\.peer-a\.test /);
    await onionBanner(p.tor(p.a).socks().port, p.onion(p.b, 'smtp'));
    const subject = `after restart ${randomBytes(4).toString('hex')}`;
    await submitAtA(t, subject);
    t.ok(await arrivedAtB(subject, p.a), 'delivered over SMTorP after the restart');
});
t.test('the panel onion answers only an authorized client', async (t) => {
    const onion = p.onion(p.b, 'panel');
    const id = onion.slice(0, 56);
    const socksPort = p.net.client.socksPort;
    const published = () => p.tor(p.b).status().onions.find((o) => o.name === 'panel').published;
    const grant = await createClientAuth(p.b.config, 'laptop', p.tor(p.b));
    t.equal(p.tor(p.b).status().onions.find((o) => o.name === 'panel').clientAuth, true);
    await waitFor('the panel descriptor with client authorization to be uploaded', () => published() || undefined, 120_000);
    // without the key tor fetches the descriptor but cannot read it: SOCKS5 extended error 0xF4
    const code = await waitFor('tor to report missing client authorization', async () => {
        const c = await socks5Reply(socksPort, onion, 80);
        return c === 0xf0 || c === 0x04 || c === 0x01 ? undefined : c; // not found yet / general failure: retry
    }, 120_000, 1000);
    t.equal(code, 0xf4, 'SOCKS5 0xF4: onion service missing client authorization');
    const control = await TorControl.connect({ host: '127.0.0.1', port: p.net.client.controlPort });
    t.teardown(() => control.close());
    await control.authenticate({ cookieFile: p.net.client.cookieFile });
    await control.onionClientAuthAdd(id, grant.privateKeyBase64, { nickname: 'laptop' });
    t.match(await waitFor('the panel through client authorization', () => panelStatusLine(socksPort, onion), 120_000, 1000), /^HTTP\/1\.1 \d{3}/);
});
//# sourceMappingURL=tor-smtorp.test.js.map