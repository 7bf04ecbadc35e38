// SMTorP peers without Tor: signed peer cards (tampering, mail-client mangling), the peer book,
// the CLI (`postern peer card`, `peer add FILE`, list, fallback, remove), and the sender check on
// the real MX: mail claiming a peer's domain is refused 550 5.7.1 unless the TLS client
// certificate is the peer's pinned one (nodemailer as the sending client).
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { startTestAppliance, tempDir } from './harness/appliance.js';
import { startDnsServer } from './harness/dns-server.js';
import { postern } from './harness/cli.js';
import { readPeerCard, writePeerCard, makeOwnCard, PeerBook, discoverOnionMx } from '../services/smtorp/index.js';
import { senderCheck } from '../services/smtorp/sender-check.js';
import { OnionIdentity } from '../services/tor/onion-key.js';
import { clientTlsOptions } from '../appliance/tls/policy.js';
import { onionIdentity } from '../services/tor/keys.js';
let dns;
let a;
let b;
let dir;
t.before(async () => {
    dir = tempDir();
    dns = await startDnsServer({});
    const common = { delivery: { dnsServers: [dns.address] }, tor: { mode: 'off' } };
    a = await startTestAppliance({ config: { ...common, hostname: 'mail.peer-a.test', domains: ['peer-a.test'] } });
    b = await startTestAppliance({ config: { ...common } });
    await b.store.accounts.create('alice@example.test', 'correct horse battery');
});
t.teardown(async () => { await a?.stop(); await b?.stop(); await dns?.close(); rmSync(dir, { recursive: true, force: true }); });
function configFor(x, name) {
    const listen = {};
    for (const [k, v] of Object.entries(x.config.listen))
        listen[k] = `${v.host}:${v.port}`;
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify({ hostname: x.config.hostname, domains: x.config.domains, dataDir: x.dataDir, listen, tor: { mode: 'off' } }));
    return file;
}
t.test('peer cards: signed by the onion key, tamper-evident, tolerant of mail clients', async (t) => {
    const id = new OnionIdentity(randomBytes(32));
    const fp = 'ab'.repeat(32);
    const card = writePeerCard({ host: 'mail.peer-a.test', domains: ['Peer-A.test', 'other.test'], port: 25, fingerprint: fp.toUpperCase().match(/../g).join(':') }, id);
    const c = readPeerCard(card);
    t.same(c.domains, ['peer-a.test', 'other.test']);
    t.equal(c.onion, id.address);
    t.equal(c.fingerprint, fp);
    t.same(readPeerCard('Hi, here is our card:\r\n\r\n' + card.split('\n').map((l) => '> ' + l).join('\r\n')), c, 'quoted, CRLF');
    const tamper = (from, to) => () => readPeerCard(card.replace(from, to));
    t.throws(tamper(/Domains: .*/, 'Domains: peer-a.test, bank.test'), /signature does not match/);
    t.throws(tamper(/TLS-SHA256: .*/, `TLS-SHA256: ${'cd'.repeat(32)}`), /signature does not match/);
    t.throws(tamper(/Onion: .*/, `Onion: ${new OnionIdentity(randomBytes(32)).address}`), /signature does not match/);
    t.throws(tamper(/Signature: .*/, 'Signature: AAAA'), /signature does not match/);
    t.throws(tamper(/Version: 1/, 'Version: 3'), /version 3 is not supported/);
    t.throws(tamper(/Version: 1/, 'Version: 2'), /no TLS-SPKI-SHA256 line/, 'a version 2 card pins the public key');
    // a version 2 card relabelled as version 1 (the key's hash passed off as a certificate's) fails
    // the signature: the signed bytes name the version
    const v2 = writePeerCard({ host: 'mail.peer-a.test', domains: ['peer-a.test'], port: 25, spki: fp }, id);
    t.equal(readPeerCard(v2).spki, fp);
    t.throws(() => readPeerCard(v2.replace('Version: 2', 'Version: 1').replace('TLS-SPKI-SHA256', 'TLS-SHA256')), /signature does not match/);
    t.throws(() => readPeerCard(v2.replace(/TLS-SPKI-SHA256: .*/, `TLS-SPKI-SHA256: ${'cd'.repeat(32)}`)), /signature does not match/);
    t.throws(tamper(/Port: 25\n/, ''), /no Port line/);
    t.throws(tamper(/Onion: .*/, 'Onion: example.onion'), /not a valid v3 onion/);
    t.throws(() => readPeerCard('nothing here'), /no peer card found/);
});
t.test('peer book and the sender check', async (t) => {
    const store = b.store;
    const book = new PeerBook(store);
    const id = new OnionIdentity(randomBytes(32));
    const fp = 'ef'.repeat(32);
    const card = readPeerCard(writePeerCard({ host: 'mx.friend.test', domains: ['friend.test'], port: 25, fingerprint: fp, created: '2026-11-20T10:00:00Z' }, id));
    t.same(book.addCard(card, { ownDomains: b.config.domains }), { added: ['friend.test'], updated: [], replaced: [] });
    t.same(book.route('FRIEND.test'), { domain: 'friend.test', onion: id.address, port: 25, fingerprint: fp, fallbackToPublic: false });
    const older = readPeerCard(writePeerCard({ host: 'mx.friend.test', domains: ['friend.test'], port: 25, fingerprint: fp, created: '2026-11-01T10:00:00Z' }, id));
    t.throws(() => book.addCard(older, { ownDomains: [] }), /already has a newer card/);
    const own = readPeerCard(writePeerCard({ host: 'x.test', domains: ['example.test'], port: 25, fingerprint: fp }, id));
    t.throws(() => book.addCard(own, { ownDomains: b.config.domains }), /which this box serves itself/);
    t.equal(book.setFallback('friend.test', true), true);
    t.equal(book.route('friend.test').fallbackToPublic, true);
    const check = senderCheck(book);
    t.equal(await check({ mailFrom: 'bob@friend.test', clientCertFingerprint: fp }), undefined, 'pinned certificate');
    t.equal(await check({ mailFrom: 'bob@friend.test', clientCertFingerprint: fp.toUpperCase().match(/../g).join(':') }), undefined, 'any spelling of the fingerprint');
    t.match(await check({ mailFrom: 'bob@friend.test' }), { code: 550, message: /^5\.7\.1 / }, 'no certificate');
    t.match(await check({ mailFrom: 'bob@Friend.Test.', clientCertFingerprint: '00'.repeat(32) }), { code: 550 }, 'another certificate');
    t.equal(await check({ mailFrom: '' }), undefined, 'the null sender');
    t.equal(await check({ mailFrom: 'carol@elsewhere.test' }), undefined, 'not a peer');
    t.equal(book.remove('friend.test'), true);
    t.equal(book.remove('friend.test'), false);
    t.equal(book.route('friend.test'), undefined);
});
t.test('CLI: peer card at A, peer add FILE at B, then the MX pins A\'s certificate', async (t) => {
    const cfgA = configFor(a, 'a');
    const cfgB = configFor(b, 'b');
    const card = await postern(['peer', 'card', '--config', cfgA]);
    t.equal(card.code, 0, card.stderr);
    const parsed = readPeerCard(card.stdout);
    t.equal(parsed.onion, onionIdentity(a.config, 'smtp').address, 'the SMTP onion address');
    t.equal(parsed.spki, a.appliance.tls.serverSpki[0], 'the public key of A\'s ECDSA certificate');
    t.equal(parsed.fingerprint, undefined, 'a version 2 card pins the key, not the certificate');
    t.same(parsed.domains, ['peer-a.test']);
    t.equal(makeOwnCard(a.config, a.appliance.tls).includes(parsed.onion), true);
    const file = join(dir, 'a.card');
    writeFileSync(file, card.stdout);
    const bad = join(dir, 'bad.card');
    writeFileSync(bad, card.stdout.replace('peer-a.test', 'example.org'));
    const r0 = await postern(['peer', 'add', bad, '--config', cfgB]);
    t.equal(r0.code, 1);
    t.match(r0.stderr, /signature does not match/);
    const r1 = await postern(['peer', 'add', file, '--config', cfgB]);
    t.equal(r1.code, 0, r1.stderr);
    t.match(r1.stdout, /^added peer peer-a\.test at [a-z2-7]{56}\.onion/m); // after the line naming the card's domains
    const list = await postern(['peer', 'list', '--config', cfgB]);
    t.match(list.stdout, new RegExp(`^peer-a\\.test\\t${parsed.onion}:25\\tspki:${parsed.spki}\\tfallback off$`, 'm'));
    t.equal((await postern(['peer', 'fallback', 'peer-a.test', 'on', '--config', cfgB])).code, 0);
    t.match((await postern(['peer', 'list', '--config', cfgB])).stdout, /fallback public/);
    t.equal((await postern(['peer', 'fallback', 'peer-a.test', 'off', '--config', cfgB])).code, 0);
    const self = await postern(['peer', 'add', file, '--config', cfgA]);
    t.equal(self.code, 1);
    t.match(self.stderr, /which this box serves itself/);
    const send = async (from, cert) => {
        const tr = nodemailer.createTransport({
            host: '127.0.0.1', port: b.port('mx'), secure: false, requireTLS: true, name: 'mail.peer-a.test',
            tls: clientTlsOptions({ rejectUnauthorized: false, ...(cert ? { key: cert.key, cert: cert.cert } : {}) }),
        });
        try {
            return await tr.sendMail({ envelope: { from, to: 'alice@example.test' }, raw: `From: ${from}\r\nTo: alice@example.test\r\nSubject: pin ${from} ${cert ? 'cert' : 'nocert'}\r\nMessage-ID: <${randomBytes(6).toString('hex')}@peer-a.test>\r\nDate: Mon, 23 Nov 2026 12:00:00 +0000\r\n\r\nhello\r\n` });
        }
        finally {
            tr.close();
        }
    };
    const refused = async (p, what) => {
        const e = await p.then(() => undefined, (err) => err);
        t.equal(e?.responseCode, 550, what);
        t.match(e?.response, /^550 5\.7\.1 /, what);
    };
    await refused(send('bob@peer-a.test', undefined), 'forged: no client certificate');
    await refused(send('bob@peer-a.test', b.appliance.tls.keys[0]), 'forged: another box\'s certificate');
    const ok = await send('bob@peer-a.test', a.appliance.tls.keys[0]);
    t.match(ok.response, /^250 /, 'the peer\'s own certificate');
    const ok2 = await send('carol@not-a-peer.test', undefined);
    t.match(ok2.response, /^250 /, 'other senders are not affected');
    t.equal((await postern(['peer', 'remove', 'peer-a.test', '--config', cfgB])).code, 0);
    t.equal((await postern(['peer', 'remove', 'peer-a.test', '--config', cfgB])).code, 1);
    t.ok(b.appliance.service('smtorp'), 'the smtorp mail service runs');
});
t.test('_onion-mx._tcp SRV discovery keeps only valid onion targets, best first', async (t) => {
    const x = new OnionIdentity(randomBytes(32)).address;
    const y = new OnionIdentity(randomBytes(32)).address;
    const resolver = {
        resolveSrv: async (name) => {
            if (name !== '_onion-mx._tcp.friend.test')
                throw Object.assign(new Error('nx'), { code: 'ENOTFOUND' });
            return [
                { name: y + '.', port: 25, priority: 20, weight: 0 },
                { name: 'mx.friend.test', port: 25, priority: 0, weight: 0 },
                { name: x, port: 25, priority: 10, weight: 5 },
            ];
        },
    };
    t.same((await discoverOnionMx(resolver, 'friend.test')).map((r) => r.onion), [x, y]);
    t.same(await discoverOnionMx(resolver, 'nobody.test'), []);
    await t.rejects(discoverOnionMx(resolver, 'bad domain'), /not a domain name/);
});
//# sourceMappingURL=tor-peer.test.js.map