// Issue #14, finding 1: the MIME part bomb and the header bomb, sent through the MX of a real
// appliance (`postern start`) that has the heap V8 gives a process on a 1 GB Pi (256 MB). Before
// the parser's limits, 5 MB of "--b" lines killed that process before any reply (out of memory).
// Now: the message is stored with 250, the process stays up and serves the next clients, the
// stored structure and BODYSTRUCTURE are bounded, the peak RSS stays bounded, fsck is clean.
import t from 'tap';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './harness/appliance.js';
import { freePorts } from './harness/ports.js';
import { postern, startPostern } from './harness/cli.js';
import { RawSmtp } from './smtp-fixture.js';
import { RawImapClient } from './harness/imap-raw.js';
import { MIME_LIMITS } from '../appliance/mail/mime.js';
const peakRssMb = (pid) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const MB = 1024 * 1024;
const head = (subject, extra = '') => `From: x@example.org\r\nTo: alice@example.test\r\nSubject: ${subject}\r\nMIME-Version: 1.0\r\n${extra}`;
/** 5 MB of delimiter lines: a million empty parts. */
const partBomb = Buffer.from(head('part bomb', 'Content-Type: multipart/mixed; boundary="b"\r\n') + '\r\n' + '--b\r\n'.repeat(MB), 'latin1');
/** 5 MB of header: 640,000 fields, each with a Content-Type of many parameters. */
const headerBomb = Buffer.from(head('header bomb') + 'Content-Type: text/plain; a=b'.padEnd(900, ';a=b') + '\r\n' + 'X-A: b\r\n'.repeat(640_000) + '\r\nbody\r\n', 'latin1');
async function send(port, raw) {
    const c = await RawSmtp.open(port);
    await c.reply();
    await c.cmd('EHLO attacker.example.org');
    await c.cmd('MAIL FROM:<x@example.org>');
    await c.cmd('RCPT TO:<alice@example.test>');
    await c.cmd('DATA');
    c.write(Buffer.concat([raw, Buffer.from('.\r\n')]));
    const reply = await c.reply(300_000);
    c.close();
    return reply;
}
t.test('part bomb and header bomb through the MX of a 256 MB-heap appliance', async (t) => {
    const dir = tempDir();
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const [mx, imaps] = await freePorts(2);
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({
        hostname: 'mail.example.test', domains: ['example.test'], dataDir: join(dir, 'data'), tor: { mode: 'off' },
        listen: { mx: `127.0.0.1:${mx}`, imaps: `127.0.0.1:${imaps}` }, delivery: { dnsServers: ['127.0.0.1:9'] },
    }));
    const add = await postern(['user', 'add', 'alice@example.test', '--config', file], { input: 'correct horse battery\n' });
    t.equal(add.code, 0, add.stderr);
    const { child, exited } = await startPostern(['--config', file], { env: { NODE_OPTIONS: '--max-old-space-size=256' } });
    let alive = true;
    void exited.then(() => { alive = false; });
    t.teardown(() => { if (alive)
        child.kill('SIGKILL'); });
    t.match(await send(mx, partBomb), /^250 2\.6\.0 /, 'the part bomb is stored with 250');
    t.ok(alive, 'the process is still up');
    t.match(await send(mx, headerBomb), /^552 5\.3\.4 Message refused: its header has more than 1000 fields/, 'the header bomb is refused at the MX');
    t.match(await send(mx, Buffer.from(head('honest') + '\r\nhello\r\n')), /^250 2\.6\.0 /, 'the next client is served');
    const imap = await RawImapClient.open(imaps, { tls: true });
    t.equal((await imap.command('LOGIN alice@example.test "correct horse battery"')).status, 'OK');
    // APPEND takes it (a user's own mail): the parser's limits bound it there.
    const append = await imap.command(Buffer.concat([Buffer.from(`APPEND INBOX {${headerBomb.length}+}\r\n`), headerBomb]));
    t.equal(append.status, 'OK', 'the header bomb is stored by APPEND');
    t.match((await imap.command('SELECT INBOX')).bytes.toString(), /\* 3 EXISTS/);
    const bs = await imap.command('FETCH 1 BODYSTRUCTURE');
    t.equal(bs.status, 'OK');
    const parts = bs.bytes.toString('latin1').split('("text" "plain"').length - 1;
    t.ok(parts > 1000 && parts < MIME_LIMITS.maxParts, `BODYSTRUCTURE lists ${parts} parts, fewer than the limit`);
    t.ok(bs.bytes.length < 1 * MB, `BODYSTRUCTURE is ${bs.bytes.length} bytes (was 77.6 MB)`);
    // Its lines are no header fields and no empty line ends them: all of it is the part's MIME header.
    const last = await imap.command(`FETCH 1 BODY.PEEK[${MIME_LIMITS.maxParts - 1}.MIME]`);
    t.equal(last.status, 'OK');
    t.ok(last.bytes.length > 4 * MB, 'the last part holds the rest of the message, opaque');
    const hb = await imap.command('FETCH 3 (BODYSTRUCTURE ENVELOPE BODY.PEEK[HEADER.FIELDS (SUBJECT)])');
    t.equal(hb.status, 'OK');
    t.ok(hb.bytes.length < 64 * 1024, `the header bomb's BODYSTRUCTURE and ENVELOPE are ${hb.bytes.length} bytes`);
    t.match(hb.bytes.toString(), /Subject: header bomb/);
    const whole = await imap.command('FETCH 3 BODY.PEEK[HEADER]');
    t.ok(whole.bytes.length > headerBomb.length - 100, 'its whole header is still there, as sent');
    t.equal((await imap.command('LOGOUT')).status, 'OK');
    const peak = peakRssMb(child.pid);
    t.ok(peak < 300, `peak RSS ${Math.round(peak)} MB (the part bomb alone ran out of a 256 MB heap before)`);
    t.ok(alive, 'the process is still up');
    child.kill('SIGTERM');
    t.equal(await exited, 0, 'it stops cleanly');
    const fsck = await postern(['fsck', '--config', file]);
    t.equal(fsck.code, 0, fsck.stderr);
    t.match(fsck.stdout, 'no errors');
});
//# sourceMappingURL=hostile-mime-bomb.test.js.map