// Moving in and out with files (issue 18): the mbox reader's From_ rule and mboxrd unescaping,
// Google Takeout's labels (one copy per message), Maildir flags and keywords, and the round trips
// through the real CLI: export an account as mbox (and as Maildir), import it into a fresh account,
// byte-identical with the same mailboxes, flags and INTERNALDATEs; a second import adds nothing.
import t from 'tap';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../appliance/store/index.js';
import { MailPipeline } from '../appliance/pipeline.js';
import { readMbox, mboxrdEntry } from '../appliance/import/mbox.js';
import { placeGmail, maildirFlags, splitLabels } from '../appliance/import/files.js';
import { tempDir } from './harness/appliance.js';
import { postern, POSTERN_BIN } from './harness/cli.js';
import { spawnSync } from 'node:child_process';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function collect(path: string) {
  const out = [];
  for await (const m of readMbox(path)) out.push(m);
  return out;
}

t.test('mbox: the From_ rule, mboxrd unescaping, the separator line', async (t) => {
  const dir = tempDir();
  const file = join(dir, 'a.mbox');
  writeFileSync(file, [
    'From alice@example.org Sat Jan  6 10:00:00 2024',
    'Subject: one',
    '',
    'From the desk of Alice: this line is text (no date), kept.',
    '>From quoted once becomes From.',
    '>>From quoted twice keeps one >.',
    '',
    'From nobody',
    'still the first message: a From_ line without a date is text',
    '',
    'From bob@example.org Sun Jan  7 11:30:00 +0100 2024',
    'Subject: two',
    '',
    'body two',
    '',
    'From MAILER-DAEMON Mon Jan  8 00:00:01 2024',
    'Subject: three',
    '',
    'no final newline',
  ].join('\n'));
  const ms = await collect(file);
  t.equal(ms.length, 3, 'three messages: the date-less "From " lines are text');
  t.equal(ms[0]!.raw.toString(), 'Subject: one\n\nFrom the desk of Alice: this line is text (no date), kept.\nFrom quoted once becomes From.\n>From quoted twice keeps one >.\n\nFrom nobody\nstill the first message: a From_ line without a date is text\n');
  t.equal(ms[0]!.date, Date.UTC(2024, 0, 6, 10, 0, 0));
  t.equal(ms[1]!.date, Date.UTC(2024, 0, 7, 10, 30, 0), 'the zone of the From_ line counts');
  t.equal(ms[1]!.raw.toString(), 'Subject: two\n\nbody two\n');
  t.equal(ms[2]!.raw.toString(), 'Subject: three\n\nno final newline');
  // writing quotes every From line once more; reading it back gives the bytes again
  const raw = Buffer.from('Subject: q\r\n\r\nFrom x\r\n>From y\r\n>>From z\r\nend\r\n');
  const back = join(dir, 'b.mbox');
  writeFileSync(back, Buffer.concat([...mboxrdEntry(raw, Date.UTC(2024, 1, 2, 3, 4, 5)), ...mboxrdEntry(raw, 0)]));
  const again = await collect(back);
  t.equal(again.length, 2);
  t.equal(again[0]!.raw.toString(), raw.toString(), 'mboxrd round trip');
  t.equal(again[0]!.date, Date.UTC(2024, 1, 2, 3, 4, 5));
});

t.test("Takeout labels: one mailbox per message, Gmail's flags", async (t) => {
  t.same(placeGmail(['Inbox', 'Important', 'Starred', 'Opened']), { target: 'INBOX', specialUse: null, flags: ['\\Seen', '\\Flagged'] });
  t.same(placeGmail(['Sent', 'Opened', 'Family']), { target: 'Sent', specialUse: '\\Sent', flags: ['\\Seen'] });
  t.same(placeGmail(['Family Trip', 'Category Updates', 'Unread']), { target: 'Family Trip', specialUse: null, flags: [] });
  t.same(placeGmail(['Archived', 'Opened']), { target: 'Archive', specialUse: '\\Archive', flags: ['\\Seen'] });
  t.same(placeGmail(['Spam', 'Unread']).target, 'Junk');
  t.same(placeGmail(['Drafts', 'Opened']).flags, ['\\Seen', '\\Draft']);
  t.same(splitLabels('Inbox,"Family/Trip, 2024",Opened'), ['Inbox', 'Family/Trip, 2024', 'Opened'], 'a quoted label keeps its comma');
});

t.test('Maildir flags from the info suffix and dovecot-keywords', async (t) => {
  t.same(maildirFlags('123.M1P2.host,S=10:2,FRSab', false, ['$Label1', 'Work']), ['\\Flagged', '\\Answered', '\\Seen', '$Label1', 'Work']);
  t.same(maildirFlags('123.M1P2.host:2,S', true, []), [], 'new/ holds unseen mail');
  t.same(maildirFlags('123.M1P2.host:2,DT', false, []), ['\\Draft', '\\Deleted']);
});

interface Row { mailbox: string; hash: string; flags: string; date: number }

function contents(store: Store, accountId: number): Row[] {
  const out: Row[] = [];
  for (const mb of store.mailboxes.list(accountId)) {
    for (const m of store.messages.list(mb.id)) {
      const raw = store.readMessage(store.imports.blobHash(m.blobId)!);
      if (raw.includes('X-Postern-Import-Summary: yes')) continue;
      out.push({ mailbox: mb.name, hash: sha(raw), flags: [...m.flags].sort().join(' '), date: Math.floor(m.internalDate / 1000) });
    }
  }
  return out.sort((a, b) => (a.mailbox + a.hash).localeCompare(b.mailbox + b.hash));
}

t.test('round trips through the CLI: mbox and Maildir, byte-identical', async (t) => {
  const dir = tempDir();
  const dataDir = join(dir, 'data');
  const cfg = join(dir, 'postern.json');
  writeFileSync(cfg, JSON.stringify({ hostname: 'mail.example.test', domains: ['example.test'], dataDir, listen: {}, tor: { mode: 'off' } }));
  const store = Store.open(dataDir);
  t.teardown(() => store.close());
  store.domains.ensure('example.test');
  const alice = (await store.accounts.create('alice@example.test', 'password-long')).id;
  const pipeline = new MailPipeline(store);
  store.mailboxes.create(alice, 'Family/Trips 2024');
  store.mailboxes.create(alice, 'Reçus.2023');
  const boxes = ['INBOX', 'Sent', 'Drafts', 'Archive', 'Family/Trips 2024', 'Reçus.2023'];
  const flagSets = [[], ['\\Seen'], ['\\Seen', '\\Flagged', '$Label1'], ['\\Answered', 'Work'], ['\\Draft']];
  for (let i = 0; i < 60; i++) {
    const body = i % 3 === 0 ? 'From the start of a line\r\n>From quoted\r\n\r\nFrom x Mon Jan  1 00:00:00 2024\r\n' : `plain body ${i}\r\n`;
    const end = i % 7 === 0 ? 'no newline at the end' : 'ends with CRLF\r\n';
    const raw = Buffer.from(`From: a${i}@example.org\r\nSubject: m${i} ça\r\nMessage-ID: <m${i}@example.org>\r\n\r\n${body}${end}`, 'utf8');
    await pipeline.append([{ accountId: alice, mailbox: boxes[i % boxes.length]!, flags: flagSets[i % flagSets.length]! }], raw, Date.UTC(2022, 5, 1) + i * 86_400_000);
  }
  // the same content twice in one mailbox stays twice
  await pipeline.append([{ accountId: alice, mailbox: 'INBOX' }], Buffer.from('Subject: twin\r\n\r\ntwin\r\n'), Date.UTC(2022, 1, 1));
  await pipeline.append([{ accountId: alice, mailbox: 'INBOX' }], Buffer.from('Subject: twin\r\n\r\ntwin\r\n'), Date.UTC(2022, 1, 1));
  const want = contents(store, alice);
  t.equal(want.length, 62);

  const mbox = join(dir, 'alice.mbox');
  let r = await postern(['export', 'alice@example.test', '--mbox', mbox, '--config', cfg]);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /exported 62 messages \(9 mailboxes/);
  await store.accounts.create('bob@example.test', 'password-long');
  r = await postern(['import', 'mbox', 'bob@example.test', mbox, '--config', cfg]);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /imported 62 messages into 6 mailboxes/);
  const bob = store.accounts.byAddress('bob@example.test')!.id;
  t.same(contents(store, bob), want, 'mbox round trip: same bytes, mailboxes, flags and dates');
  r = await postern(['import', 'mbox', 'bob@example.test', mbox, '--config', cfg]);
  t.match(r.stdout, /imported 0 messages .*\(62 already here\)/, 'a second import of the same file adds nothing');
  t.same(contents(store, bob), want);

  const md = join(dir, 'alice-maildir');
  r = await postern(['export', 'alice@example.test', '--maildir', md, '--config', cfg]);
  t.equal(r.code, 0, r.stderr);
  await store.accounts.create('carol@example.test', 'password-long');
  r = await postern(['import', 'maildir', 'carol@example.test', md, '--config', cfg]);
  t.equal(r.code, 0, r.stderr);
  const carol = store.accounts.byAddress('carol@example.test')!.id;
  t.same(contents(store, carol), want, 'Maildir round trip: same bytes, mailboxes, flags and dates');

  r = await postern(['export', 'alice@example.test', '--mbox', mbox, '--config', cfg]);
  t.equal(r.code, 1, 'an export never overwrites a file');
  t.match(r.stderr, /never overwrites/);
  r = await postern(['import', 'mbox', 'bob@example.test', join(dir, 'missing.mbox'), '--config', cfg]);
  t.equal(r.code, 1);
  t.match(r.stderr, /cannot read .*missing\.mbox: ENOENT/);
});

t.test('a Dovecot-style Maildir++ tree and a Takeout mbox through the CLI', async (t) => {
  const dir = tempDir();
  const dataDir = join(dir, 'data');
  const cfg = join(dir, 'postern.json');
  writeFileSync(cfg, JSON.stringify({ hostname: 'mail.example.test', domains: ['example.test'], dataDir, listen: {}, tor: { mode: 'off' } }));
  const store = Store.open(dataDir);
  t.teardown(() => store.close());
  store.domains.ensure('example.test');
  const id = (await store.accounts.create('dave@example.test', 'password-long')).id;
  const md = join(dir, 'Maildir');
  for (const f of ['', '.Sent', '.Work.Projets &AOk-t&AOk-']) for (const s of ['cur', 'new', 'tmp']) mkdirSync(join(md, f, s), { recursive: true });
  writeFileSync(join(md, '.Work.Projets &AOk-t&AOk-', 'dovecot-keywords'), '0 $Label1\n1 Urgent\n');
  const put = (f: string, sub: string, name: string, body: string, time: number) => {
    const p = join(md, f, sub, name);
    writeFileSync(p, body);
    utimesSync(p, time, time);
  };
  put('', 'cur', '1700000001.M1P1.host,S=20:2,S', 'Subject: a\n\nseen\n', 1700000001);
  put('', 'new', '1700000002.M2P1.host', 'Subject: b\n\nnew\n', 1700000002);
  put('.Sent', 'cur', '1700000003.M3P1.host:2,RS', 'Subject: c\n\nsent\n', 1700000003);
  put('.Work.Projets &AOk-t&AOk-', 'cur', '1700000004.M4P1.host:2,Fb', 'Subject: d\n\nwork\n', 1700000004);
  let r = await postern(['import', 'maildir', 'dave@example.test', md, '--config', cfg]);
  t.equal(r.code, 0, r.stderr);
  const rows = contents(store, id).map((x) => `${x.mailbox}|${x.flags}|${x.date}`).sort();
  t.same(rows, ['INBOX|\\Seen|1700000001', 'INBOX||1700000002', 'Sent|\\Answered \\Seen|1700000003', 'Work/Projets été|Urgent \\Flagged|1700000004']);
  t.equal(store.mailboxes.get(id, 'Sent')!.specialUse, '\\Sent', 'Sent is the account\'s own Sent mailbox');

  const takeout = join(dir, 'All mail Including Spam and Trash.mbox');
  writeFileSync(takeout, [
    'From 1790000000000000001@xxx Sat Jan 06 10:00:00 +0000 2024',
    'X-GM-THRID: 1790000000000000001',
    'X-Gmail-Labels: Inbox,Important,Starred,Opened',
    'Subject: starred',
    '',
    'hello',
    '',
    'From 1790000000000000002@xxx Sat Jan 06 11:00:00 +0000 2024',
    'X-Gmail-Labels: Sent,Opened,Family',
    'Subject: sent',
    '',
    'sent once, not once per label',
    '',
    'From 1790000000000000003@xxx Sat Jan 06 12:00:00 +0000 2024',
    'X-Gmail-Labels: "Family/Trip, 2024",Unread',
    'Subject: labelled',
    '',
    'trip',
    '',
  ].join('\r\n'));
  r = await postern(['import', 'mbox', 'dave@example.test', takeout, '--config', cfg]);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /imported 3 messages/);
  const after = contents(store, id).map((x) => `${x.mailbox}|${x.flags}`);
  t.ok(after.includes('INBOX|\\Flagged \\Seen'));
  t.ok(after.includes('Sent|\\Seen'));
  t.equal(after.filter((x) => x.startsWith('Sent')).length, 2, 'the sent message is stored once (in Sent), not once per label');
  t.ok(after.some((x) => x.startsWith('Family/Trip, 2024|')), `a label with a comma becomes a mailbox: ${after.join(', ')}`);
});

t.test('the CLI progress: a bar rewritten in place on a terminal, plain lines in a pipe', async (t) => {
  const dir = tempDir();
  const dataDir = join(dir, 'data');
  const cfg = join(dir, 'postern.json');
  writeFileSync(cfg, JSON.stringify({ hostname: 'mail.example.test', domains: ['example.test'], dataDir, listen: {}, tor: { mode: 'off' } }));
  const store = Store.open(dataDir);
  store.domains.ensure('example.test');
  await store.accounts.create('erin@example.test', 'password-long');
  await store.accounts.create('finn@example.test', 'password-long');
  store.close();
  const mbox = join(dir, 'progress.mbox');
  const parts: Buffer[] = [];
  for (let i = 0; i < 200; i++) parts.push(...mboxrdEntry(Buffer.from(`Subject: progress ${i}\r\n\r\n${'text '.repeat(200)}\r\n`), Date.UTC(2024, 0, 1) + i * 60_000));
  writeFileSync(mbox, Buffer.concat(parts));
  // a terminal: util-linux `script` gives the CLI a pseudo-terminal
  const cmd = [process.execPath, POSTERN_BIN, 'import', 'mbox', 'erin@example.test', mbox, '--config', cfg].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const tty = spawnSync('script', ['-qefc', cmd, '/dev/null'], { encoding: 'utf8', env: { ...process.env, COLUMNS: '200' }, timeout: 60_000 });
  t.equal(tty.status, 0, tty.stderr);
  t.match(tty.stdout, /\r\x1b\[K\[#{24}\] 100% 200\/200 messages/, 'on a terminal: the line is rewritten in place, with a full bar at the end');
  t.match(tty.stdout, /imported 200 messages into 1 mailboxes of erin@example\.test/);
  const piped = await postern(['import', 'mbox', 'finn@example.test', mbox, '--config', cfg]);
  t.equal(piped.code, 0, piped.stderr);
  t.notMatch(piped.stderr, /\r|\x1b/, 'in a pipe: no carriage returns or terminal codes');
  t.match(piped.stderr, /^200\/200 messages, [\d.]+ MB/m, 'the final line, plain');
});
