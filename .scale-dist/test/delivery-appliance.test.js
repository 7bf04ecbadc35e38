// The whole outbound path in a running appliance: a family member submits with nodemailer over
// implicit TLS, SMTP queues the message (pipeline.accept wakes the delivery runner), the runner
// finds the MX through the loopback DNS server and delivers it, DKIM-signed, to a scripted peer;
// a recipient the peer refuses comes back to the sender's INBOX as an RFC 3464 bounce.
import t from 'tap';
import nodemailer from 'nodemailer';
import { startTestAppliance } from './harness/appliance.js';
import { startSmtpPeer } from './harness/smtp-peer.js';
import { startDnsServer } from './harness/dns-server.js';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
t.test('submit, queue, deliver by MX; a refused recipient bounces to the sender', { timeout: 120_000 }, async (t) => {
    const peer = await startSmtpPeer({ host: '127.0.0.2', behaviour: { rcpt: (a) => a.startsWith('nobody@') ? { code: 550, message: '5.1.1 no such mailbox here' } : undefined } });
    t.teardown(() => peer.close());
    const dns = await startDnsServer({ 'dest.test': { MX: [{ preference: 10, exchange: 'mx.dest.test' }] }, 'mx.dest.test': { A: ['127.0.0.2'] } });
    t.teardown(() => dns.close());
    const app = await startTestAppliance({ listeners: ['submissions'], config: { delivery: { dnsServers: [dns.address], mxPort: peer.port } } });
    t.teardown(() => app.stop());
    t.ok(app.appliance.service('delivery'), 'the delivery service runs in the appliance');
    const alice = await app.store.accounts.create('alice@example.test', 'correct horse battery');
    const transport = nodemailer.createTransport({
        host: '127.0.0.1', port: app.port('submissions'), secure: true,
        auth: { user: 'alice@example.test', pass: 'correct horse battery' }, tls: { ca: app.appliance.tls.ca, servername: 'mail.example.test' },
    });
    t.teardown(() => transport.close());
    const info = await transport.sendMail({ from: 'alice@example.test', to: ['bob@dest.test', 'nobody@dest.test'], subject: 'outbound-e2e', text: 'Hello from the family box.\n' });
    t.same(info.accepted.sort(), ['bob@dest.test', 'nobody@dest.test']);
    const deadline = Date.now() + 60_000;
    const inbox = () => {
        const box = app.store.mailboxes.get(alice.id, 'INBOX');
        return app.store.messages.list(box.id).map((m) => app.store.readMessage(app.store.messages.blob(m.blobId).hash).toString('latin1'));
    };
    while ((peer.received.length === 0 || inbox().length === 0 || app.store.queue.count() > 0) && Date.now() < deadline)
        await sleep(100);
    t.equal(peer.received.length, 1, 'delivered once');
    const got = peer.received[0];
    t.same(got.rcptTo, ['bob@dest.test']);
    t.equal(got.mailFrom, 'alice@example.test');
    t.match(got.raw.toString('latin1'), /^DKIM-Signature:/m, 'signed by the box on the way out');
    t.match(got.raw.toString('latin1'), /Subject: outbound-e2e/);
    t.ok(dns.queries.includes('dest.test MX'));
    t.equal(app.store.queue.count(), 0, 'the queue is empty');
    const dsns = inbox();
    t.equal(dsns.length, 1, 'one bounce in the sender INBOX');
    t.match(dsns[0], /report-type=delivery-status/);
    t.match(dsns[0], /Final-Recipient: rfc822; nobody@dest\.test/);
    t.match(dsns[0], /Status: 5\.1\.1/);
    t.match(dsns[0], /Subject: outbound-e2e/, 'the original header is attached');
});
//# sourceMappingURL=delivery-appliance.test.js.map