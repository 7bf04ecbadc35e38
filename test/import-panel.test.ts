// Moving in from the panel (issue 18): a household member signs in to the panel over its HTTPS,
// gives the old provider's server, user name and password, and the real appliance (`postern
// start`, a child process that trusts the provider's CA the way a box trusts public CAs: through
// Node's CA list, NODE_EXTRA_CA_CERTS) imports from a real Dovecot in the background. The form
// refuses a wrong password, a certificate it cannot verify and a server it cannot reach with a
// sentence in plain words, on the form, keeping what was typed but the password; the page shows the
// import per folder, refreshed by htmx polling while it runs (and only then), and after a reload;
// the mail arrives byte-identical; the password is in no log line and nowhere in the database.
import t from 'tap';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { startDovecot } from './harness/dovecot.js';
import { tempDir } from './harness/appliance.js';
import { freePorts } from './harness/ports.js';
import { postern, startPostern } from './harness/cli.js';
import { PanelHttp } from './harness/panel-http.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const FOLDERS: Array<[string, string, number]> = [['INBOX', 'INBOX', 150], ['Sent', 'Sent', 60], ['Projects.Old', 'Projects/Old', 40]];
const TOTAL = FOLDERS.reduce((n, f) => n + f[2], 0);
const PW = 'member-password-1234';

function message(folder: string, i: number): Buffer {
  return Buffer.from(`From: Friend ${i} <f${i}@old-provider.test>\r\nTo: ben@old-provider.test\r\nSubject: ${folder} ${i}\r\nMessage-ID: <${folder}.${i}@old-provider.test>\r\nDate: Tue, 2 Jan 2024 09:00:00 +0000\r\n\r\nHello number ${i} in ${folder}.\r\n`);
}

t.test('import from a provider, started and followed in the panel', async (t) => {
  const dovecot = await startDovecot({ tls: true });
  t.teardown(() => dovecot.stop());
  const untrusted = await startDovecot({ tls: true });
  t.teardown(() => untrusted.stop());
  const want = new Map<string, Set<string>>();
  for (const [path, , n] of FOLDERS) {
    const w = new Set<string>();
    for (let i = 1; i <= n; i++) {
      const raw = message(path, i);
      dovecot.addToFolder(path, raw, i, { flags: i % 3 ? ['\\Seen'] : ['Work'], date: new Date(Date.UTC(2024, 0, 2) + i * 60_000) });
      w.add(sha(raw));
    }
    want.set(path, w);
  }

  const dir = tempDir();
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const [panel, imaps, closed] = await freePorts(3);
  const file = join(dir, 'config.json');
  const dataDir = join(dir, 'data');
  writeFileSync(file, JSON.stringify({
    hostname: 'mail.example.test', domains: ['example.test'], dataDir, tor: { mode: 'off' },
    listen: { panel: `127.0.0.1:${panel}`, imaps: `127.0.0.1:${imaps}` }, delivery: { dnsServers: ['127.0.0.1:9'] },
  }));
  t.equal((await postern(['user', 'add', 'admin@example.test', '--admin', '--config', file], { input: 'admin-password-1234\n' })).code, 0);
  t.equal((await postern(['user', 'add', 'ben@example.test', '--config', file], { input: `${PW}\n` })).code, 0);
  // the provider's certificate is trusted like a public CA's; the second Dovecot's is not
  const { child, lines, exited } = await startPostern(['--config', file], { env: { NODE_EXTRA_CA_CERTS: join(dovecot.dir, 'cert.pem'), POSTERN_IMPORT_WINDOW: '1' } });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  let alive = true;
  void exited.then(() => { alive = false; });
  t.teardown(() => { if (alive) child.kill('SIGKILL'); });

  const c = new PanelHttp(panel!, readFileSync(join(dataDir, 'tls', 'ca.crt'), 'utf8'));
  t.equal((await c.signIn('ben@example.test', PW)).status, 303, 'a member signs in');
  const form = await c.get('/import');
  t.equal(form.status, 200);
  t.match(form.body, /href="\/import"/, 'linked from the navigation');
  t.match(form.body, /<input id="f-password" name="password" type="password"/);
  t.match(form.body, /No import yet\./);

  const fields = (o: Partial<Record<'host' | 'port' | 'security' | 'user' | 'password', string>> = {}) =>
    ({ host: '127.0.0.1', port: String(dovecot.port), security: 'tls', user: dovecot.user, password: dovecot.password, ...o });

  await t.test('refusals in plain words, on the form', async (t) => {
    t.equal((await c.post('/import', fields(), { csrf: null })).status, 403, 'no CSRF token: refused');
    const wrong = await c.post('/import', fields({ password: 'not-the-password-42' }));
    t.equal(wrong.status, 422);
    t.match(wrong.body, /Your provider refused the user name or password for bench\. Many providers .* want an &quot;app password&quot;|Your provider refused the user name or password for bench\. Many providers .* want an "app password"/);
    t.notMatch(wrong.body, /not-the-password-42/, 'the password is not sent back');
    t.match(wrong.body, /id="f-host"[^>]*value="127\.0\.0\.1"/, 'the server stays filled in');
    const cert = await c.post('/import', fields({ port: String(untrusted.port), user: untrusted.user, password: untrusted.password }));
    t.equal(cert.status, 422);
    t.match(cert.body, /could not verify the security certificate of 127\.0\.0\.1 \(port \d+\), so it stopped before sending your password/);
    const none = await c.post('/import', fields({ port: String(closed) }));
    t.equal(none.status, 422);
    t.match(none.body, new RegExp(`Postern could not connect to 127\\.0\\.0\\.1 \\(port ${closed}\\)\\. Check the server name and the port`));
    const bad = await c.post('/import', fields({ host: 'not a host name' }));
    t.equal(bad.status, 422);
    t.match(bad.body, /Enter the server name of your provider/);
    t.match((await c.get('/import')).body, /No import yet\./, 'nothing started');
  });

  await t.test('the import runs in the background; the page follows it and survives a reload', async (t) => {
    const started = await c.post('/import', fields());
    t.equal(started.status, 303, 'signed in at the provider: the import is started');
    t.equal(started.headers.location, '/import');
    let page = await c.get('/import');
    t.match(page.body, /Signed in at 127\.0\.0\.1: the import is running/);
    let sawRunning = 0;
    const until = Date.now() + 120_000;
    for (;;) {
      const state = /data-import-status="(\w+)"/.exec(page.body)?.[1];
      if (state === 'running') {
        sawRunning++;
        t.match(page.body, /id="import-runs"[^>]*hx-get="\/import"[^>]*hx-trigger="every 2s"/, 'while it runs, the progress part polls');
      } else {
        t.equal(state, 'done', page.body.match(/data-import-status[^<]*</)?.[0] ?? '');
        break;
      }
      if (Date.now() > until) { t.fail('the import did not finish'); break; }
      await new Promise((r) => setTimeout(r, 300));
      page = await c.get('/import', { 'hx-request': 'true' });
    }
    t.comment(`seen running ${sawRunning} times`);
    t.notMatch(page.body, /hx-trigger="every 2s"/, 'done: no more polling');
    const reload = await c.get('/import');
    t.match(reload.body, new RegExp(`Finished: all ${TOTAL} messages are here`), 'after a reload the finished import is still shown');
    for (const [path, , n] of FOLDERS) t.match(reload.body, new RegExp(`<td>${path.replace('.', '\\.')}</td><td>${n} of ${n}</td>`), `${path}: ${n} of ${n}`);
    t.match(reload.body, /<progress max="250" value="250"/);

    const imap = new ImapFlow({ host: '127.0.0.1', port: imaps!, secure: true, auth: { user: 'ben@example.test', pass: PW }, tls: { ca: readFileSync(join(dataDir, 'tls', 'ca.crt'), 'utf8'), servername: 'localhost' }, logger: false });
    await imap.connect();
    t.teardown(() => imap.logout().catch(() => undefined));
    for (const [path, ours, n] of FOLDERS) {
      await imap.mailboxOpen(ours, { readOnly: true });
      const got: string[] = [];
      for await (const m of imap.fetch('1:*', { source: true, flags: true })) {
        if (m.source!.includes('X-Postern-Import-Summary')) continue;
        got.push(sha(m.source!));
      }
      t.equal(got.length, n, `${ours}: ${n} messages`);
      t.ok(got.every((h) => want.get(path)!.has(h)), `${ours}: byte-identical to the provider's`);
    }
  });

  await t.test('the password is in no log line and nowhere on disk', async (t) => {
    const output = lines.join('\n') + stderr;
    t.ok(output.length > 0, 'the appliance logged');
    t.notOk(output.includes(dovecot.password), 'not in the log');
    t.notOk(output.includes('not-the-password-42'), 'not even the wrong one');
    for (const f of readdirSync(dataDir, { recursive: true }) as string[]) {
      let content: Buffer;
      try { content = readFileSync(join(dataDir, f)); } catch { continue; }
      if (content.includes(dovecot.password)) t.fail(`the password is in ${f}`);
    }
    t.pass('no file of the data folder holds it');
  });
  child.kill('SIGTERM');
  await exited;
});
