// Run by test/delivery-relay-hosts.test.ts inside a private mount namespace whose /etc/hosts names
// the relay (relay.lan -> 127.0.0.7): a relay known only to the system resolver is used, and the
// MX resolvers are never asked for it. A tap test file of its own (its exit code is the result).
import t from 'tap';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTls } from '../../appliance/tls/authority.js';
import { deliveryFixture } from '../harness/delivery-fixture.js';
import { startSmtpPeer } from '../harness/smtp-peer.js';
import { tempDir } from '../harness/appliance.js';
t.test('a relay named in /etc/hosts is found and used', async (t) => {
    const certDir = tempDir('postern-relay-hosts-');
    t.teardown(() => rmSync(certDir, { recursive: true, force: true }));
    const relayId = await ensureTls(join(certDir, 'relay'), 'relay.lan', []);
    const relay = await startSmtpPeer({ host: '127.0.0.7', tls: relayId, auth: { user: 'household', password: 'relay secret' } });
    t.teardown(() => relay.close());
    const f = await deliveryFixture(t, {
        zone: {}, options: { trustAnchors: [relayId.ca] },
        config: { relay: { host: 'relay.lan', port: relay.port, tls: 'starttls', user: 'household', password: 'relay secret' } },
    });
    f.send(['bob@dest.test']);
    await f.runner.drain();
    t.equal(relay.received.length, 1, 'delivered through the relay at the /etc/hosts address');
    t.ok(relay.received.every((r) => r.secure && r.user === 'household'), 'over TLS, authenticated, the certificate verified for relay.lan');
    t.same(f.dns.queries, [], 'nothing asked of the MX resolvers');
});
//# sourceMappingURL=relay-hosts.js.map