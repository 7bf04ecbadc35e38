// Direct delivery to MX hosts found through a loopback DNS server, against scripted SMTP peers on
// 127.0.0.2/127.0.0.3: preference order, implicit MX, NXDOMAIN and null MX, 4xx/5xx answers per
// recipient, timeouts, a dropped connection in DATA, retries on the schedule, the delay notice,
// expiry, and no backscatter to senders who are not local accounts.
import t from 'tap';
import { deliveryFixture } from './harness/delivery-fixture.js';
import { startSmtpPeer } from './harness/smtp-peer.js';
const MIN = 60_000;
const HOUR = 3600_000;
function zone() {
    return {
        'dest.test': { MX: [{ preference: 20, exchange: 'mx2.dest.test' }, { preference: 10, exchange: 'mx1.dest.test' }] },
        'mx1.dest.test': { A: ['127.0.0.2'] },
        'mx2.dest.test': { A: ['127.0.0.3'] },
        'plain.test': { A: ['127.0.0.2'] },
        'nomail.test': { MX: [{ preference: 0, exchange: '.' }] },
    };
}
async function peers(t, both = true) {
    const mx1 = await startSmtpPeer({ host: '127.0.0.2' });
    t.teardown(() => mx1.close());
    let mx2;
    if (both) {
        mx2 = await startSmtpPeer({ host: '127.0.0.3', port: mx1.port });
        t.teardown(() => mx2.close());
    }
    return { mx1, mx2, port: mx1.port };
}
function dsnField(dsn, field) {
    return [...dsn.matchAll(new RegExp(`^${field}: (.*)$`, 'gim'))].map((m) => m[1].trim());
}
t.test('delivers to the most preferred MX; the message arrives intact and leaves the queue', async (t) => {
    const { mx1, mx2, port } = await peers(t);
    const f = await deliveryFixture(t, { zone: zone(), delivery: { mxPort: port } });
    const { messageId } = f.send(['bob@dest.test']);
    await f.runner.drain();
    t.equal(mx1.received.length, 1, 'the preference-10 host got it');
    t.equal(mx2.received.length, 0);
    const got = mx1.received[0];
    t.equal(got.messageId, messageId);
    t.same(got.rcptTo, ['bob@dest.test']);
    t.equal(got.mailFrom, 'alice@example.test');
    t.match(got.raw.toString(), /\r\n\.leading dot line\r\n/, 'dot-stuffing undone by the peer: the line is as sent');
    t.equal(f.store.queue.count(), 0, 'the entry is removed');
    t.ok(f.dns.queries.includes('dest.test MX'), 'MX asked of the test resolver');
    t.same(f.inbox(), [], 'no notice for a delivered message');
});
t.test('an unreachable MX is skipped for the next one; a domain without MX gets its A record', async (t) => {
    const mx2 = await startSmtpPeer({ host: '127.0.0.3' });
    t.teardown(() => mx2.close());
    const f = await deliveryFixture(t, { zone: { ...zone(), 'plain.test': { A: ['127.0.0.3'] } }, delivery: { mxPort: mx2.port } });
    f.send(['bob@dest.test']);
    f.send(['carol@plain.test']);
    await f.runner.drain();
    t.same(mx2.received.map((r) => r.rcptTo[0]).sort(), ['bob@dest.test', 'carol@plain.test']);
    t.equal(f.store.queue.count(), 0);
    t.ok(f.dns.queries.includes('plain.test MX') && f.dns.queries.includes('plain.test A'), 'implicit MX: A after an empty MX answer');
});
t.test('NXDOMAIN and null MX bounce at once with the right status', async (t) => {
    const f = await deliveryFixture(t, { zone: zone() });
    f.send(['x@missing.test'], { subject: 'to nowhere' });
    f.send(['y@nomail.test'], { subject: 'to null mx' });
    await f.runner.drain();
    t.equal(f.store.queue.count(), 0);
    const dsns = f.inbox();
    t.equal(dsns.length, 2);
    const statuses = dsns.map((d) => dsnField(d, 'Status')[0]).sort();
    t.same(statuses, ['5.1.10', '5.1.2']);
    for (const d of dsns) {
        t.match(d, /Content-Type: multipart\/report; report-type=delivery-status/);
        t.match(d, /Action: failed/);
    }
});
t.test('4xx defers on the retry schedule, then the retry succeeds without a notice', async (t) => {
    const { mx1, port } = await peers(t, false);
    mx1.behaviour.rcpt = () => ({ code: 451, message: '4.7.1 greylisted, try later' });
    const f = await deliveryFixture(t, { zone: { ...zone(), 'dest.test': { MX: [{ preference: 10, exchange: 'mx1.dest.test' }] } }, delivery: { mxPort: port } });
    const { ids } = f.send(['bob@dest.test']);
    const t0 = f.clock.now;
    await f.runner.drain();
    let e = f.store.queue.get(ids[0]);
    t.equal(e.attempts, 1);
    t.equal(e.recipients[0].status, 'pending');
    t.match(e.lastReply, /^451 .*greylisted/);
    t.ok(e.nextAttemptAt >= t0 + 4 * MIN && e.nextAttemptAt <= t0 + 6 * MIN, 'first retry after about 5 minutes');
    await f.runner.drain();
    t.equal(f.store.queue.get(ids[0]).attempts, 1, 'not retried before it is due');
    f.clock.now += 6 * MIN;
    await f.runner.drain();
    e = f.store.queue.get(ids[0]);
    t.equal(e.attempts, 2);
    t.ok(e.nextAttemptAt - f.clock.now >= 8 * MIN && e.nextAttemptAt - f.clock.now <= 12 * MIN, 'the interval doubles');
    mx1.behaviour.rcpt = undefined;
    f.clock.now += 11 * MIN;
    await f.runner.drain();
    t.equal(mx1.received.length, 1);
    t.equal(f.store.queue.count(), 0);
    t.same(f.inbox(), []);
});
for (const pipelining of [true, false])
    t.test(`one of several recipients fails: per-recipient results, one bounce, no double delivery (${pipelining ? 'PIPELINING' : 'one command at a time'})`, async (t) => {
        const mx1 = await startSmtpPeer({ host: '127.0.0.2', noPipelining: !pipelining });
        t.teardown(() => mx1.close());
        const port = mx1.port;
        mx1.behaviour.rcpt = (a) => a.startsWith('carol') ? { code: 550, message: '5.1.1 no such user' } : a.startsWith('dave') ? { code: 452, message: '4.2.2 mailbox full' } : undefined;
        const f = await deliveryFixture(t, { zone: { ...zone(), 'dest.test': { MX: [{ preference: 10, exchange: 'mx1.dest.test' }] } }, delivery: { mxPort: port } });
        const { ids, messageId } = f.send(['bob@dest.test', 'carol@dest.test', 'dave@dest.test'], { subject: 'family news' });
        t.equal(ids.length, 1, 'one entry per domain');
        await f.runner.drain();
        const e = f.store.queue.get(ids[0]);
        const by = Object.fromEntries(e.recipients.map((r) => [r.address, r.status]));
        t.same(by, { 'bob@dest.test': 'delivered', 'carol@dest.test': 'failed', 'dave@dest.test': 'pending' });
        t.same(mx1.received.map((r) => r.rcptTo), [['bob@dest.test']]);
        const dsns = f.inbox();
        t.equal(dsns.length, 1, 'a bounce for carol right away');
        t.same(dsnField(dsns[0], 'Final-Recipient'), ['rfc822; carol@dest.test']);
        t.same(dsnField(dsns[0], 'Status'), ['5.1.1']);
        t.match(dsns[0], /Diagnostic-Code: smtp; 550 5.1.1 no such user/);
        t.match(dsns[0], /Content-Type: text\/rfc822-headers[\s\S]*Message-ID: <[^>]+>/);
        t.ok(dsns[0].includes(`Message-ID: ${messageId}`), 'the original header is attached');
        t.match(dsns[0], /Subject: Undelivered mail returned to sender/);
        mx1.behaviour.rcpt = undefined;
        f.clock.now += 10 * MIN;
        await f.runner.drain();
        t.same(mx1.received.map((r) => r.rcptTo), [['bob@dest.test'], ['dave@dest.test']], 'only dave is retried');
        t.equal(f.store.queue.count(), 0);
        t.equal(f.inbox().length, 1, 'no second bounce');
    });
t.test('a peer that never answers DATA, and one that drops the connection in DATA: deferred', async (t) => {
    const { mx1, port } = await peers(t, false);
    mx1.behaviour.data = 'hang';
    const f = await deliveryFixture(t, { zone: { ...zone(), 'dest.test': { MX: [{ preference: 10, exchange: 'mx1.dest.test' }] } }, delivery: { mxPort: port }, options: { dataTimeoutMs: 500 } });
    const { ids } = f.send(['bob@dest.test']);
    await f.runner.drain();
    let e = f.store.queue.get(ids[0]);
    t.equal(e.recipients[0].status, 'pending');
    t.match(e.lastReply, /no answer from the server/);
    mx1.behaviour.data = 'drop';
    f.clock.now += 6 * MIN;
    await f.runner.drain();
    e = f.store.queue.get(ids[0]);
    t.equal(e.attempts, 2);
    t.equal(e.recipients[0].status, 'pending');
    t.match(e.lastReply, /closed by the server|connection error/);
    t.equal(mx1.received.length, 0);
    mx1.behaviour.data = 'accept';
    f.clock.now += 11 * MIN;
    await f.runner.drain();
    t.equal(mx1.received.length, 1);
    t.equal(f.store.queue.count(), 0);
    t.same(f.inbox(), [], 'short trouble: no notice');
});
t.test('5xx after DATA bounces every recipient of the transaction', async (t) => {
    const { mx1, port } = await peers(t, false);
    mx1.behaviour.data = { code: 554, message: '5.7.1 message refused as spam' };
    const f = await deliveryFixture(t, { zone: { ...zone(), 'dest.test': { MX: [{ preference: 10, exchange: 'mx1.dest.test' }] } }, delivery: { mxPort: port } });
    f.send(['bob@dest.test', 'carol@dest.test']);
    await f.runner.drain();
    t.equal(f.store.queue.count(), 0);
    const dsns = f.inbox();
    t.equal(dsns.length, 1);
    t.same(dsnField(dsns[0], 'Final-Recipient').sort(), ['rfc822; bob@dest.test', 'rfc822; carol@dest.test']);
    t.same(dsnField(dsns[0], 'Status'), ['5.7.1', '5.7.1']);
    t.same(dsnField(dsns[0], 'Remote-MTA'), ['dns; mx1.dest.test', 'dns; mx1.dest.test']);
});
t.test('a delay notice once after delayNoticeAfterHours, a bounce at expiry', async (t) => {
    const { mx1, port } = await peers(t, false);
    mx1.behaviour.rcpt = () => ({ code: 421, message: '4.3.2 service shutting down' });
    const f = await deliveryFixture(t, { zone: { ...zone(), 'dest.test': { MX: [{ preference: 10, exchange: 'mx1.dest.test' }] } }, delivery: { mxPort: port, delayNoticeAfterHours: 4, expireAfterHours: 24 } });
    const { ids } = f.send(['bob@dest.test']);
    const t0 = f.clock.now;
    const created = f.store.queue.get(ids[0]).createdAt;
    await f.runner.drain();
    t.same(f.inbox(), []);
    f.clock.now = t0 + 4 * HOUR + MIN;
    await f.runner.drain();
    let inbox = f.inbox();
    t.equal(inbox.length, 1, 'one delay notice');
    t.same(dsnField(inbox[0], 'Action'), ['delayed']);
    t.same(dsnField(inbox[0], 'Status'), ['4.3.2']);
    t.ok(dsnField(inbox[0], 'Will-Retry-Until').length === 1);
    t.ok(f.store.queue.get(ids[0]).delayNotified);
    f.clock.now = t0 + 8 * HOUR;
    await f.runner.drain();
    t.equal(f.inbox().length, 1, 'the delay notice is sent once');
    let guard = 0;
    while (f.store.queue.count() > 0 && guard++ < 50) {
        f.clock.now = Math.max(f.clock.now + MIN, f.store.queue.nextDueAt());
        await f.runner.drain();
    }
    t.ok(f.clock.now >= created + 24 * HOUR, 'retried until the expiry');
    t.ok(f.clock.now < t0 + 24 * HOUR + 5 * HOUR, 'and not much longer');
    inbox = f.inbox();
    t.equal(inbox.length, 2);
    t.same(dsnField(inbox[1], 'Action'), ['failed']);
    t.same(dsnField(inbox[1], 'Status'), ['4.4.7']);
    t.match(inbox[1], /delivery time expired after 24 hours/);
    t.equal(mx1.received.length, 0);
});
t.test('no backscatter: a sender who is not a local account gets no bounce', async (t) => {
    const { mx1, port } = await peers(t, false);
    mx1.behaviour.rcpt = () => ({ code: 550, message: '5.1.1 no such user' });
    const f = await deliveryFixture(t, { zone: { ...zone(), 'dest.test': { MX: [{ preference: 10, exchange: 'mx1.dest.test' }] } }, delivery: { mxPort: port } });
    f.send(['bob@dest.test'], { from: 'forged@elsewhere.test', local: false });
    f.send(['bob@dest.test'], { from: '' });
    await f.runner.drain();
    t.equal(f.store.queue.count(), 0, 'finished entries leave the queue');
    t.same(f.inbox(), [], 'nothing sent anywhere: no DSN for a forged or null sender');
});
//# sourceMappingURL=delivery-mx.test.js.map