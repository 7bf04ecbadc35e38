// npm run fuzz [-- TARGET...] [--max N] [--seconds S]: the hostile-input campaign (issue #14). Each
// target gets generated inputs (fast-check, a fixed seed per target) until N inputs or S seconds,
// whichever comes first, and reports how many ran, how many crashed (an exception that is not the
// target's own protocol error, a 5xx, a server that stops answering) and the longest single input
// (an event-loop stall). Not part of `npm test`; results go to BENCHMARKS.md.
import { TARGETS } from './targets.js';
const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : dflt; };
const max = opt('--max', 1_000_000);
const seconds = opt('--seconds', 600);
const wanted = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')));
let failed = 0;
for (const target of TARGETS) {
    if (wanted.length && !wanted.includes(target.name))
        continue;
    const t0 = performance.now();
    const r = await target.run(max, seconds * 1000);
    const line = { target: target.name, inputs: r.runs, crashes: r.crashes, maxInputMs: Math.round(r.maxMs), stallsOver1s: r.stalls, seconds: Math.round((performance.now() - t0) / 1000), ...(r.note ? { note: r.note } : {}), ...(r.example ? { firstCrash: r.example } : {}) };
    console.log(JSON.stringify(line));
    if (r.crashes || r.stalls)
        failed++;
}
process.exit(failed ? 1 : 0);
//# sourceMappingURL=run.js.map