// One account's junk model in memory: how many spam and ham messages were trained, and per feature
// (hashed) in how many of each it occurred. The store keeps the same table on disk
// (store/junk.ts); this is its cache, loaded once per account and changed together with it.
import { bayesScore, DEFAULT_PARAMS } from './bayes.js';
/** counts packed in one number: spam * 2^26 + ham (each up to 67 million) */
const SHIFT = 67108864;
export class JunkModel {
    params;
    counts = new Map();
    nSpam = 0;
    nHam = 0;
    constructor(params = DEFAULT_PARAMS) {
        this.params = params;
    }
    get(feature) {
        const v = this.counts.get(feature);
        if (v === undefined)
            return { spam: 0, ham: 0 };
        return { spam: Math.floor(v / SHIFT), ham: v % SHIFT };
    }
    set(feature, c) {
        if (c.spam <= 0 && c.ham <= 0)
            this.counts.delete(feature);
        else
            this.counts.set(feature, Math.max(0, c.spam) * SHIFT + Math.max(0, c.ham));
    }
    /** Add (sign 1) or remove (sign -1) one message's features under a label; returns the new
     *  counts of every feature touched (for the store). */
    apply(features, label, sign) {
        const changes = [];
        for (const f of features) {
            const c = this.get(f);
            if (label === 'spam')
                c.spam = Math.max(0, c.spam + sign);
            else
                c.ham = Math.max(0, c.ham + sign);
            this.set(f, c);
            changes.push({ feature: f, spam: c.spam, ham: c.ham });
        }
        if (label === 'spam')
            this.nSpam = Math.max(0, this.nSpam + sign);
        else
            this.nHam = Math.max(0, this.nHam + sign);
        return changes;
    }
    /** 0 (ham) .. 1 (spam); 0.5 when the model knows nothing */
    score(features) {
        const model = this;
        function* counts() { for (const f of features)
            yield model.get(f); }
        return bayesScore(counts(), this.nSpam, this.nHam, this.params);
    }
    get size() { return this.counts.size; }
}
//# sourceMappingURL=model.js.map