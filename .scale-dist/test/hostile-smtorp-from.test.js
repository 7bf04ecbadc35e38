// Issue #14 finding 4: the SMTorP pin covers the From: header, and DMARC applies on the onion MX.
// Box B is a real appliance whose onion MX reads tor's PROXY header (connections arrive as tor
// would hand them over, one circuit each); peer A (example.test) is known to B by its card, A's
// box by its TLS key. Attacks over B's onion MX: a message with the attacker's own envelope and
// `From: ceo@example.test` is refused (550 5.7.1, nothing stored); a From: naming a domain whose
// DMARC policy is reject (served by a DNS server on loopback) is refused there too, as on the
// public MX. A's own box, presenting its pinned client certificate, still delivers with that From:.
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTls } from '../appliance/tls/authority.js';
import { OnionIdentity } from '../services/tor/onion-key.js';
import { addPeerCard, writePeerCard } from '../services/smtorp/index.js';
import { startTestAppliance, tempDir } from './harness/appliance.js';
import { startDnsServer } from './harness/dns-server.js';
import { RawSmtp, mailbox, message } from './smtp-fixture.js';
const dir = tempDir('postern-smtorp-from-');
let b;
let aTls;
let dns;
let bob;
t.before(async () => {
    dns = await startDnsServer({ '_dmarc.strict.test': { TXT: [['v=DMARC1; p=reject']] } });
    b = await startTestAppliance({ listeners: ['mx', 'mxOnion'], config: { hostname: 'mail.friends.test', domains: ['friends.test'], delivery: { dnsServers: [dns.address] } } });
    bob = (await b.store.accounts.create('bob@friends.test', 'correct horse battery')).id;
    aTls = await ensureTls(join(dir, 'a-tls'), 'mail.example.test', ['example.test']);
    const aCard = writePeerCard({ host: 'mail.example.test', domains: ['example.test'], port: 25, spki: aTls.serverSpki[0], created: '2026-11-20T10:00:00Z' }, new OnionIdentity(randomBytes(32)));
    addPeerCard(b.store, b.config, aCard);
});
t.teardown(async () => { await b?.stop(); await dns?.close(); rmSync(dir, { recursive: true, force: true }); });
const circuit = (n) => `PROXY TCP6 fc00:dead:beef:4dad::${n.toString(16)}:1 ::1 ${n} 25\r\n`;
/** One message over B's onion MX from circuit `n`; STARTTLS (with A's client certificate when `asPeer`). */
async function send(n, envelope, from, subject, asPeer = false) {
    const c = await RawSmtp.open(b.port('mxOnion'), { proxy: circuit(n) });
    try {
        await c.reply();
        t.match(await c.cmd('EHLO sender.onion'), /^250/);
        await c.starttls({ rejectUnauthorized: false, servername: 'mail.friends.test', ...(asPeer ? { key: aTls.keys[0].key, cert: aTls.keys[0].cert } : {}) });
        await c.cmd('EHLO sender.onion');
        const mail = await c.cmd(`MAIL FROM:<${envelope}>`);
        if (!/^250/.test(mail))
            return mail;
        t.match(await c.cmd('RCPT TO:<bob@friends.test>'), /^250/);
        t.match(await c.cmd('DATA'), /^354/);
        c.write(message({ from, to: 'bob@friends.test', subject }) + '.\r\n');
        return await c.reply();
    }
    finally {
        c.close();
    }
}
const stored = (subject) => mailbox(b.store, bob).some((m) => m.includes(subject));
t.test('a forged From: naming a peer\'s domain is refused over the onion', async (t) => {
    const r = await send(11, 'mallory@attacker.test', 'ceo@example.test', 'forged-peer-from');
    t.match(r, /^550 5\.7\.1 The From: header names example\.test/);
    t.notOk(stored('forged-peer-from'), 'nothing stored');
    const envelope = await send(12, 'ceo@example.test', 'ceo@example.test', 'forged-peer-envelope');
    t.match(envelope, /^550 5\.7\.1 Mail from example\.test/, 'the envelope check still holds');
    const mixed = await send(13, 'mallory@attacker.test', 'Mallory <m@attacker.test>, CEO <ceo@EXAMPLE.test>', 'forged-peer-second-from');
    t.match(mixed, /^550 5\.7\.1 /, 'a peer domain anywhere in the From: list counts');
});
t.test('DMARC p=reject applies on the onion MX', async (t) => {
    const r = await send(21, 'x@attacker.test', 'boss@strict.test', 'forged-strict');
    t.match(r, /^550 5\.7\.1 Message rejected: the sender domain's DMARC policy is reject/);
    t.notOk(stored('forged-strict'));
    t.ok(dns.queries.some((q) => /_dmarc\.strict\.test/i.test(q)), 'the DMARC record was looked up');
});
t.test('the peer\'s own box, with its pinned certificate, delivers with its From:', async (t) => {
    const r = await send(31, 'ceo@example.test', 'ceo@example.test', 'real-peer-mail', true);
    t.match(r, /^250 /);
    t.ok(stored('real-peer-mail'));
    const other = await send(32, 'x@elsewhere.test', 'someone@elsewhere.test', 'ordinary-onion-mail');
    t.match(other, /^250 /, 'mail from other domains over the onion is still taken');
});
//# sourceMappingURL=hostile-smtorp-from.test.js.map