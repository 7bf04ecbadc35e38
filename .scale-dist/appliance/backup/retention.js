export const DEFAULT_RETENTION = { daily: 7, weekly: 4, monthly: 6 };
function dayKey(t) {
    return new Date(t).toISOString().slice(0, 10);
}
function weekKey(t) {
    // ISO week: the Thursday of the week decides its year
    const d = new Date(t);
    const day = (d.getUTCDay() + 6) % 7;
    const thursday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3));
    const firstThursday = new Date(Date.UTC(thursday.getUTCFullYear(), 0, 4));
    const week = 1 + Math.round((thursday.getTime() - firstThursday.getTime()) / (7 * 86400000) - ((firstThursday.getUTCDay() + 6) % 7 - 3) / 7);
    return `${thursday.getUTCFullYear()}-W${week}`;
}
function monthKey(t) {
    return new Date(t).toISOString().slice(0, 7);
}
/** The sequence numbers to keep, from snapshots given as { seq, createdAt }. */
export function snapshotsToKeep(snapshots, r = DEFAULT_RETENTION) {
    const newestFirst = [...snapshots].sort((a, b) => b.seq - a.seq);
    const keep = new Set();
    if (newestFirst[0])
        keep.add(newestFirst[0].seq);
    for (const [count, key] of [[r.daily, dayKey], [r.weekly, weekKey], [r.monthly, monthKey]]) {
        const seen = new Set();
        for (const s of newestFirst) {
            if (seen.size >= count)
                break;
            const k = key(s.createdAt);
            if (seen.has(k))
                continue;
            seen.add(k);
            keep.add(s.seq);
        }
    }
    return keep;
}
//# sourceMappingURL=retention.js.map