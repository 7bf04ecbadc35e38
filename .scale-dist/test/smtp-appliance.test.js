// The SMTP service as the appliance runs it (registered in MAIL_SERVICES, next to delivery and
// PGP): a submission to a remote recipient lands in the outbound queue, signed with DKIM after the
// pipeline's submission steps, and shows in `postern queue list`; a local one lands in the INBOX.
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { startTestAppliance } from './harness/appliance.js';
import { postern } from './harness/cli.js';
import { dnsRecords } from '../services/smtp/dns-records.js';
import { fakeResolver, mailbox } from './smtp-fixture.js';
t.test('submission through the running appliance: local INBOX, outbound queue, DKIM', async (t) => {
    // Outbound delivery must not reach the network: its DNS goes to a closed loopback port.
    const app = await startTestAppliance({ listeners: ['mx', 'submission', 'submissions'], config: { delivery: { dnsServers: ['127.0.0.1:9'] } } });
    t.teardown(() => app.stop());
    t.ok(app.appliance.listeners().filter((l) => ['mx', 'submission', 'submissions'].includes(l.name)).every((l) => l.up), 'the SMTP listeners are up');
    const alice = await app.store.accounts.create('alice@example.test', 'correct horse battery');
    const bob = await app.store.accounts.create('bob@example.test', 'correct horse battery');
    const transport = nodemailer.createTransport({
        host: '127.0.0.1', port: app.port('submissions'), secure: true,
        auth: { user: 'alice@example.test', pass: 'correct horse battery' }, tls: { ca: app.appliance.tls.ca, servername: 'mail.example.test' },
    });
    t.teardown(() => transport.close());
    const info = await transport.sendMail({ from: 'alice@example.test', to: ['bob@example.test', 'friend@elsewhere.example'], subject: 'appliance-submission', text: 'Hello from the appliance test.\n' });
    t.same(info.accepted.sort(), ['bob@example.test', 'friend@elsewhere.example']);
    t.ok(mailbox(app.store, bob.id).some((m) => m.includes('appliance-submission')), 'the local recipient has it');
    const entries = app.store.queue.list().filter((q) => q.recipients.some((r) => r.address === 'friend@elsewhere.example'));
    t.equal(entries.length, 1, 'one queue entry for the remote recipient');
    t.equal(entries[0].accountId, alice.id);
    const raw = app.store.readMessage(app.store.messages.blob(entries[0].blobId).hash);
    const dns = {};
    for (const rec of dnsRecords(app.store, app.config, 'example.test'))
        if (rec.type === 'TXT')
            dns[`${rec.name.replace(/\.$/, '')} TXT`] = [[rec.value]];
    const v = await dkimVerify(raw, { resolver: fakeResolver(dns) });
    t.same(v.results.map((r) => r.status.result), ['pass', 'pass'], 'both signatures verify on the queued copy');
    // The operator sees it: `postern queue list` on the same data folder.
    const cfg = join(app.dataDir, 'cli-config.json');
    writeFileSync(cfg, JSON.stringify({ hostname: 'mail.example.test', domains: ['example.test'], dataDir: app.dataDir, listen: {}, tor: { mode: 'off' } }));
    const list = await postern(['queue', 'list', '--config', cfg], { timeoutMs: 120_000 });
    t.equal(list.code, 0, list.stderr);
    t.match(list.stdout, /elsewhere\.example/);
});
//# sourceMappingURL=smtp-appliance.test.js.map