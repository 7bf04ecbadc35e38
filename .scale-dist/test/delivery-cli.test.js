// `postern queue list | retry | delete` as an operator runs them (bin/postern.js in a child
// process), with their exit codes, and a running appliance picking up a retry from the CLI.
import t from 'tap';
import { spawn, execFile } from 'node:child_process';
import { writeFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Store } from '../appliance/store/index.js';
import { startSmtpPeer } from './harness/smtp-peer.js';
import { startDnsServer } from './harness/dns-server.js';
import { tempDir } from './harness/appliance.js';
const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'postern.js');
function postern(args) {
    return new Promise((res) => {
        execFile(process.execPath, [BIN, ...args], { cwd: ROOT }, (e, out, err) => {
            res({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out, err });
        });
    });
}
t.test('queue list, retry and delete with exit codes; the running appliance takes the retry', { timeout: 400_000 }, async (t) => {
    const dir = tempDir('postern-delivery-cli-');
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const peer = await startSmtpPeer();
    t.teardown(() => peer.close());
    const dns = await startDnsServer({ 'peer.test': { A: ['127.0.0.1'] } });
    t.teardown(() => dns.close());
    const dataDir = join(dir, 'data');
    const cfg = join(dir, 'postern.json');
    writeFileSync(cfg, JSON.stringify({ hostname: 'mail.example.test', domains: ['example.test'], dataDir, listen: {}, tor: { mode: 'off' }, delivery: { dnsServers: [dns.address], mxPort: peer.port } }));
    let r = await postern(['queue', 'list', '--config', cfg]);
    t.equal(r.code, 0);
    t.match(r.out, /the outbound queue is empty/);
    const store = Store.open(dataDir);
    store.domains.ensure('example.test');
    const raw = (n) => Buffer.from(`From: alice@example.test\r\nTo: bob@peer.test\r\nSubject: cli ${n}\r\nMessage-ID: <cli-${n}@example.test>\r\n\r\nhi\r\n`);
    const [a] = store.enqueue(raw(1), 'alice@example.test', ['bob@peer.test']);
    const [b] = store.enqueue(raw(2), 'alice@example.test', ['carol@peer.test']);
    // as if both had been tried and deferred an hour ago, next try in an hour (listed within a second
    // or a minute of that: the CLI starts fast, so "1h0m" when the remaining 3599.x s round up)
    // b's answer is long and spans lines, as real servers' are: the list shows all of it on one line
    const long = '450-4.2.0 The mailbox of this recipient is temporarily unavailable because its storage is being moved\r\n450 4.2.0 to a new server; please try again in a few hours (see https://help.peer.test/4.2.0 for details)';
    for (const id of [a, b])
        store.queue.recordAttempt(id, [], id === a ? '451 4.7.1 try again later' : long, Date.now() + 3600_000, 'mx');
    store.close();
    r = await postern(['queue', 'list', '--config', cfg]);
    t.equal(r.code, 0);
    const lines = r.out.trim().split('\n');
    t.match(lines[0], /^ID\tAGE\tATTEMPTS\tNEXT\tPENDING\tDOMAIN\tSENDER\tROUTE\tLAST ANSWER$/);
    t.equal(lines.length, 3);
    t.match(lines[1], new RegExp(`^${a}\\t\\d+s\\t1\\tin (59m|1h0m)\\t1/1\\tpeer\\.test\\talice@example\\.test\\tmx\\t451 4\\.7\\.1 try again later$`));
    t.ok(lines[2].endsWith(`\tmx\t${long.replace(/\s+/g, ' ')}`), 'the whole last answer, not its first 120 characters');
    const [retry999, delete999, retryAbc] = await Promise.all([
        postern(['queue', 'retry', '999', '--config', cfg]),
        postern(['queue', 'delete', '999', '--config', cfg]),
        postern(['queue', 'retry', 'abc', '--config', cfg]),
    ]);
    t.equal(retry999.code, 1);
    t.match(retry999.err, /there is no queue entry 999/);
    t.equal(delete999.code, 1);
    t.match(delete999.err, /there is no queue entry 999/);
    t.equal(retryAbc.code, 2);
    t.match(retryAbc.err, /"abc" is not a queue entry id/);
    r = await postern(['queue', 'delete', String(b), '--config', cfg]);
    t.equal(r.code, 0);
    t.match(r.out, new RegExp(`entry ${b} deleted`));
    // the appliance runs; entry a is not due for an hour, until the operator says retry
    const child = spawn(process.execPath, [BIN, 'start', '--config', cfg], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((res) => child.once('exit', (c) => res(c)));
    t.teardown(() => { if (child.exitCode === null)
        child.kill('SIGKILL'); });
    await new Promise((res, rej) => {
        let out = '';
        child.stdout.on('data', (c) => { out += c.toString(); if (out.includes('postern: running'))
            res(); });
        child.once('exit', (code) => rej(new Error(`the appliance exited (${code}) before it ran: ${out.slice(-400)}`)));
    });
    await new Promise((res) => setTimeout(res, 1500));
    t.equal(peer.received.length, 0, 'not due yet: nothing sent');
    r = await postern(['queue', 'retry', String(a), '--config', cfg]);
    t.equal(r.code, 0);
    t.match(r.out, new RegExp(`entry ${a} will be tried again now`));
    const deadline = Date.now() + 120_000;
    while (peer.received.length === 0 && Date.now() < deadline)
        await new Promise((res) => setTimeout(res, 200));
    t.same(peer.received.map((m) => m.messageId), ['<cli-1@example.test>'], 'picked up by the running appliance');
    child.kill('SIGTERM');
    t.equal(await exited, 0);
    r = await postern(['queue', 'list', '--config', cfg]);
    t.match(r.out, /the outbound queue is empty/);
    r = await postern(['queue', 'retry', '--all', '--config', cfg]);
    t.equal(r.code, 0);
    t.match(r.out, /^0 entries will be tried again now/);
});
//# sourceMappingURL=delivery-cli.test.js.map