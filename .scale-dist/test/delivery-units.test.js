// The small pieces of delivery on their own: dot-stuffing (RFC 5321 4.5.2), the retry schedule,
// RFC 3463 status codes, MTA-STS host matching (RFC 8461 4.1), the DSN's structure (RFC 3464) and
// the loopback DNS server's wire format as node:dns reads it.
import t from 'tap';
import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { dotStuff } from '../services/delivery/smtp-client.js';
import { retryDelay, nextAttemptAt, MAX_RETRY_MS } from '../services/delivery/schedule.js';
import { statusOf, buildDsn } from '../services/delivery/dsn.js';
import { mxAllowed } from '../services/delivery/mta-sts.js';
import { makeResolver, mxHosts, DnsLookupError } from '../services/delivery/mx.js';
import { startDnsServer } from './harness/dns-server.js';
const MIN = 60_000;
t.test('dot-stuffing: the receiver gets back exactly the CRLF message, and the end marker comes only at the end', async (t) => {
    fc.assert(fc.property(fc.array(fc.stringMatching(/^[.a-z \r]{0,12}$/), { maxLength: 12 }), fc.boolean(), (lines, lf) => {
        const text = lines.map((l) => l.replace(/\r/g, '')).join(lf ? '\n' : '\r\n');
        const wire = dotStuff(Buffer.from(text)).toString('latin1');
        if (!wire.endsWith('\r\n.\r\n') && wire !== '.\r\n' && !wire.endsWith('\r\n.\r\n'))
            return false;
        const body = wire.slice(0, -3);
        if (body.slice(0, -2).includes('\r\n.\r\n'))
            return false;
        const unstuffed = body.split('\r\n').map((l) => (l.startsWith('.') ? l.slice(1) : l)).join('\r\n');
        const expected = text.replace(/\r?\n/g, '\r\n');
        return unstuffed === (expected.endsWith('\r\n') ? expected : expected + '\r\n');
    }));
    t.equal(dotStuff(Buffer.from('.\r\n..x\r\nend')).toString(), '..\r\n...x\r\nend\r\n.\r\n');
});
t.test('retry schedule: about 5 minutes, doubling, capped, never past the expiry', async (t) => {
    t.ok(retryDelay(1, 0) >= 4 * MIN && retryDelay(1, 0.999) <= 6 * MIN);
    t.ok(retryDelay(2, 0) >= 8 * MIN && retryDelay(2, 0.999) <= 12 * MIN);
    t.ok(retryDelay(3, 0.5) === 20 * MIN);
    t.ok(retryDelay(50, 0.999) <= MAX_RETRY_MS * 1.2);
    t.ok(retryDelay(50, 0) >= MAX_RETRY_MS * 0.8);
    t.equal(nextAttemptAt(1000, 30, 1000 + 10 * MIN, 0.5), 1000 + 10 * MIN, 'capped at the expiry');
    fc.assert(fc.property(fc.integer({ min: 1, max: 100 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (n, r) => retryDelay(n, r) > 0 && retryDelay(n, r) <= MAX_RETRY_MS * 1.2));
});
t.test('RFC 3463 status from an SMTP answer', async (t) => {
    t.equal(statusOf('550 5.1.1 no such user', true), '5.1.1');
    t.equal(statusOf('550 no such user', true), '5.0.0');
    t.equal(statusOf('451 4.4.7 expired', true), '4.4.7', 'an expiry keeps its 4.x.x code');
    t.equal(statusOf('421 4.3.2 shutting down', false), '4.3.2');
    t.equal(statusOf('connection refused', false), '4.0.0');
    t.equal(statusOf('550 4.1.1 mismatched', false), '4.0.0', 'a 5xx answer with a 4.x.x code is not trusted for a delay');
});
t.test('MTA-STS mx patterns: a wildcard covers exactly one label', async (t) => {
    const p = { id: '1', mode: 'enforce', mx: ['mail.example.com', '*.example.net'], expiresAt: 0 };
    t.ok(mxAllowed(p, 'mail.example.com'));
    t.ok(mxAllowed(p, 'MAIL.example.com.'));
    t.ok(mxAllowed(p, 'mx1.example.net'));
    t.notOk(mxAllowed(p, 'a.b.example.net'));
    t.notOk(mxAllowed(p, 'example.net'));
    t.notOk(mxAllowed(p, 'evilexample.net'));
    t.notOk(mxAllowed(p, 'mail.example.com.evil.test'));
});
t.test('the DSN is a well-formed multipart/report; remote text cannot inject header lines', async (t) => {
    const original = Buffer.from('From: alice@example.test\r\nTo: bob@dest.test\r\nSubject: Plans\r\nMessage-ID: <m1@example.test>\r\n\r\nsecret body\r\n');
    const raw = buildDsn({
        kind: 'failed', reportingMta: 'mail.example.test', sender: 'alice@example.test', envid: 'ENV1', arrival: new Date(0), now: new Date(3600_000),
        recipients: [{ address: 'bob@dest.test', status: '5.1.1', diagnostic: '550 5.1.1 no\r\nX-Injected: yes', remoteMta: 'mx.dest.test' }],
        original,
    });
    const text = raw.toString();
    t.notMatch(text, /^X-Injected:/m, 'CR/LF in a remote answer are flattened');
    t.notMatch(text, /secret body/, 'only the header of the original is returned');
    const parsed = await simpleParser(raw);
    t.match(String(parsed.headers.get('content-type') && parsed.headers.get('content-type').value), 'multipart/report');
    t.equal(parsed.subject, 'Undelivered mail returned to sender');
    t.equal(parsed.headers.get('auto-submitted'), 'auto-replied');
    const boundary = /boundary="([^"]+)"/.exec(text)[1];
    const parts = text.split(`--${boundary}`);
    t.equal(parts.length, 5, 'preamble, three parts, the closing delimiter');
    t.match(parts[1], /^\r\nContent-Type: text\/plain/);
    t.match(parts[2], /^\r\nContent-Type: message\/delivery-status/);
    t.match(parts[3], /^\r\nContent-Type: text\/rfc822-headers[\s\S]*Message-ID: <m1@example\.test>/);
    t.equal(parts[4], '--\r\n');
    t.match(text, /Reporting-MTA: dns; mail\.example\.test\r\nOriginal-Envelope-Id: ENV1\r\nArrival-Date: /);
    t.match(text, /Final-Recipient: rfc822; bob@dest\.test\r\nAction: failed\r\nStatus: 5\.1\.1\r\nRemote-MTA: dns; mx\.dest\.test\r\nDiagnostic-Code: smtp; 550 5\.1\.1 no X-Injected: yes/);
});
t.test('the loopback DNS server speaks RFC 1035 as node:dns reads it', async (t) => {
    const dns = await startDnsServer({
        'a.test': { A: ['192.0.2.1', '192.0.2.2'], AAAA: ['2001:db8::25', '::1'], TXT: [['v=STSv1; ', 'id=1;'], ['other']], MX: [{ preference: 5, exchange: 'mx.a.test' }, { preference: 5, exchange: 'mx2.a.test' }, { preference: 1, exchange: 'mx0.a.test' }] },
        'broken.test': { servfail: true },
    });
    t.teardown(() => dns.close());
    const r = makeResolver([dns.address]);
    t.same((await r.resolve4('a.test')).sort(), ['192.0.2.1', '192.0.2.2']);
    t.same((await r.resolve6('a.test')).sort(), ['2001:db8::25', '::1']);
    t.same(await r.resolveTxt('a.test'), [['v=STSv1; ', 'id=1;'], ['other']]);
    const mx = await mxHosts(r, 'a.test');
    t.equal(mx[0].name, 'mx0.a.test', 'lowest preference first');
    t.same(mx.slice(1).map((m) => m.name).sort(), ['mx.a.test', 'mx2.a.test']);
    await t.rejects(r.resolve4('missing.test'), { code: 'ENOTFOUND' });
    const failure = async (name) => { try {
        await mxHosts(r, name);
        return undefined;
    }
    catch (e) {
        return e;
    } };
    const servfail = await failure('broken.test');
    t.ok(servfail instanceof DnsLookupError && servfail.transient, 'SERVFAIL is temporary');
    const nx = await failure('missing.test');
    t.ok(nx instanceof DnsLookupError && !nx.transient && nx.status === '5.1.2', 'NXDOMAIN is final');
});
//# sourceMappingURL=delivery-units.test.js.map