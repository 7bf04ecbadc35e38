import { redactImapUrl } from './imap-target.js';
/** A daily schedule with some slack: past this without a good snapshot a target is overdue. */
export const OVERDUE_AFTER_MS = 26 * 3600 * 1000;
export function targetState(r, now = Date.now()) {
    const when = (t) => (t ? new Date(t).toISOString() : 'never');
    if (r.lastError && (!r.lastOkAt || (r.lastRunAt ?? 0) > r.lastOkAt))
        return { state: 'failed', text: `the last run (${when(r.lastRunAt)}) failed: ${r.lastError}; last good snapshot ${r.lastSeq || 'none'} at ${when(r.lastOkAt)}` };
    if (!r.lastOkAt)
        return { state: 'never', text: 'no snapshot written yet' };
    if (now - r.lastOkAt > OVERDUE_AFTER_MS)
        return { state: 'overdue', text: `overdue: the last snapshot (${r.lastSeq}) is from ${when(r.lastOkAt)}` };
    return { state: 'ok', text: `snapshot ${r.lastSeq} at ${when(r.lastOkAt)}` };
}
export function backupStatus(store, now = Date.now()) {
    return store.backups.targets().map((r) => ({ name: r.name, record: r, ...targetState(r, now) }));
}
export function describeTarget(r) {
    const where = r.kind === 'imap' ? redactImapUrl(r.location) : r.location;
    return `${r.name}\t${r.kind}\t${where}\t${targetState(r).text}`;
}
//# sourceMappingURL=state.js.map