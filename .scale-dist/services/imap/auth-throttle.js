// Slowing down password guessing: every failed authentication is answered late, and too many
// failures lock out the client + user pair or the client for a while. Failures for one account
// from anywhere count in the lockout shared with SMTP (appliance/auth-lockout.ts), which refuses
// the clients that failed and lets the others in, after a short delay, with the right password, so
// that guessing cannot lock the household out. The lock is checked before the password, so a
// locked-out guesser learns nothing more.
// The client is the connection's client identity: its address, or for an onion connection the tor
// circuit (every onion client arrives from 127.0.0.1).
// Atomic: `begin` reserves the attempt before the password check and a reserved attempt counts as a
// failure until it ends, so parallel guesses cannot all pass the check before one failure counts.
// A refused attempt (no password checked) is not a failure and does not extend a lock, so a mail
// client polling with an old password does not keep itself locked out forever.
import { imapLimits } from './limits.js';
export class AuthThrottle {
    accounts;
    counters = new Map();
    /** `accounts`: the store's shared per-account lockout (absent: per client only) */
    constructor(accounts) {
        this.accounts = accounts;
    }
    keys(client, user) {
        const u = user.toLowerCase().trim();
        return [
            [`pair ${client} ${u}`, imapLimits.maxFailuresPerClientUser],
            [`addr ${client}`, imapLimits.maxFailuresPerAddress],
        ];
    }
    counter(k, now) {
        let c = this.counters.get(k);
        if (!c || (c.pending === 0 && c.lockedUntil <= now && now - c.first > imapLimits.lockoutMs)) {
            c = { failures: 0, pending: 0, first: now, lockedUntil: 0 };
            this.counters.set(k, c);
        }
        return c;
    }
    /** Refused (undefined: answer NO without checking the password) or an attempt to end once. */
    begin(client, user, now = Date.now()) {
        const a = this.tryBegin(client, user, now);
        return a === 'busy' ? undefined : a;
    }
    /** Like `begin`, but when the only reason to refuse is this client's own attempts still in
     *  progress (a mail client opening several connections at once: no password has failed), wait
     *  for them to end and try again, up to `maxWaitMs`. The first try reserves synchronously. */
    async beginOrWait(client, user, maxWaitMs = 10_000) {
        const until = Date.now() + maxWaitMs;
        for (;;) {
            const a = this.tryBegin(client, user, Date.now());
            if (a !== 'busy')
                return a;
            if (Date.now() >= until)
                return undefined;
            await new Promise((resolve) => {
                const timer = setTimeout(done, 100);
                function done() { clearTimeout(timer); resolve(); }
                this.settled.push(done);
            });
        }
    }
    /** waiting `beginOrWait` calls: woken when an attempt ends */
    settled = [];
    tryBegin(client, user, now) {
        const keys = this.keys(client, user);
        let busy = false;
        for (const [k, max] of keys) {
            const c = this.counters.get(k);
            if (!c)
                continue;
            if (c.lockedUntil > now)
                return undefined;
            if (now - c.first <= imapLimits.lockoutMs && c.failures + c.pending >= max) {
                if (c.failures >= max)
                    return undefined;
                busy = true;
            }
        }
        if (busy)
            return 'busy';
        let account;
        if (this.accounts) {
            const v = this.accounts().begin(user, client);
            if (v.refused)
                return v.busy ? 'busy' : undefined;
            account = v.attempt;
        }
        const held = keys.map(([k, max]) => { const c = this.counter(k, now); c.pending++; return [c, max]; });
        let ended = false;
        const end = () => {
            if (ended)
                return false;
            ended = true;
            for (const [c] of held)
                c.pending--;
            const waiting = this.settled;
            this.settled = [];
            for (const w of waiting)
                queueMicrotask(w);
            return true;
        };
        return {
            delayMs: account?.delayMs ?? 0,
            failed: async () => {
                if (!end())
                    return;
                account?.failed();
                const t = Date.now();
                for (const [c, max] of held) {
                    c.failures++;
                    if (c.failures >= max && c.lockedUntil <= t)
                        c.lockedUntil = t + imapLimits.lockoutMs;
                }
                this.prune(t);
                await new Promise((r) => setTimeout(r, imapLimits.authFailureDelayMs));
            },
            succeeded: () => {
                if (!end())
                    return;
                account?.succeeded();
                const pair = keys[0][0];
                if (this.counters.get(pair)?.pending === 0)
                    this.counters.delete(pair);
            },
            abandoned: () => { if (end())
                account?.abandoned(); },
        };
    }
    /** A refused attempt is answered as late as a failure (a guesser learns nothing from timing). */
    async refused() {
        await new Promise((r) => setTimeout(r, imapLimits.authFailureDelayMs));
    }
    prune(now) {
        if (this.counters.size < 10_000)
            return;
        for (const [k, c] of this.counters)
            if (c.pending === 0 && c.lockedUntil < now && now - c.first > imapLimits.lockoutMs)
                this.counters.delete(k);
    }
}
//# sourceMappingURL=auth-throttle.js.map