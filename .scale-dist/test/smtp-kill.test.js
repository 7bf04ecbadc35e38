// Crash safety of the MX: the real appliance (`postern start`) is killed with SIGKILL while a
// message streams in, and right after the final dot. A client that saw no 250 must not find a
// partial message in the store; a client that saw 250 must find the whole message; fsck is clean.
import t from 'tap';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './harness/appliance.js';
import { freePorts } from './harness/ports.js';
import { postern, startPostern } from './harness/cli.js';
import { Store } from '../appliance/store/index.js';
import { RawSmtp, mailbox } from './smtp-fixture.js';
const dir = tempDir('postern-smtp-kill-');
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const configPath = join(dir, 'config.json');
const dataDir = join(dir, 'data');
let port = 0;
t.before(async () => {
    [port] = await freePorts(1);
    writeFileSync(configPath, JSON.stringify({
        hostname: 'mail.example.test', domains: ['example.test'], dataDir, listen: { mx: `127.0.0.1:${port}` }, tor: { mode: 'off' },
        // no real DNS in tests: SPF/DKIM/DMARC lookups go to a closed loopback port and fail fast
        delivery: { dnsServers: ['127.0.0.1:9'] },
    }));
    const r = await postern(['user', 'add', 'alice@example.test', '--config', configPath], { input: 'a long enough password\n' });
    if (r.code !== 0)
        throw new Error(`user add failed: ${r.stderr}`);
});
function body(n, lines) {
    const line = `message ${n} `.padEnd(76, 'x') + '\r\n';
    return `From: carol@example.org\r\nTo: alice@example.test\r\nSubject: kill test ${n}\r\nMessage-ID: <kill-${n}@example.org>\r\n\r\n${line.repeat(lines)}END-OF-MESSAGE-${n}\r\n`;
}
async function dialogue(n) {
    const c = await RawSmtp.open(port);
    await c.reply();
    await c.cmd('EHLO client.example.org');
    if (!(await c.cmd('MAIL FROM:<carol@example.org>')).startsWith('250'))
        throw new Error('MAIL refused');
    if (!(await c.cmd('RCPT TO:<alice@example.test>')).startsWith('250'))
        throw new Error('RCPT refused');
    if (!(await c.cmd('DATA')).startsWith('354'))
        throw new Error(`DATA refused (message ${n})`);
    return c;
}
const acknowledged = [];
const attempted = [];
t.test('SIGKILL while the body streams: no 250, nothing stored', async (t) => {
    const { child, exited } = await startPostern(['--config', configPath]);
    const c = await dialogue(1);
    attempted.push(1);
    const text = body(1, 40_000); // ~3 MB
    c.write(text.slice(0, 1_500_000));
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGKILL');
    await exited;
    const reply = await c.reply(5000).catch(() => '(no reply)');
    t.notMatch(reply, /^250/, `no 250 (got ${JSON.stringify(reply)})`);
    c.close();
});
t.test('SIGKILL right after the final dot: a 250 means stored, no 250 means not partial', async (t) => {
    // The last round waits for the reply first: a 250 followed at once by SIGKILL must survive.
    const rounds = [0, 'after-reply'];
    for (const [i, wait] of rounds.entries()) {
        const n = 10 + i;
        const { child, exited } = await startPostern(['--config', configPath]);
        const c = await dialogue(n);
        attempted.push(n);
        c.write(body(n, 2000 + i * 3000) + '.\r\n');
        let reply = '';
        if (wait === 'after-reply')
            reply = await c.reply(10_000);
        else
            await new Promise((r) => setTimeout(r, wait));
        child.kill('SIGKILL');
        await exited;
        if (!reply)
            reply = await c.reply(5000).catch(() => '(no reply)');
        if (/^250/.test(reply))
            acknowledged.push(n);
        if (wait === 'after-reply')
            t.match(reply, /^250 /, 'the control round got its 250');
        t.pass(`message ${n}: ${reply.slice(0, 40)}`);
        c.close();
    }
});
t.test('after the kills: fsck is clean, every 250 is stored whole, nothing partial', async (t) => {
    const r = await postern(['fsck', '--config', configPath]);
    t.equal(r.code, 0, `fsck exit 0: ${r.stdout}${r.stderr}`);
    const store = Store.open(dataDir);
    t.teardown(() => store.close());
    const alice = store.accounts.byAddress('alice@example.test');
    const msgs = mailbox(store, alice.id);
    const stored = msgs.map((m) => Number(/Subject: kill test (\d+)/.exec(m)?.[1]));
    for (const m of msgs) {
        const n = Number(/Subject: kill test (\d+)/.exec(m)?.[1]);
        t.ok(attempted.includes(n), `stored message ${n} was sent`);
        t.ok(m.endsWith(`END-OF-MESSAGE-${n}\r\n`), `message ${n} is whole`);
    }
    for (const n of acknowledged)
        t.ok(stored.includes(n), `acknowledged message ${n} is stored`);
    t.notOk(stored.includes(1), 'the message killed mid-body is not stored');
    t.equal(new Set(stored).size, stored.length, 'no duplicates');
    t.ok(store.check().ok);
});
//# sourceMappingURL=smtp-kill.test.js.map