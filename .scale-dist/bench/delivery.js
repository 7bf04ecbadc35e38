// Outbound delivery throughput: N queued messages delivered to Postfix's smtp-sink on loopback,
// first by Postern (the appliance as a child process, `postern start`, queue filled beforehand),
// then by a throwaway Postfix (own config and queue folders, relayhost = the same sink) whose queue
// is filled with smtp-source while delivery is deferred, then flushed. Prints messages per second
// and peak RSS (Postern: the process's VmHWM; Postfix: the highest sum of its processes' RSS).
//   node dist/bench/delivery.js [MESSAGES=10000] [BODY_BYTES=2048]
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, rmSync, readdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Store } from '../appliance/store/index.js';
import { startDnsServer } from '../test/harness/dns-server.js';
import { freePorts } from '../test/harness/ports.js';
const N = Number(process.argv[2] ?? 10000);
const BODY = Number(process.argv[3] ?? 2048);
const ROOT = resolve(import.meta.dirname, '..', '..');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function startSink(port) {
    const proc = spawn('smtp-sink', ['-u', 'nobody', '-c', `127.0.0.1:${port}`, '256'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let last = 0;
    let tail = '';
    proc.stdout.on('data', (c) => {
        tail = (tail + c.toString()).slice(-200);
        const all = [...tail.matchAll(/mesg=(\d+)/g)];
        if (all.length)
            last = Number(all[all.length - 1][1]);
    });
    return { proc, count: () => last };
}
function rssOf(pid, field) {
    try {
        const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        return m ? Number(m[1]) * 1024 : 0;
    }
    catch {
        return 0;
    }
}
/** Proportional set size: shared pages divided among the processes sharing them. */
function pssOf(pid) {
    try {
        const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
        return m ? Number(m[1]) * 1024 : 0;
    }
    catch {
        return 0;
    }
}
/** user + system CPU seconds of a process (and its waited-for children) */
function cpuOf(pid) {
    try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return (Number(f[11]) + Number(f[12])) / 100;
    }
    catch {
        return 0;
    }
}
function children(ppid) {
    const out = [];
    for (const d of readdirSync('/proc')) {
        if (!/^\d+$/.test(d))
            continue;
        try {
            const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
            const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
            if (Number(fields[1]) === ppid)
                out.push(Number(d));
        }
        catch { /* gone */ }
    }
    return out;
}
function message(i) {
    const body = `benchmark message ${i} `.repeat(Math.ceil(BODY / 24)).slice(0, BODY).replace(/(.{76})/g, '$1\r\n');
    return Buffer.from(`From: bench@example.test\r\nTo: sink${i}@sink.test\r\nSubject: bench ${i}\r\nMessage-ID: <bench-${i}@example.test>\r\nDate: Mon, 23 Nov 2026 12:00:00 +0000\r\n\r\n${body}\r\n`);
}
async function waitFor(cond, timeoutMs) {
    const end = Date.now() + timeoutMs;
    while (!cond()) {
        if (Date.now() > end)
            return false;
        await sleep(50);
    }
    return true;
}
async function postern(sinkPort, sink, work) {
    const dns = await startDnsServer({ 'sink.test': { A: ['127.0.0.1'] } });
    const dataDir = join(work, 'postern-data');
    const cfg = join(work, 'postern.json');
    writeFileSync(cfg, JSON.stringify({ hostname: 'mail.example.test', domains: ['example.test'], dataDir, listen: {}, tor: { mode: 'off' }, delivery: { dnsServers: [dns.address], mxPort: sinkPort } }));
    const f0 = Date.now();
    const store = Store.open(dataDir);
    store.domains.ensure('example.test');
    const acc = await store.accounts.create('bench@example.test', 'benchmark password');
    for (let start = 0; start < N; start += 1000) {
        store.transaction(() => {
            for (let i = start; i < Math.min(N, start + 1000); i++)
                store.enqueue(message(i), 'bench@example.test', [`sink${i}@sink.test`], { accountId: acc.id });
        });
    }
    store.close();
    const fill = (Date.now() - f0) / 1000;
    const before = sink.count();
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'postern.js'), 'start', '--config', cfg], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => { out += c.toString().slice(0, 1000); });
    await waitFor(() => out.includes('postern: running'), 60_000);
    const t0 = Date.now();
    const ok = await waitFor(() => sink.count() - before >= N, 600_000);
    const seconds = (Date.now() - t0) / 1000;
    const rss = rssOf(child.pid, 'VmHWM');
    const cpu = cpuOf(child.pid);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    const check = Store.open(dataDir);
    const left = check.queue.count();
    check.close();
    await dns.close();
    if (!ok || left !== 0)
        throw new Error(`postern: ${sink.count() - before} of ${N} reached the sink, ${left} left in the queue`);
    return { seconds, rss, fill, cpu };
}
async function postfix(sinkPort, smtpdPort, sink, work) {
    const dir = join(work, 'postfix');
    const etc = join(dir, 'etc');
    mkdirSync(etc, { recursive: true });
    mkdirSync(join(dir, 'spool'), { recursive: true });
    mkdirSync(join(dir, 'lib'), { recursive: true });
    writeFileSync(join(etc, 'main.cf'), [
        `queue_directory = ${dir}/spool`, `data_directory = ${dir}/lib`,
        'command_directory = /usr/sbin', 'daemon_directory = /usr/lib/postfix/sbin', 'meta_directory = /etc/postfix', 'shlib_directory = /usr/lib/postfix',
        'mail_owner = postfix', 'setgid_group = postdrop', 'compatibility_level = 3.6',
        'myhostname = bench.localdomain', 'mydomain = localdomain', 'mydestination =', 'alias_maps =', 'alias_database =', 'local_recipient_maps =',
        'inet_interfaces = 127.0.0.1', 'inet_protocols = ipv4', 'mynetworks = 127.0.0.0/8',
        `relayhost = [127.0.0.1]:${sinkPort}`, 'smtp_tls_security_level = none', 'smtpd_tls_security_level = none',
        'smtp_host_lookup = native', 'smtpd_recipient_restrictions = permit_mynetworks, reject', `maillog_file = ${dir}/maillog`,
        'defer_transports = smtp', 'message_size_limit = 0', `maillog_file_prefixes = ${dir}`,
    ].join('\n') + '\n');
    const master = readFileSync('/etc/postfix/master.cf', 'utf8').split('\n').map((l) => {
        if (/^\s|^#|^$/.test(l))
            return l;
        const f = l.split(/\s+/);
        if (f[0] === 'smtp' && f[1] === 'inet')
            f[0] = `127.0.0.1:${smtpdPort}`;
        if (f.length >= 8)
            f[4] = 'n'; // no chroot: the throwaway queue is not set up for it
        return f.join(' ');
    });
    execFileSync('chown', ['postfix', join(dir, 'lib')]);
    for (const d of [work, dir])
        execFileSync('chmod', ['755', d]); // the postfix user walks to its queue
    writeFileSync(join(etc, 'master.cf'), master.join('\n') + '\n');
    const run = (cmd, args) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
    run('postfix', ['-c', etc, 'start']);
    try {
        const i0 = Date.now();
        run('smtp-source', ['-s', '10', '-m', String(N), '-l', String(BODY), '-f', 'bench@localdomain', '-t', 'sink@sink.test', `127.0.0.1:${smtpdPort}`]);
        const inject = (Date.now() - i0) / 1000;
        const countQueue = () => { let n = 0; for (const q of ['incoming', 'active', 'deferred', 'maildrop']) {
            try {
                const walk = (d) => { for (const e of readdirSync(d, { withFileTypes: true })) {
                    if (e.isDirectory())
                        walk(join(d, e.name));
                    else
                        n++;
                } };
                walk(join(dir, 'spool', q));
            }
            catch { /* none */ }
        } return n; };
        await waitFor(() => countQueue() >= N, 120_000);
        const before = sink.count();
        const masterPid = Number(readFileSync(join(dir, 'spool', 'pid', 'master.pid'), 'utf8').trim());
        let peak = 0;
        let peakPss = 0;
        const sampler = setInterval(() => {
            const pids = [masterPid, ...children(masterPid)];
            peak = Math.max(peak, pids.reduce((s, p) => s + rssOf(p, 'VmRSS'), 0));
            peakPss = Math.max(peakPss, pids.reduce((s, p) => s + pssOf(p), 0));
        }, 100);
        run('postconf', ['-c', etc, '-e', 'defer_transports =']);
        const t0 = Date.now();
        run('postfix', ['-c', etc, 'reload']);
        run('postqueue', ['-c', etc, '-f']);
        const ok = await waitFor(() => sink.count() - before >= N, 600_000);
        const seconds = (Date.now() - t0) / 1000;
        clearInterval(sampler);
        if (!ok)
            throw new Error(`postfix: ${sink.count() - before} of ${N} reached the sink`);
        return { seconds, rss: peak, pss: peakPss, inject };
    }
    finally {
        try {
            run('postfix', ['-c', etc, 'stop']);
        }
        catch { /* already stopped */ }
    }
}
const work = mkdtempSync(join(tmpdir(), 'postern-bench-delivery-'));
const [sinkPort, smtpdPort] = await freePorts(2);
const sink = startSink(sinkPort);
await sleep(300);
try {
    const mb = (b) => `${(b / 1048576).toFixed(0)} MB`;
    const p = await postern(sinkPort, sink, work);
    console.log(`postern: ${N} messages (${BODY}-byte bodies) queued in ${p.fill.toFixed(1)} s, delivered in ${p.seconds.toFixed(1)} s = ${(N / p.seconds).toFixed(0)} msg/s, peak RSS ${mb(p.rss)}, ${p.cpu.toFixed(1)} CPU s (one process; 4 connections at once, sessions reused)`);
    const q = await postfix(sinkPort, smtpdPort, sink, work);
    console.log(`postfix: ${N} messages injected with smtp-source in ${q.inject.toFixed(1)} s, delivered in ${q.seconds.toFixed(1)} s = ${(N / q.seconds).toFixed(0)} msg/s, peak RSS summed over its processes ${mb(q.rss)} (PSS ${mb(q.pss)}; default concurrency 20)`);
}
finally {
    sink.proc.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
}
//# sourceMappingURL=delivery.js.map