// When to try a queue entry again: at once, then about 5 minutes doubling with jitter (so a
// household's messages to one provider do not retry in lock step), capped like Postfix's
// maximal_backoff_time, and never past the entry's expiry.
export const FIRST_RETRY_MS = 5 * 60_000;
export const MAX_RETRY_MS = 4 * 3600_000;
/** The delay after the `attempts`-th failed attempt (1 = the first failure). `random` in [0, 1). */
export function retryDelay(attempts, random = Math.random()) {
    const base = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, Math.min(attempts - 1, 20)));
    const jitter = 0.8 + 0.4 * random; // +-20 %
    return Math.round(base * jitter);
}
export function nextAttemptAt(now, attempts, expiresAt, random) {
    return Math.min(now + retryDelay(attempts, random), Math.max(now, expiresAt));
}
//# sourceMappingURL=schedule.js.map