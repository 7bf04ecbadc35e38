// The household's per-domain TLS policy may pin a server's public key (`spki`: SHA-256 of its
// SubjectPublicKeyInfo) instead of its certificate: a certificate re-issued with the same key
// still passes, another key is refused before any mail is sent and the entry is deferred.
import t from 'tap';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTls } from '../appliance/tls/authority.js';
import { validateConfig, ConfigError } from '../appliance/config.js';
import { deliveryFixture } from './harness/delivery-fixture.js';
import { startSmtpPeer } from './harness/smtp-peer.js';
import { tempDir } from './harness/appliance.js';
const certDir = tempDir('postern-delivery-spki-');
t.teardown(() => rmSync(certDir, { recursive: true, force: true }));
const zone = {
    'dest.test': { MX: [{ preference: 10, exchange: 'mx1.dest.test' }] },
    'mx1.dest.test': { A: ['127.0.0.2'] },
};
const one = (id) => ({ ...id, keys: [id.keys[0]] });
t.test('config: spki pins are SHA-256 hex (colons allowed), anything else is refused', async (t) => {
    const base = { hostname: 'mail.example.test', domains: ['example.test'], dataDir: certDir, listen: {}, tor: { mode: 'off' } };
    const pin = 'AB:'.repeat(31) + 'AB';
    const c = validateConfig({ ...base, delivery: { tlsPolicy: { 'dest.test': { spki: [pin] } } } }, { baseDir: certDir, torOnPath: false });
    t.same(c.delivery.tlsPolicy['dest.test'], { require: true, spki: ['ab'.repeat(32)] });
    t.throws(() => validateConfig({ ...base, delivery: { tlsPolicy: { 'dest.test': { spki: ['abc'] } } } }, { baseDir: certDir, torOnPath: false }), ConfigError);
    t.throws(() => validateConfig({ ...base, delivery: { tlsPolicy: { 'dest.test': { spki: 'ab'.repeat(32) } } } }, { baseDir: certDir, torOnPath: false }), /delivery\.tlsPolicy\.dest\.test\.spki/);
});
t.test('a pinned public key: re-issued certificate with the same key delivers; another key defers', async (t) => {
    const mxDir = join(certDir, 'mx1');
    const first = await ensureTls(mxDir, 'mx1.dest.test', []);
    const reissued = await ensureTls(mxDir, 'mx1.dest.test', ['dest.test']);
    t.not(reissued.serverFingerprints[0], first.serverFingerprints[0], 'a new certificate');
    t.equal(reissued.serverSpki[0], first.serverSpki[0], 'the same key');
    const stranger = await ensureTls(join(certDir, 'stranger'), 'mx1.dest.test', []);
    const mx = await startSmtpPeer({ host: '127.0.0.2', tls: one(reissued) });
    t.teardown(() => mx.close());
    const f = await deliveryFixture(t, { zone, delivery: { mxPort: mx.port, tlsPolicy: { 'dest.test': { spki: [first.serverSpki[0]] } } } });
    f.send(['bob@dest.test']);
    await f.runner.drain();
    t.equal(mx.received.length, 1, 'the first certificate\'s key pin accepts the re-issued certificate');
    t.equal(mx.received[0].secure, true);
    await mx.close();
    const impostor = await startSmtpPeer({ host: '127.0.0.2', port: mx.port, tls: one(stranger) });
    t.teardown(() => impostor.close());
    const { ids } = f.send(['bob@dest.test'], { subject: 'second' });
    await f.runner.drain();
    t.equal(impostor.received.length, 0, 'nothing sent to another key');
    const e = f.store.queue.get(ids[0]);
    t.equal(e.recipients[0].status, 'pending', 'deferred, not bounced');
    t.match(e.lastReply, /public key \(SPKI SHA-256 [0-9a-f]{64}\) does not match the pinned key/);
});
//# sourceMappingURL=delivery-tls-spki.test.js.map