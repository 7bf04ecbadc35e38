// Moving in over IMAP (issue 18): a real Dovecot (implicit TLS, its own certificate) is the old
// provider, holding 10,000 messages in nested folders (a folder named in modified UTF-7, a parent
// that is no folder itself), with flags, keywords and INTERNALDATEs. Its Maildir is written file by
// file before it starts (APPEND one by one would take minutes). The real CLI, run as a child next
// to a running appliance, imports it: a wrong password and an unverified certificate are refused
// with their exit codes; the import is SIGKILLed twice mid-way and resumed; the result, read back
// over IMAP from Postern, is byte-identical to the files (SHA-256 of BODY[], compared in bulk),
// with the same flags and dates and no duplicate; a second run imports only new mail;
// --delete-after removes from the provider exactly the messages Postern holds.
import t from 'tap';
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { startDovecot, type ThrowawayDovecot } from './harness/dovecot.js';
import { startTestAppliance, tempDir, type TestAppliance } from './harness/appliance.js';
import { postern, POSTERN_BIN } from './harness/cli.js';
import { ImapLineClient } from './harness/imap-line.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

// source folder (Dovecot's "." delimiter) -> Postern mailbox, messages
const FOLDERS: Array<[string, string, number]> = [
  ['INBOX', 'INBOX', 3600],
  ['Sent', 'Sent', 1800],
  ['Drafts', 'Drafts', 200],
  ['Projects', 'Projects', 700],
  ['Projects.2024', 'Projects/2024', 1500],
  ['Projects.2024.Q1', 'Projects/2024/Q1', 600],
  ['Lists.Debian', 'Lists/Debian', 600],
  ['Reçus & Factures', 'Reçus & Factures', 1000],
];
const TOTAL = FOLDERS.reduce((n, f) => n + f[2], 0);
const FLAG_SETS = [[], ['\\Seen'], ['\\Seen', '\\Flagged'], ['\\Answered', '\\Seen'], ['$Label1'], ['\\Seen', 'Work', '$Forwarded'], ['\\Draft', 'Family/Kids'], ['\\Deleted', '\\Seen']];
const BASE_DATE = Date.UTC(2023, 0, 1);

function message(folder: string, i: number): Buffer {
  const big = i % 499 === 0 ? ('x'.repeat(76) + '\r\n').repeat(1300) : '';
  const body = [
    `Message ${i} of ${folder}.`,
    'From here on the body has a line that an mbox would quote.',
    '>From quoted already.',
    'Grüße, 8-bit text: ça marche.',
    big,
  ].join('\r\n');
  const head = [
    `From: Sender ${i % 97} <s${i % 97}@old-provider.test>`,
    'To: Family <family@old-provider.test>',
    `Subject: ${folder} #${i}`,
    `Date: Mon, 1 Jan 2024 10:${String(i % 60).padStart(2, '0')}:00 +0000`,
    `Message-ID: <${folder.replace(/[^a-z0-9]/gi, '')}.${i}@old-provider.test>`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ].join('\r\n');
  // every 25th message does not end with a line break
  return Buffer.from(`${head}\r\n\r\n${body}${i % 25 === 0 ? '' : '\r\n'}`, 'utf8');
}

const flagsOf = (i: number) => FLAG_SETS[i % FLAG_SETS.length]!;
const dateOf = (folderIndex: number, i: number) => BASE_DATE + i * 3_600_000 + folderIndex * 60_000;
const key = (flags: readonly string[], date: number) => `${[...flags].sort().join(' ')}|${date}`;

async function provider(d: ThrowawayDovecot, ca: string): Promise<ImapFlow> {
  const c = new ImapFlow({ host: '127.0.0.1', port: d.port, secure: true, auth: { user: d.user, pass: d.password }, tls: { ca }, logger: false });
  await c.connect();
  return c;
}

async function posternClient(app: TestAppliance): Promise<ImapFlow> {
  const c = new ImapFlow({ host: '127.0.0.1', port: app.port('imaps'), secure: true, auth: { user: 'alice@example.test', pass: 'correct horse' }, tls: { ca: ImapLineClient.caOf(app.dataDir), servername: 'localhost' }, logger: false });
  await c.connect();
  return c;
}

interface Seen { hash: string; flags: string; date: number }

/** Every message of a folder: hash of BODY[], flags (sorted, without \Recent), INTERNALDATE. */
async function folderContents(c: ImapFlow, path: string): Promise<Seen[]> {
  const mb = await c.mailboxOpen(path, { readOnly: true });
  const out: Seen[] = [];
  if (mb.exists === 0) return out;
  for await (const m of c.fetch('1:*', { uid: true, source: true, flags: true, internalDate: true })) {
    if (m.source!.includes('X-Postern-Import-Summary: yes')) continue;
    out.push({ hash: sha(m.source!), flags: [...m.flags!].filter((f) => f !== '\\Recent').sort().join(' '), date: new Date(m.internalDate!).getTime() });
  }
  return out;
}

/** What differs between expected (hash -> "flags|date") and what a folder holds: at most 5 lines,
 *  so a failure stays readable at 10,000 messages. */
function differences(want: Map<string, string>, got: Seen[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const g of got) {
    if (seen.has(g.hash)) out.push(`${g.hash.slice(0, 12)} twice`);
    seen.add(g.hash);
    const w = want.get(g.hash);
    if (w === undefined) out.push(`${g.hash.slice(0, 12)} not at the provider`);
    else if (w !== `${g.flags}|${g.date}`) out.push(`${g.hash.slice(0, 12)}: ${g.flags}|${g.date}, the provider ${w}`);
  }
  for (const h of want.keys()) if (!seen.has(h)) out.push(`${h.slice(0, 12)} missing`);
  return out.slice(0, 5);
}

/** Run the import CLI and SIGKILL it once the store records at least `killAt` imported messages. */
function importKilledAt(args: string[], password: string, app: TestAppliance, accountId: number, killAt: number, env: NodeJS.ProcessEnv = {}): Promise<{ killed: boolean; importedAtKill: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [POSTERN_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'ignore', 'ignore'] });
    p.stdin.end(password + '\n');
    let count = 0;
    const timer = setInterval(() => {
      count = app.store.imports.countImported(accountId);
      if (count >= killAt) { clearInterval(timer); p.kill('SIGKILL'); }
    }, 10);
    p.on('error', reject);
    p.on('exit', (_code, signal) => { clearInterval(timer); resolve({ killed: signal === 'SIGKILL', importedAtKill: count }); });
  });
}

function posternCount(app: TestAppliance, accountId: number): number {
  let n = 0;
  for (const mb of app.store.mailboxes.list(accountId)) n += app.store.messages.list(mb.id).length;
  return n;
}

t.test('import of 10,000 messages over IMAP from a real Dovecot', async (t) => {
  const t0 = Date.now();
  t.afterEach(() => t.comment(`elapsed ${Date.now() - t0} ms`));
  const dovecot = await startDovecot({ tls: true });
  t.teardown(() => dovecot.stop());
  const ca = join(dovecot.dir, 'cert.pem');
  const caPem = readFileSync(ca, 'utf8');

  // the provider's Maildir, file by file; what each folder must hold afterwards, by content hash
  const want = new Map<string, Map<string, string>>();
  FOLDERS.forEach(([path, , n], fi) => {
    const w = new Map<string, string>();
    for (let i = 1; i <= n; i++) {
      const raw = message(path, i);
      dovecot.addToFolder(path, raw, i, { flags: flagsOf(i), date: new Date(dateOf(fi, i)) });
      w.set(sha(raw), key(flagsOf(i), dateOf(fi, i)));
    }
    want.set(path, w);
  });
  t.equal([...want.values()].reduce((n, w) => n + w.size, 0), TOTAL, `${TOTAL} distinct messages written to the provider's Maildir`);
  t.comment(`provider filled in ${Date.now() - t0} ms`);

  const app = await startTestAppliance({ listeners: ['imaps'] });
  t.teardown(() => app.stop());
  const accountId = (await app.store.accounts.create('alice@example.test', 'correct horse')).id;
  const cfg = join(tempDir(), 'postern.json');
  writeFileSync(cfg, JSON.stringify({ hostname: 'mail.example.test', domains: ['example.test'], dataDir: app.dataDir, listen: {}, tor: { mode: 'off' } }));
  const src = await provider(dovecot, caPem);
  t.teardown(() => src.logout().catch(() => undefined));
  const url = `imaps://${dovecot.user}@127.0.0.1:${dovecot.port}`;
  const base = ['--config', cfg];

  await t.test('the provider serves what was written (the fixture is what Dovecot shows a client)', async (t) => {
    t.same(differences(want.get('Drafts')!, await folderContents(src, 'Drafts')), [], 'Drafts over IMAP from Dovecot: bytes, flags, keywords and dates as written');
    const names = (await src.list()).map((f) => f.path).sort();
    t.same(names.filter((n) => FOLDERS.some(([p]) => p === n)).length, FOLDERS.length, 'every folder is listed');
    t.ok(names.includes('Lists'), 'the parent "Lists" is listed (it is no folder itself)');
  });

  await t.test('a wrong password: exit 3 with a sentence, nothing imported', async (t) => {
    const r = await postern(['import', 'imap', 'alice@example.test', url, '--ca', ca, ...base], { input: 'wrong-password\n' });
    t.equal(r.code, 3, r.stderr);
    t.match(r.stderr, /refused the sign-in as bench/);
    t.equal(posternCount(app, accountId), 0);
  });

  await t.test('a certificate nobody vouches for: exit 4, never a downgrade', async (t) => {
    const r = await postern(['import', 'imap', 'alice@example.test', url, ...base], { input: `${dovecot.password}\n` });
    t.equal(r.code, 4, r.stderr);
    t.match(r.stderr, /certificate of 127\.0\.0\.1:\d+ could not be verified .*--ca FILE/);
    t.equal(posternCount(app, accountId), 0);
    const plain = await postern(['import', 'imap', 'alice@example.test', url.replace('imaps:', 'imap:'), ...base], { input: `${dovecot.password}\n` });
    t.equal(plain.code, 2, 'imap:// without --starttls is refused before connecting');
    t.match(plain.stderr, /password unencrypted/);
  });

  await t.test('killed twice mid-way, resumed: 10,000 messages once each, byte-identical, flags and dates kept', async (t) => {
    const args = ['import', 'imap', 'alice@example.test', url, '--ca', ca, ...base];
    const first = await importKilledAt(args, dovecot.password, app, accountId, 2500);
    t.ok(first.killed, 'the first run was killed');
    t.ok(first.importedAtKill < TOTAL, `killed mid-way (${first.importedAtKill} of ${TOTAL})`);
    t.equal(posternCount(app, accountId), app.store.imports.countImported(accountId), 'after kill -9: no message without its record, no record without its message');
    const second = await importKilledAt(args, dovecot.password, app, accountId, first.importedAtKill + 3000);
    t.ok(second.killed, 'the second run was killed');
    t.ok(second.importedAtKill > first.importedAtKill && second.importedAtKill < TOTAL, `resumed, killed mid-way again (${second.importedAtKill} of ${TOTAL})`);
    t.equal(posternCount(app, accountId), app.store.imports.countImported(accountId), 'after the second kill -9: messages and records match');
    const r = await postern(args, { input: `${dovecot.password}\n`, timeoutMs: 150_000 });
    t.equal(r.code, 0, r.stderr);
    const already = Number(/\((\d+) already here/.exec(r.stdout)?.[1] ?? -1);
    t.ok(already >= second.importedAtKill, `the third run found what the first two brought (${already})`);
    t.match(r.stdout, new RegExp(`imported ${TOTAL - already} messages from ${FOLDERS.length} folders`));
    t.comment(`imported in ${Date.now() - t0} ms since the start`);
    const pc = await posternClient(app);
    t.teardown(() => pc.logout().catch(() => undefined));
    for (const [path, ours, n] of FOLDERS) {
      const got = await folderContents(pc, ours);
      t.equal(got.length, n, `${ours} holds ${n}`);
      t.same(differences(want.get(path)!, got), [], `${path} -> ${ours}: same bytes, flags, keywords and INTERNALDATE, each once`);
    }
    t.equal(posternCount(app, accountId), TOTAL + 1, 'every message once, plus the summary mail');
    const inbox = app.store.mailboxes.get(accountId, 'INBOX')!;
    const summary = app.store.messages.list(inbox.id).map((m) => app.store.readMessage(app.store.imports.blobHash(m.blobId)!).toString()).find((s) => s.includes('X-Postern-Import-Summary'));
    t.match(summary, /Messages brought in: \d+/, 'the household got a summary mail');
  });

  await t.test('a second run imports only new mail', async (t) => {
    for (let i = 1; i <= 5; i++) await src.append('INBOX', message('INBOX-new', i), ['$Label1'], new Date(BASE_DATE + 99_999 * 3_600_000));
    await src.append('Projects.2024', message('P-new', 1), ['\\Seen']);
    const before = posternCount(app, accountId);
    const r = await postern(['import', 'imap', 'alice@example.test', url, '--ca', ca, ...base], { input: `${dovecot.password}\n` });
    t.equal(r.code, 0, r.stderr);
    t.match(r.stdout, new RegExp(`imported 6 messages from ${FOLDERS.length} folders .*\\(${TOTAL} already here\\)`));
    t.equal(posternCount(app, accountId), before + 6 + 1, 'six new messages and one summary mail');
    const again = await postern(['import', 'imap', 'alice@example.test', url, '--ca', ca, ...base], { input: `${dovecot.password}\n` });
    t.match(again.stdout, /imported 0 messages/);
    t.equal(posternCount(app, accountId), before + 7, 'a run with nothing new stores nothing (and sends no summary)');
  });

  await t.test('--delete-after removes from the provider only what Postern holds', async (t) => {
    // 40 new messages in Sent (imported last); the run is killed while it imports them: folders
    // done before were emptied at the provider, Sent was not touched (nothing of it confirmed as
    // a whole yet). The rerun finishes; then every message the provider held is in Postern and the
    // provider is empty, but for an empty message Postern does not take (skipped, reported).
    // what the provider holds: the files written, the mail added since, the empty message
    const held = new Map<string, Set<string>>([...want].map(([p, w]) => [p, new Set(w.keys())]));
    const late: Array<[string, Buffer]> = [];
    for (let i = 1; i <= 5; i++) late.push(['INBOX', message('INBOX-new', i)]);
    late.push(['Projects.2024', message('P-new', 1)]);
    for (let i = 1; i <= 40; i++) late.push(['Sent', message('Sent-late', i)]);
    for (const [p, raw] of late) held.get(p)!.add(sha(raw));
    for (let i = 1; i <= 40; i++) await src.append('Sent', message('Sent-late', i), ['\\Seen']);
    dovecot.addToFolder('Projects', Buffer.alloc(0), 100_000, { fresh: true });
    t.equal(((await src.status('Projects', { messages: true })) || { messages: -1 }).messages, 701, 'the provider holds the empty message in Projects');
    const args = ['import', 'imap', 'alice@example.test', url, '--ca', ca, '--delete-after', ...base];
    const before = app.store.imports.countImported(accountId);
    const killed = await importKilledAt(args, dovecot.password, app, accountId, before + 10, { POSTERN_IMPORT_WINDOW: '1' });
    t.ok(killed.killed && killed.importedAtKill < before + 40, `killed while importing Sent (${killed.importedAtKill - before} of 40)`);
    const fresh = await provider(dovecot, caPem);
    t.teardown(() => fresh.logout().catch(() => undefined));
    const count = async (path: string) => ((await fresh.status(path, { messages: true })) || { messages: -1 }).messages;
    t.equal(await count('Sent'), 1840, 'Sent is untouched at the provider while its import is unfinished');
    t.equal(await count('INBOX'), 0, 'INBOX, imported as a whole before, is empty at the provider');
    const r = await postern(args, { input: `${dovecot.password}\n`, timeoutMs: 120_000 });
    t.equal(r.code, 0, r.stderr);
    t.match(r.stdout, /\d+ removed from the provider/);
    const skipped = app.store.imports.sources(accountId).flatMap((s) => app.store.imports.items(s.id).filter((i) => i.skipped).map((i) => `${s.folder}: ${i.skipped}`));
    t.same(skipped, ['Projects: the message is empty'], 'the empty message was skipped, with its reason');
    for (const [path, ours] of FOLDERS) {
      // content hashes of what Postern holds (its files are named by SHA-256; compared over IMAP above)
      const mb = app.store.mailboxes.get(accountId, ours)!;
      const got = new Set(app.store.messages.list(mb.id).map((m) => app.store.imports.blobHash(m.blobId)));
      t.same([...held.get(path)!].filter((h) => !got.has(h)), [], `every message ${path} held is in Postern's ${ours}`);
      t.equal(await count(path), path === 'Projects' ? 1 : 0, path === 'Projects' ? 'Projects keeps only the message Postern did not take' : `${path} is empty at the provider`);
    }
    t.equal(posternCount(app, accountId) - app.store.imports.countImported(accountId), 3, 'every message once (plus three summary mails)');
  });
});
