// Routes other than direct MX: the smarthost relay (TLS always, STARTTLS or implicit, AUTH, the
// relay's certificate verified) and a SMTorP peer box through a SOCKS5 proxy standing in for Tor
// (the .onion name goes to the proxy unresolved, STARTTLS required, the peer's certificate pinned,
// the box's own certificate presented), with fallback to the public route only when allowed.
import t from 'tap';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTls, fingerprint } from '../appliance/tls/authority.js';
import { deliveryFixture } from './harness/delivery-fixture.js';
import { startSmtpPeer } from './harness/smtp-peer.js';
import { startSocksServer } from './harness/socks-server.js';
import { tempDir } from './harness/appliance.js';
const certDir = tempDir('postern-delivery-routes-');
t.teardown(() => rmSync(certDir, { recursive: true, force: true }));
let relayId;
let friendId;
let ownId;
const ONION = 'friendboxaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaad.onion';
t.before(async () => {
    relayId = await ensureTls(join(certDir, 'relay'), 'localhost', []);
    friendId = await ensureTls(join(certDir, 'friend'), 'mail.friends.test', []);
    ownId = await ensureTls(join(certDir, 'own'), 'mail.example.test', []);
});
const zone = {
    'friends.test': { MX: [{ preference: 10, exchange: 'mx.friends.test' }] },
    'mx.friends.test': { A: ['127.0.0.5'] },
};
function one(id) {
    return { ...id, keys: [id.keys[0]] };
}
t.test('relay with STARTTLS and AUTH: every domain goes through it, verified and authenticated', async (t) => {
    const relay = await startSmtpPeer({ host: '127.0.0.1', tls: relayId, auth: { user: 'household', password: 'relay secret' } });
    t.teardown(() => relay.close());
    const f = await deliveryFixture(t, {
        zone, options: { trustAnchors: [relayId.ca] },
        config: { relay: { host: 'localhost', port: relay.port, tls: 'starttls', user: 'household', password: 'relay secret' } },
    });
    f.send(['bob@dest.test', 'carol@other.test']);
    await f.runner.drain();
    t.equal(relay.received.length, 2, 'one transaction per domain entry');
    t.ok(relay.received.every((r) => r.secure && r.user === 'household'));
    t.notOk(f.dns.queries.some((q) => q.startsWith('dest.test')), 'no MX lookup when relaying');
    t.notOk(f.dns.queries.some((q) => q.includes('localhost')), 'the relay, named localhost, found by the system resolver, not on the MX resolvers');
    t.equal(f.store.queue.get(1)?.route ?? 'relay', 'relay');
    t.equal(f.store.queue.count(), 0);
});
t.test('relay refuses the password: deferred with the answer, nothing sent', async (t) => {
    const relay = await startSmtpPeer({ host: '127.0.0.1', tls: relayId, auth: { user: 'household', password: 'relay secret' } });
    t.teardown(() => relay.close());
    const f = await deliveryFixture(t, {
        zone, options: { trustAnchors: [relayId.ca] },
        config: { relay: { host: 'localhost', port: relay.port, tls: 'starttls', user: 'household', password: 'wrong' } },
    });
    const { ids } = f.send(['bob@dest.test']);
    await f.runner.drain();
    t.equal(relay.received.length, 0);
    const e = f.store.queue.get(ids[0]);
    t.equal(e.recipients[0].status, 'pending');
    t.match(e.lastReply, /authentication failed: 535/);
    t.equal(e.route, 'relay');
});
t.test('relay with implicit TLS', async (t) => {
    const relay = await startSmtpPeer({ host: '127.0.0.1', tls: relayId, secure: true, auth: { user: 'household', password: 'relay secret' } });
    t.teardown(() => relay.close());
    const f = await deliveryFixture(t, {
        zone, options: { trustAnchors: [relayId.ca] },
        config: { relay: { host: 'localhost', port: relay.port, tls: 'implicit', user: 'household', password: 'relay secret' } },
    });
    f.send(['bob@dest.test']);
    await f.runner.drain();
    t.equal(relay.received.length, 1);
    t.equal(relay.received[0].secure, true);
});
t.test('relay without STARTTLS, or with an untrusted certificate: deferred, never plaintext, the sender told', async (t) => {
    const plain = await startSmtpPeer({ host: '127.0.0.1' });
    t.teardown(() => plain.close());
    const f = await deliveryFixture(t, {
        zone, options: { trustAnchors: [relayId.ca] },
        config: { relay: { host: 'localhost', port: plain.port, tls: 'starttls', user: 'household', password: 'relay secret' } },
    });
    const { ids } = f.send(['bob@dest.test']);
    await f.runner.drain();
    t.equal(plain.received.length, 0);
    t.match(f.store.queue.get(ids[0]).lastReply, /does not offer STARTTLS/);
    t.equal(f.inbox().length, 1);
    const untrusted = await startSmtpPeer({ host: '127.0.0.1', tls: relayId, auth: { user: 'household', password: 'relay secret' } });
    t.teardown(() => untrusted.close());
    const g = await deliveryFixture(t, {
        zone, // no trust anchor given: the system's CAs do not know the test CA
        config: { relay: { host: 'localhost', port: untrusted.port, tls: 'starttls', user: 'household', password: 'relay secret' } },
    });
    const r = g.send(['bob@dest.test']);
    await g.runner.drain();
    t.equal(untrusted.received.length, 0);
    t.match(g.store.queue.get(r.ids[0]).lastReply, /certificate is not trusted/);
});
t.test('SMTorP peer through SOCKS: onion name unresolved, STARTTLS, pinned peer, our certificate presented', async (t) => {
    const friend = await startSmtpPeer({ tls: one(friendId), requestClientCert: true });
    t.teardown(() => friend.close());
    const socks = await startSocksServer({ [`${ONION}:25`]: { host: '127.0.0.1', port: friend.port } });
    t.teardown(() => socks.close());
    const own = ownId.keys[0];
    const f = await deliveryFixture(t, { zone, clientCert: own });
    f.pipeline.onPeerLookup((d) => d === 'friends.test' ? { domain: d, onion: ONION, port: 25, fingerprint: fingerprint(friendId.keys[0].cert), fallbackToPublic: false } : undefined);
    f.pipeline.socksProxy = () => ({ host: socks.host, port: socks.port });
    const { ids } = f.send(['bob@friends.test']);
    await f.runner.drain();
    t.equal(friend.received.length, 1);
    t.equal(friend.received[0].secure, true);
    t.equal(friend.received[0].clientCertFingerprint, fingerprint(own.cert), 'the box presented its own certificate');
    t.same(socks.requests, [`${ONION}:25`], 'the onion name went to the proxy unresolved');
    t.notOk(f.dns.queries.some((q) => q.includes('friends.test') || q.includes('onion')), 'no DNS lookup for a peer');
    t.notOk(f.store.queue.get(ids[0]), 'delivered and removed');
});
t.test('SMTorP peer with the wrong certificate: deferred and reported; unreachable: fallback only when allowed', async (t) => {
    const impostor = await startSmtpPeer({ tls: one(relayId) });
    t.teardown(() => impostor.close());
    const socks = await startSocksServer({ [`${ONION}:25`]: { host: '127.0.0.1', port: impostor.port } });
    t.teardown(() => socks.close());
    const publicMx = await startSmtpPeer({ host: '127.0.0.5' });
    t.teardown(() => publicMx.close());
    const f = await deliveryFixture(t, { zone, delivery: { mxPort: publicMx.port }, clientCert: ownId.keys[0] });
    let fallback = false;
    let tor = true;
    f.pipeline.onPeerLookup((d) => d === 'friends.test' ? { domain: d, onion: ONION, port: 25, fingerprint: fingerprint(friendId.keys[0].cert), fallbackToPublic: fallback } : undefined);
    f.pipeline.socksProxy = () => tor ? { host: socks.host, port: socks.port } : undefined;
    const { ids } = f.send(['bob@friends.test']);
    await f.runner.drain();
    t.equal(impostor.received.length, 0, 'nothing sent to the impostor');
    t.match(f.store.queue.get(ids[0]).lastReply, /does not match the pinned fingerprint/);
    t.equal(f.inbox().length, 1, 'the sender is told');
    t.equal(publicMx.received.length, 0, 'no fallback when the peer does not allow it');
    tor = false;
    f.clock.now += 10 * 60_000;
    await f.runner.drain();
    t.match(f.store.queue.get(ids[0]).lastReply, /Tor is not running/);
    t.equal(publicMx.received.length, 0);
    fallback = true;
    f.clock.now += 20 * 60_000;
    await f.runner.drain();
    t.equal(publicMx.received.length, 1, 'the public route when the peer allows it');
    t.notOk(f.store.queue.get(ids[0]));
});
//# sourceMappingURL=delivery-routes.test.js.map