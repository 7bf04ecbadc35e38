// SMTP inbound throughput, Postern's MX side by side with Postfix on the same machine in the same
// run: Postfix's smtp-source (20 sessions, N messages of 4 KB) against
//   1. `postern start` (the real appliance in a child process; a 250 means stored in the INBOX), and
//   2. a throwaway Postfix instance (own config and queue folders, loopback high port, virtual
//      delivery into a Maildir), not touching the system's Postfix.
// Reports messages per second and peak RSS (Postern: the process's VmHWM; Postfix: the largest sum
// of VmRSS over master and its children, sampled every 50 ms).
// Usage: node dist/bench/smtp.js [count] [sessions] [size]   (Postfix needs root)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync, chownSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { Store } from '../appliance/store/index.js';
const COUNT = Number(process.argv[2] ?? 5000);
const SESSIONS = Number(process.argv[3] ?? 20);
const SIZE = Number(process.argv[4] ?? 4096);
const BIN = fileURLToPath(new URL('../../bin/postern.js', import.meta.url));
function freePort() {
    return new Promise((resolve, reject) => {
        const s = createServer();
        s.once('error', reject);
        s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    });
}
function kb(pid, field) {
    try {
        const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        return m ? Number(m[1]) : 0;
    }
    catch {
        return 0;
    }
}
/** Proportional set size: shared pages (libraries) split between the processes that map them. */
function pssKb(pid) {
    try {
        const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
        return m ? Number(m[1]) : 0;
    }
    catch {
        return 0;
    }
}
function children(pid) {
    const r = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' });
    return r.stdout.split('\n').filter(Boolean).map(Number);
}
function smtpSource(port) {
    return new Promise((resolve) => {
        const t0 = process.hrtime.bigint();
        const p = spawn('smtp-source', ['-s', String(SESSIONS), '-m', String(COUNT), '-l', String(SIZE), '-f', 'sender@example.org', '-t', 'alice@example.test', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
        let errors = '';
        p.stdout.on('data', (d) => (errors += d));
        p.stderr.on('data', (d) => (errors += d));
        p.on('close', () => resolve({ seconds: Number(process.hrtime.bigint() - t0) / 1e9, errors: errors.trim() }));
    });
}
function waitFor(child, line, timeoutMs) {
    return new Promise((resolve, reject) => {
        let buf = '';
        const timer = setTimeout(() => reject(new Error(`no "${line}" within ${timeoutMs} ms: ${buf}`)), timeoutMs);
        child.stdout.on('data', (d) => { buf += d.toString(); if (buf.includes(line)) {
            clearTimeout(timer);
            resolve();
        } });
        child.once('exit', (c) => { clearTimeout(timer); reject(new Error(`exited ${c}: ${buf}`)); });
    });
}
async function benchPostern() {
    const dir = mkdtempSync(join(tmpdir(), 'postern-bench-smtp-'));
    try {
        const port = await freePort();
        const config = join(dir, 'config.json');
        writeFileSync(config, JSON.stringify({
            hostname: 'mail.example.test', domains: ['example.test'], dataDir: join(dir, 'data'), listen: { mx: `127.0.0.1:${port}` }, tor: { mode: 'off' },
            smtp: { maxConnectionsPerClient: SESSIONS + 5, messagesPerMinutePerClient: 1_000_000 },
            // SPF/DKIM/DMARC lookups go to a closed loopback port (no network here): they fail fast
            delivery: { dnsServers: ['127.0.0.1:9'] },
        }));
        const add = spawnSync(process.execPath, [BIN, 'user', 'add', 'alice@example.test', '--config', config], { input: 'benchmark password\n', encoding: 'utf8' });
        if (add.status !== 0)
            throw new Error(`user add: ${add.stderr}`);
        const child = spawn(process.execPath, [...(process.env.POSTERN_BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.POSTERN_BENCH_PROF] : []), BIN, 'start', '--config', config], { stdio: ['ignore', 'pipe', 'inherit'] });
        await waitFor(child, 'postern: running', 60_000);
        const pid = child.pid;
        let peakSampled = 0;
        let peakPss = 0;
        const sampler = setInterval(() => { peakSampled = Math.max(peakSampled, kb(pid, 'VmRSS')); peakPss = Math.max(peakPss, pssKb(pid)); }, 50);
        const idleRss = kb(pid, 'VmRSS');
        const src = await smtpSource(port);
        clearInterval(sampler);
        const hwm = kb(pid, 'VmHWM');
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
        const store = Store.open(join(dir, 'data'));
        const alice = store.accounts.byAddress('alice@example.test');
        const inbox = store.mailboxes.get(alice.id, 'INBOX');
        const stored = store.messages.list(inbox.id).length;
        const fsckOk = store.check().ok;
        store.close();
        return {
            server: 'postern', count: COUNT, sessions: SESSIONS, size: SIZE, stored, fsckOk,
            seconds: +src.seconds.toFixed(2), storedPerSecond: +(stored / src.seconds).toFixed(0),
            idleRssMb: +(idleRss / 1024).toFixed(0), peakRssMb: +(Math.max(hwm, peakSampled) / 1024).toFixed(0), peakPssMb: +(peakPss / 1024).toFixed(0),
            clientErrors: src.errors.split('\n').filter(Boolean).length,
        };
    }
    finally {
        rmSync(dir, { recursive: true, force: true });
    }
}
const MASTER_CF = `
SMTPPORT inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
`;
async function benchPostfix() {
    if (process.getuid?.() !== 0)
        return { server: 'postfix', skipped: 'needs root to start a Postfix instance' };
    const pw = spawnSync('id', ['-u', 'postfix'], { encoding: 'utf8' });
    const gr = spawnSync('id', ['-g', 'postfix'], { encoding: 'utf8' });
    if (pw.status !== 0)
        return { server: 'postfix', skipped: 'no postfix user (apt-get install postfix)' };
    const uid = Number(pw.stdout.trim());
    const gid = Number(gr.stdout.trim());
    const dir = mkdtempSync(join(tmpdir(), 'postfix-bench-'));
    const conf = join(dir, 'conf');
    const port = await freePort();
    try {
        chmodSync(dir, 0o755); // the postfix user must reach its data and mail folders
        for (const d of ['conf', 'queue', 'data', 'mail'])
            mkdirSync(join(dir, d), { recursive: true });
        chownSync(join(dir, 'data'), uid, gid);
        chownSync(join(dir, 'mail'), uid, gid);
        writeFileSync(join(conf, 'main.cf'), [
            'compatibility_level = 3.6', `queue_directory = ${dir}/queue`, `data_directory = ${dir}/data`, 'mail_owner = postfix',
            'myhostname = bench.localdomain', 'mydestination =', 'inet_interfaces = 127.0.0.1', 'inet_protocols = ipv4', 'mynetworks = 127.0.0.0/8',
            'virtual_mailbox_domains = example.test', `virtual_mailbox_base = ${dir}/mail`, `virtual_mailbox_maps = texthash:${conf}/vmailbox`,
            `virtual_uid_maps = static:${uid}`, `virtual_gid_maps = static:${gid}`, `maillog_file = ${dir}/maillog`, `maillog_file_prefixes = ${dir}`,
            'smtputf8_enable = no', 'biff = no', '',
        ].join('\n'));
        writeFileSync(join(conf, 'vmailbox'), 'alice@example.test alice/\n');
        writeFileSync(join(conf, 'master.cf'), MASTER_CF.replace('SMTPPORT', `127.0.0.1:${port}`));
        const start = spawnSync('postfix', ['-c', conf, 'start'], { encoding: 'utf8' });
        if (start.status !== 0) {
            // postfix reports configuration errors to syslog only, unless it has a terminal: ask again with one.
            const why = spawnSync('script', ['-qc', `postfix -c ${conf} check`, '/dev/null'], { encoding: 'utf8' });
            throw new Error(`postfix start failed (${start.status}): ${start.stdout}${start.stderr}${why.stdout}`);
        }
        const pidFile = join(dir, 'queue', 'pid', 'master.pid');
        for (let i = 0; i < 100 && !existsSync(pidFile); i++)
            await new Promise((r) => setTimeout(r, 50));
        const master = Number(readFileSync(pidFile, 'utf8').trim());
        const pids = () => [master, ...children(master)];
        const sample = () => pids().reduce((s, p) => s + kb(p, 'VmRSS'), 0);
        const samplePss = () => pids().reduce((s, p) => s + pssKb(p), 0);
        const idleRss = sample();
        let peak = idleRss;
        let peakPss = samplePss();
        let peakProcs = 0;
        const sampler = setInterval(() => { const ps = pids(); peakProcs = Math.max(peakProcs, ps.length); peak = Math.max(peak, sample()); peakPss = Math.max(peakPss, samplePss()); }, 50);
        const t0 = process.hrtime.bigint();
        const src = await smtpSource(port);
        const maildir = join(dir, 'mail', 'alice', 'new');
        const delivered = () => (existsSync(maildir) ? readdirSync(maildir).length : 0);
        const deadline = Date.now() + 300_000;
        while (delivered() < COUNT && Date.now() < deadline)
            await new Promise((r) => setTimeout(r, 50));
        const allDelivered = Number(process.hrtime.bigint() - t0) / 1e9;
        clearInterval(sampler);
        const n = delivered();
        spawnSync('postfix', ['-c', conf, 'stop']);
        return {
            server: 'postfix', count: COUNT, sessions: SESSIONS, size: SIZE, delivered: n,
            acceptSeconds: +src.seconds.toFixed(2), queuedPerSecond: +(COUNT / src.seconds).toFixed(0),
            deliveredSeconds: +allDelivered.toFixed(2), deliveredPerSecond: +(n / allDelivered).toFixed(0),
            idleRssMb: +(idleRss / 1024).toFixed(0), peakRssSumMb: +(peak / 1024).toFixed(0), peakPssSumMb: +(peakPss / 1024).toFixed(0), peakProcesses: peakProcs,
            clientErrors: src.errors.split('\n').filter(Boolean).length,
        };
    }
    finally {
        spawnSync('postfix', ['-c', conf, 'stop']);
        rmSync(dir, { recursive: true, force: true });
    }
}
console.log(JSON.stringify({ bench: 'smtp', cpus: cpus().length, model: cpus()[0]?.model }));
console.log(JSON.stringify(await benchPostern()));
if (!process.env.POSTERN_BENCH_ONLY)
    console.log(JSON.stringify(await benchPostfix()));
//# sourceMappingURL=smtp.js.map