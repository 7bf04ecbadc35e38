// kill -9 of the appliance at random moments while 1,000 queued messages go to a slow peer: after
// a restart every message reaches the peer at least once (counted there by Message-ID) and the
// queue ends empty. The appliance runs as a child process (`node bin/postern.js start`).
import t from 'tap';
import { spawn } from 'node:child_process';
import { writeFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Store } from '../appliance/store/index.js';
import { startSmtpPeer } from './harness/smtp-peer.js';
import { startDnsServer } from './harness/dns-server.js';
import { tempDir } from './harness/appliance.js';
const ROOT = resolve(import.meta.dirname, '..', '..');
const TOTAL = 1000;
const KILLS = 4;
function startAppliance(configFile) {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'postern.js'), 'start', '--config', configFile], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const running = new Promise((res, rej) => {
        child.stdout.on('data', (c) => { out += c.toString(); if (out.includes('postern: running'))
            res(); });
        child.once('exit', (code) => rej(new Error(`the appliance exited (${code}) before running: ${out.slice(-500)}`)));
    });
    child.stderr.resume();
    const exited = new Promise((res) => child.once('exit', (code) => res(code)));
    running.catch(() => undefined);
    return { child, running, exited };
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
t.test('kill -9 during delivery loses nothing', { timeout: 240_000 }, async (t) => {
    const dir = tempDir('postern-delivery-crash-');
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const peer = await startSmtpPeer({ behaviour: { delayMs: 8 } });
    t.teardown(() => peer.close());
    const dns = await startDnsServer({ 'peer.test': { MX: [{ preference: 10, exchange: 'mx.peer.test' }] }, 'mx.peer.test': { A: ['127.0.0.1'] } });
    t.teardown(() => dns.close());
    const dataDir = join(dir, 'data');
    const configFile = join(dir, 'postern.json');
    writeFileSync(configFile, JSON.stringify({
        hostname: 'mail.example.test', domains: ['example.test'], dataDir, listen: {}, tor: { mode: 'off' },
        delivery: { dnsServers: [dns.address], mxPort: peer.port },
    }));
    const store = Store.open(dataDir);
    store.domains.ensure('example.test');
    const alice = await store.accounts.create('alice@example.test', 'correct horse battery');
    store.transaction(() => {
        for (let i = 0; i < TOTAL; i++) {
            const raw = Buffer.from(`From: alice@example.test\r\nTo: user${i}@peer.test\r\nSubject: crash ${i}\r\nMessage-ID: <crash-${i}@example.test>\r\n\r\nmessage ${i}\r\n`);
            store.enqueue(raw, 'alice@example.test', [`user${i}@peer.test`], { accountId: alice.id });
        }
    });
    t.equal(store.queue.count(), TOTAL);
    store.close();
    let children = [];
    t.teardown(() => { for (const c of children)
        if (c.exitCode === null && c.signalCode === null)
            c.kill('SIGKILL'); });
    const seenAtKill = [];
    for (let k = 0; k < KILLS; k++) {
        const app = startAppliance(configFile);
        children.push(app.child);
        await app.running;
        // Kill at a random point of the delivery itself (not of the clock, which a fast machine
        // outruns): once the peer has seen a random 20-150 more messages than before this start.
        const target = peer.uniqueMessageIds().size + 20 + Math.floor(Math.random() * 130);
        const waitUntil = Date.now() + 60_000;
        while (peer.uniqueMessageIds().size < target && Date.now() < waitUntil)
            await sleep(2);
        app.child.kill('SIGKILL');
        await app.exited;
        seenAtKill.push(peer.uniqueMessageIds().size);
    }
    t.comment(`delivered before each kill: ${seenAtKill.join(', ')}`);
    t.ok(seenAtKill[0] > 0, 'delivery was under way when the first kill came');
    t.ok(seenAtKill[KILLS - 1] < TOTAL, 'the kills interrupted delivery (not all delivered before the last kill)');
    const app = startAppliance(configFile);
    children.push(app.child);
    await app.running;
    const deadline = Date.now() + 150_000;
    const started = Date.now();
    const watcher = Store.open(dataDir); // WAL: the test reads while the appliance writes
    while (watcher.queue.count() > 0 && Date.now() < deadline)
        await sleep(200);
    watcher.close();
    t.comment(`last run finished in ${Date.now() - started} ms`);
    app.child.kill('SIGTERM');
    t.equal(await app.exited, 0, 'a clean stop after the run');
    children = [];
    const ids = peer.uniqueMessageIds();
    const missing = [...Array(TOTAL).keys()].filter((i) => !ids.has(`<crash-${i}@example.test>`));
    t.same(missing, [], 'every message reached the peer');
    t.equal(ids.size, TOTAL);
    t.ok(peer.received.length >= TOTAL, 'at least once');
    t.comment(`kills after ${seenAtKill.join(', ')} messages; ${peer.received.length - TOTAL} duplicates (at-least-once after kill -9)`);
    const after = Store.open(dataDir);
    t.equal(after.queue.count(), 0, 'the queue is empty');
    const inbox = after.mailboxes.get(alice.id, 'INBOX');
    t.equal(after.messages.list(inbox.id).length, 0, 'no bounce or delay notice for delivered mail');
    after.close();
});
//# sourceMappingURL=delivery-crash.test.js.map