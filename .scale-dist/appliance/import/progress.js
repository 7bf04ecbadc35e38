export class Progress {
    store;
    show;
    folders = new Map();
    started = Date.now();
    lastShown = 0;
    lastSaved = 0;
    current = '';
    runId;
    constructor(store, show, run) {
        this.store = store;
        this.show = show;
        if (store && run)
            this.runId = store.imports.startRun(run.accountId, run.kind, run.origin);
    }
    folder(name, total, done) {
        this.folders.set(name, { folder: name, total, done, bytes: 0 });
        this.current = name;
        this.update(true);
    }
    /** `total` grows as a streamed source (an mbox) is read. */
    tick(name, bytes, grows = false) {
        let f = this.folders.get(name);
        if (!f) {
            f = { folder: name, total: 0, done: 0, bytes: 0 };
            this.folders.set(name, f);
        }
        f.done++;
        f.bytes += bytes;
        if (grows && f.done > f.total)
            f.total = f.done;
        this.current = name;
        this.update(false);
    }
    get totals() {
        let total = 0, done = 0, bytes = 0;
        for (const f of this.folders.values()) {
            total += f.total;
            done += f.done;
            bytes += f.bytes;
        }
        return { total, done, bytes };
    }
    line() {
        const { total, done, bytes } = this.totals;
        const secs = Math.max((Date.now() - this.started) / 1000, 0.001);
        const rate = done / secs;
        const left = total > done && rate > 0 ? Math.round((total - done) / rate) : 0;
        const f = this.folders.get(this.current);
        const here = f ? ` | ${f.folder} ${f.done}/${f.total}` : '';
        return `${done}/${total} messages, ${(bytes / 1048576).toFixed(1)} MB, ${rate.toFixed(0)}/s${left ? `, about ${fmt(left)} left` : ''}${here}`;
    }
    snapshot(state) {
        const { total, done, bytes } = this.totals;
        const secs = Math.max((Date.now() - this.started) / 1000, 0.001);
        return { total, done, bytes, rate: done / secs, state, folders: [...this.folders.values()] };
    }
    update(force) {
        const now = Date.now();
        if (this.show && (force || now - this.lastShown >= 1000)) {
            this.lastShown = now;
            this.show(this.line(), false);
        }
        if (this.store && this.runId !== undefined && (force || now - this.lastSaved >= 2000)) {
            this.lastSaved = now;
            try {
                this.store.imports.updateRun(this.runId, this.snapshot());
            }
            catch { /* progress is best effort */ }
        }
    }
    finish(state, note) {
        if (this.folders.size)
            this.show?.(this.line(), true);
        if (this.store && this.runId !== undefined) {
            try {
                this.store.imports.finishRun(this.runId, state, { ...this.snapshot(state), ...(note ? { note } : {}) });
            }
            catch { /* best effort */ }
        }
    }
}
function fmt(s) {
    if (s < 90)
        return `${s}s`;
    if (s < 5400)
        return `${Math.round(s / 60)}m`;
    return `${Math.floor(s / 3600)}h${String(Math.round((s % 3600) / 60)).padStart(2, '0')}`;
}
//# sourceMappingURL=progress.js.map