// postern queue list | retry ID|--all | delete ID: the operator's view of the outbound queue.
// The running appliance picks up changes on its next look at the queue (every few seconds).
import { withStore } from './open-store.js';
import { UsageError } from './command.js';
/** "3d4h", "2h13m", "5m", "40s" */
export function duration(ms) {
    const s = Math.max(0, Math.round(ms / 1000));
    const d = Math.floor(s / 86400);
    const h = Math.floor((s % 86400) / 3600);
    const m = Math.floor((s % 3600) / 60);
    if (d)
        return `${d}d${h}h`;
    if (h)
        return `${h}h${m}m`;
    if (m)
        return `${m}m`;
    return `${s}s`;
}
function entryId(args) {
    if (args.length !== 1)
        throw new UsageError('expected exactly one queue entry id (see "postern queue list")');
    const id = Number(args[0]);
    if (!/^\d+$/.test(args[0]) || !Number.isSafeInteger(id))
        throw new UsageError(`"${args[0]}" is not a queue entry id (a whole number)`);
    return id;
}
export function formatEntry(e, now) {
    const pending = e.recipients.filter((r) => r.status === 'pending').length;
    const next = e.nextAttemptAt <= now ? 'now' : `in ${duration(e.nextAttemptAt - now)}`;
    // the whole answer on one line (a remote server's reason is often past the first 120 characters)
    const last = (e.lastReply ?? '-').replace(/\s+/g, ' ');
    return [String(e.id), duration(now - e.createdAt), String(e.attempts), next, `${pending}/${e.recipients.length}`, e.domain, e.mailFrom || '<>', e.route ?? '-', last].join('\t');
}
export const queueList = {
    name: 'queue list',
    usage: 'postern queue list',
    summary: 'outbound queue: id, age, attempts, next try, pending recipients, domain, sender, route, last answer',
    async run({ config, out }) {
        return withStore(config, (store) => {
            const entries = store.queue.list();
            if (entries.length === 0) {
                out('the outbound queue is empty');
                return 0;
            }
            const now = Date.now();
            out(['ID', 'AGE', 'ATTEMPTS', 'NEXT', 'PENDING', 'DOMAIN', 'SENDER', 'ROUTE', 'LAST ANSWER'].join('\t'));
            for (const e of entries)
                out(formatEntry(e, now));
            return 0;
        });
    },
};
export const queueRetry = {
    name: 'queue retry',
    usage: 'postern queue retry ID|--all',
    summary: 'try a queue entry (or every entry) again now',
    async run({ config, args, flags, out }) {
        if (flags.all) {
            if (args.length)
                throw new UsageError('give either an id or --all, not both');
            return withStore(config, (store) => {
                const n = store.queue.retry();
                out(`${n} ${n === 1 ? 'entry' : 'entries'} will be tried again now`);
                return 0;
            });
        }
        const id = entryId(args);
        return withStore(config, (store) => {
            store.queue.retry(id); // StoreError not-found: exit 1 with "there is no queue entry N"
            out(`entry ${id} will be tried again now`);
            return 0;
        });
    },
};
export const queueDelete = {
    name: 'queue delete',
    usage: 'postern queue delete ID',
    summary: 'remove a queue entry without delivering it (no notice is sent)',
    async run({ config, args, out }) {
        const id = entryId(args);
        return withStore(config, (store) => {
            store.queue.remove(id);
            store.reclaim();
            out(`entry ${id} deleted`);
            return 0;
        });
    },
};
export const QUEUE_COMMANDS = [queueList, queueRetry, queueDelete];
//# sourceMappingURL=queue.js.map