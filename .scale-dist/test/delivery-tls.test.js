// TLS on the way out: opportunistic STARTTLS, the household's per-domain policy (TLS required,
// certificate pinned by SHA-256 fingerprint) and MTA-STS (RFC 8461) with a policy served by the
// test. A missing STARTTLS or a wrong certificate defers and tells the sender at once; the message
// is never sent in plaintext or to the wrong server.
import t from 'tap';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTls } from '../appliance/tls/authority.js';
import { deliveryFixture } from './harness/delivery-fixture.js';
import { startSmtpPeer } from './harness/smtp-peer.js';
import { tempDir } from './harness/appliance.js';
const MIN = 60_000;
const certDir = tempDir('postern-delivery-tls-');
t.teardown(() => rmSync(certDir, { recursive: true, force: true }));
let mx1Id;
let mx2Id;
let strangerId;
t.before(async () => {
    mx1Id = await ensureTls(join(certDir, 'mx1'), 'mx1.dest.test', []);
    mx2Id = await ensureTls(join(certDir, 'mx2'), 'mx2.dest.test', []);
    strangerId = await ensureTls(join(certDir, 'stranger'), 'stranger.test', []);
});
const zone = {
    'dest.test': { MX: [{ preference: 10, exchange: 'mx1.dest.test' }, { preference: 20, exchange: 'mx2.dest.test' }] },
    'mx1.dest.test': { A: ['127.0.0.2'] },
    'mx2.dest.test': { A: ['127.0.0.3'] },
};
function dsnField(dsn, field) {
    return [...dsn.matchAll(new RegExp(`^${field}: (.*)$`, 'gim'))].map((m) => m[1].trim());
}
t.test('opportunistic STARTTLS: used when offered, the certificate is not checked', async (t) => {
    const mx1 = await startSmtpPeer({ host: '127.0.0.2', tls: strangerId });
    t.teardown(() => mx1.close());
    const f = await deliveryFixture(t, { zone, delivery: { mxPort: mx1.port } });
    f.send(['bob@dest.test']);
    await f.runner.drain();
    t.equal(mx1.received.length, 1);
    t.equal(mx1.received[0].secure, true, 'sent over TLS');
    t.equal(f.store.queue.count(), 0);
});
t.test('opportunistic STARTTLS whose handshake fails (TLS 1.1 only): plaintext to that host; with TLS required: deferred', async (t) => {
    const mx1 = await startSmtpPeer({ host: '127.0.0.2', tls: strangerId, oldTls: true });
    t.teardown(() => mx1.close());
    const f = await deliveryFixture(t, { zone: { ...zone, 'dest.test': { MX: [{ preference: 10, exchange: 'mx1.dest.test' }] } }, delivery: { mxPort: mx1.port } });
    f.send(['bob@dest.test']);
    await f.runner.drain();
    t.equal(mx1.received.length, 1, 'delivered after the failed handshake (RFC 7435)');
    t.equal(mx1.received[0].secure, false);
    t.same(f.inbox(), []);
    const g = await deliveryFixture(t, {
        zone: { ...zone, 'dest.test': { MX: [{ preference: 10, exchange: 'mx1.dest.test' }] } },
        delivery: { mxPort: mx1.port, tlsPolicy: { 'dest.test': { require: true } } },
    });
    const { ids } = g.send(['carol@dest.test']);
    await g.runner.drain();
    t.equal(mx1.received.length, 1, 'no plaintext when the household requires TLS');
    t.match(g.store.queue.get(ids[0]).lastReply, /TLS handshake failed/);
    t.equal(g.inbox().length, 1, 'the sender is told');
});
t.test('TLS required by policy, the server offers no STARTTLS: deferred, told at once, never plaintext', async (t) => {
    const mx1 = await startSmtpPeer({ host: '127.0.0.2' });
    t.teardown(() => mx1.close());
    const f = await deliveryFixture(t, {
        zone: { ...zone, 'dest.test': { MX: [{ preference: 10, exchange: 'mx1.dest.test' }] } },
        delivery: { mxPort: mx1.port, tlsPolicy: { 'dest.test': { require: true } } },
    });
    const { ids } = f.send(['bob@dest.test'], { subject: 'private' });
    await f.runner.drain();
    t.ok(mx1.connections >= 1, 'the server was contacted');
    t.equal(mx1.received.length, 0, 'nothing was sent in plaintext');
    const e = f.store.queue.get(ids[0]);
    t.equal(e.recipients[0].status, 'pending');
    t.match(e.lastReply, /TLS is required for mx1\.dest\.test but the server does not offer STARTTLS/);
    const inbox = f.inbox();
    t.equal(inbox.length, 1, 'the sender is told at once, not after hours');
    t.same(dsnField(inbox[0], 'Action'), ['delayed']);
    t.match(inbox[0], /does not offer STARTTLS/);
    f.clock.now += 6 * MIN;
    await f.runner.drain();
    t.equal(f.inbox().length, 1, 'told once');
    t.equal(mx1.received.length, 0);
});
t.test('a pinned fingerprint: the wrong certificate defers and tells the sender; the right one delivers', async (t) => {
    const mx1 = await startSmtpPeer({ host: '127.0.0.2', tls: strangerId });
    t.teardown(() => mx1.close());
    const f = await deliveryFixture(t, {
        zone: { ...zone, 'dest.test': { MX: [{ preference: 10, exchange: 'mx1.dest.test' }] } },
        delivery: { mxPort: mx1.port, tlsPolicy: { 'dest.test': { require: true, fingerprints: mx1Id.serverFingerprints } } },
    });
    const { ids } = f.send(['bob@dest.test']);
    await f.runner.drain();
    t.equal(mx1.received.length, 0, 'nothing sent to a server with the wrong certificate');
    const e = f.store.queue.get(ids[0]);
    t.equal(e.recipients[0].status, 'pending');
    t.match(e.lastReply, /does not match the pinned fingerprint/);
    t.equal(f.inbox().length, 1);
    t.match(f.inbox()[0], /pinned fingerprint/);
    // the operator fixes the server: it now presents the pinned certificate
    await mx1.close();
    const fixed = await startSmtpPeer({ host: '127.0.0.2', port: mx1.port, tls: mx1Id });
    t.teardown(() => fixed.close());
    f.clock.now += 6 * MIN;
    await f.runner.drain();
    t.equal(fixed.received.length, 1);
    t.equal(fixed.received[0].secure, true);
    t.equal(f.store.queue.count(), 0);
});
t.test('a pinned domain goes direct even when a relay is configured', async (t) => {
    const mx1 = await startSmtpPeer({ host: '127.0.0.2', tls: mx1Id });
    t.teardown(() => mx1.close());
    const f = await deliveryFixture(t, {
        zone: { ...zone, 'dest.test': { MX: [{ preference: 10, exchange: 'mx1.dest.test' }] } },
        delivery: { mxPort: mx1.port, tlsPolicy: { 'dest.test': { require: true, fingerprints: mx1Id.serverFingerprints } } },
        config: { relay: { host: '127.0.0.9', port: 9, tls: 'implicit' } },
    });
    f.send(['bob@dest.test']);
    await f.runner.drain();
    t.equal(mx1.received.length, 1);
    t.equal(f.store.queue.count(), 0);
});
t.test('MTA-STS enforce: only the MX hosts the policy names, with a verified certificate', async (t) => {
    const mx1 = await startSmtpPeer({ host: '127.0.0.2' });
    t.teardown(() => mx1.close());
    const mx2 = await startSmtpPeer({ host: '127.0.0.3', port: mx1.port, tls: mx2Id });
    t.teardown(() => mx2.close());
    const fetched = [];
    const f = await deliveryFixture(t, {
        zone: { ...zone, '_mta-sts.dest.test': { TXT: [['v=STSv1; id=20261123T1000;']] } },
        delivery: { mxPort: mx1.port },
        options: {
            trustAnchors: [mx2Id.ca],
            fetchMtaSts: async (domain) => { fetched.push(domain); return 'version: STSv1\nmode: enforce\nmx: mx2.dest.test\nmax_age: 86400\n'; },
        },
    });
    f.send(['bob@dest.test']);
    await f.runner.drain();
    t.same(fetched, ['dest.test']);
    t.equal(mx1.received.length, 0, 'the preferred MX is not in the policy: skipped');
    t.equal(mx2.received.length, 1);
    t.equal(mx2.received[0].secure, true);
    f.send(['carol@dest.test']);
    await f.runner.drain();
    t.same(fetched, ['dest.test'], 'the policy is cached for max_age');
    t.equal(mx2.received.length, 2);
});
t.test('MTA-STS enforce with a certificate for another name: deferred and reported', async (t) => {
    const mx2 = await startSmtpPeer({ host: '127.0.0.3', tls: strangerId });
    t.teardown(() => mx2.close());
    const f = await deliveryFixture(t, {
        zone: { ...zone, 'dest.test': { MX: [{ preference: 10, exchange: 'mx2.dest.test' }] }, '_mta-sts.dest.test': { TXT: [['v=STSv1; id=1;']] } },
        delivery: { mxPort: mx2.port },
        options: { trustAnchors: [strangerId.ca], fetchMtaSts: async () => 'version: STSv1\nmode: enforce\nmx: *.dest.test\nmax_age: 86400\n' },
    });
    const { ids } = f.send(['bob@dest.test']);
    await f.runner.drain();
    t.equal(mx2.received.length, 0);
    t.match(f.store.queue.get(ids[0]).lastReply, /certificate does not name mx2\.dest\.test/);
    t.equal(f.inbox().length, 1, 'the sender is told');
});
t.test('MTA-STS testing mode reports only: delivery goes on', async (t) => {
    const mx1 = await startSmtpPeer({ host: '127.0.0.2' });
    t.teardown(() => mx1.close());
    const f = await deliveryFixture(t, {
        zone: { ...zone, 'dest.test': { MX: [{ preference: 10, exchange: 'mx1.dest.test' }] }, '_mta-sts.dest.test': { TXT: [['v=STSv1; id=2;']] } },
        delivery: { mxPort: mx1.port },
        options: { fetchMtaSts: async () => 'version: STSv1\nmode: testing\nmx: other.dest.test\nmax_age: 600\n' },
    });
    f.send(['bob@dest.test']);
    await f.runner.drain();
    t.equal(mx1.received.length, 1);
});
//# sourceMappingURL=delivery-tls.test.js.map