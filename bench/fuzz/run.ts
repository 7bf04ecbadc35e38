// npm run fuzz [-- TARGET...] [--max N] [--seconds S] [--workers W]: the hostile-input campaign
// (issue #14). Each target runs in W worker threads (default 2: the machine's cores; run it under
// `nice -n 10` on a shared machine), each with its own seeds, on generated inputs (fast-check
// grammars) and mutated real ones (test fixtures, well-formed commands), until N inputs in all or
// S seconds, whichever comes first. It reports how many ran, how many crashed (an exception that is
// not the target's own protocol error, a 5xx, a server that stops answering, fsck problems), the
// longest single input, and the longest event-loop stall each worker saw (perf_hooks
// monitorEventLoopDelay). Not part of `npm test`; results go to BENCHMARKS.md.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { setQuiet } from '../../appliance/log.js';
import { TARGETS, type FuzzResult } from './targets.js';

interface Job { target: string; max: number; ms: number; shard: number }
interface Done extends FuzzResult { stallMs: number }

if (!isMainThread) {
  setQuiet(true);
  const job = workerData as Job;
  const target = TARGETS.find((t) => t.name === job.target)!;
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const r = await target.run(job.max, job.ms, job.shard);
  h.disable();
  parentPort!.postMessage({ ...r, stallMs: h.max / 1e6 } satisfies Done);
} else {
  const args = process.argv.slice(2);
  const opt = (name: string, dflt: number) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : dflt; };
  const max = opt('--max', 1_000_000);
  const seconds = opt('--seconds', 3600);
  const workers = opt('--workers', 2);
  const wanted = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1]!.startsWith('--')));

  const runWorker = (job: Job) => new Promise<Done>((resolve, reject) => {
    const w = new Worker(new URL(import.meta.url), { workerData: job });
    w.once('message', (m: Done) => resolve(m));
    w.once('error', reject);
    w.once('exit', (code) => { if (code !== 0) reject(new Error(`worker exited with ${code}`)); });
  });

  let failed = 0;
  for (const target of TARGETS) {
    if (wanted.length && !wanted.includes(target.name)) continue;
    const t0 = performance.now();
    const load = loadavg()[0]!;
    const parts = await Promise.all(Array.from({ length: workers }, (_, shard) => runWorker({
      target: target.name, max: Math.ceil(max / workers), ms: seconds * 1000, shard,
    }).catch((e: Error) => ({ runs: 0, crashes: 1, maxMs: 0, stalls: 0, stallMs: 0, example: `worker died: ${e.message}` } as Done))));
    const secs = (performance.now() - t0) / 1000;
    const sum = (f: (d: Done) => number) => parts.reduce((n, d) => n + f(d), 0);
    const runs = sum((d) => d.runs);
    const line = {
      target: target.name, inputs: runs, crashes: sum((d) => d.crashes), maxInputMs: Math.round(Math.max(...parts.map((d) => d.maxMs))),
      maxStallMs: Math.round(Math.max(...parts.map((d) => d.stallMs))), stallsOver1s: sum((d) => d.stalls),
      inputsPerSecond: Math.round(runs / secs), seconds: Math.round(secs), workers, load1AtStart: Math.round(load * 10) / 10,
      ...(parts[0]?.note ? { note: parts[0].note } : {}),
      ...(parts.find((d) => d.example) ? { firstCrash: parts.find((d) => d.example)!.example } : {}),
    };
    console.log(JSON.stringify(line));
    if (line.crashes || line.stallsOver1s || line.maxStallMs > 1000) failed++;
  }
  process.exit(failed ? 1 : 0);
}
