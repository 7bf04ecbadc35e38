// Dovecot's imaptest (the IMAP compliance and stress tester, MIT; built from
// ../shared/tools/imaptest by .ci/run into .imaptest/) against a server on loopback over implicit
// TLS: one scripted group at a time, so that a group skipped for a capability the server lacks is
// seen as skipped (imaptest's own summary counts it as passed), and the stress mode, whose
// "Error:" lines are protocol violations it saw.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
/** The repository root (this file is dist/test/harness/imaptest.js once compiled). */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Where the built imaptest is: $POSTERN_IMAPTEST_DIR, else .imaptest/ in the repository (where
 *  .ci/run builds it). Throws a sentence saying how to build it. */
export function findImaptest() {
    const dir = process.env.POSTERN_IMAPTEST_DIR ?? join(ROOT, '.imaptest');
    const binary = join(dir, 'imaptest');
    const tests = join(dir, 'tests');
    if (!existsSync(binary) || !existsSync(tests)) {
        throw new Error(`imaptest is not built in ${dir}: run .ci/run, or bash ../shared/tools/imaptest/build.sh .imaptest`);
    }
    return { binary, tests };
}
/** The scripted groups: every file of the suite that is not a mailbox (*.mbox) or a folder
 *  (tests/broken holds the ones imaptest's authors consider broken). */
export function scriptedGroups(it) {
    return readdirSync(it.tests).filter((f) => !f.endsWith('.mbox') && statSync(join(it.tests, f)).isFile()).sort();
}
function run(it, args, timeoutMs) {
    return new Promise((resolve, reject) => {
        const child = spawn(it.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        const out = [];
        child.stdout.on('data', (b) => out.push(b));
        child.stderr.on('data', (b) => out.push(b));
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        child.once('error', (e) => { clearTimeout(timer); reject(e); });
        child.once('close', () => { clearTimeout(timer); resolve(Buffer.concat(out).toString('utf8')); });
    });
}
function targetArgs(t) {
    return ['host=127.0.0.1', `port=${t.port}`, `user=${t.user}`, `pass=${t.password}`, 'ssl=any-cert'];
}
/** Classify one group's output: "1 test groups: 1 failed" is a failure; a group that ran no
 *  command at all ("0/0 individual commands" for base and extensions) was skipped for a missing
 *  capability; anything else passed. */
export function groupStatus(output) {
    const m = /([0-9]+) test groups: ([0-9]+) failed, ([0-9]+) skipped/.exec(output);
    if (!m)
        return 'failed';
    if (Number(m[2]) > 0 || /^Error:/m.test(output))
        return 'failed';
    if (Number(m[3]) > 0)
        return 'skipped';
    if (/base protocol: 0\/0 individual/.test(output) && /extensions: 0\/0 individual/.test(output))
        return 'skipped';
    return 'passed';
}
export async function runGroup(it, target, group) {
    const output = await run(it, [...targetArgs(target), `test=${join(it.tests, group)}`], 60_000);
    return { group, status: groupStatus(output), output };
}
/** One mbox with every message of the suite's mailboxes (varied MIME shapes) for the stress run.
 *  The stress mode checks that messages with the same Message-ID have the same content, and the
 *  suite's mailboxes reuse IDs (<a@b>): each message gets its own. */
export function stressMbox(it, file) {
    const text = readdirSync(it.tests).filter((f) => f.endsWith('.mbox')).sort()
        .map((f) => { const s = readFileSync(join(it.tests, f), 'latin1'); return s.endsWith('\n') ? s : s + '\n'; }).join('\n');
    const messages = text.split(/^(?=From [^\n]*\n)/m).filter((m) => m.startsWith('From '));
    const out = messages.map((m, i) => {
        const nl = m.indexOf('\n');
        const envelope = m.slice(0, nl + 1);
        const rest = m.slice(nl + 1).replace(/^Message-ID:[^\n]*\n([ \t][^\n]*\n)*/gim, '');
        return `${envelope}Message-ID: <stress.${i}@imaptest.postern.test>\n${rest}`;
    });
    writeFileSync(file, out.join(''), 'latin1');
    return file;
}
/** Parse imaptest's stress output. */
export function parseStress(output, secs) {
    const lines = output.split('\n');
    const errors = lines.filter((l) => l.startsWith('Error:'));
    const totals = {};
    const msPerCommand = {};
    const t = lines.findIndex((l) => l.startsWith('Totals:'));
    if (t >= 0) {
        const names = (lines[t + 1] ?? '').trim().split(/\s+/);
        // the header, a percentage line, an optional second percentage line, then the counts
        const counts = lines.slice(t + 2).find((l) => /^\s*[0-9]+(\s+[0-9]+)+\s*$/.test(l));
        const values = (counts ?? '').trim().split(/\s+/).map(Number);
        names.forEach((n, i) => { if (values[i] !== undefined && !Number.isNaN(values[i]))
            totals[n] = values[i]; });
    }
    // Every block (header, percentages, one count row per second, "ms/cmd avg"): the averages
    // weighted by the commands of their block.
    const weighted = {};
    let names = [];
    let counts = [];
    for (const l of lines) {
        if (/^Logi /.test(l)) {
            names = l.trim().split(/\s+/);
            counts = names.map(() => 0);
            continue;
        }
        const row = /^\s*([0-9]+(?:\s+[0-9]+)*)\s+[0-9]+\/\s*[0-9]+\s*$/.exec(l);
        if (row && names.length) {
            row[1].trim().split(/\s+/).map(Number).forEach((v, i) => { if (i < counts.length)
                counts[i] += v; });
            continue;
        }
        if (l.includes('ms/cmd avg') && names.length) {
            const values = l.replace('ms/cmd avg', '').trim().split(/\s+/).map(Number);
            names.forEach((n, i) => {
                const w = (weighted[n] ??= { ms: 0, n: 0 });
                if (values[i] !== undefined && counts[i]) {
                    w.ms += values[i] * counts[i];
                    w.n += counts[i];
                }
            });
            counts = names.map(() => 0);
        }
    }
    for (const [n, w] of Object.entries(weighted))
        if (w.n)
            msPerCommand[n] = Math.round(w.ms / w.n);
    const all = Object.values(totals).reduce((a, b) => a + b, 0);
    return { errors, totals, commandsPerSecond: all / secs, msPerCommand, output };
}
export async function runStress(it, target, o) {
    const args = [...targetArgs(target), `mbox=${o.mbox}`, `secs=${o.secs}`, `clients=${o.clients}`];
    if (o.logout === false)
        args.push('logout=0');
    const output = await run(it, args, (o.secs + 60) * 1000);
    return parseStress(output, o.secs);
}
//# sourceMappingURL=imaptest.js.map