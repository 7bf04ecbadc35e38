// The store's background work, in small slices on the event loop: reclaiming content nothing
// refers to any more (after EXPUNGE, MOVE, mailbox or account removal, finished queue entries:
// whatever dropped a blob's last reference) and indexing blobs an old store had not indexed yet
// (migration 400). A cheap indexed check runs every POLL_MS, so expunged mail's files and index
// rows are gone within RECLAIM_BOUND_MS whatever removed them; nudge() makes it sooner.
import { log } from '../log.js';
/** the periodic check (ms) */
export const POLL_MS = 2000;
/** expunged content is reclaimed at most this long after its last reference went (ms) */
export const RECLAIM_BOUND_MS = POLL_MS + 1000;
/** per slice: bounds how long the event loop is held (a few ms to tens of ms) */
const RECLAIM_SLICE = 200;
const INDEX_SLICE = 50;
/** between slices while work is left: lets other events run */
const BUSY_GAP_MS = 5;
export class Maintenance {
    work;
    timer;
    due = 0;
    stopped = false;
    constructor(work) {
        this.work = work;
        this.schedule(POLL_MS);
    }
    /** Work may be waiting: look soon. */
    nudge() {
        this.schedule(100);
    }
    schedule(ms) {
        if (this.stopped)
            return;
        const at = Date.now() + ms;
        if (this.timer && this.due <= at)
            return;
        if (this.timer)
            clearTimeout(this.timer);
        this.due = at;
        this.timer = setTimeout(() => { this.timer = undefined; this.tick(); }, ms);
        this.timer.unref();
    }
    tick() {
        if (this.stopped)
            return;
        let more = false;
        try {
            if (this.work.reclaimDue())
                more = this.work.reclaim(RECLAIM_SLICE) >= RECLAIM_SLICE || more;
            if (this.work.indexDue())
                more = this.work.index(INDEX_SLICE) > 0 || more;
        }
        catch (e) {
            log.warn('store.maintenance-failed', { error: e.message });
        }
        this.schedule(more ? BUSY_GAP_MS : POLL_MS);
    }
    /** Do everything that is due now, synchronously (tests, CLI commands). */
    runAll() {
        while (this.work.reclaimDue() && this.work.reclaim(RECLAIM_SLICE) > 0) { /* next slice */ }
        while (this.work.indexDue() && this.work.index(INDEX_SLICE) > 0) { /* next slice */ }
    }
    stop() {
        this.stopped = true;
        if (this.timer)
            clearTimeout(this.timer);
        this.timer = undefined;
    }
}
//# sourceMappingURL=maintenance.js.map