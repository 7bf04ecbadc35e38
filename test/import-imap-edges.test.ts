// Moving in over IMAP (issue 18), the rough edges, each against a real Dovecot and the real CLI
// next to a running appliance: a provider that drops the connection mid-import (the socket cut by
// a relay in between: exit 5 with a sentence, what was stored is whole, the rerun completes with
// nothing twice); malformed messages (no header, bare LF, NUL bytes, raw 8-bit header bytes, a
// header without a body, an empty message) imported byte-identical or skipped with the reason in
// the summary, never a crash; STARTTLS (required, verified; a server without it is refused before
// the password is sent); --every MINUTES fetching new mail again until stopped; and a Gmail-shaped
// account (labels as folders, "[Gmail]/All Mail" as \All, Starred and Important as views) where
// All Mail adds to Archive only what no label brought, without X-GM-EXT-1 (Dovecot has none).
import t from 'tap';
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createServer, connect, type Socket } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { startDovecot, type ThrowawayDovecot } from './harness/dovecot.js';
import { startTestAppliance, tempDir, type TestAppliance } from './harness/appliance.js';
import { postern, POSTERN_BIN } from './harness/cli.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function message(tag: string, i: number): Buffer {
  return Buffer.from(`From: Friend <friend${i}@old-provider.test>\r\nTo: family@old-provider.test\r\nSubject: ${tag} ${i}\r\nMessage-ID: <${tag}.${i}@old-provider.test>\r\nDate: Wed, 3 Jan 2024 08:00:00 +0000\r\n\r\nBody of ${tag} ${i}.\r\n`);
}

/** What an account's mailboxes hold: name -> content hashes (the store names files by SHA-256). */
function holdings(app: TestAppliance, accountId: number): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const mb of app.store.mailboxes.list(accountId)) {
    const hashes = app.store.messages.list(mb.id).map((m) => app.store.imports.blobHash(m.blobId)!)
      .filter((h) => !app.store.readMessage(h).includes('X-Postern-Import-Summary: yes'));
    if (hashes.length) out.set(mb.name, hashes);
  }
  return out;
}

function summaryOf(app: TestAppliance, accountId: number): string {
  const inbox = app.store.mailboxes.get(accountId, 'INBOX')!;
  return app.store.messages.list(inbox.id).map((m) => app.store.readMessage(app.store.imports.blobHash(m.blobId)!).toString('utf8')).filter((s) => s.includes('X-Postern-Import-Summary')).join('\n');
}

async function providerHashes(d: ThrowawayDovecot, folder: string, o: { secure?: boolean; ca?: string } = {}): Promise<string[]> {
  const c = new ImapFlow({ host: '127.0.0.1', port: d.port, secure: o.secure ?? true, ...(o.secure === false ? { doSTARTTLS: true } : {}), auth: { user: d.user, pass: d.password }, tls: { ca: o.ca ?? readFileSync(join(d.dir, 'cert.pem'), 'utf8') }, logger: false });
  await c.connect();
  try {
    await c.mailboxOpen(folder, { readOnly: true });
    const out: string[] = [];
    for await (const m of c.fetch('1:*', { source: true })) out.push(sha(m.source ?? Buffer.alloc(0)));
    return out;
  } finally {
    await c.logout();
  }
}

/** A relay between the importer and Dovecot whose connections can be cut at once. */
async function relay(port: number): Promise<{ port: number; cut(): void; close(): void }> {
  const sockets = new Set<Socket>();
  const server = createServer((a) => {
    const b = connect(port, '127.0.0.1');
    sockets.add(a); sockets.add(b);
    a.pipe(b); b.pipe(a);
    const end = () => { a.destroy(); b.destroy(); sockets.delete(a); sockets.delete(b); };
    a.on('error', end); b.on('error', end); a.on('close', end); b.on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const cut = () => { for (const s of sockets) s.resetAndDestroy(); };
  return { port: (server.address() as { port: number }).port, cut, close() { cut(); server.close(); } };
}

t.test('import over IMAP: dropped connections, malformed mail, STARTTLS, --every, a Gmail-shaped account', async (t) => {
  const app = await startTestAppliance({ listeners: [] });
  t.teardown(() => app.stop());
  const cfg = join(tempDir(), 'postern.json');
  writeFileSync(cfg, JSON.stringify({ hostname: 'mail.example.test', domains: ['example.test'], dataDir: app.dataDir, listen: {}, tor: { mode: 'off' } }));
  const base = ['--config', cfg];
  const account = async (name: string) => (await app.store.accounts.create(`${name}@example.test`, 'correct horse')).id;

  const dovecot = await startDovecot({ tls: true });
  t.teardown(() => dovecot.stop());
  const ca = join(dovecot.dir, 'cert.pem');
  const inbox: string[] = [];
  for (let i = 1; i <= 600; i++) { const raw = message('inbox', i); dovecot.addToFolder('INBOX', raw, i, { flags: ['\\Seen'] }); inbox.push(sha(raw)); }
  const odd: Array<[string, Buffer]> = [
    ['no header at all', Buffer.from('Just a line of text, no header field anywhere\r\nand a second line.\r\n')],
    ['bare LF line ends', Buffer.from('From: lf@old-provider.test\nSubject: bare LF\n\nline one\nline two\n')],
    ['NUL bytes', Buffer.from('From: nul@old-provider.test\r\nSubject: NUL bytes\r\n\r\nbefore\x00\x00after\r\n', 'latin1')],
    ['raw 8-bit header bytes', Buffer.concat([Buffer.from('From: J'), Buffer.from([0xfc]), Buffer.from('rgen <j@old-provider.test>\r\nSubject: Gr'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('\r\n\r\nbody\r\n')])],
    ['a header without a body or line end', Buffer.from('Subject: only a header')],
    ['a 2 MB line', Buffer.from(`Subject: long line\r\n\r\n${'y'.repeat(2 * 1024 * 1024)}`)],
    ['empty', Buffer.alloc(0)],
  ];
  odd.forEach(([, raw], i) => dovecot.addToFolder('Odd', raw, i + 1));

  await t.test('the provider drops the connection mid-import: exit 5, nothing half-stored, the rerun completes once', async (t) => {
    const id = await account('alice');
    const r = await relay(dovecot.port);
    t.teardown(() => r.close());
    const args = ['import', 'imap', 'alice@example.test', `imaps://${dovecot.user}@127.0.0.1:${r.port}`, '--ca', ca, ...base];
    const p = spawn(process.execPath, [POSTERN_BIN, ...args], { env: { ...process.env, POSTERN_IMPORT_WINDOW: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    p.stdin.end(`${dovecot.password}\n`);
    let stderr = '';
    p.stderr.on('data', (d) => (stderr += d));
    let cutAt = -1;
    const timer = setInterval(() => {
      const n = app.store.imports.countImported(id);
      if (n >= 100 && cutAt < 0) { cutAt = n; r.cut(); }
    }, 10);
    const code = await new Promise<number | null>((res) => p.on('close', (c) => res(c)));
    clearInterval(timer);
    t.ok(cutAt >= 100, `the connection was cut after ${cutAt} messages`);
    t.equal(code, 5, stderr);
    t.match(stderr, /the provider closed the connection .*what was imported is kept: run the same command again to continue/);
    const held = app.store.imports.countImported(id);
    t.ok(held >= cutAt && held < 600, `${held} of 600 kept`);
    const h = holdings(app, id);
    t.equal([...h.values()].flat().length, held, 'every stored message has its record and the other way round');
    const again = await postern(args, { input: `${dovecot.password}\n`, timeoutMs: 120_000 });
    t.equal(again.code, 0, again.stderr);
    t.match(again.stdout, new RegExp(`imported ${600 + odd.length - 1 - held} messages .*\\(${held} already here, 1 skipped`));
    const got = holdings(app, id).get('INBOX')!;
    t.equal(got.length, 600, 'INBOX: 600 messages, none twice');
    t.same([...got].sort(), [...inbox].sort(), 'byte-identical to the provider');
  });

  await t.test('malformed messages: imported byte-identical or skipped with the reason, never a crash', async (t) => {
    const id = await account('bob');
    const served = await providerHashes(dovecot, 'Odd');
    t.equal(served.length, odd.length, 'Dovecot serves all of them');
    const r = await postern(['import', 'imap', 'bob@example.test', `imaps://${dovecot.user}@127.0.0.1:${dovecot.port}`, '--ca', ca, ...base], { input: `${dovecot.password}\n`, timeoutMs: 120_000 });
    t.equal(r.code, 0, r.stderr);
    t.match(r.stdout, /1 skipped \(the summary mail says why\)/);
    const got = holdings(app, id).get('Odd') ?? [];
    const empty = sha(Buffer.alloc(0));
    t.same([...got].sort(), served.filter((h) => h !== empty).sort(), 'every non-empty one, as the provider served it');
    t.equal(got.length, odd.length - 1);
    const summary = summaryOf(app, bob(app));
    t.match(summary, /the message is empty/, 'the summary mail says what was skipped and why');
    t.match(summary, /Odd UID \d+/);
    function bob(a: TestAppliance) { return a.store.accounts.byAddress('bob@example.test')!.id; }
  });

  await t.test('STARTTLS: required and verified; a server without it is refused before the password is sent', async (t) => {
    const id = await account('carol');
    const st = await startDovecot({ starttls: true });
    t.teardown(() => st.stop());
    for (let i = 1; i <= 20; i++) st.addToFolder('INBOX', message('starttls', i), i);
    const stCa = join(st.dir, 'cert.pem');
    const url = `imap://${st.user}@127.0.0.1:${st.port}`;
    const r = await postern(['import', 'imap', 'carol@example.test', url, '--starttls', '--ca', stCa, ...base], { input: `${st.password}\n` });
    t.equal(r.code, 0, r.stderr);
    t.match(r.stdout, /imported 20 messages from 1 folders/);
    t.same([...holdings(app, id).get('INBOX')!].sort(), (await providerHashes(st, 'INBOX', { secure: false, ca: readFileSync(stCa, 'utf8') })).sort(), 'byte-identical');
    const noCa = await postern(['import', 'imap', 'carol@example.test', url, '--starttls', ...base], { input: `${st.password}\n` });
    t.equal(noCa.code, 4, 'after STARTTLS the certificate is verified too');

    const plain = await startDovecot({});
    t.teardown(() => plain.stop());
    const refused = await postern(['import', 'imap', 'carol@example.test', `imap://${plain.user}@127.0.0.1:${plain.port}`, '--starttls', ...base], { input: `${plain.password}\n` });
    t.equal(refused.code, 4, refused.stderr);
    t.match(refused.stderr, /does not offer STARTTLS, and the password is never sent unencrypted/);
    t.notMatch(readFileSync(join(plain.dir, 'dovecot.log'), 'utf8'), /user=<bench>/, 'the plain server never saw a login');
  });

  await t.test('--every MINUTES: fetches again, only what is new, until stopped', async (t) => {
    const id = await account('dave');
    const ev = await startDovecot({ tls: true });
    t.teardown(() => ev.stop());
    for (let i = 1; i <= 10; i++) ev.addToFolder('INBOX', message('every', i), i);
    const evCa = join(ev.dir, 'cert.pem');
    // 0.02 minutes: a pass every 1.2 s
    const p = spawn(process.execPath, [POSTERN_BIN, 'import', 'imap', 'dave@example.test', `imaps://${ev.user}@127.0.0.1:${ev.port}`, '--ca', evCa, '--every', '0.02', ...base], { stdio: ['pipe', 'pipe', 'pipe'] });
    p.stdin.end(`${ev.password}\n`);
    const closed = new Promise<number | null>((res) => p.on('close', (c) => res(c)));
    t.teardown(() => p.kill('SIGKILL'));
    const lines: string[] = [];
    let waiters: Array<() => void> = [];
    let buf = '';
    p.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) { lines.push(buf.slice(0, i)); buf = buf.slice(i + 1); for (const w of waiters) w(); waiters = []; }
    });
    const line = async (re: RegExp): Promise<string> => {
      const until = Date.now() + 60_000;
      for (;;) {
        const found = lines.find((l) => re.test(l));
        if (found) return found;
        if (Date.now() > until) throw new Error(`no line ${re} in ${lines.join(' | ')}`);
        await new Promise<void>((r) => { waiters.push(r); setTimeout(r, 500); });
      }
    };
    t.match(await line(/^imported 10 messages/), /\(0 already here\)/, 'the first pass brings the 10');
    await line(/^imported 0 messages .*\(10 already here\)/);
    const c = new ImapFlow({ host: '127.0.0.1', port: ev.port, secure: true, auth: { user: ev.user, pass: ev.password }, tls: { ca: readFileSync(evCa, 'utf8') }, logger: false });
    await c.connect();
    await c.append('INBOX', message('every-new', 1));
    await c.append('INBOX', message('every-new', 2));
    await c.logout();
    t.match(await line(/^imported 2 messages/), /\(10 already here\)/, 'a later pass brings only the 2 new ones');
    p.kill('SIGTERM');
    t.equal(await closed, 0, 'SIGTERM between passes ends it with exit 0');
    t.equal(holdings(app, id).get('INBOX')!.length, 12, 'each message once');
  });

  await t.test('a Gmail-shaped account: labels as folders, All Mail adds only the archived mail to Archive', async (t) => {
    const id = await account('erin');
    const gm = await startDovecot({
      tls: true,
      namespace: [
        '  separator = /',
        '  mailbox "[Gmail]/All Mail" {\n    special_use = \\All\n  }',
        '  mailbox "[Gmail]/Sent Mail" {\n    special_use = \\Sent\n  }',
        '  mailbox "[Gmail]/Starred" {\n    special_use = \\Flagged\n  }',
        '  mailbox "[Gmail]/Drafts" {\n    special_use = \\Drafts\n  }',
      ].join('\n'),
    });
    t.teardown(() => gm.stop());
    // Maildir++ on disk uses "." between levels whatever the IMAP separator
    const put = (folder: string, raw: Buffer, n: number, flags: string[] = []) => gm.addToFolder(folder.replace(/\//g, '.'), raw, n, { flags });
    const want: Record<string, Buffer[]> = { INBOX: [], Work: [], Sent: [], Archive: [] };
    let n = 0;
    for (let i = 1; i <= 15; i++) {
      const raw = message('gmail-inbox', i);
      const flags = i <= 2 ? ['\\Seen', '\\Flagged'] : ['\\Seen'];
      put('INBOX', raw, ++n, flags); want.INBOX!.push(raw);
      if (i > 10) { put('Work', raw, ++n, flags); want.Work!.push(raw); }
      put('[Gmail]/All Mail', raw, ++n, flags);
      if (i <= 2) put('[Gmail]/Starred', raw, ++n, flags);
      if (i <= 5) put('[Gmail]/Important', raw, ++n, flags);
    }
    for (let i = 1; i <= 5; i++) { const raw = message('gmail-work', i); put('Work', raw, ++n); put('[Gmail]/All Mail', raw, ++n); want.Work!.push(raw); }
    for (let i = 1; i <= 5; i++) { const raw = message('gmail-sent', i); put('[Gmail]/Sent Mail', raw, ++n, ['\\Seen']); put('[Gmail]/All Mail', raw, ++n, ['\\Seen']); want.Sent!.push(raw); }
    for (let i = 1; i <= 8; i++) { const raw = message('gmail-archived', i); put('[Gmail]/All Mail', raw, ++n, ['\\Seen']); want.Archive!.push(raw); }
    const gmCa = join(gm.dir, 'cert.pem');
    const probe = new ImapFlow({ host: '127.0.0.1', port: gm.port, secure: true, auth: { user: gm.user, pass: gm.password }, tls: { ca: readFileSync(gmCa, 'utf8') }, logger: false });
    await probe.connect();
    const listed = new Map((await probe.list()).map((f) => [f.path, f.specialUse ?? '']));
    await probe.logout();
    t.equal(listed.get('[Gmail]/All Mail'), '\\All', 'the provider marks All Mail \\All (as Gmail does)');
    t.equal(listed.get('[Gmail]/Starred'), '\\Flagged');

    const r = await postern(['import', 'imap', 'erin@example.test', `imaps://${gm.user}@127.0.0.1:${gm.port}`, '--ca', gmCa, ...base], { input: `${gm.password}\n` });
    t.equal(r.code, 0, r.stderr);
    const h = holdings(app, id);
    for (const [box, raws] of Object.entries(want)) t.same([...(h.get(box) ?? [])].sort(), raws.map(sha).sort(), `${box}: ${raws.length} messages, each once`);
    t.same([...h.keys()].sort(), Object.keys(want).sort(), 'no Starred, Important or "[Gmail]" mailbox');
    const inbox = app.store.mailboxes.get(id, 'INBOX')!;
    const starred = app.store.messages.list(inbox.id).filter((m) => m.flags.includes('\\Flagged'));
    t.equal(starred.length, 2, 'starred mail keeps its flag in the INBOX');
    t.match(summaryOf(app, id), /Starred|Important/, 'the summary says which views were not imported');
    const again = await postern(['import', 'imap', 'erin@example.test', `imaps://${gm.user}@127.0.0.1:${gm.port}`, '--ca', gmCa, ...base], { input: `${gm.password}\n` });
    t.match(again.stdout, /imported 0 messages/, 'a second run brings nothing, All Mail included');
  });
});
