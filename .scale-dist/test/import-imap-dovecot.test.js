// Moving in over IMAP (issue 18): a real Dovecot (implicit TLS, its own certificate) is the old
// provider, filled over IMAP APPEND with nested folders, a folder named in modified UTF-7, flags,
// keywords and INTERNALDATEs. The real CLI, run as a child next to a running appliance, imports
// it: a wrong password and an unverified certificate are refused with their exit codes; the import
// is SIGKILLed twice mid-way and resumed; the result, read back over IMAP from Postern, is
// byte-identical to the source (SHA-256 of BODY[]), with the same flags and dates and no
// duplicate; a second run imports only new mail; --delete-after removes from the provider exactly
// the messages Postern holds.
import t from 'tap';
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { startDovecot } from './harness/dovecot.js';
import { startTestAppliance, tempDir } from './harness/appliance.js';
import { postern, POSTERN_BIN } from './harness/cli.js';
import { ImapLineClient } from './harness/imap-line.js';
const sha = (b) => createHash('sha256').update(b).digest('hex');
// source folder (Dovecot's "." delimiter) -> Postern mailbox
const FOLDERS = [
    ['INBOX', 'INBOX', 80],
    ['Sent', 'Sent', 50],
    ['Drafts', 'Drafts', 10],
    ['Projects', 'Projects', 20],
    ['Projects.2024', 'Projects/2024', 40],
    ['Reçus & Factures', 'Reçus & Factures', 20],
];
const TOTAL = FOLDERS.reduce((n, f) => n + f[2], 0);
const FLAG_SETS = [[], ['\\Seen'], ['\\Seen', '\\Flagged'], ['\\Answered', '\\Seen'], ['$Label1'], ['\\Seen', 'Work', '$Forwarded']];
function message(folder, i) {
    const big = i % 37 === 0 ? 'x'.repeat(76) + '\r\n' : '';
    const body = [
        `Message ${i} of ${folder}.`,
        'From here on the body has a line that an mbox would quote.',
        '>From quoted already.',
        'Grüße, 8-bit text: ça marche.',
        big.repeat(i % 37 === 0 ? 1500 : 0),
    ].join('\r\n');
    const head = [
        `From: Sender ${i} <s${i}@old-provider.test>`,
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
async function provider(d, ca) {
    const c = new ImapFlow({ host: '127.0.0.1', port: d.port, secure: true, auth: { user: d.user, pass: d.password }, tls: { ca }, logger: false });
    await c.connect();
    return c;
}
async function posternClient(app) {
    const c = new ImapFlow({ host: '127.0.0.1', port: app.port('imaps'), secure: true, auth: { user: 'alice@example.test', pass: 'correct horse' }, tls: { ca: ImapLineClient.caOf(app.dataDir), servername: 'localhost' }, logger: false });
    await c.connect();
    return c;
}
/** Every message of a folder: hash of BODY[], flags (sorted, without \Recent), INTERNALDATE. */
async function folderContents(c, path) {
    const mb = await c.mailboxOpen(path, { readOnly: true });
    const out = [];
    if (mb.exists === 0)
        return out;
    for await (const m of c.fetch('1:*', { uid: true, source: true, flags: true, internalDate: true })) {
        if (m.source.includes('X-Postern-Import-Summary: yes'))
            continue;
        out.push({ hash: sha(m.source), flags: [...m.flags].filter((f) => f !== '\\Recent').sort().join(' '), date: new Date(m.internalDate).getTime() });
    }
    return out.sort((a, b) => a.hash.localeCompare(b.hash));
}
const sorted = (xs) => [...xs].sort((a, b) => a.hash.localeCompare(b.hash));
/** Run the import CLI and SIGKILL it once the store records at least `killAt` imported messages. */
function importKilledAt(args, password, app, killAt) {
    return new Promise((resolve, reject) => {
        const p = spawn(process.execPath, [POSTERN_BIN, ...args], { env: { ...process.env, POSTERN_IMPORT_WINDOW: '1' }, stdio: ['pipe', 'ignore', 'ignore'] });
        p.stdin.end(password + '\n');
        let count = 0;
        const timer = setInterval(() => {
            count = importedCount(app);
            if (count >= killAt) {
                clearInterval(timer);
                p.kill('SIGKILL');
            }
        }, 10);
        p.on('error', reject);
        p.on('exit', (_code, signal) => { clearInterval(timer); resolve({ killed: signal === 'SIGKILL', importedAtKill: count }); });
    });
}
function importedCount(app) {
    const acct = app.store.accounts.byAddress('alice@example.test');
    let n = 0;
    for (const s of app.store.imports.sources(acct.id))
        n += app.store.imports.items(s.id).filter((i) => i.mailboxId !== null).length;
    return n;
}
function posternCount(app, accountId) {
    let n = 0;
    for (const mb of app.store.mailboxes.list(accountId))
        n += app.store.messages.list(mb.id).length;
    return n;
}
t.test('import over IMAP from a real Dovecot', async (t) => {
    const t0 = Date.now();
    t.afterEach(() => t.comment(`elapsed ${Date.now() - t0} ms`));
    const dovecot = await startDovecot({ tls: true });
    t.teardown(() => dovecot.stop());
    const ca = join(dovecot.dir, 'cert.pem');
    const caPem = (await import('node:fs')).readFileSync(ca, 'utf8');
    const app = await startTestAppliance({ listeners: ['imaps'] });
    t.teardown(() => app.stop());
    const accountId = (await app.store.accounts.create('alice@example.test', 'correct horse')).id;
    const cfg = join(tempDir(), 'postern.json');
    writeFileSync(cfg, JSON.stringify({ hostname: 'mail.example.test', domains: ['example.test'], dataDir: app.dataDir, listen: {}, tor: { mode: 'off' } }));
    // fill the provider over APPEND
    const src = await provider(dovecot, caPem);
    const baseDate = Date.UTC(2023, 0, 1);
    for (const [path, , n] of FOLDERS) {
        if (path !== 'INBOX')
            await src.mailboxCreate(path);
        for (let i = 1; i <= n; i++)
            await src.append(path, message(path, i), FLAG_SETS[i % FLAG_SETS.length], new Date(baseDate + i * 3_600_000 + path.length * 60_000));
    }
    const url = `imaps://${dovecot.user}@127.0.0.1:${dovecot.port}`;
    const base = ['--config', cfg];
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
    await t.test('killed twice mid-way, resumed: everything once, byte-identical, flags and dates kept', async (t) => {
        const args = ['import', 'imap', 'alice@example.test', url, '--ca', ca, ...base];
        const first = await importKilledAt(args, dovecot.password, app, 40);
        t.ok(first.killed, 'the first run was killed');
        t.ok(first.importedAtKill < TOTAL, `killed mid-way (${first.importedAtKill} of ${TOTAL})`);
        const second = await importKilledAt(args, dovecot.password, app, first.importedAtKill + 100);
        t.ok(second.killed, 'the second run was killed');
        t.ok(second.importedAtKill < TOTAL, `killed mid-way again (${second.importedAtKill} of ${TOTAL})`);
        t.equal(posternCount(app, accountId), importedCount(app), 'no message without its record, no record without its message');
        const r = await postern(args, { input: `${dovecot.password}\n`, timeoutMs: 120_000 });
        t.equal(r.code, 0, r.stderr);
        t.match(r.stdout, new RegExp(`imported ${TOTAL - importedCountBefore(r.stdout)} messages`));
        const pc = await posternClient(app);
        t.teardown(() => pc.logout());
        for (const [path, ours, n] of FOLDERS) {
            const want = await folderContents(src, path);
            const got = await folderContents(pc, ours);
            t.equal(want.length, n, `${path}: the provider holds ${n}`);
            t.same(sorted(got), sorted(want), `${path} -> ${ours}: same bytes, flags and INTERNALDATE, each once`);
        }
        t.equal(posternCount(app, accountId), TOTAL + 1, 'every message once, plus the summary mail');
        const inbox = app.store.mailboxes.get(accountId, 'INBOX');
        const summary = app.store.messages.list(inbox.id).map((m) => app.store.readMessage(app.store.imports.blobHash(m.blobId)).toString()).find((s) => s.includes('X-Postern-Import-Summary'));
        t.match(summary, /Messages brought in: \d+/, 'the household got a summary mail');
    });
    await t.test('a second run imports only new mail', async (t) => {
        for (let i = 1; i <= 5; i++)
            await src.append('INBOX', message('INBOX-new', i), ['$Label1'], new Date(baseDate + 999 * 3_600_000));
        await src.append('Projects.2024', message('P-new', 1), ['\\Seen']);
        const before = posternCount(app, accountId);
        const r = await postern(['import', 'imap', 'alice@example.test', url, '--ca', ca, ...base], { input: `${dovecot.password}\n` });
        t.equal(r.code, 0, r.stderr);
        t.match(r.stdout, new RegExp(`imported 6 messages from 6 folders .*\\(${TOTAL} already here\\)`));
        t.equal(posternCount(app, accountId), before + 6 + 1, 'six new messages and one summary mail');
        const again = await postern(['import', 'imap', 'alice@example.test', url, '--ca', ca, ...base], { input: `${dovecot.password}\n` });
        t.match(again.stdout, /imported 0 messages/);
        t.equal(posternCount(app, accountId), before + 7, 'a run with nothing new stores nothing (and sends no summary)');
    });
    await t.test('--delete-after removes from the provider only what Postern holds', async (t) => {
        // 40 new messages in Sent (imported last); the run is killed while it imports them: folders
        // done before were emptied at the provider, Sent was not touched (nothing of it confirmed as
        // a whole yet). The rerun finishes; then every message the provider held is in Postern and the
        // provider is empty.
        for (let i = 1; i <= 40; i++)
            await src.append('Sent', message('Sent-late', i), ['\\Seen']);
        const held = new Map();
        for (const [path] of FOLDERS)
            held.set(path, await folderContents(src, path));
        const args = ['import', 'imap', 'alice@example.test', url, '--ca', ca, '--delete-after', ...base];
        const before = importedCount(app);
        const killed = await importKilledAt(args, dovecot.password, app, before + 10);
        t.ok(killed.killed && killed.importedAtKill < before + 40, `killed while importing Sent (${killed.importedAtKill - before} of 40)`);
        const fresh = await provider(dovecot, caPem);
        t.equal(((await fresh.status('Sent', { messages: true })) || { messages: -1 }).messages, 90, 'Sent is untouched at the provider while its import is unfinished');
        const r = await postern(args, { input: `${dovecot.password}\n` });
        t.equal(r.code, 0, r.stderr);
        t.match(r.stdout, / removed from the provider/);
        const pc = await posternClient(app);
        for (const [path, ours] of FOLDERS) {
            t.equal(((await fresh.status(path, { messages: true })) || { messages: -1 }).messages, 0, `${path} is empty at the provider`);
            const got = new Set((await folderContents(pc, ours)).map((x) => x.hash));
            t.ok(held.get(path).every((x) => got.has(x.hash)), `every message ${path} held is in Postern's ${ours}`);
        }
        await pc.logout();
        await fresh.logout();
        t.equal(posternCount(app, accountId) - importedCount(app), 3, 'every message once (plus three summary mails)');
    });
    await src.logout();
});
function importedCountBefore(stdout) {
    return Number(/\((\d+) already here/.exec(stdout)?.[1] ?? 0);
}
//# sourceMappingURL=import-imap-dovecot.test.js.map