// A delivery runner on a real store in a temporary folder, with its DNS answered by a loopback
// DNS server and its clock in the test's hands; a local sender (alice) whose INBOX receives DSNs.
import { rmSync } from 'node:fs';
import { validateConfig } from '../../appliance/config.js';
import { Store } from '../../appliance/store/index.js';
import { MailPipeline } from '../../appliance/pipeline.js';
import { setQuiet } from '../../appliance/log.js';
import { QueueRunner } from '../../services/delivery/runner.js';
import { startDnsServer } from './dns-server.js';
import { tempDir } from './appliance.js';
let counter = 0;
export async function deliveryFixture(t, opts) {
    setQuiet(!process.env.POSTERN_TEST_LOGS);
    const dir = tempDir('postern-delivery-');
    const store = Store.open(dir);
    store.domains.ensure('example.test');
    const alice = await store.accounts.create('alice@example.test', 'correct horse battery');
    const dns = await startDnsServer(opts.zone);
    const config = validateConfig({
        hostname: 'mail.example.test', domains: ['example.test'], dataDir: dir, listen: {}, tor: { mode: 'off' },
        delivery: { dnsServers: [dns.address], mxPort: 25, ...opts.delivery },
        ...opts.config,
    }, { baseDir: dir, torOnPath: false });
    const pipeline = new MailPipeline(store);
    const clock = { now: Date.now() };
    const runner = new QueueRunner({ config, store, pipeline, ...(opts.clientCert ? { clientCert: opts.clientCert } : {}) }, {
        now: () => clock.now, random: () => 0.5, timeoutMs: 2000, dataTimeoutMs: 2000, connectTimeoutMs: 2000, sessionIdleMs: 0, ...opts.options,
    });
    t.teardown(async () => {
        await runner.close(0);
        store.close();
        await dns.close();
        rmSync(dir, { recursive: true, force: true });
    });
    return {
        store, config, pipeline, runner, dns, aliceId: alice.id, clock,
        send(recipients, o = {}) {
            const messageId = `<t${++counter}.${process.pid}@example.test>`;
            const raw = Buffer.from(`From: Alice <alice@example.test>\r\nTo: ${recipients.join(', ')}\r\nSubject: ${o.subject ?? 'Hello'}\r\nMessage-ID: ${messageId}\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n\r\nHello.\r\n.leading dot line\r\n`);
            const ids = store.enqueue(raw, o.from ?? 'alice@example.test', recipients, o.local === false ? {} : { accountId: alice.id });
            clock.now = Math.max(clock.now, Date.now()); // the store stamps entries with the real time
            return { messageId, ids };
        },
        inbox() {
            const box = store.mailboxes.get(alice.id, 'INBOX');
            return store.messages.list(box.id).map((m) => store.readMessage(store.messages.blob(m.blobId).hash).toString('utf8'));
        },
    };
}
//# sourceMappingURL=delivery-fixture.js.map