// The log line of a delivery attempt carries the remote server's whole answer (its reason is
// usually past the code), with the mail addresses and IP addresses in it replaced by hashes: a
// real runner delivering to a scripted MX whose 450 names the recipient and our address.
import t from 'tap';
import { deliveryFixture } from './harness/delivery-fixture.js';
import { startSmtpPeer } from './harness/smtp-peer.js';
import { redact, redactAddress, scrubIpAddresses, setLogSink, setQuiet } from '../appliance/log.js';
t.test('scrubIpAddresses hashes IPv4 and IPv6 addresses and leaves other numbers', async (t) => {
    t.equal(scrubIpAddresses('from [203.0.113.7] and 2001:db8::5 port 25, code 4.2.0, v1.2.3'), `from [${redact('ip', '203.0.113.7')}] and ${redact('ip', '2001:db8::5')} port 25, code 4.2.0, v1.2.3`);
    t.equal(scrubIpAddresses('at 10:30:00 UTC'), 'at 10:30:00 UTC', 'a time of day is not an IPv6 address');
});
t.test('the attempt is logged with the whole answer, addresses and IPs hashed', async (t) => {
    const reply = '4.2.0 Mailbox of bob@dest.test is being moved; your host 198.51.100.23 may retry after the move is finished (details at https://help.dest.test)';
    const peer = await startSmtpPeer({ host: '127.0.0.2', behaviour: { rcpt: () => ({ code: 450, message: reply }) } });
    t.teardown(() => peer.close());
    const f = await deliveryFixture(t, { zone: { 'dest.test': { A: ['127.0.0.2'] } }, delivery: { mxPort: peer.port } });
    const lines = [];
    setQuiet(false);
    setLogSink((l) => lines.push(l));
    t.teardown(() => { setQuiet(true); setLogSink((l) => process.stdout.write(l + '\n')); });
    f.send(['bob@dest.test']);
    await f.runner.drain();
    const attempt = lines.map((l) => JSON.parse(l)).find((l) => l.event === 'delivery.attempt');
    t.ok(attempt, 'an attempt was logged');
    const logged = String(attempt?.reply ?? '');
    t.match(logged, /^450 4\.2\.0 Mailbox of addr#[0-9a-f]{8} is being moved; your host ip#[0-9a-f]{8} may retry after the move is finished \(details at https:\/\/help\.dest\.test\)$/, 'the whole answer');
    t.ok(logged.includes(redactAddress('bob@dest.test')), 'the recipient as its hash');
    t.notMatch(lines.join('\n'), /bob@dest\.test|198\.51\.100\.23/, 'neither the address nor the IP in clear anywhere');
});
//# sourceMappingURL=delivery-log-reply.test.js.map