// Bytes of client input all sessions of a protocol together may hold in memory (the box has 1 GB
// and V8 a 256 MB heap): SMTP's message data, IMAP's queued commands and literals. A session that
// cannot take what it needs refuses (SMTP 452, IMAP NO [LIMIT]) or stops reading until bytes are
// given back (`whenFree`).
export class MemoryBudget {
    limit;
    used = 0;
    waiters = [];
    constructor(limit) {
        this.limit = limit;
    }
    /** Take n bytes if they fit. */
    take(n) {
        if (this.used + n > this.limit)
            return false;
        this.used += n;
        return true;
    }
    /** Take n bytes already held (a command line that has arrived); true while within the limit. */
    force(n) {
        this.used += n;
        return this.used <= this.limit;
    }
    give(n) {
        this.used = Math.max(0, this.used - n);
        if (this.used < this.limit && this.waiters.length) {
            const ws = this.waiters;
            this.waiters = [];
            for (const w of ws)
                w();
        }
    }
    /** Call `fn` once bytes are given back and the budget is below its limit again. */
    whenFree(fn) {
        if (this.used < this.limit) {
            fn();
            return;
        }
        this.waiters.push(fn);
    }
    get inUse() { return this.used; }
    get full() { return this.used >= this.limit; }
}
//# sourceMappingURL=memory-budget.js.map