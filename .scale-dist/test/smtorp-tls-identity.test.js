// A box's TLS identity survives certificate re-issues. Box B is a real appliance; box A is a real
// delivery runner on its own store with its own certificates (ensureTls), reaching B's MX through
// a SOCKS5 server standing in for Tor (the onion name is routed to B's loopback MX). Shown: cards
// (version 2, the public key's SHA-256) exchanged; B adds a domain and A re-issues too (new
// certificates, same keys): A still delivers, B still takes A's client certificate; an old
// version 1 card (certificate fingerprint) still works and `peer list` asks for a new card;
// `postern cert rotate-key` at B changes the key and A then defers with a clear reason. And B's
// SMTP and IMAP take the re-issued certificates in place: sessions opened before stay up, new
// ones see the new names, the listeners never close.
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { connect as netConnect } from 'node:net';
import { ensureTls, spkiFingerprint, fingerprint } from '../appliance/tls/authority.js';
import { OnionIdentity } from '../services/tor/onion-key.js';
import { addPeerCard, makeOwnCard, readPeerCard, writePeerCard, PeerBook } from '../services/smtorp/index.js';
import { startTestAppliance, tempDir } from './harness/appliance.js';
import { deliveryFixture } from './harness/delivery-fixture.js';
import { startSocksServer } from './harness/socks-server.js';
import { readUntil, waitFor } from './harness/smtorp-pair.js';
import { postern } from './harness/cli.js';
const dir = tempDir('postern-tls-identity-');
let b;
let aTls;
const aOnion = new OnionIdentity(randomBytes(32));
t.before(async () => {
    b = await startTestAppliance({ config: { hostname: 'mail.friends.test', domains: ['friends.test'], tor: { mode: 'off' } } });
    await b.store.accounts.create('bob@friends.test', 'correct horse battery');
    aTls = await ensureTls(join(dir, 'a-tls'), 'mail.example.test', ['example.test']);
});
t.teardown(async () => { await b?.stop(); rmSync(dir, { recursive: true, force: true }); });
function configFile(x) {
    const listen = {};
    for (const [k, v] of Object.entries(x.config.listen))
        listen[k] = `${v.host}:${v.port}`;
    const file = join(dir, 'b.json');
    writeFileSync(file, JSON.stringify({ hostname: x.config.hostname, domains: x.config.domains, dataDir: x.dataDir, listen, tor: { mode: 'off' } }));
    return file;
}
function bobInbox() {
    const acc = b.store.accounts.byAddress('bob@friends.test');
    return b.store.messages.list(b.store.mailboxes.get(acc.id, 'INBOX').id).length;
}
function sans(s) {
    return s.getPeerCertificate().subjectaltname ?? '';
}
async function tlsOpen(port, greeting) {
    const s = tlsConnect({ host: '127.0.0.1', port, servername: 'mail.friends.test', rejectUnauthorized: false });
    await new Promise((resolve, reject) => { s.once('secureConnect', resolve); s.once('error', reject); });
    await readUntil(s, greeting, 10_000);
    return s;
}
t.test('SMTorP pins survive re-issues; an old card still works; a new key fails clearly', async (t) => {
    // A's view: B's card through the CLI's own code (makeOwnCard), B's MX behind the onion name
    const bCard = readPeerCard(makeOwnCard(b.config, b.appliance.tls));
    t.equal(bCard.spki, b.appliance.tls.serverSpki[0], 'B\'s card pins the public key of its ECDSA certificate');
    t.equal(bCard.spki, spkiFingerprint(b.appliance.tls.keys[0].cert));
    t.equal(bCard.fingerprint, undefined);
    const socks = await startSocksServer({ [`${bCard.onion}:25`]: { host: '127.0.0.1', port: b.port('mx') } });
    t.teardown(() => socks.close());
    const f = await deliveryFixture(t, { zone: {}, clientCert: aTls.keys[0] });
    const aBook = new PeerBook(f.store);
    aBook.addCard(bCard, { ownDomains: f.config.domains });
    f.pipeline.onPeerLookup((d) => aBook.route(d));
    f.pipeline.socksProxy = () => ({ host: socks.host, port: socks.port });
    // B's view: A's version 2 card
    const aCard = writePeerCard({ host: 'mail.example.test', domains: ['example.test'], port: 25, spki: aTls.serverSpki[0], created: '2026-11-20T10:00:00Z' }, aOnion);
    t.match(aCard, /^Version: 2$/m);
    t.match(aCard, /^TLS-SPKI-SHA256: [0-9a-f]{64}$/m);
    addPeerCard(b.store, b.config, aCard);
    f.send(['bob@friends.test']);
    await f.runner.drain();
    t.equal(f.store.queue.count(), 0, 'A delivered to B over the pinned route');
    t.equal(bobInbox(), 1, 'B accepted mail from example.test with A\'s client certificate');
    // B adds a domain: certificates re-issued with the same keys; A re-issues too
    const before = { fp: [...b.appliance.tls.serverFingerprints], spki: [...b.appliance.tls.serverSpki] };
    b.store.domains.ensure('added.test');
    await b.appliance.refreshTls();
    t.not(b.appliance.tls.serverFingerprints[0], before.fp[0], 'B\'s certificate was re-issued');
    t.same(b.appliance.tls.serverSpki, before.spki, 'with the same key pairs (ECDSA and RSA)');
    t.match(new (await import('node:crypto')).X509Certificate(b.appliance.tls.keys[0].cert).subjectAltName ?? '', /DNS:added\.test/);
    const aFp = aTls.serverFingerprints[0];
    aTls = await ensureTls(aTls.dir, 'mail.example.test', ['example.test', 'other.test']);
    t.not(aTls.serverFingerprints[0], aFp, 'A\'s certificate was re-issued');
    t.equal(aTls.serverSpki[0], readPeerCard(aCard).spki, 'A kept its key');
    f.runner.useClientCert(aTls.keys[0]);
    f.send(['bob@friends.test'], { subject: 'after the re-issue' });
    await f.runner.drain();
    t.equal(f.store.queue.count(), 0, 'A still delivers to B');
    t.equal(bobInbox(), 2, 'B still accepts A\'s (re-issued) client certificate');
    // an old card (version 1: the certificate's fingerprint) from A, as older boxes make them
    const oldCard = writePeerCard({ host: 'mail.example.test', domains: ['example.test'], port: 25, fingerprint: aTls.serverFingerprints[0], created: '2026-11-21T10:00:00Z' }, aOnion);
    t.match(oldCard, /^Version: 1$/m);
    t.match(oldCard, /^TLS-SHA256: [0-9a-f]{64}$/m);
    const added = addPeerCard(b.store, b.config, oldCard);
    t.same(added.updated, ['example.test'], 'the old card is read and accepted');
    t.equal(new PeerBook(b.store).get('example.test').fingerprint, fingerprint(aTls.keys[0].cert));
    f.send(['bob@friends.test'], { subject: 'old card' });
    await f.runner.drain();
    t.equal(bobInbox(), 3, 'B honours the old card\'s certificate pin');
    const cfg = configFile(b);
    const list = await postern(['peer', 'list', '--config', cfg]);
    t.equal(list.code, 0, list.stderr);
    t.match(list.stdout, new RegExp(`^example\\.test\\t${aOnion.address}:25\\tcert:${aTls.serverFingerprints[0]}\\tfallback off\\told card: ask the peer for a new card$`, 'm'));
    // rotate-key at B: refused without --yes, then a new key; A's pin now fails with a clear reason
    const no = await postern(['cert', 'rotate-key', '--config', cfg]);
    t.equal(no.code, 1);
    t.match(no.stderr, /peers pin this box's TLS public key/);
    const spkiBefore = b.appliance.tls.serverSpki[0];
    const rot = await postern(['cert', 'rotate-key', '--yes', '--config', cfg]);
    t.equal(rot.code, 0, rot.stderr);
    t.match(rot.stderr, /until each peer adds this box's new card/);
    t.match(rot.stdout, /^new ECDSA key: public key \(SPKI\) SHA-256 [0-9a-f]{64} \(was [0-9a-f]{64}\)$/m);
    // the running appliance notices the certificates the CLI wrote (its domain watch) and takes them
    await waitFor('B to take the rotated key', () => b.appliance.tls.serverSpki[0] !== spkiBefore ? true : undefined, 40_000);
    t.not(b.appliance.tls.serverSpki[0], spkiBefore, 'rotate-key made a new key');
    t.match(b.appliance.tls.keys[0].cert, /BEGIN CERTIFICATE/);
    const { ids } = f.send(['bob@friends.test'], { subject: 'after rotate-key' });
    await f.runner.drain();
    const entry = f.store.queue.get(ids[0]);
    t.ok(entry, 'deferred, still queued (not bounced, not sent)');
    t.match(entry.lastReply, /does not match the pinned key: the peer may have a new key and must send a new card/);
    t.equal(bobInbox(), 3, 'nothing reached B');
    t.equal(f.inbox().length, 1, 'the sender is told of the delay');
    // B's new card fixes it
    aBook.addCard(readPeerCard(makeOwnCard(b.config, b.appliance.tls)), { ownDomains: f.config.domains });
    f.clock.now += 60 * 60_000;
    await f.runner.drain();
    t.notOk(f.store.queue.get(ids[0]), 'delivered after B\'s new card');
    t.equal(bobInbox(), 4);
});
t.test('SMTP and IMAP take re-issued certificates in place: open sessions stay, new ones get the new names', async (t) => {
    const smtpBefore = b.appliance.service('smtp');
    const imapBefore = b.appliance.service('imap');
    const imaps = await tlsOpen(b.port('imaps'), /^\* OK.*\r\n/m);
    t.teardown(() => imaps.destroy());
    const smtps = await tlsOpen(b.port('submissions'), /^220 .*\r\n/m);
    t.teardown(() => smtps.destroy());
    t.notMatch(sans(imaps), /newer\.test/);
    t.notMatch(sans(smtps), /newer\.test/);
    // the listeners stay open: connections keep being accepted while the certificates change
    let refused = 0;
    let probes = 0;
    let probing = true;
    const probe = (async () => {
        while (probing) {
            await new Promise((resolve) => {
                const s = netConnect({ host: '127.0.0.1', port: b.port('imaps') });
                s.once('connect', () => { probes++; s.destroy(); resolve(); });
                s.once('error', () => { refused++; resolve(); });
            });
        }
    })();
    b.store.domains.ensure('newer.test');
    await b.appliance.refreshTls();
    probing = false;
    await probe;
    t.ok(probes > 0);
    t.equal(refused, 0, 'no connection refused during the re-issue');
    t.equal(b.appliance.service('smtp'), smtpBefore, 'SMTP was not restarted');
    t.equal(b.appliance.service('imap'), imapBefore, 'IMAP was not restarted');
    // sessions opened before the re-issue still work
    imaps.write('a1 NOOP\r\n');
    t.match(await readUntil(imaps, /^a1 .*\r\n/m, 10_000), /^a1 OK/m, 'the IMAP session opened before is still up');
    smtps.write('NOOP\r\n');
    t.match(await readUntil(smtps, /^250 .*\r\n/m, 10_000), /^250 /m, 'the SMTP session opened before is still up');
    // new sessions get the new certificate: implicit TLS and STARTTLS, SMTP and IMAP
    const imaps2 = await tlsOpen(b.port('imaps'), /^\* OK.*\r\n/m);
    t.match(sans(imaps2), /DNS:newer\.test/, 'IMAPS: the new certificate');
    imaps2.destroy();
    const smtps2 = await tlsOpen(b.port('submissions'), /^220 .*\r\n/m);
    t.match(sans(smtps2), /DNS:newer\.test/, 'SMTPS: the new certificate');
    smtps2.destroy();
    t.match(await starttlsSans(b.port('mx'), 'smtp'), /DNS:newer\.test/, 'SMTP STARTTLS: the new certificate');
    t.match(await starttlsSans(b.port('imap'), 'imap'), /DNS:newer\.test/, 'IMAP STARTTLS: the new certificate');
});
async function starttlsSans(port, proto) {
    const plain = netConnect({ host: '127.0.0.1', port });
    try {
        if (proto === 'smtp') {
            await readUntil(plain, /^220 .*\r\n/m, 10_000);
            plain.write('EHLO client.test\r\n');
            await readUntil(plain, /^250 .*\r\n/m, 10_000);
            plain.write('STARTTLS\r\n');
            await readUntil(plain, /^220 .*\r\n/m, 10_000);
        }
        else {
            await readUntil(plain, /^\* OK.*\r\n/m, 10_000);
            plain.write('s1 STARTTLS\r\n');
            await readUntil(plain, /^s1 OK.*\r\n/m, 10_000);
        }
        const s = tlsConnect({ socket: plain, servername: 'mail.friends.test', rejectUnauthorized: false });
        await new Promise((resolve, reject) => { s.once('secureConnect', resolve); s.once('error', reject); });
        const names = sans(s);
        s.destroy();
        return names;
    }
    finally {
        plain.destroy();
    }
}
//# sourceMappingURL=smtorp-tls-identity.test.js.map