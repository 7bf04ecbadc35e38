// RFC 3461/3464 end to end in a running appliance: a family member submits with nodemailer's
// `dsn` option over implicit TLS; the runner delivers through the loopback DNS to two scripted
// peers on the same port, one that offers DSN (the requests must go on with the mail, and no
// notice comes from the box) and one that does not (a "relayed" notice with the envelope id and
// the original recipient). A refused recipient with NOTIFY=NEVER gets no bounce; RET=HDRS returns
// the header only, RET=FULL the whole message; NOTIFY=FAILURE alone suppresses the delay notice
// that NOTIFY=DELAY asks for; NOTIFY=SUCCESS to a local mailbox gives a "delivered" notice. Every
// notice is read from the sender's INBOX through the store.
import t from 'tap';
import nodemailer from 'nodemailer';
import { simpleParser } from 'mailparser';
import { startTestAppliance } from './harness/appliance.js';
import { startSmtpPeer } from './harness/smtp-peer.js';
import { startDnsServer } from './harness/dns-server.js';
import { mailbox } from './smtp-fixture.js';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const PASSWORD = 'correct horse battery';
let app;
let dsnPeer;
let plainPeer;
let dns;
let alice;
let transport;
const refuse = (a) => a.startsWith('nobody') ? { code: 550, message: '5.1.1 no such mailbox here' }
    : a.startsWith('later') ? { code: 451, message: '4.2.0 try again later' } : undefined;
t.before(async () => {
    dsnPeer = await startSmtpPeer({ host: '127.0.0.2', offerDsn: true, behaviour: { rcpt: refuse } });
    plainPeer = await startSmtpPeer({ host: '127.0.0.3', port: dsnPeer.port, behaviour: { rcpt: refuse } });
    dns = await startDnsServer({
        'dsn.test': { MX: [{ preference: 10, exchange: 'mx.dsn.test' }] }, 'mx.dsn.test': { A: ['127.0.0.2'] },
        'plain.test': { MX: [{ preference: 10, exchange: 'mx.plain.test' }] }, 'mx.plain.test': { A: ['127.0.0.3'] },
    });
    // a delay notice is due at the first temporary failure (1e-6 hours)
    app = await startTestAppliance({ listeners: ['submissions'], config: { delivery: { dnsServers: [dns.address], mxPort: dsnPeer.port, delayNoticeAfterHours: 1e-6 } } });
    alice = await app.store.accounts.create('alice@example.test', PASSWORD);
    await app.store.accounts.create('bob@example.test', PASSWORD);
    transport = nodemailer.createTransport({
        host: '127.0.0.1', port: app.port('submissions'), secure: true,
        auth: { user: 'alice@example.test', pass: PASSWORD }, tls: { ca: app.appliance.tls.ca, servername: 'mail.example.test' },
    });
});
t.teardown(async () => {
    transport?.close();
    await app?.stop();
    await dsnPeer?.close();
    await plainPeer?.close();
    await dns?.close();
});
/** Notices in alice's INBOX about the message with this subject. */
const notices = (subject) => mailbox(app.store, alice.id).filter((m) => /report-type=delivery-status/.test(m) && m.includes(subject));
async function until(what, ok, ms = 30_000) {
    const deadline = Date.now() + ms;
    while (!ok()) {
        if (Date.now() > deadline)
            throw new Error(`timed out waiting for ${what}`);
        await sleep(50);
    }
}
const queueHas = (subject) => app.store.queue.list().some((e) => app.store.readMessage(app.store.messages.blob(e.blobId).hash).toString('latin1').includes(subject));
t.test('a peer that offers DSN gets NOTIFY, ORCPT, RET and ENVID; no notice from the box', async (t) => {
    const subject = 'dsn-passed-on';
    await transport.sendMail({
        from: 'alice@example.test', to: 'carol@dsn.test', subject, text: 'passed on\n',
        dsn: { id: 'env+id=1', return: 'headers', notify: ['success', 'failure'], recipient: 'carol.original@example.org' },
    });
    await until('delivery', () => dsnPeer.received.some((m) => m.raw.includes(subject)) && !queueHas(subject));
    const got = dsnPeer.received.find((m) => m.raw.includes(subject));
    t.equal(got.mailArgs.RET, 'HDRS');
    t.equal(got.mailArgs.ENVID, 'env+id=1', 'the envelope id arrives intact (xtext-encoded on the wire)');
    t.equal(got.rcptArgs[0].NOTIFY, 'SUCCESS,FAILURE');
    t.equal(got.rcptArgs[0].ORCPT, 'rfc822;carol.original@example.org');
    await sleep(1500);
    t.same(notices(subject), [], 'the next hop reports success itself: no relayed notice');
});
t.test('a peer without DSN: a "relayed" notice with the envelope id and the original recipient', async (t) => {
    const subject = 'dsn-relayed';
    await transport.sendMail({
        from: 'alice@example.test', to: 'dave@plain.test', subject, text: 'relayed\n',
        dsn: { id: 'relay-42', notify: 'success', recipient: 'dave.original@example.org' },
    });
    await until('the relayed notice', () => notices(subject).length > 0);
    const got = plainPeer.received.find((m) => m.raw.includes(subject));
    t.same(got.mailArgs.ENVID, undefined, 'nothing DSN-ish sent to a server that does not offer it');
    t.same(got.rcptArgs[0].NOTIFY, undefined);
    const [n] = notices(subject);
    t.match(n, /Subject: Mail relayed/);
    t.match(n, /Original-Envelope-Id: relay-42\r\n/);
    t.match(n, /Original-Recipient: rfc822; dave\.original@example\.org\r\n/);
    t.match(n, /Final-Recipient: rfc822; dave@plain\.test\r\nAction: relayed\r\nStatus: 2\.0\.0\r\n/);
    t.match(n, /Remote-MTA: dns; mx\.plain\.test/);
    t.match(n, /Content-Type: text\/rfc822-headers/);
    // a MIME parser sees the RFC 6522 report: explanation, delivery-status, returned header
    const parsed = await simpleParser(Buffer.from(n, 'latin1'));
    t.match(parsed.text ?? '', /passed on to these recipients' mail servers/);
    t.equal(parsed.subject, 'Mail relayed: delivery report');
    const headers = parsed.attachments.find((a) => a.contentType === 'text/rfc822-headers');
    t.match(headers?.content.toString('latin1') ?? '', /Subject: dsn-relayed\r\n/, 'the returned header is its own part');
    const boundary = /boundary="([^"]+)"/.exec(n)[1];
    const parts = n.split(`--${boundary}`);
    t.equal(parts.length, 5, 'preamble, three parts, the closing delimiter');
    t.match(parts[2], /^\r\nContent-Type: message\/delivery-status/);
    await sleep(500);
    t.equal(notices(subject).length, 1, 'told once');
});
t.test('no NOTIFY: a delivered message gets no success notice (the default)', async (t) => {
    const subject = 'dsn-default-success';
    await transport.sendMail({ from: 'alice@example.test', to: 'erin@plain.test', subject, text: 'default\n' });
    await until('delivery', () => plainPeer.received.some((m) => m.raw.includes(subject)) && !queueHas(subject));
    await sleep(1500);
    t.same(notices(subject), []);
});
t.test('a refused recipient with NOTIFY=NEVER: no bounce; the entry still leaves the queue', async (t) => {
    const subject = 'dsn-never';
    await transport.sendMail({ from: 'alice@example.test', to: 'nobody@plain.test', subject, text: 'never\n', dsn: { notify: 'never' } });
    await until('the failure to be final', () => !queueHas(subject));
    await sleep(500);
    t.same(notices(subject), [], 'no bounce');
});
t.test('RET=HDRS: the bounce returns the header only; RET=FULL the whole message', async (t) => {
    await transport.sendMail({ from: 'alice@example.test', to: 'nobody@plain.test', subject: 'dsn-ret-hdrs', text: 'BODY-MARKER-HDRS\n', dsn: { return: 'headers', notify: 'failure', id: 'hdrs-1' } });
    await transport.sendMail({ from: 'alice@example.test', to: 'nobody@plain.test', subject: 'dsn-ret-full', text: 'BODY-MARKER-FULL\n', dsn: { return: 'full', notify: 'failure' } });
    await until('both bounces', () => notices('dsn-ret-hdrs').length > 0 && notices('dsn-ret-full').length > 0);
    const hdrs = notices('dsn-ret-hdrs')[0];
    t.match(hdrs, /Action: failed\r\nStatus: 5\.1\.1/);
    t.match(hdrs, /Original-Envelope-Id: hdrs-1/);
    t.match(hdrs, /Content-Type: text\/rfc822-headers/);
    t.notMatch(hdrs, /message\/rfc822/);
    t.notMatch(hdrs, /BODY-MARKER-HDRS/, 'the body is not returned');
    const full = notices('dsn-ret-full')[0];
    t.match(full, /Content-Type: message\/rfc822/);
    t.match(full, /BODY-MARKER-FULL/, 'the whole message is returned');
    t.notMatch(full, /text\/rfc822-headers/);
    const parsed = await simpleParser(Buffer.from(full, 'latin1'));
    const returned = parsed.attachments.find((a) => a.contentType === 'message/rfc822');
    t.ok(returned, 'the returned message is a message/rfc822 part');
    t.match(returned.content.toString('latin1'), /Subject: dsn-ret-full[\s\S]*\r\n\r\nBODY-MARKER-FULL/);
});
t.test('NOTIFY=FAILURE alone: no delay notice; NOTIFY=DELAY: one', async (t) => {
    await transport.sendMail({ from: 'alice@example.test', to: 'later1@plain.test', subject: 'dsn-no-delay', text: 'x\n', dsn: { notify: 'failure' } });
    await transport.sendMail({ from: 'alice@example.test', to: 'later2@plain.test', subject: 'dsn-delay-asked', text: 'x\n', dsn: { notify: ['delay', 'failure'] } });
    await until('both attempted and the delay decision recorded', () => {
        const es = app.store.queue.list();
        return es.length >= 2 && es.every((e) => e.attempts >= 1 && e.delayNotified);
    });
    await until('the delay notice', () => notices('dsn-delay-asked').length > 0);
    t.match(notices('dsn-delay-asked')[0], /Action: delayed\r\nStatus: 4\.2\.0/);
    t.same(notices('dsn-no-delay'), [], 'no delay notice when NOTIFY leaves out DELAY');
    for (const e of app.store.queue.list())
        app.store.queue.remove(e.id);
});
t.test('NOTIFY=SUCCESS to a local mailbox: a "delivered" notice', async (t) => {
    const subject = 'dsn-local-delivered';
    await transport.sendMail({ from: 'alice@example.test', to: 'bob@example.test', subject, text: 'local\n', dsn: { notify: 'success', id: 'local-7', recipient: 'bob@example.test' } });
    await until('the delivered notice', () => notices(subject).length > 0);
    const n = notices(subject)[0];
    t.match(n, /Subject: Successful mail delivery report/);
    t.match(n, /Original-Envelope-Id: local-7/);
    t.match(n, /Original-Recipient: rfc822; bob@example\.test/);
    t.match(n, /Final-Recipient: rfc822; bob@example\.test\r\nAction: delivered\r\nStatus: 2\.0\.0/);
});
//# sourceMappingURL=delivery-dsn.test.js.map