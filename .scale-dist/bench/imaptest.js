// imaptest's stress mode against Dovecot 2.3 (Debian's dovecot-imapd, throwaway config) and
// Postern (a real appliance in its own process), one after the other in the same run, both over
// implicit TLS on loopback: C clients for S seconds of imaptest's random mix (SELECT, FETCH,
// STORE, EXPUNGE, APPEND, LOGOUT...), in the default profile and with logout=0 (sessions stay
// open). Reports commands/s, imaptest's average ms per command kind, its Error: lines (protocol
// violations it saw) and the server's peak memory (RSS and PSS of its processes, sampled every
// 100 ms). imaptest comes from .imaptest/ (built by .ci/run; see test/harness/imaptest.ts).
// Usage: node dist/bench/imaptest.js [secs=30] [clients=10]
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startDovecot } from '../test/harness/dovecot.js';
import { findImaptest, runStress, stressMbox } from '../test/harness/imaptest.js';
const secs = Number(process.argv[2] ?? 30);
const clients = Number(process.argv[3] ?? 10);
function tree(root) {
    const parent = new Map();
    for (const e of readdirSync('/proc')) {
        if (!/^[0-9]+$/.test(e))
            continue;
        try {
            const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
            const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
            parent.set(ppid, [...(parent.get(ppid) ?? []), Number(e)]);
        }
        catch { /* gone */ }
    }
    const out = [];
    const walk = (p) => { out.push(p); for (const c of parent.get(p) ?? [])
        walk(c); };
    walk(root);
    return out;
}
function sampler(root) {
    let rss = 0, pss = 0;
    const tick = () => {
        let r = 0, p = 0;
        for (const pid of tree(root)) {
            try {
                const s = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
                r += Number(/^Rss:\s+(\d+)/m.exec(s)?.[1] ?? 0);
                p += Number(/^Pss:\s+(\d+)/m.exec(s)?.[1] ?? 0);
            }
            catch { /* gone */ }
        }
        rss = Math.max(rss, r);
        pss = Math.max(pss, p);
    };
    tick();
    const timer = setInterval(tick, 100);
    return { stop() { clearInterval(timer); tick(); return { rssMb: Math.round(rss / 1024), pssMb: Math.round(pss / 1024) }; } };
}
const it = findImaptest();
const mbox = stressMbox(it, join(tmpdir(), `postern-bench-imaptest-${process.pid}.mbox`));
const outcomes = [];
async function measure(server, port, user, password, root) {
    for (const profile of ['default', 'logout=0']) {
        const mem = sampler(root);
        const load = loadavg()[0];
        const result = await runStress(it, { port, user, password }, { mbox, secs, clients, logout: profile === 'default' });
        outcomes.push({ server, profile, result, memory: mem.stop(), load });
    }
}
async function startPostern() {
    const file = fileURLToPath(new URL('./imap-server.js', import.meta.url));
    const child = spawn(process.execPath, [file, '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`postern exited (${code})`)));
    });
    return { ...JSON.parse(line), child };
}
try {
    const dovecot = await startDovecot({ tls: true, processLimit: clients * 4 + 10 });
    try {
        await measure('dovecot', dovecot.port, dovecot.user, dovecot.password, dovecot.pids()[0]);
    }
    finally {
        await dovecot.stop();
    }
    const postern = await startPostern();
    try {
        await measure('postern', postern.port, 'bench@example.test', 'bench-password', postern.pid);
    }
    finally {
        postern.child.kill('SIGTERM');
        await new Promise((r) => postern.child.once('exit', r));
    }
}
finally {
    rmSync(mbox, { force: true });
}
const cpu = cpus()[0]?.model ?? 'unknown';
console.log(JSON.stringify({ bench: 'imaptest', cpu, cores: cpus().length, secs, clients }));
for (const o of outcomes)
    console.log(JSON.stringify({ server: o.server, profile: o.profile, commandsPerSecond: +o.result.commandsPerSecond.toFixed(1), errors: o.result.errors.length, totals: o.result.totals, msPerCommand: o.result.msPerCommand, memory: o.memory, load1: +o.load.toFixed(1) }));
console.log(`\n| server | profile | commands/s | Error: lines | peak RSS | peak PSS | load (1 min) at start |`);
console.log('|---|---|---:|---:|---:|---:|---:|');
for (const o of outcomes)
    console.log(`| ${o.server} | ${o.profile} | ${o.result.commandsPerSecond.toFixed(0)} | ${o.result.errors.length} | ${o.memory.rssMb} MB | ${o.memory.pssMb} MB | ${o.load.toFixed(1)} |`);
const kinds = [...new Set(outcomes.flatMap((o) => Object.keys(o.result.msPerCommand)))];
console.log(`\n| average ms per command | ${outcomes.map((o) => `${o.server} ${o.profile}`).join(' | ')} |`);
console.log(`|---|${outcomes.map(() => '---:').join('|')}|`);
for (const k of kinds)
    console.log(`| ${k} | ${outcomes.map((o) => o.result.msPerCommand[k] ?? '').join(' | ')} |`);
for (const o of outcomes)
    for (const e of o.result.errors.slice(0, 5))
        console.error(`${o.server} ${o.profile}: ${e}`);
if (outcomes.some((o) => o.server === 'postern' && o.result.errors.length > 0))
    process.exitCode = 1;
//# sourceMappingURL=imaptest.js.map