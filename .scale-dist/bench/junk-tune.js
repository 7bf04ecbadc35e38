// Tuning aid (not in bench/run.ts): features extracted once, then Bayes parameter sets and an
// FTRL-Proximal logistic regression over the same hashed features, several thresholds each.
import { loadCorpus, tally, describe } from './junk-corpus.js';
import { extractFeatures } from '../appliance/junk/features.js';
import { JunkModel } from '../appliance/junk/model.js';
import { parseMime } from '../appliance/mail/mime.js';
import { DEFAULT_PARAMS } from '../appliance/junk/bayes.js';
const { train, test } = loadCorpus();
const feats = new Map();
for (const m of [...train, ...test])
    feats.set(m, extractFeatures(m.raw, parseMime(m.raw)).message);
const report = (name, scored) => {
    for (const th of (process.env.TH ?? "0.5,0.6,0.7,0.8,0.9,0.95").split(",").map(Number))
        console.log(name, th, describe(tally(scored.map(({ m, score }) => ({ m, junk: score >= th })))));
};
const sets = process.argv.slice(2).map((s) => JSON.parse(s));
for (const set of sets) {
    if (set.ftrl) {
        // FTRL-Proximal (McMahan et al. 2013), as Stalwart: hashed features into 2^bits weights
        const bits = set.bits ?? 20, size = 1 << bits, alpha = set.alpha ?? 0.1, beta = 1, l1 = set.l1 ?? 0.5, l2 = set.l2 ?? 1;
        const z = new Float32Array(size), n = new Float32Array(size);
        const idx = (f) => f % size;
        const w = (i) => { const zi = z[i]; if (Math.abs(zi) <= l1)
            return 0; return -(zi - Math.sign(zi) * l1) / ((beta + Math.sqrt(n[i])) / alpha + l2); };
        const predict = (fs) => { let s = 0; for (const f of fs)
            s += w(idx(f)); return 1 / (1 + Math.exp(-Math.max(-35, Math.min(35, s)))); };
        for (let epoch = 0; epoch < (set.epochs ?? 1); epoch++)
            for (const m of train) {
                const fs = feats.get(m);
                const p = predict(fs);
                const g = p - (m.spam ? 1 : 0);
                for (const f of fs) {
                    const i = idx(f);
                    const sigma = (Math.sqrt(n[i] + g * g) - Math.sqrt(n[i])) / alpha;
                    z[i] += g - sigma * w(i);
                    n[i] += g * g;
                    z[i] = z[i];
                }
            }
        report(JSON.stringify(set), test.map((m) => ({ m, score: predict(feats.get(m)) })));
        continue;
    }
    const model = new JunkModel({ ...DEFAULT_PARAMS, ...set });
    for (const m of train)
        model.apply(feats.get(m), m.spam ? 'spam' : 'ham', 1);
    if (set.prune) {
        for (const [f] of model.counts) {
            const c = model.get(f);
            if (c.spam + c.ham <= set.prune)
                model.counts.delete(f);
        }
    }
    console.log('features', model.size);
    report(JSON.stringify(set), test.map((m) => ({ m, score: model.score(feats.get(m)).score })));
}
//# sourceMappingURL=junk-tune.js.map