// The MIME part bomb (issue #14, finding 1) against a real appliance with the heap a 1 GB Pi
// gives V8 (--max-old-space-size=256): a message of MB megabytes of "--b" lines, one part per
// line, sent through the MX. Reports the time to the SMTP reply, the size of the stored MIME
// structure row, one FETCH BODYSTRUCTURE (time and bytes), and the process's peak RSS (VmHWM).
//   node dist/bench/mime-bomb.js [MB=5]
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startTestAppliance } from '../test/harness/appliance.js';
import { RawSmtp } from '../test/smtp-fixture.js';
import { RawImapClient } from '../test/harness/imap-raw.js';
if (!process.execArgv.some((a) => a.startsWith('--max-old-space-size'))) {
    const r = spawnSync(process.execPath, ['--max-old-space-size=256', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
    process.exit(r.status ?? 1);
}
const mb = Number(process.argv[2] ?? 5);
const peakRss = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
function bomb(bytes) {
    const head = 'From: x@example.org\r\nTo: alice@example.test\r\nSubject: part bomb\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n';
    const line = '--b\r\n';
    return Buffer.from(head + line.repeat(Math.ceil(bytes / line.length)), 'latin1');
}
const app = await startTestAppliance({ listeners: ['mx', 'imaps'], config: { delivery: { dnsServers: ['127.0.0.1:9'] } } });
const alice = await app.store.accounts.create('alice@example.test', 'correct horse battery');
const before = peakRss();
const msg = bomb(mb * 1024 * 1024);
const c = await RawSmtp.open(app.port('mx'));
await c.reply();
await c.cmd('EHLO client.example.org');
await c.cmd('MAIL FROM:<x@example.org>');
await c.cmd('RCPT TO:<alice@example.test>');
await c.cmd('DATA');
const t0 = performance.now();
c.write(Buffer.concat([msg, Buffer.from('.\r\n')]));
const reply = await c.reply(600_000);
const smtpMs = performance.now() - t0;
c.close();
const inbox = app.store.mailboxes.list(alice.id).find((b) => b.name === 'INBOX');
const stored = app.store.messages.list(inbox.id);
let structureBytes = 0;
if (stored.length)
    structureBytes = JSON.stringify(app.store.messages.blob(stored[stored.length - 1].blobId).mime).length;
const imap = await RawImapClient.open(app.port('imaps'), { tls: true });
let fetchMs = 0;
let fetchBytes = 0;
await imap.command('LOGIN alice@example.test "correct horse battery"');
const sel = await imap.command('SELECT INBOX');
if (sel.status === 'OK' && stored.length) {
    const t1 = performance.now();
    const r = await imap.command('FETCH 1 BODYSTRUCTURE');
    fetchMs = performance.now() - t1;
    fetchBytes = r.bytes.length;
}
const other = await RawImapClient.open(app.port('imaps'), { tls: true });
const noop = await other.command('NOOP');
console.log(JSON.stringify({
    messageMB: mb, smtpReply: reply.split('\r\n')[0], smtpMs: Math.round(smtpMs), structureBytes, structureRatio: +(structureBytes / msg.length).toFixed(2),
    bodystructureMs: Math.round(fetchMs), bodystructureBytes: fetchBytes, anotherClient: noop.status, peakRssMB: Math.round(peakRss()), rssBeforeMB: Math.round(before),
}));
await app.stop();
process.exit(0);
//# sourceMappingURL=mime-bomb.js.map