// npm run bench -- junk-timing: how long the junk filter takes per message, measured when the
// machine is as quiet as it gets. The training half of the corpus is trained into a real store
// (one commit for all: this benchmark is about classifying), then, once the 1-minute load
// average is below WAIT_LOAD (or after MAX_WAIT seconds, whichever is first), the test half is
// classified PASSES times; each pass prints its load average and per-message times (the verdict
// as the pipeline asks it: features, model, sender history, attachments; the MIME parse the
// pipeline does once for every delivery is timed apart) and the CPU time the process used (user +
// system), which a busy machine's waiting does not inflate.
// Arguments: PASSES (5), WAIT_LOAD (1.5), MAX_WAIT seconds (1800).
import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { Store } from '../appliance/store/index.js';
import { JunkFilter } from '../appliance/junk/filter.js';
import { BlobFiles } from '../appliance/store/blobs.js';
import { parseMime } from '../appliance/mail/mime.js';
import { tempDir } from '../test/harness/appliance.js';
import { loadCorpus } from './junk-corpus.js';

const PASSES = Number(process.argv[2] ?? 5);
const WAIT_LOAD = Number(process.argv[3] ?? 1.5);
const MAX_WAIT = Number(process.argv[4] ?? 1800);
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

const dir = tempDir('postern-bench-junk-timing-');
try {
  const { train, test } = loadCorpus();
  const store = Store.open(dir);
  store.domains.ensure('example.test');
  const acc = await store.accounts.create('alice@example.test', 'correct horse battery');
  const filter = new JunkFilter(store, 'mail.example.test');
  store.transaction(() => { for (const m of train) filter.setLabel(acc.id, m.raw, BlobFiles.hash(m.raw), m.spam ? 'spam' : 'ham'); });
  const parsed = test.map((m) => parseMime(m.raw));
  console.log(`machine: ${cpus().length}x ${cpus()[0]?.model ?? '?'}; trained ${train.length}, classifying ${test.length} per pass; load now ${load()}`);
  const started = Date.now();
  while (loadavg()[0]! > WAIT_LOAD && (Date.now() - started) / 1000 < MAX_WAIT) await new Promise((r) => setTimeout(r, 5000));
  console.log(`waited ${((Date.now() - started) / 1000).toFixed(0)} s for a 1-minute load average under ${WAIT_LOAD}: load ${load()}`);
  for (let pass = 1; pass <= PASSES; pass++) {
    const before = load();
    const ms: number[] = [];
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    for (let i = 0; i < test.length; i++) {
      const s = performance.now();
      filter.classify(acc.id, test[i]!.raw, parsed[i]!);
      ms.push(performance.now() - s);
    }
    const cpu = process.cpuUsage(cpu0);
    const wall = performance.now() - wall0;
    filter.flush();
    const t0 = performance.now();
    for (const m of test) parseMime(m.raw);
    const parse = (performance.now() - t0) / test.length;
    ms.sort((a, b) => a - b);
    const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
    console.log(`pass ${pass}: load ${before} -> ${load()}: classify mean ${mean.toFixed(3)} ms, p50 ${pct(ms, 0.5).toFixed(3)} ms, p99 ${pct(ms, 0.99).toFixed(3)} ms, max ${ms[ms.length - 1]!.toFixed(2)} ms (+ MIME parse ${parse.toFixed(3)} ms); CPU time ${((cpu.user + cpu.system) / 1000 / test.length).toFixed(3)} ms per message (the process had the CPU ${(100 * (cpu.user + cpu.system) / 1000 / wall).toFixed(0)} % of the wall time)`);
  }
  store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
