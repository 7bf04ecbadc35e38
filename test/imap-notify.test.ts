// NOTIFY (RFC 5465) with a real client session: Python's imaplib logs in over TLS (the appliance's
// CA verified), selects INBOX and asks NOTIFY SET STATUS for the selected mailbox (MessageNew with
// fetch attributes, MessageExpunge, FlagChange), for the mailbox Family, and for mailbox names and
// subscriptions of the whole account; then it only reads. Mail arrives over real SMTP (swaks to
// the MX, a plain and a plus address), Family gets mail by APPEND from a second session (there is
// no Sieve route into another mailbox), and the second session sets flags, expunges, creates and
// subscribes. Every untagged response the watching client must receive unasked is asserted.
import t from 'tap';
import { spawn, execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestAppliance, tempDir } from './harness/appliance.js';
import { startDnsServer } from './harness/dns-server.js';
import { ImapLineClient } from './harness/imap-line.js';

const run = promisify(execFile);

const PASSWORD = 'correct horse';

// The watching client: imaplib for TLS, LOGIN, SELECT and NOTIFY; then every line the server sends
// is printed as it comes (the client sends nothing more until told "logout" on stdin).
const CLIENT = String.raw`
import imaplib, ssl, sys, threading
port, ca, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
ctx = ssl.create_default_context(cafile=ca)
ctx.check_hostname = False  # the box's certificate names mail.example.test and localhost, we dial 127.0.0.1
ctx.minimum_version = ssl.TLSVersion.TLSv1_2
M = imaplib.IMAP4_SSL('127.0.0.1', port, ssl_context=ctx)
M.login(user, password)
typ, _ = M.select('INBOX')
assert typ == 'OK'
imaplib.Commands['NOTIFY'] = ('AUTH', 'SELECTED')
typ, data = M._simple_command('NOTIFY', 'SET STATUS (selected (MessageNew (UID BODY.PEEK[HEADER.FIELDS (SUBJECT)]) MessageExpunge FlagChange)) (mailboxes Family (MessageNew MessageExpunge FlagChange)) (personal (MailboxName SubscriptionChange))')
print('NOTIFY ' + typ, flush=True)
for k in ('STATUS',):
    for d in M.untagged_responses.pop(k, []):
        print('* ' + k + ' ' + (d.decode() if isinstance(d, bytes) else repr(d)), flush=True)
def stdin():
    for line in sys.stdin:
        if line.strip() == 'logout':
            M.send(b'z1 LOGOUT\r\n')
            return
threading.Thread(target=stdin, daemon=True).start()
while True:
    line = M.readline()
    if not line:
        break
    text = line.decode('utf-8', 'replace').rstrip('\r\n')
    print(text, flush=True)
    if text.startswith('z1 '):
        break
`;

const dns = await startDnsServer({});
t.teardown(() => dns.close());
const app = await startTestAppliance({ listeners: ['mx', 'imaps'], config: { delivery: { dnsServers: [dns.address] } } });
t.teardown(() => app.stop());
const alice = await app.store.accounts.create('alice@example.test', PASSWORD);
app.store.mailboxes.create(alice.id, 'Family');
const ca = join(app.dataDir, 'tls', 'ca.crt');
const script = join(tempDir('postern-notify-'), 'watch.py');
writeFileSync(script, CLIENT);

/** The watching client's output, line by line, and a way to wait for a line. */
const child = spawn('python3', [script, String(app.port('imaps')), ca, 'alice@example.test', PASSWORD], { stdio: ['pipe', 'pipe', 'pipe'] });
t.teardown(() => { if (child.exitCode === null) child.kill(); });
const lines: string[] = [];
let stderr = '';
let wake: (() => void) | undefined;
let partial = '';
child.stdout.on('data', (b: Buffer) => {
  partial += b.toString('utf8');
  const parts = partial.split('\n');
  partial = parts.pop()!;
  lines.push(...parts);
  wake?.();
});
child.stderr.on('data', (b: Buffer) => { stderr += b.toString('utf8'); });
let read = 0;

/** Wait (without a time assertion: tap's timeout ends a hang) for a line matching `re` among the
 *  lines not yet consumed; returns it and the lines before it. */
async function next(re: RegExp): Promise<{ line: string; before: string[] }> {
  for (;;) {
    for (let i = read; i < lines.length; i++) {
      if (re.test(lines[i]!)) { const before = lines.slice(read, i); read = i + 1; return { line: lines[i]!, before }; }
    }
    if (child.exitCode !== null) throw new Error(`the client ended: ${stderr.slice(-500)}`);
    await new Promise<void>((r) => { wake = r; setTimeout(r, 200); });
  }
}

const swaks = (to: string, subject: string) => run('swaks', ['--server', '127.0.0.1', '--port', String(app.port('mx')), '--from', 'grandma@family.example', '--to', to, '--helo', 'family.example', '--header', `Subject: ${subject}`, '--body', 'hello from grandma'], { timeout: 60_000 });

t.test('a real client watches INBOX and Family with NOTIFY', { timeout: 120_000 }, async (t) => {
  await next(/^NOTIFY OK$/);
  const family = app.store.mailboxes.get(alice.id, 'Family')!;
  const first = await next(/^\* STATUS /);
  t.match(first.line, new RegExp(`^\\* STATUS "Family" \\(MESSAGES 0 UIDNEXT 1 UIDVALIDITY ${family.uidValidity} UNSEEN 0 HIGHESTMODSEQ [0-9]+\\)$`), 'NOTIFY SET STATUS: Family\'s counters at once');

  // mail over SMTP into INBOX, the selected mailbox
  await swaks('alice@example.test', 'notify-smtp-1');
  t.equal((await next(/EXISTS$/)).line, '* 1 EXISTS', 'the new message is announced unasked');
  const f = await next(/^\* 1 FETCH /);
  t.match(f.line, /^\* 1 FETCH \(UID 1 BODY\[HEADER\.FIELDS \(SUBJECT\)\] \{[0-9]+\}$/, 'with MessageNew\'s fetch attributes');
  t.equal((await next(/^Subject:/)).line.trim(), 'Subject: notify-smtp-1', 'the Subject header, as delivered over SMTP');

  // another session puts mail into Family
  const other = await ImapLineClient.tls(app.port('imaps'), ImapLineClient.caOf(app.dataDir));
  t.teardown(() => other.close());
  t.equal((await other.command(`LOGIN alice@example.test "${PASSWORD}"`)).status, 'OK');
  const msg = 'From: dad@family.example\r\nSubject: photos\r\n\r\nphotos attached\r\n';
  t.equal((await other.command(`APPEND Family {${Buffer.byteLength(msg)}+}\r\n${msg}`)).status, 'OK', 'APPEND into Family');
  const st = await next(/^\* STATUS "Family" /);
  t.equal(st.line, `* STATUS "Family" (MESSAGES 1 UIDNEXT 2 UIDVALIDITY ${family.uidValidity} UNSEEN 1)`, 'Family: a new message (MessageNew)');

  await other.command('SELECT Family');
  t.equal((await other.command('STORE 1 +FLAGS.SILENT (\\Seen)')).status, 'OK');
  const hm = app.store.mailboxes.byId(family.id)!.highestModseq;
  t.equal((await next(/^\* STATUS "Family" /)).line, `* STATUS "Family" (UIDVALIDITY ${family.uidValidity} HIGHESTMODSEQ ${hm} UNSEEN 0)`, 'Family: flags changed (FlagChange)');
  await other.command('STORE 1 +FLAGS.SILENT (\\Deleted)');
  await other.command('EXPUNGE');
  t.match((await next(/^\* STATUS "Family" \(.*MESSAGES/)).line, /^\* STATUS "Family" \(.*MESSAGES 0\b/, 'Family: expunged (MessageExpunge)');

  // a plus address is delivered to INBOX too
  await swaks('alice+family@example.test', 'notify-smtp-2');
  t.equal((await next(/EXISTS$/)).line, '* 2 EXISTS', 'the second SMTP message (plus address) is announced');
  t.match((await next(/^\* 2 FETCH /)).line, /^\* 2 FETCH \(UID 2 BODY\[HEADER\.FIELDS \(SUBJECT\)\]/);
  t.equal((await next(/^Subject:/)).line.trim(), 'Subject: notify-smtp-2');

  // the selected mailbox: flags and expunges by the other session arrive unasked
  await other.command('SELECT INBOX');
  await other.command('STORE 1 +FLAGS.SILENT (\\Flagged)');
  t.match((await next(/^\* 1 FETCH \(/)).line, /^\* 1 FETCH \(UID 1 FLAGS \(\\Flagged( \\Recent)?\)/, 'FlagChange in INBOX: FETCH FLAGS');
  await other.command('STORE 1 +FLAGS.SILENT (\\Deleted)');
  await other.command('EXPUNGE');
  t.equal((await next(/EXPUNGE$/)).line, '* 1 EXPUNGE', 'MessageExpunge in INBOX: EXPUNGE at once (SELECTED, not SELECTED-DELAYED)');

  // mailbox names and subscriptions of the account
  await other.command('CREATE Trips');
  t.equal((await next(/^\* LIST /)).line, '* LIST () "/" "Trips"', 'MailboxName: a new mailbox');
  await other.command('SUBSCRIBE Trips');
  t.equal((await next(/^\* LIST /)).line, '* LIST (\\Subscribed) "/" "Trips"', 'SubscriptionChange');
  await other.command('RENAME Trips Travel');
  t.equal((await next(/^\* LIST /)).line, '* LIST () "/" "Travel" ("OLDNAME" ("Trips"))', 'MailboxName: renamed, with OLDNAME');
  await other.command('DELETE Travel');
  t.equal((await next(/^\* LIST \(\\NonExistent/)).line, '* LIST (\\NonExistent) "/" "Travel"', 'MailboxName: deleted');

  // nothing was asked for: no tagged response came before LOGOUT
  t.same(lines.slice(0, read).filter((l) => /^[A-Za-z0-9]+ (OK|NO|BAD) /.test(l)), [], 'every response above came unasked');
  child.stdin.write('logout\n');
  await next(/^z1 OK/);
});

t.test('NOTIFY: refusals, SELECTED-DELAYED and NONE', { timeout: 60_000 }, async (t) => {
  const ca = ImapLineClient.caOf(app.dataDir);
  const w = await ImapLineClient.tls(app.port('imaps'), ca);
  const o = await ImapLineClient.tls(app.port('imaps'), ca);
  t.teardown(() => { w.close(); o.close(); });
  for (const c of [w, o]) {
    await c.command(`LOGIN alice@example.test "${PASSWORD}"`);
    await c.command('SELECT INBOX');
  }
  let r = await w.command('NOTIFY SET (personal (MessageNew AnnotationChange))');
  t.equal(r.status, 'NO', 'an event not offered: NO');
  t.match(r.tagged, /\[BADEVENT \(MessageNew MessageExpunge FlagChange MailboxName SubscriptionChange\)\]/, 'BADEVENT lists the events offered');
  t.equal((await w.command('NOTIFY SET (personal (MessageNew (UID) MessageExpunge))')).status, 'BAD', 'fetch attributes only for the selected mailbox');
  t.equal((await w.command('NOTIFY SET (selected (MessageNew))')).status, 'BAD', 'MessageNew without MessageExpunge for the selected mailbox');
  t.equal((await w.command('NOTIFY SET (selected (Bogus))')).status, 'BAD', 'an unknown event');
  t.equal((await w.command('NOTIFY SET (everything (MessageNew))')).status, 'BAD', 'an unknown filter');
  t.equal((await w.command('NOTIFY SET (selected-delayed (MessageNew MessageExpunge FlagChange))')).status, 'OK');
  // SELECTED-DELAYED: the new message comes unasked, its expunge waits for a command
  await app.store.deliver([{ accountId: alice.id }], Buffer.from('From: a@family.example\r\nSubject: delayed\r\n\r\nx\r\n'));
  const exists = await w.line();
  t.match(exists, /^\* [0-9]+ EXISTS$/, 'EXISTS unasked');
  const n = Number(exists.split(' ')[1]);
  await o.command('NOOP');
  await o.command(`STORE ${n} +FLAGS.SILENT (\\Deleted)`);
  await o.command('EXPUNGE');
  // had the EXPUNGE been sent unasked, it would be before FETCH's answer (the server sends
  // notifications as soon as the change is committed, before it reads the next command)
  const f = await w.command(`FETCH ${n} (UID)`);
  t.same(f.lines.filter((l) => l.endsWith('EXPUNGE')), [], 'no EXPUNGE unasked nor during FETCH');
  const noop = await w.command('NOOP');
  t.ok(noop.lines.includes(`* ${n} EXPUNGE`), 'the EXPUNGE came with the next command, not before', { lines: noop.lines });
  t.notOk(noop.lines.some((l) => l.startsWith('* ') && l.endsWith('EXISTS') && l !== exists), 'nothing else');
  // NONE: nothing more unasked; the next command still reports
  t.equal((await w.command('NOTIFY NONE')).status, 'OK');
  await app.store.deliver([{ accountId: alice.id }], Buffer.from('From: a@family.example\r\nSubject: after none\r\n\r\nx\r\n'));
  const after = await w.command('NOOP');
  t.equal(after.lines.filter((l) => l.endsWith('EXISTS')).length, 1, 'after NOTIFY NONE the EXISTS comes with NOOP');
});
