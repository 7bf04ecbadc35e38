// The junk filter in a running appliance, driven by a real IMAP client (imapflow) and real SMTP
// (nodemailer to the MX and to submission): MOVE into Junk trains as spam, moving back untrains
// (and teaches ham), $Junk/$NotJunk keywords train, a spam delivered over SMTP lands in Junk with
// $Junk and the X-Spam headers (Authentication-Results untouched), a correspondent's mail is never
// junked, a stranger's executable goes to Junk marked $AttachmentRisk, and the model survives a
// restart.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { startTestAppliance, tempDir, type TestAppliance } from './harness/appliance.js';
import { startDnsServer } from './harness/dns-server.js';
import { ImapLineClient } from './harness/imap-line.js';
import type { JunkService } from '../appliance/junk/service.js';

const PASSWORD = 'correct horse battery';
const spamWords = ['viagra cheap pills online pharmacy', 'win money now lottery winner claim prize', 'limited offer act now free credit', 'enlarge results guaranteed discreet shipping'];
const hamWords = ['meeting notes from tuesday about the garden', 'can you pick up the kids after school', 'the invoice for the plumber is attached to the email', 'dinner at grandma sunday bring the salad'];

function spam(i: number, from = `seller${i}@spam${i}.example`): Buffer {
  return Buffer.from(`From: ${from}\r\nTo: alice@example.test\r\nSubject: Offer ${i}: ${spamWords[i % 4]}\r\nMessage-ID: <s${i}.${Date.now()}@spam.example>\r\n\r\n${spamWords[i % 4]} ${spamWords[(i + 1) % 4]} click here\r\n`);
}
function ham(i: number): Buffer {
  return Buffer.from(`From: friend${i}@family.example\r\nTo: alice@example.test\r\nSubject: Re: ${hamWords[i % 4]}\r\nMessage-ID: <h${i}@family.example>\r\n\r\n${hamWords[i % 4]}. ${hamWords[(i + 2) % 4]}\r\n`);
}

/** Training runs after the IMAP command (the store's event queues it before the OK is written):
 *  wait for the filter's queue to drain, then check. No polling, no timing. */
async function afterTraining(app: TestAppliance, what: string, cond: () => boolean): Promise<void> {
  await app.appliance.service<JunkService>('junk')!.filter.idle();
  if (!cond()) throw new Error(`after training: not ${what}`);
}

async function imap(app: TestAppliance): Promise<ImapFlow> {
  const c = new ImapFlow({ host: '127.0.0.1', port: app.port('imaps'), secure: true, auth: { user: 'alice@example.test', pass: PASSWORD }, tls: { ca: ImapLineClient.caOf(app.dataDir), servername: 'localhost' }, logger: false });
  await c.connect();
  return c;
}

function folderOf(app: TestAppliance, accountId: number, needle: string): { box: string; raw: string; flags: string[] } | undefined {
  for (const mb of app.store.mailboxes.list(accountId)) {
    for (const m of app.store.messages.list(mb.id)) {
      const raw = app.store.readMessage(app.store.messages.blob(m.blobId).hash).toString('latin1');
      if (raw.includes(needle)) return { box: mb.name, raw, flags: m.flags };
    }
  }
  return undefined;
}

t.test('junk filter over IMAP and SMTP in a real appliance', async (t) => {
  const dns = await startDnsServer({});
  t.teardown(() => dns.close());
  const dataDir = tempDir();
  const opts = { dataDir, listeners: ['mx', 'submissions', 'imaps'] as Array<'mx' | 'submissions' | 'imaps'>, config: { delivery: { dnsServers: [dns.address] } } };
  let app = await startTestAppliance(opts);
  t.teardown(async () => { await app.stop(); });
  const alice = await app.store.accounts.create('alice@example.test', PASSWORD);
  app.store.junk.setSettings(alice.id, { minTrained: 5 });
  for (let i = 0; i < 10; i++) { app.store.deliver([{ accountId: alice.id }], spam(i)); app.store.deliver([{ accountId: alice.id }], ham(i)); }
  const junk = () => app.store.junk.state(alice.id);
  const c = await imap(app);

  // MOVE to Junk trains as spam
  let box = await c.mailboxOpen('INBOX');
  t.equal(box.exists, 20);
  const spamUids = (await c.search({ subject: 'Offer' }, { uid: true })) || [];
  t.equal(spamUids.length, 10);
  await c.messageMove(spamUids, 'Junk', { uid: true });
  await afterTraining(app, '10 spam trained', () => junk().spamTrained === 10);
  t.equal(junk().spamTrained, 10, 'MOVE into Junk trained 10 spam');
  // kept mail: moving the rest to Archive trains ham
  const hamUids = (await c.search({ subject: 'Re:' }, { uid: true })) || [];
  await c.messageMove(hamUids, 'Archive', { uid: true });
  await afterTraining(app, '10 ham trained', () => junk().hamTrained === 10);
  t.equal(junk().hamTrained, 10, 'MOVE into Archive trained 10 ham');

  // moving one back out of Junk untrains it as spam (and it is ham now)
  box = await c.mailboxOpen('Junk');
  t.equal(box.exists, 10);
  const flagsOf = async (range: string) => { const out: string[][] = []; for await (const m of c.fetch(range, { flags: true })) out.push([...(m.flags ?? [])]); return out; };
  t.ok((await flagsOf('1:*')).every((f) => f.includes('$Junk') && !f.includes('$NotJunk')), 'messages moved into Junk carry $Junk');
  await c.messageMove('1', 'INBOX');
  await afterTraining(app, 'spam untrained', () => junk().spamTrained === 9);
  t.equal(junk().spamTrained, 9, 'moving back out of Junk untrained the spam');
  t.equal(junk().hamTrained, 11, '... and taught it as ham');

  // keywords: the move out of Junk cleared $Junk and set $NotJunk; $Junk trains, removing it
  // untrains; $NotJunk trains ham
  await c.mailboxOpen('INBOX');
  const moved = (await flagsOf('1'))[0] ?? [];
  t.notOk(moved.includes('$Junk'), 'moving out of Junk cleared $Junk');
  t.ok(moved.includes('$NotJunk'), '... and set $NotJunk');
  await c.messageFlagsRemove('1', ['$NotJunk']);
  await afterTraining(app, '$NotJunk removal untrained', () => junk().hamTrained === 10);
  await c.messageFlagsAdd('1', ['$Junk']);
  await afterTraining(app, '$Junk trained', () => junk().spamTrained === 10);
  t.equal(junk().hamTrained, 10, '$Junk relabelled the message');
  await c.messageFlagsRemove('1', ['$Junk']);
  await afterTraining(app, '$Junk untrained', () => junk().spamTrained === 9);
  t.equal(junk().hamTrained, 10, 'removing $Junk untrains, it does not invent ham');
  await c.messageFlagsAdd('1', ['$NotJunk']);
  await afterTraining(app, '$NotJunk trained', () => junk().hamTrained === 11);
  // COPY into Junk trains too
  await c.mailboxOpen('Archive');
  await c.messageCopy('1', 'Junk');
  await afterTraining(app, 'COPY into Junk', () => junk().spamTrained === 10);
  t.pass('COPY into Junk trained as spam');

  // SMTP: a new spam lands in Junk with $Junk and the score headers
  const mx = nodemailer.createTransport({ host: '127.0.0.1', port: app.port('mx'), secure: false, ignoreTLS: true, name: 'sender.example' });
  t.teardown(() => mx.close());
  // ... even when the sender claims otherwise: X-Spam-* and X-Attachment-Risk from outside are renamed
  const forged = Buffer.from(`X-Spam-Status: No, score=0.0\r\nX-Spam-Flag: NO\r\nx-attachment-risk: none\r\n${spam(99, 'bulk@spam99.example').toString('latin1')}`, 'latin1');
  await mx.sendMail({ envelope: { from: 'bulk@spam99.example', to: ['alice@example.test'] }, raw: forged });
  let got = folderOf(app, alice.id, 'Offer 99');
  t.equal(got?.box, 'Junk', 'the spam was filed in Junk');
  t.ok(got?.flags.includes('$Junk'), 'with $Junk');
  t.match(got?.raw ?? '', /^X-Spam-Status: Yes, score=[01]\.\d{3} required=0\.95 reason=content\r\nX-Spam-Score: [01]\.\d{3}\r\n/, 'score headers first');
  t.equal((got?.raw.match(/^X-Spam-Status:/gim) ?? []).length, 1, 'the only X-Spam-Status is the box\'s');
  t.match(got?.raw ?? '', /\r\nX-Forged-X-Spam-Status: No, score=0\.0\r\nX-Forged-X-Spam-Flag: NO\r\nX-Forged-x-attachment-risk: none\r\n/, "the sender's X-Spam-* and X-Attachment-Risk fields are renamed X-Forged-");
  t.match(got?.raw ?? '', /\r\nAuthentication-Results: mail\.example\.test;/, 'Authentication-Results kept');
  await mx.sendMail({ envelope: { from: 'friend42@family.example', to: ['alice@example.test'] }, raw: ham(42) });
  got = folderOf(app, alice.id, 'friend42@family.example');
  t.equal(got?.box, 'INBOX', 'a ham stays in the INBOX');
  t.notMatch(got?.raw ?? '', /X-Spam-Status/, 'unchanged (shares the stored copy with other recipients)');

  // a correspondent (written to through submission) is never junked, even with spam's words
  const sub = nodemailer.createTransport({ host: '127.0.0.1', port: app.port('submissions'), secure: true, auth: { user: 'alice@example.test', pass: PASSWORD }, tls: { ca: app.appliance.tls.ca, servername: 'mail.example.test' } });
  t.teardown(() => sub.close());
  await sub.sendMail({ from: 'alice@example.test', to: 'Dave <dave@friends.example>', subject: 'hello', text: 'see you soon' });
  await mx.sendMail({ envelope: { from: 'dave@friends.example', to: ['alice@example.test'] }, raw: spam(77, 'Dave <dave@friends.example>') });
  got = folderOf(app, alice.id, 'Offer 77');
  t.equal(got?.box, 'INBOX', "a correspondent's mail is never junked");
  t.notOk(got?.flags.includes('$Junk'));

  // a stranger's executable goes to Junk, marked
  const program = readFileSync('/usr/bin/true').toString('base64').replace(/.{76}/g, '$&\r\n');
  const risky = Buffer.from(`From: courier@parcel.example\r\nTo: alice@example.test\r\nSubject: Your parcel notice\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nOpen the attached label.\r\n--b\r\nContent-Type: application/pdf; name="label.pdf.exe"\r\nContent-Disposition: attachment; filename="label.pdf.exe"\r\nContent-Transfer-Encoding: base64\r\n\r\n${program}\r\n--b--\r\n`);
  await mx.sendMail({ envelope: { from: 'courier@parcel.example', to: ['alice@example.test'] }, raw: risky });
  got = folderOf(app, alice.id, 'Your parcel notice');
  t.equal(got?.box, 'Junk');
  t.ok(got?.flags.includes('$AttachmentRisk') && got.flags.includes('$Phishing'), 'marked $AttachmentRisk and $Phishing');
  t.match(got?.raw ?? '', /X-Attachment-Risk: part 2; "label\.pdf\.exe"; double extension/);
  await c.logout();

  // the model lives in the store: after a restart it still decides the same
  const trained = junk();
  await app.stop();
  app = await startTestAppliance(opts);
  t.same({ s: junk().spamTrained, h: junk().hamTrained }, { s: trained.spamTrained, h: trained.hamTrained }, 'counts survive a restart');
  const filter = app.appliance.service<JunkService>('junk')!.filter;
  t.ok(filter.classify(alice.id, spam(123)).junk, 'the reloaded model still catches spam');
  filter.flush();
});
