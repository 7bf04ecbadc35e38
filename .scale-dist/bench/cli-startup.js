// CLI start-up time: wall-clock time and peak RSS of `postern help` and `postern user list` (a
// small store on a temporary folder), RUNS times each, alternating when two bins are given (to
// compare a build from before a change on the same loaded machine).
//   node dist/bench/cli-startup.js [RUNS=10] [BIN=bin/postern.js] [OTHER_BIN]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
const RUNS = Number(process.argv[2] ?? 10);
const ROOT = resolve(import.meta.dirname, '..', '..');
const bins = [process.argv[3] ?? join(ROOT, 'bin', 'postern.js'), ...(process.argv[4] ? [process.argv[4]] : [])];
function once(bin, args) {
    const r = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, bin, ...args], { encoding: 'utf8' });
    const last = r.stderr.trim().split('\n').pop() ?? '';
    const [sec, kb] = last.split(' ').map(Number);
    if (r.status !== 0)
        throw new Error(`${bin} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return { ms: (sec ?? 0) * 1000, rssKb: kb ?? 0 };
}
function median(xs) {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
}
const data = mkdtempSync(join(tmpdir(), 'postern-cli-bench-'));
try {
    const commands = [['help', ['help']], ['user list', ['user', 'list', '--data', data]]];
    for (const bin of bins)
        once(bin, ['user', 'list', '--data', data]); // create the store once
    const results = new Map();
    for (let i = 0; i < RUNS; i++) {
        for (const bin of bins) {
            for (const [name, args] of commands) {
                const key = `${bin}\t${name}`;
                const r = once(bin, args);
                const e = results.get(key) ?? { ms: [], rss: [] };
                e.ms.push(r.ms);
                e.rss.push(r.rssKb);
                results.set(key, e);
            }
        }
    }
    for (const [key, e] of results) {
        const [bin, name] = key.split('\t');
        console.log(`${bin}  postern ${name}: median ${median(e.ms).toFixed(0)} ms (min ${Math.min(...e.ms).toFixed(0)}, max ${Math.max(...e.ms).toFixed(0)}), peak RSS ${(median(e.rss) / 1024).toFixed(0)} MiB`);
    }
}
finally {
    rmSync(data, { recursive: true, force: true });
}
//# sourceMappingURL=cli-startup.js.map