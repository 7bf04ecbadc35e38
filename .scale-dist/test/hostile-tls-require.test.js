// Issue #14 finding 10 (tlsPolicy.require): a domain the household marks `require: true` without
// pins gets mail only over TLS to a server whose certificate is valid for the MX name under the
// trusted roots (PKIX), not to anyone who answers STARTTLS. A peer with a certificate from a CA
// the box does not trust (what an attacker on the path would present) is refused: the message is
// deferred with a reason that says so and the sender is told; the same server, its CA trusted,
// gets the message; a certificate for another name is refused even from a trusted CA.
import t from 'tap';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTls } from '../appliance/tls/authority.js';
import { deliveryFixture } from './harness/delivery-fixture.js';
import { startSmtpPeer } from './harness/smtp-peer.js';
import { tempDir } from './harness/appliance.js';
const certDir = tempDir('postern-tls-require-');
t.teardown(() => rmSync(certDir, { recursive: true, force: true }));
let mxId;
let otherId;
t.before(async () => {
    mxId = await ensureTls(join(certDir, 'mx1'), 'mx1.dest.test', []);
    otherId = await ensureTls(join(certDir, 'other'), 'other.test', []);
});
const zone = {
    'dest.test': { MX: [{ preference: 10, exchange: 'mx1.dest.test' }] },
    'mx1.dest.test': { A: ['127.0.0.2'] },
};
const policy = { 'dest.test': { require: true } };
t.test('require without pins: an untrusted certificate is refused, deferred with the reason, the sender told', async (t) => {
    const mx = await startSmtpPeer({ host: '127.0.0.2', tls: mxId });
    t.teardown(() => mx.close());
    const f = await deliveryFixture(t, { zone, delivery: { mxPort: mx.port, tlsPolicy: policy } });
    const { ids } = f.send(['bob@dest.test']);
    await f.runner.drain();
    t.equal(mx.received.length, 0, 'nothing was sent to the unverified server');
    const entry = f.store.queue.get(ids[0]);
    t.ok(entry, 'the message stays queued (deferred)');
    t.match(entry.lastReply, /certificate is not trusted/, 'the reason names the certificate');
    t.equal(f.inbox().length, 1, 'the sender is told at once');
});
t.test('require without pins: a certificate for the MX name from a trusted CA is accepted', async (t) => {
    const mx = await startSmtpPeer({ host: '127.0.0.2', tls: mxId });
    t.teardown(() => mx.close());
    const f = await deliveryFixture(t, { zone, delivery: { mxPort: mx.port, tlsPolicy: policy }, options: { trustAnchors: [mxId.ca] } });
    f.send(['bob@dest.test']);
    await f.runner.drain();
    t.equal(mx.received.length, 1, 'delivered');
    t.equal(mx.received[0].secure, true, 'over TLS');
    t.equal(f.store.queue.count(), 0);
});
t.test('require without pins: a trusted certificate for another name is refused', async (t) => {
    const mx = await startSmtpPeer({ host: '127.0.0.2', tls: otherId });
    t.teardown(() => mx.close());
    const f = await deliveryFixture(t, { zone, delivery: { mxPort: mx.port, tlsPolicy: policy }, options: { trustAnchors: [otherId.ca] } });
    const { ids } = f.send(['bob@dest.test']);
    await f.runner.drain();
    t.equal(mx.received.length, 0);
    t.match(f.store.queue.get(ids[0]).lastReply, /certificate does not name mx1\.dest\.test/);
});
//# sourceMappingURL=hostile-tls-require.test.js.map