// Scale: a household archive in one INBOX, Postern against Dovecot 2.3 with Debian's
// dovecot-fts-xapian (the anchor for indexed search), same messages (bench/scale-corpus.ts: real
// SpamAssassin text recombined), same IMAP commands over implicit TLS, one after the other in the
// same run. Per server: time to load (Postern: its store API with group commit; Dovecot: Maildir
// files, then `doveadm index` builds its index and the Xapian index), disk used, memory idle and
// at the peak, and for each command the median and max of several runs with its hit count (both
// servers' counts are printed side by side: Xapian matches words and prefixes, IMAP asks for
// substrings, so they can differ). Then ten clients search at once (peak memory).
// Usage: node dist/bench/scale.js [COUNT=100000] [REPEAT=5]   (as root, for Dovecot)
// SCALE_KEEP=DIR keeps both servers' loaded stores in DIR (postern/, dovecot/) with their load
// figures; a later run with the same DIR and COUNT skips the load (hours for Xapian at 100,000)
// and measures both servers again, side by side. SCALE_PHASE=load only loads.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startDovecot } from '../test/harness/dovecot.js';
import { RawImapClient } from '../test/harness/imap-raw.js';
import { tempDir } from '../test/harness/appliance.js';
import { rareTerm, scaleMessage } from './scale-corpus.js';
const count = Number(process.argv[2] ?? 100_000);
const repeat = Number(process.argv[3] ?? 5);
const only = process.env.SCALE_ONLY; // 'postern' or 'dovecot'
const posternDist = process.env.SCALE_POSTERN_DIST; // another build's dist/ (the "before" run)
const keep = process.env.SCALE_KEEP ? join(process.env.SCALE_KEEP, String(count)) : undefined;
const loadOnly = process.env.SCALE_PHASE === 'load';
/** The load figures a previous run saved in `dir`, or undefined. */
function saved(dir, name) {
    if (!dir || !existsSync(join(dir, name)))
        return undefined;
    return JSON.parse(readFileSync(join(dir, name), 'utf8'));
}
function du(path) {
    const st = statSync(path);
    if (!st.isDirectory())
        return st.blocks * 512;
    let n = st.blocks * 512;
    for (const e of readdirSync(path))
        n += du(join(path, e));
    return n;
}
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
/** RSS and PSS of a process tree, in MB. */
function memory(root) {
    let rss = 0, pss = 0;
    for (const p of tree(root)) {
        try {
            const s = readFileSync(`/proc/${p}/smaps_rollup`, 'utf8');
            rss += Number(/^Rss:\s+(\d+)/m.exec(s)?.[1] ?? 0);
            pss += Number(/^Pss:\s+(\d+)/m.exec(s)?.[1] ?? 0);
        }
        catch { /* gone */ }
    }
    return { rss: Math.round(rss / 1024), pss: Math.round(pss / 1024) };
}
function sampler(root) {
    let peak = { rss: 0, pss: 0 };
    const tick = () => { const m = memory(root); peak = { rss: Math.max(peak.rss, m.rss), pss: Math.max(peak.pss, m.pss) }; };
    tick();
    const t = setInterval(tick, 50);
    return { stop() { clearInterval(t); tick(); return peak; } };
}
/** The most frequent word (4+ letters) of the first messages' Subject or body lines. */
function commonWord(where) {
    const freq = new Map();
    for (let i = 0; i < 2000; i++) {
        const raw = scaleMessage(i).toString('latin1');
        const end = raw.indexOf('\r\n\r\n');
        const text = where === 'subject' ? /^Subject: (.*)$/m.exec(raw.slice(0, end))?.[1] ?? '' : raw.slice(end);
        for (const w of new Set(text.toLowerCase().match(/[a-z]{5,}/g) ?? []))
            freq.set(w, (freq.get(w) ?? 0) + 1);
    }
    return [...freq].sort((a, b) => b[1] - a[1])[0][0];
}
function commands() {
    const r = Math.floor(count * 0.37);
    const some = Array.from({ length: 50 }, (_, k) => 1 + ((k * 7919 + 13) % count)).sort((a, b) => a - b).join(',');
    const subject = commonWord('subject');
    const body = commonWord('body');
    return [
        { name: 'SELECT INBOX', text: 'SELECT INBOX' },
        { name: 'UID FETCH 1:* (FLAGS)', text: 'UID FETCH 1:* (FLAGS)' },
        { name: 'FETCH 50 header sets', text: `UID FETCH ${some} (FLAGS BODY.PEEK[HEADER.FIELDS (FROM TO SUBJECT DATE MESSAGE-ID)])` },
        { name: 'FETCH 3 whole messages', text: `UID FETCH ${1 + (r % count)},${1 + ((r * 3) % count)},${1 + ((r * 7) % count)} (BODY.PEEK[])` },
        { name: 'SEARCH BODY rare word (4 per 100k)', text: `UID SEARCH BODY ${rareTerm(r)}` },
        { name: 'SEARCH BODY rare phrase', text: `UID SEARCH BODY "ref ${rareTerm(r + 1)}"` },
        { name: 'SEARCH TEXT Message-ID fragment (1 hit)', text: `UID SEARCH TEXT "scale.${r}."` },
        { name: 'SEARCH FROM domain (every message)', text: 'UID SEARCH FROM example.org' },
        { name: `SEARCH FROM person (1/200)`, text: 'UID SEARCH FROM person17@' },
        { name: `SEARCH SUBJECT common word "${subject}"`, text: `UID SEARCH SUBJECT ${subject}` },
        { name: `SEARCH BODY common word "${body}"`, text: `UID SEARCH BODY ${body}` },
        { name: 'SEARCH UNSEEN', text: 'UID SEARCH UNSEEN' },
        { name: 'SEARCH FLAGGED in a range', text: `UID SEARCH 1000:${Math.max(1001, count - 1000)} FLAGGED` },
    ];
}
async function runCommands(port, user, password) {
    const c = await RawImapClient.open(port, { tls: true });
    const login = await c.command(`LOGIN ${user} ${password}`);
    if (login.status !== 'OK')
        throw new Error(`LOGIN: ${login.text}`);
    const out = [];
    for (const cmd of commands()) {
        const times = [];
        let hits = 0;
        for (let k = 0; k < (cmd.runs ?? repeat); k++) {
            if (cmd.text !== 'SELECT INBOX' && k === 0 && out.length === 0)
                await c.command('SELECT INBOX');
            const t0 = process.hrtime.bigint();
            const res = await c.command(cmd.text);
            times.push(Number(process.hrtime.bigint() - t0) / 1e6);
            if (res.status !== 'OK')
                throw new Error(`${cmd.text.slice(0, 60)} -> ${res.status} ${res.text}`);
            const text = res.bytes.toString('latin1');
            const m = /\* SEARCH([0-9 ]*)\r\n/.exec(text);
            hits = m ? m[1].trim().split(' ').filter(Boolean).length : (text.match(/^\* [0-9]+ FETCH/gm) ?? []).length;
        }
        times.sort((a, b) => a - b);
        out.push({ name: cmd.name, median: +times[Math.floor(times.length / 2)].toFixed(1), max: +times[times.length - 1].toFixed(1), hits });
    }
    await c.command('LOGOUT').catch(() => undefined);
    c.close();
    return out;
}
/** Ten clients at once, each SEARCH BODY of a common word, then TEXT of a rare one. */
async function tenSearches(port, user, password) {
    const body = commonWord('body');
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 10 }, async (_, k) => {
        const c = await RawImapClient.open(port, { tls: true });
        await c.command(`LOGIN ${user} ${password}`);
        await c.command('SELECT INBOX');
        await c.command(`UID SEARCH BODY ${body}`);
        await c.command(`UID SEARCH TEXT ${rareTerm(k * 11)}`);
        await c.command('LOGOUT').catch(() => undefined);
        c.close();
    }));
    return Date.now() - t0;
}
function script(name) {
    return posternDist ? join(posternDist, 'bench', name) : fileURLToPath(new URL(`./${name}`, import.meta.url));
}
async function postern() {
    const dir = keep ? join(keep, 'postern') : tempDir('postern-scale-');
    try {
        let f = saved(keep, 'postern-fill.json');
        if (!f) {
            rmSync(dir, { recursive: true, force: true });
            mkdirSync(dir, { recursive: true });
            const fill = spawnSync(process.execPath, [script('scale-server.js'), 'fill', dir, String(count)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
            if (fill.status !== 0)
                throw new Error(`fill failed (${fill.status})`);
            f = JSON.parse(fill.stdout.trim().split('\n').pop());
            if (keep)
                writeFileSync(join(keep, 'postern-fill.json'), JSON.stringify(f));
        }
        else {
            f = { ...f, dataDirBytes: du(dir) };
        }
        console.error(`postern fill: ${JSON.stringify(f)}`);
        if (loadOnly)
            return undefined;
        const child = spawn(process.execPath, [script('scale-server.js'), 'serve', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
        const ready = JSON.parse(await new Promise((resolve, reject) => {
            createInterface({ input: child.stdout }).once('line', resolve);
            child.once('exit', (code) => reject(new Error(`postern exited (${code})`)));
        }));
        try {
            await new Promise((r) => setTimeout(r, 3000));
            const idle = memory(ready.pid);
            const s = sampler(ready.pid);
            const rows = await runCommands(ready.port, 'bench@example.test', 'bench-password');
            const peak = s.stop();
            const s10 = sampler(ready.pid);
            const tenMs = await tenSearches(ready.port, 'bench@example.test', 'bench-password');
            const tenPeak = s10.stop();
            return { server: posternDist ? 'postern (before)' : 'postern', loadSeconds: f.seconds, loadPerSecond: f.perSecond, mailBytes: f.mailBytes, diskBytes: f.dataDirBytes, indexBytes: f.indexBytes, idle, peak, tenPeak, tenMs, rows };
        }
        finally {
            child.kill('SIGTERM');
            await new Promise((r) => child.once('exit', r));
        }
    }
    finally {
        if (!keep)
            rmSync(dir, { recursive: true, force: true });
    }
}
const XAPIAN = `
mail_plugins = $mail_plugins fts fts_xapian
plugin {
  fts = xapian
  fts_xapian = partial=3 full=20 verbose=0
  fts_autoindex = yes
  fts_enforced = yes
}
`;
async function dovecot() {
    let l = saved(keep, 'dovecot-load.json');
    if (keep && !l)
        rmSync(join(keep, 'dovecot'), { recursive: true, force: true });
    const d = await startDovecot({ tls: true, processLimit: 20, extraConf: XAPIAN, dir: keep ? join(keep, 'dovecot') : undefined });
    try {
        if (!l) {
            const t0 = Date.now();
            let mailBytes = 0;
            for (let i = 0; i < count; i++) {
                const raw = scaleMessage(i);
                mailBytes += raw.length;
                const uid = i + 1;
                d.addMessage(raw, uid, `${uid % 10 !== 0 ? 'S' : ''}${uid % 100 === 7 ? 'F' : ''}`.split('').sort().join(''));
            }
            const written = (Date.now() - t0) / 1000;
            const idx = spawnSync('doveadm', ['-c', join(d.dir, 'dovecot.conf'), 'index', '-u', d.user, 'INBOX'], { encoding: 'utf8' });
            if (idx.status !== 0)
                throw new Error(`doveadm index: ${idx.stderr}`);
            l = { loadSeconds: (Date.now() - t0) / 1000, mailBytes };
            if (keep)
                writeFileSync(join(keep, 'dovecot-load.json'), JSON.stringify(l));
            console.error(`dovecot load: files ${written.toFixed(1)} s, with doveadm index ${l.loadSeconds.toFixed(1)} s`);
        }
        if (loadOnly)
            return undefined;
        const { loadSeconds, mailBytes } = l;
        const home = join(d.dir, 'home');
        const diskBytes = du(home);
        let xapian = 0;
        const walk = (p) => { for (const e of readdirSync(p, { withFileTypes: true })) {
            const q = join(p, e.name);
            if (e.isDirectory())
                walk(q);
            else if (/xapian|fts/i.test(q))
                xapian += statSync(q).blocks * 512;
        } };
        walk(home);
        const root = d.pids()[0];
        await new Promise((r) => setTimeout(r, 2000));
        const idle = memory(root);
        const s = sampler(root);
        const rows = await runCommands(d.port, d.user, d.password);
        const peak = s.stop();
        const s10 = sampler(root);
        const tenMs = await tenSearches(d.port, d.user, d.password);
        const tenPeak = s10.stop();
        return { server: 'dovecot 2.3 + fts-xapian', loadSeconds, loadPerSecond: Math.round(count / loadSeconds), mailBytes, diskBytes, indexBytes: xapian, idle, peak, tenPeak, tenMs, rows };
    }
    finally {
        await d.stop();
    }
}
const results = [];
const started = new Date().toISOString();
const load0 = loadavg()[0].toFixed(1);
if (keep)
    mkdirSync(keep, { recursive: true });
if (only !== 'dovecot') {
    const r = await postern();
    if (r)
        results.push(r);
}
if (only !== 'postern') {
    const r = await dovecot();
    if (r)
        results.push(r);
}
if (loadOnly)
    process.exit(0);
const mb = (b) => `${(b / 1e6).toFixed(0)} MB`;
console.log(JSON.stringify({ bench: 'scale', started, cpu: cpus()[0]?.model, cores: cpus().length, messages: count, repeat, loadavgStart: load0, loadavgEnd: loadavg()[0].toFixed(1) }));
for (const r of results)
    console.log(JSON.stringify(r));
console.log(`\n| ${['what', ...results.map((r) => r.server)].join(' | ')} |`);
console.log(`|---|${results.map(() => '---:').join('|')}|`);
const line = (what, f) => console.log(`| ${what} | ${results.map(f).join(' | ')} |`);
line('load (messages/s)', (r) => `${r.loadSeconds.toFixed(0)} s (${r.loadPerSecond}/s)`);
line('mail', (r) => mb(r.mailBytes));
line('disk used (all)', (r) => `${mb(r.diskBytes)} (${Math.round((100 * r.diskBytes) / r.mailBytes)} %)`);
line('full-text index', (r) => (r.indexBytes !== undefined ? `${mb(r.indexBytes)} (${Math.round((100 * r.indexBytes) / r.mailBytes)} % of the mail)` : '?'));
line('memory idle (RSS / PSS)', (r) => `${r.idle.rss} / ${r.idle.pss} MB`);
line('memory peak, commands below (RSS / PSS)', (r) => `${r.peak.rss} / ${r.peak.pss} MB`);
line('memory peak, 10 clients searching at once (RSS / PSS)', (r) => `${r.tenPeak.rss} / ${r.tenPeak.pss} MB (${r.tenMs} ms)`);
for (let i = 0; i < (results[0]?.rows.length ?? 0); i++) {
    line(`${results[0].rows[i].name}: median / max ms (hits)`, (r) => `${r.rows[i].median} / ${r.rows[i].max} (${r.rows[i].hits})`);
}
//# sourceMappingURL=scale.js.map