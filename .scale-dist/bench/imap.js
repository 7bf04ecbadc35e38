// IMAP side by side: Postern against Debian's Dovecot (throwaway config), same messages, same
// client, same fixed operation mix, both over implicit TLS on loopback, one after the other in the
// same run. Each of C clients logs in and runs R rounds of: SELECT; 4x FETCH of 50 messages'
// headers (UID FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (...)]); 2x FETCH of 3 full bodies;
// UID SEARCH SUBJECT (header text); UID SEARCH BODY (body text); 2x STORE (+FLAGS, -FLAGS); IDLE
// (enter, then DONE). Reports operations per second, p50/p99 latency per operation and overall,
// and the peak memory of the server's processes (RSS and PSS sums, sampled every 100 ms).
// Usage: node dist/bench/imap.js [messages=10000] [clients=10] [rounds=10]
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';
import { startDovecot } from '../test/harness/dovecot.js';
import { RawImapClient } from '../test/harness/imap-raw.js';
import { benchMessage } from './imap-corpus.js';
const count = Number(process.argv[2] ?? 10_000);
const clients = Number(process.argv[3] ?? 10);
const rounds = Number(process.argv[4] ?? 10);
function rng(seed) {
    let a = seed >>> 0;
    return () => { a = (a * 1664525 + 1013904223) >>> 0; return a / 4294967296; };
}
/** Processes of a tree (the pid and all its descendants). */
function tree(root) {
    const parent = new Map();
    for (const e of readdirSync('/proc')) {
        if (!/^[0-9]+$/.test(e))
            continue;
        try {
            const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
            const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
            const list = parent.get(ppid) ?? [];
            list.push(Number(e));
            parent.set(ppid, list);
        }
        catch { /* gone */ }
    }
    const out = [];
    const walk = (p) => { out.push(p); for (const c of parent.get(p) ?? [])
        walk(c); };
    walk(root);
    return out;
}
function memoryKb(pids) {
    let rss = 0, pss = 0;
    for (const p of pids) {
        try {
            const s = readFileSync(`/proc/${p}/smaps_rollup`, 'utf8');
            rss += Number(/^Rss:\s+(\d+)/m.exec(s)?.[1] ?? 0);
            pss += Number(/^Pss:\s+(\d+)/m.exec(s)?.[1] ?? 0);
        }
        catch { /* gone */ }
    }
    return { rss, pss };
}
function sampler(root) {
    let peak = { rss: 0, pss: 0 };
    let procs = 0;
    const tick = () => {
        const pids = tree(root);
        procs = Math.max(procs, pids.length);
        const m = memoryKb(pids);
        if (m.rss > peak.rss)
            peak = { ...peak, rss: m.rss };
        if (m.pss > peak.pss)
            peak = { ...peak, pss: m.pss };
    };
    tick();
    const timer = setInterval(tick, 100);
    return { stop() { clearInterval(timer); tick(); return { rssMb: Math.round(peak.rss / 1024), pssMb: Math.round(peak.pss / 1024), processes: procs }; } };
}
async function expectOk(c, cmd) {
    const r = await c.command(cmd);
    if (r.status !== 'OK')
        throw new Error(`${cmd} -> ${r.status} ${r.text}`);
}
async function runClient(port, user, password, id, latencies, results) {
    const c = await RawImapClient.open(port, { tls: true });
    await expectOk(c, `LOGIN ${user} ${password}`);
    const r = rng(id + 1);
    const time = async (op, f) => {
        const t0 = process.hrtime.bigint();
        await f();
        latencies.get(op).push(Number(process.hrtime.bigint() - t0) / 1e6);
    };
    for (let round = 0; round < rounds; round++) {
        await time('SELECT', () => expectOk(c, 'SELECT INBOX'));
        for (let k = 0; k < 4; k++) {
            const from = 1 + Math.floor(r() * (count - 50));
            await time('FETCH headers', () => expectOk(c, `FETCH ${from}:${from + 49} (UID FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM TO SUBJECT DATE MESSAGE-ID)])`));
        }
        for (let k = 0; k < 2; k++) {
            const a = 1 + Math.floor(r() * count), b = 1 + Math.floor(r() * count), d = 1 + Math.floor(r() * count);
            await time('FETCH bodies', () => expectOk(c, `FETCH ${a},${b},${d} (UID BODY.PEEK[])`));
        }
        const topic = Math.floor(r() * 89);
        await time('SEARCH header', async () => {
            const res = await c.command(`UID SEARCH SUBJECT topic${topic}`);
            if (res.status !== 'OK')
                throw new Error(`SEARCH SUBJECT -> ${res.text}`);
            const m = /\* SEARCH([0-9 ]*)\r\n/.exec(res.bytes.toString('latin1'));
            results.set(`subject topic${topic}`, (m?.[1] ?? '').trim().split(' ').filter(Boolean).length);
        });
        const token = Math.floor(r() * 97);
        await time('SEARCH body', async () => {
            const res = await c.command(`UID SEARCH BODY token${token}`);
            if (res.status !== 'OK')
                throw new Error(`SEARCH BODY -> ${res.text}`);
            const m = /\* SEARCH([0-9 ]*)\r\n/.exec(res.bytes.toString('latin1'));
            results.set(`body token${token}`, (m?.[1] ?? '').trim().split(' ').filter(Boolean).length);
        });
        const target = 1 + Math.floor(r() * count);
        await time('STORE', () => expectOk(c, `STORE ${target} +FLAGS (\\Flagged)`));
        await time('STORE', () => expectOk(c, `STORE ${target} -FLAGS (\\Flagged)`));
        await time('IDLE', async () => { const { tag } = await c.idle(); await c.done(tag); });
    }
    await c.command('LOGOUT').catch(() => undefined);
    c.close();
}
function pct(sorted, p) {
    if (sorted.length === 0)
        return 0;
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
async function load(server, port, user, password, root) {
    // warm-up: the first SELECT builds indexes / caches on both servers
    const w = await RawImapClient.open(port, { tls: true });
    await expectOk(w, `LOGIN ${user} ${password}`);
    await expectOk(w, 'SELECT INBOX');
    await expectOk(w, 'FETCH 1:* (FLAGS)');
    await w.command('LOGOUT').catch(() => undefined);
    w.close();
    const latencies = new Map(['SELECT', 'FETCH headers', 'FETCH bodies', 'SEARCH header', 'SEARCH body', 'STORE', 'IDLE'].map((o) => [o, []]));
    const results = new Map();
    const mem = sampler(root);
    const t0 = process.hrtime.bigint();
    await Promise.all(Array.from({ length: clients }, (_, i) => runClient(port, user, password, i, latencies, results)));
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const memory = mem.stop();
    const all = [...latencies.values()].flat().sort((a, b) => a - b);
    const perOp = {};
    for (const [op, l] of latencies) {
        const s = [...l].sort((a, b) => a - b);
        perOp[op] = { n: s.length, p50: +pct(s, 50).toFixed(1), p99: +pct(s, 99).toFixed(1) };
    }
    return { server, ops: all.length, seconds: +seconds.toFixed(2), opsPerSecond: +(all.length / seconds).toFixed(1), p50: +pct(all, 50).toFixed(1), p99: +pct(all, 99).toFixed(1), perOp, memory, results };
}
async function startPostern() {
    const file = fileURLToPath(new URL('./imap-server.js', import.meta.url));
    const child = spawn(process.execPath, [file, String(count)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise((resolve, reject) => {
        const rl = createInterface({ input: child.stdout });
        rl.once('line', resolve);
        child.once('exit', (code) => reject(new Error(`postern exited (${code})`)));
    });
    return { ...JSON.parse(line), child };
}
const dovecot = await startDovecot({ tls: true, processLimit: clients + 10 });
let dv;
try {
    for (let i = 0; i < count; i++)
        dovecot.addMessage(benchMessage(i), i + 1);
    dv = await load('dovecot', dovecot.port, dovecot.user, dovecot.password, dovecot.pids()[0]);
}
finally {
    await dovecot.stop();
}
const postern = await startPostern();
let ps;
try {
    ps = await load('postern', postern.port, 'bench@example.test', 'bench-password', postern.pid);
}
finally {
    postern.child.kill('SIGTERM');
    await new Promise((r) => postern.child.once('exit', r));
}
// Both servers must have found the same messages for the same searches.
let mismatches = 0;
for (const [k, n] of dv.results)
    if (ps.results.has(k) && ps.results.get(k) !== n) {
        mismatches++;
        console.error(`result mismatch for ${k}: dovecot ${n}, postern ${ps.results.get(k)}`);
    }
const cpu = cpus()[0]?.model ?? 'unknown';
console.log(JSON.stringify({ bench: 'imap', cpu, cores: cpus().length, messages: count, clients, rounds, posternDeliverSeconds: postern.deliverSeconds, searchMismatches: mismatches }));
for (const o of [dv, ps]) {
    const { results, ...rest } = o;
    void results;
    console.log(JSON.stringify(rest));
}
console.log('\n| server | ops | seconds | ops/s | p50 ms | p99 ms | peak RSS (sum) | peak PSS (sum) | processes |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const o of [dv, ps])
    console.log(`| ${o.server} | ${o.ops} | ${o.seconds} | ${o.opsPerSecond} | ${o.p50} | ${o.p99} | ${o.memory.rssMb} MB | ${o.memory.pssMb} MB | ${o.memory.processes} |`);
console.log('\n| operation | dovecot p50 / p99 ms | postern p50 / p99 ms |');
console.log('|---|---:|---:|');
for (const op of Object.keys(dv.perOp))
    console.log(`| ${op} (${dv.perOp[op].n}) | ${dv.perOp[op].p50} / ${dv.perOp[op].p99} | ${ps.perOp[op].p50} / ${ps.perOp[op].p99} |`);
if (mismatches)
    process.exitCode = 1;
//# sourceMappingURL=imap.js.map