// Postern's IMAP server with mbsync (isync): a full two-way sync of a 1,000-message mailbox with
// flags between a local Maildir and the box (IMAPS, verified against the box's CA), then a change
// on each side (flags, deletions, a new message) and a second sync that converges.
import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestAppliance, tempDir } from './harness/appliance.js';
import { imapLimits } from '../services/imap/limits.js';
function message(id, body = 'a line of text for the sync test\r\n'.repeat(4)) {
    return Buffer.from(`From: Bob <bob@example.org>\r\nTo: alice@example.test\r\nSubject: message ${id}\r\nMessage-ID: <${id}@example.org>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n\r\n${body}`);
}
function messageId(raw) {
    return /^Message-ID: <([^@>]+)@/mi.exec(raw.toString('latin1'))?.[1] ?? '?';
}
const MAILDIR_FLAGS = { D: '\\Draft', F: '\\Flagged', R: '\\Answered', S: '\\Seen', T: '\\Deleted' };
/** Message-ID -> sorted flags, for a Maildir folder (cur and new). */
function maildirState(dir) {
    const out = new Map();
    for (const sub of ['cur', 'new']) {
        for (const f of readdirSync(join(dir, sub))) {
            const info = /:2,([A-Za-z]*)$/.exec(f)?.[1] ?? '';
            const flags = [...info].map((c) => MAILDIR_FLAGS[c]).filter((x) => !!x).sort();
            out.set(messageId(readFileSync(join(dir, sub, f))), flags.join(' '));
        }
    }
    return out;
}
/** Message-ID -> sorted flags (system flags only, as Maildir carries them) in the box's INBOX. */
function serverState(app, accountId) {
    const inbox = app.store.mailboxes.get(accountId, 'INBOX');
    const out = new Map();
    for (const m of app.store.messages.list(inbox.id)) {
        const raw = app.store.readMessage(app.store.messages.blob(m.blobId).hash);
        out.set(messageId(raw), m.flags.filter((f) => f.startsWith('\\')).sort().join(' '));
    }
    return out;
}
async function mbsync(rc) {
    const p = spawn('mbsync', ['-c', rc, '-a'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    const code = await new Promise((resolve) => p.on('close', resolve));
    return { code, out };
}
t.setTimeout(300_000);
t.test('mbsync: two-way sync of 1,000 messages with flags, changes on both sides, convergence', async (t) => {
    t.setTimeout(240_000);
    imapLimits.authFailureDelayMs = 10;
    let t0 = Date.now();
    const app = await startTestAppliance({ listeners: ['imaps'] });
    const work = tempDir('postern-mbsync-');
    t.teardown(async () => { await app.stop(); rmSync(work, { recursive: true, force: true }); });
    const acc = await app.store.accounts.create('alice@example.test', 'correct horse');
    // 600 messages on the box, 400 in the Maildir, with a mix of flags on both.
    const serverFlags = [[], ['\\Seen'], ['\\Seen', '\\Flagged'], ['\\Answered', '\\Seen'], ['\\Draft']];
    app.store.transaction(() => { for (let i = 0; i < 600; i++)
        app.store.deliver([{ accountId: acc.id, flags: serverFlags[i % 5] }], message(`s${i}`)); });
    const maildir = join(work, 'mail', 'INBOX');
    for (const sub of ['cur', 'new', 'tmp'])
        mkdirSync(join(maildir, sub), { recursive: true });
    const localInfo = ['', 'S', 'FS', 'RS', 'D'];
    for (let i = 0; i < 400; i++)
        writeFileSync(join(maildir, 'cur', `${1700000000 + i}.${i}_1.test:2,${localInfo[i % 5]}`), message(`l${i}`));
    const rc = join(work, 'mbsyncrc');
    writeFileSync(rc, [
        'IMAPAccount postern', 'Host localhost', `Port ${app.port('imaps')}`, 'User alice@example.test', 'Pass "correct horse"',
        'SSLType IMAPS', `CertificateFile ${join(app.dataDir, 'tls', 'ca.crt')}`, 'AuthMechs PLAIN', '',
        'IMAPStore remote', 'Account postern', '',
        'MaildirStore local', `Path ${join(work, 'mail')}/`, `Inbox ${maildir}`, '',
        'Channel box', 'Far :remote:', 'Near :local:', 'Patterns INBOX', 'Create Both', 'Expunge Both', 'Sync All', `SyncState ${join(work, 'state')}/`, '',
    ].join('\n'));
    mkdirSync(join(work, 'state'), { recursive: true });
    t.comment(`setup: ${Date.now() - t0} ms`);
    t0 = Date.now();
    const first = await mbsync(rc);
    t.comment(`first sync: ${Date.now() - t0} ms`);
    t.equal(first.code, 0, first.out);
    const s1 = serverState(app, acc.id);
    const m1 = maildirState(maildir);
    t.equal(s1.size, 1000, 'the box has all 1,000 messages');
    t.equal(m1.size, 1000, 'the Maildir has all 1,000 messages');
    t.same([...m1.entries()].sort(), [...s1.entries()].sort(), 'same messages and flags on both sides');
    t.equal(s1.get('l2'), '\\Flagged \\Seen', 'local flags reached the box');
    t.equal(m1.get('s3'), '\\Answered \\Seen', 'box flags reached the Maildir');
    // Changes on the box: flag some, delete some, deliver one.
    const inbox = app.store.mailboxes.get(acc.id, 'INBOX');
    const byId = new Map();
    for (const m of app.store.messages.list(inbox.id))
        byId.set(messageId(app.store.readMessage(app.store.messages.blob(m.blobId).hash)), m.uid);
    app.store.messages.store(inbox.id, [byId.get('s0'), byId.get('l0')], 'add', ['\\Flagged']);
    app.store.messages.store(inbox.id, [byId.get('s10'), byId.get('l10')], 'add', ['\\Deleted']);
    app.store.messages.expunge(inbox.id);
    app.store.deliver([{ accountId: acc.id }], message('s-new'));
    // Changes in the Maildir: mark one seen, delete one, add one.
    const files = ['cur', 'new'].flatMap((sub) => readdirSync(join(maildir, sub)).map((f) => join(maildir, sub, f)));
    const find = (id) => files.find((f) => messageId(readFileSync(f)) === id);
    const s5 = find('s5');
    renameSync(s5, join(maildir, 'cur', s5.replace(/^.*\//, '').replace(/(:2,.*)?$/, ':2,S')));
    unlinkSync(find('l20'));
    writeFileSync(join(maildir, 'new', '1800000000.new_1.test'), message('l-new'));
    t0 = Date.now();
    const second = await mbsync(rc);
    t.comment(`second sync: ${Date.now() - t0} ms`);
    t.equal(second.code, 0, second.out);
    const s2 = serverState(app, acc.id);
    const m2 = maildirState(maildir);
    t.equal(s2.size, 999, '1000 - 2 deleted on the box - 1 deleted locally + 1 new on each side');
    t.same([...m2.entries()].sort(), [...s2.entries()].sort(), 'both sides converge');
    t.equal(s2.get('s0'), '\\Flagged', 'flag set on the box reached the Maildir');
    t.equal(s2.get('s5'), '\\Seen', 'flag set in the Maildir reached the box');
    t.notOk(s2.has('l20') || m2.has('s10') || m2.has('l10'), 'deletions propagated both ways');
    t.ok(s2.has('l-new') && m2.has('s-new'), 'new messages propagated both ways');
    t.equal(app.store.check().problems.length, 0, 'store integrity');
});
//# sourceMappingURL=imap-mbsync.test.js.map