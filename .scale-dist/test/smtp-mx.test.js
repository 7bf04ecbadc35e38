// The MX: local delivery with trace and authentication headers, no open relay, DMARC reject,
// bad input (bare LF/CR, NUL, long lines, oversize, bad addresses), quota at RCPT, client
// certificates for the sender check, and the TLS policy on STARTTLS (swaks, openssl, node tls).
import t from 'tap';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSmtpFixture, RawSmtp, tlsTo, message, swaks, mailbox } from './smtp-fixture.js';
import { fingerprint } from '../appliance/tls/authority.js';
let fx;
t.before(async () => { fx = await startSmtpFixture({ smtp: { maxMessageSize: 200_000 } }); });
t.teardown(async () => { await fx.close(); });
async function session() {
    const c = await RawSmtp.open(fx.port('mx'));
    t.match(await c.reply(), /^220 /);
    t.match(await c.cmd('EHLO client.example.org'), /^250/);
    return c;
}
async function sendRaw(c, from, to, data) {
    t.match(await c.cmd(`MAIL FROM:<${from}>`), /^250/);
    for (const r of to)
        t.match(await c.cmd(`RCPT TO:<${r}>`), /^250/);
    t.match(await c.cmd('DATA'), /^354/);
    c.write(data);
    c.write('\r\n.\r\n');
    return c.reply();
}
t.test('EHLO advertises the required extensions and the size limit', async (t) => {
    const c = await RawSmtp.open(fx.port('mx'));
    await c.reply();
    const ehlo = await c.cmd('EHLO client.example.org');
    for (const ext of ['PIPELINING', '8BITMIME', 'SMTPUTF8', 'ENHANCEDSTATUSCODES', 'STARTTLS', 'SIZE 200000'])
        t.match(ehlo, new RegExp(`^250[- ]${ext}$`, 'm'), ext);
    t.notMatch(ehlo, /AUTH/, 'no AUTH on the MX');
    t.match(await c.cmd('AUTH PLAIN AGFsaWNlQGV4YW1wbGUudGVzdABjb3JyZWN0IGhvcnNlIGJhdHRlcnk='), /^5\d\d /, 'AUTH refused on the MX');
    c.close();
});
t.test('swaks over STARTTLS delivers to INBOX with Return-Path, Received and Authentication-Results', async (t) => {
    fx.dns['example.org TXT'] = [['v=spf1 ip4:127.0.0.1 -all']];
    const r = await swaks(['--port', String(fx.port('mx')), '--to', 'alice@example.test', '--from', 'carol@example.org', '--tls', '--tls-ca-path', join(fx.dir, 'tls', 'ca.crt'), '--header', 'Subject: swaks-starttls']);
    t.equal(r.code, 0, r.out);
    t.match(r.out, /TLS started with cipher TLSv1\.[23]/);
    t.match(r.out, /<~\s+250 2\.6\.0/);
    const msgs = mailbox(fx.store, fx.alice.id).filter((m) => m.includes('swaks-starttls'));
    t.equal(msgs.length, 1);
    const m = msgs[0];
    t.match(m, /^Return-Path: <carol@example\.org>\r\n/);
    t.match(m, /\r\nReceived: from client\.example\.org \(\[127\.0\.0\.1\]\)\r\n\tby mail\.example\.test \(Postern\) with ESMTPS id \w+\r\n\t\(using TLSv1\.3 with cipher TLS_\w+\)\r\n\tfor <alice@example\.test>;\r\n\t\w{3}, \d+ \w{3} \d{4} /);
    t.match(m, /Authentication-Results: mail\.example\.test;[\s\S]*spf=pass[\s\S]*dmarc=none/);
    delete fx.dns['example.org TXT'];
});
t.test('unknown local users, relaying and malformed addresses are refused at RCPT', async (t) => {
    const c = await session();
    t.match(await c.cmd('MAIL FROM:<x@example.org>'), /^250 2\.1\.0/);
    t.match(await c.cmd('RCPT TO:<nobody@example.test>'), /^550 5\.1\.1 /);
    t.match(await c.cmd('RCPT TO:<victim@elsewhere.org>'), /^554 5\.7\.1 Relay access denied/);
    t.match(await c.cmd('RCPT TO:<no-at-sign>'), /^5\d\d 5\.1\.3 |^501 /);
    t.match(await c.cmd('RCPT TO:<a b@example.test>'), /^5\d\d /);
    t.match(await c.cmd('RCPT TO:<bad@@example.test>'), /^5\d\d /);
    t.match(await c.cmd('DATA'), /^503 /, 'no valid recipient: no DATA');
    t.match(await c.cmd('RSET'), /^250/);
    t.match(await c.cmd('MAIL FROM:<bad address@example.org>'), /^5\d\d /);
    t.match(await c.cmd('MAIL FROM:<ünï@example.org>'), /^553 5\.6\.7 .*SMTPUTF8/);
    t.match(await c.cmd('MAIL FROM:<ünï@example.org> SMTPUTF8'), /^250/);
    t.match(await c.cmd('RCPT TO:<alice@example.test>'), /^250/);
    t.match(await c.cmd('RSET'), /^250/);
    // A loopback client is no trusted submitter: relaying stays closed for 127.0.0.1.
    t.match(await c.cmd('MAIL FROM:<alice@example.test>'), /^250/);
    t.match(await c.cmd('RCPT TO:<victim@elsewhere.org>'), /^554 5\.7\.1/);
    c.close();
    t.equal(fx.store.queue.count(), 0, 'nothing queued');
});
t.test('bad DATA is refused with a clear reply and nothing is stored', async (t) => {
    const before = mailbox(fx.store, fx.alice.id).length;
    const c = await session();
    const hdr = 'From: x@example.org\r\nTo: alice@example.test\r\nSubject: bad\r\n\r\n';
    t.match(await sendRaw(c, 'x@example.org', ['alice@example.test'], hdr + 'bare\nLF'), /^550 5\.6\.0 .*bare <LF>/);
    t.match(await sendRaw(c, 'x@example.org', ['alice@example.test'], hdr + 'bare\rCR'), /^550 5\.6\.0 .*bare <CR>/);
    t.match(await sendRaw(c, 'x@example.org', ['alice@example.test'], Buffer.concat([Buffer.from(hdr + 'nul'), Buffer.from([0]), Buffer.from('byte')])), /^550 5\.6\.0 .*NUL/);
    t.match(await sendRaw(c, 'x@example.org', ['alice@example.test'], hdr + 'x'.repeat(999)), /^550 5\.6\.0 .*longer than 1000/);
    t.match(await sendRaw(c, 'x@example.org', ['alice@example.test'], hdr + ('y'.repeat(900) + '\r\n').repeat(250)), /^552 5\.3\.4 /);
    // A line of exactly 998 octets + CRLF is fine.
    t.match(await sendRaw(c, 'x@example.org', ['alice@example.test'], hdr + 'z'.repeat(998)), /^250 /);
    t.match(await c.cmd('MAIL FROM:<x@example.org> SIZE=300000'), /^552 /, 'SIZE over the limit refused at MAIL');
    t.match(await c.cmd('NOOP'), /^250/, 'the session survives every refusal');
    t.match(await c.cmd('MAIL FROM:<x@exa\0mple.org>'), /^5\d\d /, 'NUL in a command');
    t.match(await c.cmd('X'.repeat(5000)), /^500 5\.5\.2 Line too long/, 'an over-long command line');
    await new Promise((r) => setTimeout(r, 100));
    t.ok(c.closed, 'and the connection is closed after it');
    c.close();
    t.equal(mailbox(fx.store, fx.alice.id).length, before + 1, 'only the good message was stored');
    t.ok(fx.store.check().ok, 'fsck clean');
});
t.test('SMTP smuggling: a bare-LF end of data does not end DATA, and the smuggled message is not accepted', async (t) => {
    const before = mailbox(fx.store, fx.bob.id).length;
    const c = await session();
    const smuggle = 'From: x@example.org\r\nSubject: outer\r\n\r\nouter\n.\nMAIL FROM:<admin@example.test>\r\nRCPT TO:<bob@example.test>\r\nDATA\r\nSubject: smuggled\r\n\r\nsmuggled';
    t.match(await sendRaw(c, 'x@example.org', ['bob@example.test'], smuggle), /^550 5\.6\.0 .*bare <LF>/);
    t.match(await c.cmd('NOOP'), /^250/);
    c.close();
    t.equal(mailbox(fx.store, fx.bob.id).length, before, 'neither the outer nor the smuggled message stored');
});
t.test('aliases and subaddresses deliver one copy per account; PIPELINING works', async (t) => {
    fx.store.aliases.add('family@example.test', 'bob@example.test');
    const before = mailbox(fx.store, fx.bob.id).length;
    const c = await session();
    const body = message({ from: 'x@example.org', to: 'family@example.test', subject: 'pipelined' });
    c.write(`MAIL FROM:<x@example.org>\r\nRCPT TO:<family@example.test>\r\nRCPT TO:<bob+news@example.test>\r\nRCPT TO:<bob@example.test>\r\nDATA\r\n`);
    for (let i = 0; i < 4; i++)
        t.match(await c.reply(), /^250 /);
    t.match(await c.reply(), /^354 /);
    c.write(body + '.\r\n');
    t.match(await c.reply(), /^250 2\.6\.0 Message stored for 1 mailbox/);
    c.close();
    t.equal(mailbox(fx.store, fx.bob.id).length, before + 1);
});
t.test('DMARC reject policy: a failing message is refused with 550 5.7.1', async (t) => {
    fx.dns['spoofed.example TXT'] = [['v=spf1 ip4:192.0.2.1 -all']];
    fx.dns['_dmarc.spoofed.example TXT'] = [['v=DMARC1; p=reject']];
    const c = await session();
    const r = await sendRaw(c, 'ceo@spoofed.example', ['alice@example.test'], message({ from: 'ceo@spoofed.example', to: 'alice@example.test', subject: 'wire money' }));
    t.match(r, /^550 5\.7\.1 .*DMARC/);
    c.close();
    t.notOk(mailbox(fx.store, fx.alice.id).some((m) => m.includes('wire money')));
});
t.test('quota: with SIZE= a message that does not fit is refused at RCPT', async (t) => {
    fx.store.accounts.setQuota('bob@example.test', 10_000);
    const c = await session();
    t.match(await c.cmd('MAIL FROM:<x@example.org> SIZE=20000'), /^250/);
    t.match(await c.cmd('RCPT TO:<bob@example.test>'), /^552 5\.2\.2 /);
    t.match(await c.cmd('RCPT TO:<alice@example.test>'), /^250 /, 'the other recipient is fine');
    t.match(await c.cmd('RSET'), /^250/);
    // Without SIZE= the store refuses at DATA: nothing half-stored.
    const before = mailbox(fx.store, fx.bob.id).length;
    const r = await sendRaw(c, 'x@example.org', ['bob@example.test', 'alice@example.test'], message({ from: 'x@example.org', to: 'bob@example.test', subject: 'big', body: ('q'.repeat(500) + '\r\n').repeat(30) }));
    t.match(r, /^552 5\.2\.2 /);
    c.close();
    t.equal(mailbox(fx.store, fx.bob.id).length, before);
    t.notOk(mailbox(fx.store, fx.alice.id).some((m) => m.includes('Subject: big')), 'not stored for the other recipient either');
    fx.store.accounts.setQuota('bob@example.test', 0);
});
t.test('the sender check sees the client certificate fingerprint from STARTTLS', async (t) => {
    const seen = [];
    fx.pipeline.onSenderCheck(async (s) => {
        if (!s.mailFrom.endsWith('@peer.example'))
            return undefined;
        seen.push(s.clientCertFingerprint);
        return s.clientCertFingerprint ? undefined : { code: 550, message: 'mail from peer.example must come with its certificate' };
    });
    const withCert = await RawSmtp.open(fx.port('mx'));
    await withCert.reply();
    await withCert.cmd('EHLO peer.example');
    const key = fx.tls.keys[0];
    await withCert.starttls(tlsTo(fx, { key: key.key, cert: key.cert }));
    await withCert.cmd('EHLO peer.example');
    t.match(await withCert.cmd('MAIL FROM:<x@peer.example>'), /^250 /);
    withCert.close();
    const noCert = await RawSmtp.open(fx.port('mx'));
    await noCert.reply();
    await noCert.cmd('EHLO peer.example');
    await noCert.starttls(tlsTo(fx));
    await noCert.cmd('EHLO peer.example');
    t.match(await noCert.cmd('MAIL FROM:<x@peer.example>'), /^550 5\.7\.1 mail from peer\.example must come with its certificate/);
    noCert.close();
    t.same(seen, [fingerprint(key.cert), undefined]);
});
function openssl(args) {
    return new Promise((resolve) => {
        const p = execFile('openssl', args, { timeout: 15_000 }, (_e, stdout, stderr) => resolve(`${stdout}\n${stderr}`));
        p.stdin?.end('QUIT\r\n');
    });
}
t.test('TLS 1.1 and non-AEAD suites are refused by the server, on STARTTLS and implicit TLS (openssl s_client)', async (t) => {
    const caFile = join(fx.dir, 'ca.pem');
    writeFileSync(caFile, fx.tls.ca);
    // SECLEVEL=0 lets the client offer TLS 1.1 and old suites, so a refusal is the server's alert.
    for (const [name, extra] of [['mx', ['-starttls', 'smtp']], ['submissions', []]]) {
        const target = ['s_client', '-connect', `127.0.0.1:${fx.port(name)}`, ...extra, '-CAfile', caFile];
        const old = await openssl([...target, '-tls1_1', '-cipher', 'DEFAULT@SECLEVEL=0']);
        t.match(old, /alert protocol version/, `${name}: TLS 1.1 refused with a protocol_version alert`);
        t.match(old, /Cipher is \(NONE\)/, `${name}: no TLS 1.1 session`);
        const cbc = await openssl([...target, '-tls1_2', '-cipher', 'ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA:AES128-SHA:AES128-GCM-SHA256@SECLEVEL=0']);
        t.match(cbc, /alert handshake failure/, `${name}: CBC suites and RSA key exchange refused with a handshake_failure alert`);
        t.match(cbc, /Cipher is \(NONE\)/);
        const good = await openssl([...target, '-tls1_2']);
        t.match(good, /Cipher is ECDHE-(ECDSA|RSA)-(AES\d+-GCM-SHA\d+|CHACHA20-POLY1305)/, `${name}: TLS 1.2 with an AEAD suite works`);
        t.match(good, /Verify return code: 0 \(ok\)/, `${name}: the box's certificate verifies against its CA`);
    }
});
t.test('the onion MX reads the PROXY header and limits connections per circuit', async (t) => {
    const port = fx.port('mxOnion');
    const circuit = (n) => `PROXY TCP6 fc00:dead:beef:4dad::${n.toString(16)}:1 ::1 ${n} 25\r\n`;
    const open = [];
    for (let i = 0; i < 10; i++) {
        const c = await RawSmtp.open(port, { proxy: circuit(7) });
        t.match(await c.reply(), /^220 /);
        open.push(c);
    }
    const eleventh = await RawSmtp.open(port, { proxy: circuit(7) });
    t.match(await eleventh.reply(), /^421 4\.7\.0 Too many connections/);
    const other = await RawSmtp.open(port, { proxy: circuit(8) });
    t.match(await other.reply(), /^220 /, 'another circuit is not affected');
    t.match(await other.cmd('EHLO peer.onion'), /^250/);
    t.match(await other.cmd('MAIL FROM:<x@far.example>'), /^250/);
    t.match(await other.cmd('RCPT TO:<outside@elsewhere.org>'), /^554 5\.7\.1/, 'no relay through the onion address either');
    t.match(await other.cmd('RCPT TO:<alice@example.test>'), /^250/);
    t.match(await other.cmd('DATA'), /^354/);
    other.write(message({ from: 'x@far.example', to: 'alice@example.test', subject: 'via-onion' }) + '.\r\n');
    t.match(await other.reply(), /^250 /);
    for (const c of [...open, eleventh, other])
        c.close();
    const m = mailbox(fx.store, fx.alice.id).find((x) => x.includes('via-onion'));
    t.ok(m);
    t.match(m, /Received: from peer\.onion \(\[IPv6:fc00:dead:beef:4dad::8:1\]\)/);
    const noHeader = await RawSmtp.open(port);
    noHeader.write('EHLO sneaky\r\n');
    t.notMatch(await noHeader.reply(3000), /^250/, 'no session without the PROXY header');
    noHeader.close();
});
t.test('Postmaster without a domain is accepted (RFC 5321 4.5.1); forged Authentication-Results are renamed', async (t) => {
    fx.store.aliases.add('postmaster@example.test', 'alice@example.test');
    const c = await session();
    const forged = 'Authentication-Results: mail.example.test; dkim=pass header.d=bank.example\r\nAuthentication-Results: other.example; spf=pass\r\n';
    const r = await sendRaw(c, 'x@example.org', ['Postmaster'], forged + message({ from: 'x@example.org', to: 'postmaster@example.test', subject: 'to-postmaster' }));
    t.match(r, /^250 /);
    c.close();
    const m = mailbox(fx.store, fx.alice.id).find((x) => x.includes('to-postmaster'));
    t.ok(m);
    t.match(m, /\r\nX-Forged-Authentication-Results: mail\.example\.test; dkim=pass header\.d=bank\.example\r\n/);
    t.match(m, /\r\nAuthentication-Results: other\.example; spf=pass\r\n/, 'another server\'s results stay');
    t.equal((m.match(/^Authentication-Results: mail\.example\.test;/gm) ?? []).length, 1, 'only the box\'s own result carries its name');
});
t.test('a listener that cannot bind is a ListenError naming the listener', async (t) => {
    const { startSmtpService } = await import('../services/smtp/index.js');
    const { ListenError } = await import('../appliance/service.js');
    const config = { ...fx.config, listen: { submission: { host: '127.0.0.1', port: fx.port('mx') } } };
    const ctx = { config, tls: fx.tls, store: fx.store, pipeline: fx.pipeline, appliance: {} };
    const err = await startSmtpService(ctx).then(() => undefined, (e) => e);
    t.ok(err instanceof ListenError);
    t.match(String(err.message), new RegExp(`cannot listen for submission on 127\\.0\\.0\\.1:${fx.port('mx')}: the address is already in use`));
});
t.test('directory harvesting: after 20 refused recipients in 10 minutes the client is disconnected', async (t) => {
    const c = await RawSmtp.open(fx.port('mxOnion'), { proxy: 'PROXY TCP6 fc00:dead:beef:4dad::99:1 ::1 99 25\r\n' });
    await c.reply();
    await c.cmd('EHLO harvester.example');
    await c.cmd('MAIL FROM:<h@harvester.example>');
    for (let i = 0; i < 20; i++)
        t.match(await c.cmd(`RCPT TO:<guess${i}@example.test>`), /^550 5\.1\.1 /);
    t.match(await c.cmd('RCPT TO:<guess20@example.test>'), /^421 4\.7\.0 Too many refused recipients/);
    await new Promise((r) => setTimeout(r, 100));
    t.ok(c.closed, 'disconnected');
    const again = await RawSmtp.open(fx.port('mxOnion'), { proxy: 'PROXY TCP6 fc00:dead:beef:4dad::99:1 ::1 99 25\r\n' });
    await again.reply();
    await again.cmd('EHLO harvester.example');
    await again.cmd('MAIL FROM:<h@harvester.example>');
    t.match(await again.cmd('RCPT TO:<alice@example.test>'), /^250 /, 'valid recipients still work');
    t.match(await again.cmd('RCPT TO:<guess21@example.test>'), /^421 /, 'but the next refusal closes again');
    again.close();
});
t.test('DMARC quarantine policy: a failing message goes to Junk with dmarc=fail recorded', async (t) => {
    fx.dns['shady.example TXT'] = [['v=spf1 ip4:192.0.2.1 -all']];
    fx.dns['_dmarc.shady.example TXT'] = [['v=DMARC1; p=quarantine']];
    const c = await session();
    t.match(await sendRaw(c, 'news@shady.example', ['alice@example.test'], message({ from: 'news@shady.example', to: 'alice@example.test', subject: 'quarantined-offer' })), /^250 /);
    c.close();
    t.notOk(mailbox(fx.store, fx.alice.id).some((m) => m.includes('quarantined-offer')), 'not in the INBOX');
    const junk = mailbox(fx.store, fx.alice.id, 'Junk').find((m) => m.includes('quarantined-offer'));
    t.ok(junk, 'in Junk');
    t.match(junk, /dmarc=fail/);
    t.match(junk, /spf=fail/);
});
//# sourceMappingURL=smtp-mx.test.js.map