// Issue #14, finding 2, against a real appliance: clients that upload commands and never read
// are closed at the pre-login deadline even though their output never drains; what they make the
// server hold is bounded per connection and for the whole process; many connections from loopback
// (where every onion client arrives) do not lock out the others; literals past the process's
// input budget are refused with NO [LIMIT] and the session goes on.
import t from 'tap';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { startTestAppliance } from './harness/appliance.js';
import { RawImapClient } from './harness/imap-raw.js';
import { imapInput, imapLimits } from '../services/imap/limits.js';
import { clientKey } from '../services/imap/index.js';
const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
let app;
const saved = { ...imapLimits };
t.before(async () => {
    app = await startTestAppliance({ listeners: ['imap', 'imaps'] });
    await app.store.accounts.create('alice@example.test', 'correct horse');
});
t.teardown(async () => { Object.assign(imapLimits, saved); await app.stop(); });
async function honest() {
    const c = await RawImapClient.open(app.port('imaps'), { tls: true });
    const login = await c.command('LOGIN alice@example.test "correct horse"');
    if (login.status !== 'OK')
        throw new Error(login.text);
    return c;
}
/** A client that sends pipelined commands and never reads; resolves when the server closed it. */
function neverReads(port, commands) {
    const socket = connect(port, '127.0.0.1');
    socket.pause();
    const closed = new Promise((resolve) => { socket.once('close', () => resolve()); socket.on('error', () => undefined); });
    socket.once('connect', () => {
        socket.write(Buffer.from('a CAPABILITY\r\n'.repeat(commands)));
        // It goes on uploading a little (part of a line: no command that would count as activity);
        // a write to a closed connection fails, so the close is seen.
        const tick = setInterval(() => { if (socket.destroyed)
            clearInterval(tick);
        else
            socket.write('x'); }, 200);
        tick.unref();
    });
    return { closed, socket };
}
t.test('30 clients that upload and never read: closed at the deadline, memory bounded, others served', async (t) => {
    const c = await honest();
    const heldBefore = imapInput.inUse;
    // 10 s: on a loaded 2-core machine the attackers' own commands keep the server busy for seconds.
    imapLimits.preAuthTimeoutMs = 10_000;
    imapLimits.closeGraceMs = 500;
    t.teardown(() => { imapLimits.preAuthTimeoutMs = saved.preAuthTimeoutMs; imapLimits.closeGraceMs = saved.closeGraceMs; });
    const rssBefore = rssMb();
    // 10,000 CAPABILITY answers (~2.5 MB) each: more than a client's unread receive buffer and the
    // server's send buffer take while nobody reads.
    const attackers = Array.from({ length: 30 }, () => neverReads(app.port('imap'), 10_000));
    t.teardown(() => { for (const a of attackers)
        a.socket.destroy(); });
    let peakHeld = 0;
    let peakRss = 0;
    const sampler = setInterval(() => { peakHeld = Math.max(peakHeld, imapInput.inUse - heldBefore); peakRss = Math.max(peakRss, rssMb()); }, 50);
    t.teardown(() => clearInterval(sampler));
    await new Promise((r) => setTimeout(r, 500));
    t.equal((await c.command('SELECT INBOX')).status, 'OK', 'a logged-in client is served during the attack');
    const fresh = await RawImapClient.open(app.port('imaps'), { tls: true });
    t.match(fresh.greeting, /^\* OK/, 'a new client is greeted during the attack');
    t.equal((await fresh.command('CAPABILITY')).status, 'OK', 'and served');
    await fresh.command('LOGOUT');
    // The deadline is 10 s after the last command ran, the socket destroyed 0.5 s after the BYE;
    // a client still connected after 90 s was kept alive by its own unread output (the old bug).
    const outcome = await Promise.race([
        Promise.all(attackers.map((a) => a.closed)).then(() => 'closed'),
        new Promise((r) => setTimeout(() => r('still open'), 90_000)),
    ]);
    clearInterval(sampler);
    t.equal(outcome, 'closed', 'every never-reading client was closed by the server');
    for (const a of attackers)
        a.socket.destroy();
    const perConnection = imapLimits.preAuthMaxQueuedBytes + imapLimits.preAuthMaxCommand;
    t.ok(peakHeld <= 30 * perConnection, `input held at the peak: ${peakHeld} bytes (at most ${perConnection} per connection)`);
    t.ok(peakRss - rssBefore < 150, `RSS grew by ${Math.round(peakRss - rssBefore)} MB at most`);
    t.equal((await c.command('NOOP')).status, 'OK', 'the logged-in client is still served');
    await c.command('LOGOUT');
    await new Promise((r) => setTimeout(r, 300));
    t.equal(imapInput.inUse, 0, 'every byte went back to the budget');
});
t.test('one pipelining client cannot queue more than its budget before login', async (t) => {
    for (let i = 0; i < 100 && imapInput.inUse > 0; i++)
        await new Promise((r) => setTimeout(r, 100));
    const heldBefore = imapInput.inUse;
    const socket = connect(app.port('imap'), '127.0.0.1');
    socket.pause();
    socket.on('error', () => undefined);
    await new Promise((r) => socket.once('connect', r));
    // 16 MB of valid commands at once (LOGIN with an 8 KB password: NO on the plain port before
    // STARTTLS); the old limit was 64 queued commands of 256 KB.
    const line = `a LOGIN alice "${'x'.repeat(8000)}"\r\n`;
    socket.write(Buffer.from(line.repeat(2000)));
    let peak = 0;
    for (let i = 0; i < 40; i++) {
        await new Promise((r) => setTimeout(r, 50));
        peak = Math.max(peak, imapInput.inUse - heldBefore);
    }
    t.ok(peak <= imapLimits.preAuthMaxQueuedBytes + imapLimits.preAuthMaxCommand, `held ${peak} bytes`);
    socket.destroy();
    const fresh = await RawImapClient.open(app.port('imaps'), { tls: true });
    t.equal((await fresh.command('NOOP')).status, 'OK');
    await fresh.command('LOGOUT');
});
t.test('many connections from loopback do not lock out other onion clients; a supplied identity is capped', async (t) => {
    const many = [];
    for (let i = 0; i < imapLimits.maxConnectionsPerAddress + 10; i++)
        many.push(await RawImapClient.open(app.port('imaps'), { tls: true }));
    t.ok(many.every((c) => c.greeting.startsWith('* OK')), `${many.length} connections from 127.0.0.1 all greeted`);
    const c = await honest();
    t.equal((await c.command('NOOP')).status, 'OK', 'and one more is served');
    await c.command('LOGOUT');
    for (const m of many)
        await m.command('LOGOUT').catch(() => undefined);
    t.equal(clientKey('127.0.0.1'), undefined, 'loopback without an identity is shared');
    t.equal(clientKey('::1'), undefined);
    t.equal(clientKey('127.0.0.1', 'circuit-42'), 'circuit-42', 'a listener-supplied identity (a Tor circuit) is the key');
    t.equal(clientKey('192.0.2.7'), '192.0.2.7', 'a LAN address is its own key');
});
t.test('literals past the process-wide input budget: NO [LIMIT], the session goes on', async (t) => {
    const limit = imapInput.limit;
    t.teardown(() => { imapInput.limit = limit; });
    imapInput.limit = 1024 * 1024;
    const c = await honest();
    const msg = Buffer.from('Subject: big\r\n\r\n' + 'y'.repeat(2 * 1024 * 1024) + '\r\n');
    const plus = await c.command(Buffer.concat([Buffer.from(`APPEND INBOX {${msg.length}+}\r\n`), msg]));
    t.equal(plus.status, 'NO');
    t.match(plus.text, /^\[LIMIT\] the server is receiving too much data at once/);
    const sync = await c.command(`APPEND INBOX {${msg.length}}`);
    t.equal(sync.status, 'NO', 'a synchronizing literal is refused before the client sends it');
    t.match(sync.text, /\[LIMIT\]/);
    imapInput.limit = limit;
    const ok = await c.command(Buffer.concat([Buffer.from(`APPEND INBOX {${msg.length}+}\r\n`), msg]));
    t.equal(ok.status, 'OK', 'within the budget the same APPEND is stored');
    t.match((await c.command('SELECT INBOX')).bytes.toString(), /\* 1 EXISTS/, 'only that one');
    await c.command('LOGOUT');
    await new Promise((r) => setTimeout(r, 100));
    t.equal(imapInput.inUse, 0);
    t.equal(app.store.check().problems.length, 0, 'fsck clean');
});
//# sourceMappingURL=imap-hostile-clients.test.js.map