// Robinson's token probabilities combined with Fisher's chi-square method, as SpamAssassin's and
// rspamd's Bayes (and SpamBayes) do: each known feature gets a spam probability f(w) pulled towards
// 0.5 when it was seen rarely; the most significant ones are combined into two chi-square tests
// (how likely "all ham" and "all spam" explain them) and the result is 0 (ham) .. 1 (spam), with
// messages that look like both (or neither) near 0.5. Pure: counts come from the caller's model.
export const DEFAULT_PARAMS = { s: 0.1, x: 0.5, minStrength: 0.35, maxFeatures: 150 };
/** P(chi2 >= x2) for `v` (even) degrees of freedom. */
export function chi2Q(x2, v) {
    const m = x2 / 2;
    let term = Math.exp(-m);
    let sum = term;
    for (let i = 1; i < v / 2; i++) {
        term *= m / i;
        sum += term;
    }
    return Math.min(sum, 1);
}
/** ln P(chi2 >= x2) for `v` (even) degrees of freedom, exact also where P underflows. */
export function lnChi2Q(x2, v) {
    const m = x2 / 2;
    if (m <= 0)
        return 0;
    const lnm = Math.log(m);
    let best = -Infinity;
    const terms = [];
    let lnTerm = -m; // i = 0
    for (let i = 0; i < v / 2; i++) {
        if (i > 0)
            lnTerm += lnm - Math.log(i);
        terms.push(lnTerm);
        if (lnTerm > best)
            best = lnTerm;
    }
    let sum = 0;
    for (const t of terms)
        sum += Math.exp(t - best);
    return Math.min(0, best + Math.log(sum));
}
/** Score a message from its features' counts. `nSpam`, `nHam`: messages trained of each kind. */
export function bayesScore(counts, nSpam, nHam, p = DEFAULT_PARAMS) {
    if (nSpam === 0 || nHam === 0)
        return { score: 0.5, used: 0 };
    const fs = [];
    for (const c of counts) {
        const n = c.spam + c.ham;
        if (n === 0)
            continue;
        const ps = Math.min(c.spam / nSpam, 1);
        const ph = Math.min(c.ham / nHam, 1);
        const prob = ps / (ps + ph);
        const f = (p.s * p.x + n * prob) / (p.s + n);
        if (Math.abs(f - 0.5) < p.minStrength)
            continue;
        fs.push(f);
    }
    if (fs.length === 0)
        return { score: 0.5, used: 0 };
    if (fs.length > p.maxFeatures) {
        fs.sort((a, b) => Math.abs(b - 0.5) - Math.abs(a - 0.5));
        fs.length = p.maxFeatures;
    }
    let lnHam = 0, lnSpam = 0;
    for (const f0 of fs) {
        const f = Math.min(Math.max(f0, 1e-6), 1 - 1e-6);
        lnHam += Math.log(f); // large (near 0) when features are spammy
        lnSpam += Math.log(1 - f);
    }
    const n = fs.length;
    // qSpam: how well "these are random, not spam features" explains them (small when they are
    // spammy); qHam likewise. SpamBayes scores (1 + qHam - qSpam) / 2, which says 0.5 for every
    // message with strong evidence both ways (both tails underflow). The tails' ratio
    // qHam / (qHam + qSpam), in log space, is the same at the extremes and still ranks those.
    const lnQSpam = lnChi2Q(-2 * lnSpam, 2 * n);
    const lnQHam = lnChi2Q(-2 * lnHam, 2 * n);
    return { score: 1 / (1 + Math.exp(lnQSpam - lnQHam)), used: n };
}
//# sourceMappingURL=bayes.js.map