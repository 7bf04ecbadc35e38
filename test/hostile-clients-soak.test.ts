// Issue #14, the hostile-client soak against a real appliance: 100 connections that pipeline
// commands and never read, or trickle a byte a second, half on the MX and half on IMAP, while an
// honest sender (nodemailer through the MX) and an honest reader (imapflow) do their work. Fairness
// per connection before login (services/imap/session.ts: one command per connection per turn of the
// event loop, at most imapLimits.maxCommandsBeforeLogin commands before login; services/smtp:
// at most MAX_JUNK_COMMANDS NOOP/RSET/VRFY/HELP per connection) keeps the honest clients served;
// memory stays bounded, the box stays up and stores nothing partial. The figures under load
// (latency, peak RSS) are bench/soak.ts's, in BENCHMARKS.md.
import t from 'tap';
import { connect, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import { ImapFlow } from 'imapflow';
import { startTestAppliance, type TestAppliance } from './harness/appliance.js';
import { RawImapClient } from './harness/imap-raw.js';
import { RawSmtp } from './smtp-fixture.js';
import { imapInput, imapLimits } from '../services/imap/limits.js';
import { MAX_JUNK_COMMANDS } from '../services/smtp/limits.js';

const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;
const PASSWORD = 'correct horse battery';

let app: TestAppliance;
t.before(async () => {
  app = await startTestAppliance({
    listeners: ['mx', 'imap', 'imaps'],
    // Every hostile connection comes from 127.0.0.1: let them all in (as per-circuit identities
    // would on the onion), so fairness, not the per-client connection cap, is what is tested.
    config: { delivery: { dnsServers: ['127.0.0.1:9'] }, smtp: { maxConnectionsPerClient: 1000, messagesPerMinutePerClient: 1000 } },
  });
  await app.store.accounts.create('alice@example.test', PASSWORD);
});
t.teardown(() => app.stop());

interface Attacker { socket: Socket; closed: Promise<void>; stop(): void }

/** Pipelines `payload` and never reads; goes on uploading part of a line so that a server-side
 *  close is seen (the write fails). */
function neverReads(port: number, payload: string): Attacker {
  const socket = connect(port, '127.0.0.1');
  socket.pause();
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  let tick: NodeJS.Timeout | undefined;
  socket.once('connect', () => {
    socket.write(payload);
    tick = setInterval(() => { if (socket.destroyed) clearInterval(tick); else socket.write('x'); }, 500);
  });
  return { socket, closed, stop: () => { clearInterval(tick); socket.destroy(); } };
}

/** Starts something and then sends a byte a second of what never ends (a command line, SMTP data). */
function trickles(port: number, opening: string): Attacker {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  socket.on('data', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  let tick: NodeJS.Timeout | undefined;
  socket.once('connect', () => {
    if (opening) socket.write(opening);
    tick = setInterval(() => { if (!socket.destroyed) socket.write('x'); }, 1000);
  });
  return { socket, closed, stop: () => { clearInterval(tick); socket.destroy(); } };
}

t.test('100 never-reading and slow connections on the MX and IMAP: honest clients are served, memory bounded, fsck clean', async (t) => {
  const heldBefore = imapInput.inUse;
  const rssBefore = rssMb();
  const mx = app.port('mx');
  const imap = app.port('imap');
  const smtpPipeliners = Array.from({ length: 25 }, () => neverReads(mx, 'EHLO x\r\n' + 'NOOP\r\n'.repeat(20_000)));
  const imapPipeliners = Array.from({ length: 25 }, () => neverReads(imap, 'a CAPABILITY\r\n'.repeat(10_000)));
  const slow = [
    ...Array.from({ length: 25 }, () => trickles(mx, 'EHLO x\r\nMAIL FROM:<x@example.org>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n')),
    ...Array.from({ length: 25 }, () => trickles(imap, '')),
  ];
  const all = [...smtpPipeliners, ...imapPipeliners, ...slow];
  t.teardown(() => { for (const a of all) a.stop(); });
  let peakRss = 0;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, rssMb()); }, 100);
  t.teardown(() => clearInterval(sampler));
  await new Promise((r) => setTimeout(r, 1000));

  // The honest sender: ten messages through the MX with nodemailer (STARTTLS, as a real MTA).
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: mx, secure: false, name: 'honest.example.org', tls: { ca: app.appliance.tls.ca, servername: 'mail.example.test' } });
  t.teardown(() => transport.close());
  for (let i = 1; i <= 10; i++) {
    const info = await transport.sendMail({ from: 'friend@example.org', to: 'alice@example.test', subject: `honest ${i}`, text: `Message ${i} of the honest sender.\n` });
    t.same(info.accepted, ['alice@example.test'], `message ${i} accepted during the attack`);
  }

  // The honest reader: imapflow logs in and fetches them.
  const reader = new ImapFlow({ host: '127.0.0.1', port: app.port('imaps'), secure: true, auth: { user: 'alice@example.test', pass: PASSWORD }, tls: { ca: app.appliance.tls.ca, servername: 'mail.example.test' }, logger: false });
  await reader.connect();
  t.teardown(() => reader.close());
  const box = await reader.mailboxOpen('INBOX');
  t.equal(box.exists, 10, 'the reader sees the ten messages');
  const subjects: string[] = [];
  for await (const m of reader.fetch('1:*', { envelope: true, source: true })) subjects.push(m.envelope?.subject ?? '');
  t.same(subjects.sort((a, b) => Number(a.split(' ')[1]) - Number(b.split(' ')[1])), Array.from({ length: 10 }, (_, i) => `honest ${i + 1}`), 'and fetches each whole');
  await reader.logout();

  // The IMAP pipeliners were closed at the command limit before login (not at a deadline: the
  // pre-login timeout is a minute, and a never-reading client's BYE never drains).
  const outcome = await Promise.race([
    Promise.all(imapPipeliners.map((a) => a.closed)).then(() => 'closed'),
    new Promise((r) => setTimeout(() => r('still open'), 30_000)),
  ]);
  t.equal(outcome, 'closed', `every never-reading IMAP client was closed (limit: ${imapLimits.maxCommandsBeforeLogin} commands before login)`);
  clearInterval(sampler);
  t.ok(peakRss - rssBefore < 150, `RSS grew by ${Math.round(peakRss - rssBefore)} MB at most (bounded)`);

  // The box is up: new connections are greeted on both protocols.
  const smtp = await RawSmtp.open(mx);
  t.match(await smtp.reply(), /^220 /, 'a new SMTP client is greeted');
  smtp.close();
  const fresh = await RawImapClient.open(app.port('imaps'), { tls: true });
  t.match(fresh.greeting, /^\* OK/, 'a new IMAP client is greeted');
  await fresh.command('LOGOUT');

  for (const a of all) a.stop();
  for (let i = 0; i < 50 && imapInput.inUse > heldBefore; i++) await new Promise((r) => setTimeout(r, 100));
  t.equal(imapInput.inUse, heldBefore, 'every byte of IMAP input went back to the budget');
  t.equal(app.store.check().problems.length, 0, 'fsck clean');
});

t.test(`SMTP: past ${MAX_JUNK_COMMANDS} NOOP/RSET/VRFY/HELP on one connection, 421 and the connection is closed`, async (t) => {
  const c = await RawSmtp.open(app.port('mx'));
  await c.reply();
  t.match(await c.cmd('EHLO client.example.org'), /^250/);
  for (let i = 0; i < MAX_JUNK_COMMANDS; i++) {
    const r = await c.cmd(['NOOP', 'RSET', 'VRFY alice', 'HELP'][i % 4]!);
    if (!/^2/.test(r)) { t.fail(`command ${i + 1} refused: ${r}`); break; }
  }
  t.match(await c.cmd('NOOP'), /^421 4\.7\.0 Too many NOOP, RSET, VRFY or HELP commands/, 'the next one is refused');
  await c.reply(5000).catch(() => '');
  t.ok(c.closed, 'the connection is closed');
  // A client that moves mail along is not limited by it: MAIL/RCPT/DATA are not junk.
  const d = await RawSmtp.open(app.port('mx'));
  await d.reply();
  await d.cmd('EHLO client.example.org');
  for (let i = 0; i < 3; i++) {
    t.match(await d.cmd('MAIL FROM:<friend@example.org>'), /^250/);
    t.match(await d.cmd('RCPT TO:<alice@example.test>'), /^250/);
    t.match(await d.cmd('RSET'), /^250/);
  }
  await d.cmd('QUIT');
  d.close();
});

t.test(`IMAP: past ${imapLimits.maxCommandsBeforeLogin} commands before login, BYE; logging in resets nothing a client needs`, async (t) => {
  const c = await RawImapClient.open(app.port('imaps'), { tls: true });
  for (let i = 0; i < imapLimits.maxCommandsBeforeLogin - 1; i++) {
    const r = await c.command('CAPABILITY');
    if (r.status !== 'OK') { t.fail(`command ${i + 1}: ${r.status} ${r.text}`); break; }
  }
  t.equal((await c.command(`LOGIN alice@example.test "${PASSWORD}"`)).status, 'OK', 'the last command allowed logs in');
  for (let i = 0; i < 60; i++) {
    const r = await c.command('NOOP');
    if (r.status !== 'OK') { t.fail(`after login, command ${i + 1}: ${r.status}`); break; }
  }
  t.pass('after login the limit does not apply');
  await c.command('LOGOUT');
  // One more than the limit, pipelined by a client that reads: all answered, then BYE and close.
  const s = connect(app.port('imap'), '127.0.0.1');
  let got = '';
  s.on('data', (d: Buffer) => { got += d.toString('latin1'); });
  await new Promise<void>((resolve) => { s.once('close', () => resolve()); s.once('connect', () => s.write('n NOOP\r\n'.repeat(imapLimits.maxCommandsBeforeLogin + 1))); });
  t.equal(got.match(/^n OK/gm)?.length, imapLimits.maxCommandsBeforeLogin, 'the commands within the limit are answered');
  t.match(got, /\* BYE too many commands before login \(the limit is \d+\)\r\n$/, 'then BYE, and the server closed the connection');
});
