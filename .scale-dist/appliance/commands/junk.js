// postern junk stats|train|retrain ACCOUNT: the junk filter of one account. stats: what it
// learned and caught; train: learn the account's existing folders (resumable: trained messages
// are skipped); retrain: forget the model and learn the folders again (after a restore or an
// import). The running appliance notices the change (the model's version in the store).
import { withStore } from './open-store.js';
import { UsageError } from './command.js';
import { JunkFilter } from '../junk/filter.js';
function account(store, ctx) {
    const address = ctx.args[0];
    if (!address || ctx.args.length > 1)
        throw new UsageError(`usage: postern junk ${ctx.args.length > 1 ? 'COMMAND ACCOUNT (one account)' : 'COMMAND ACCOUNT'}`);
    const a = store.accounts.byAddress(address.toLowerCase());
    if (!a)
        throw new UsageError(`there is no account ${address} (postern user list shows them)`, 1);
    return a;
}
/** A progress bar on a terminal (standard error, redrawn in place), a line per 10 % otherwise. */
function progress(ctx) {
    const tty = !!process.stderr.isTTY;
    let lastTenth = -1;
    return (done, total) => {
        const frac = total ? done / total : 1;
        if (tty) {
            const width = 30;
            const fill = Math.round(frac * width);
            process.stderr.write(`\r[${'#'.repeat(fill)}${' '.repeat(width - fill)}] ${(frac * 100).toFixed(0).padStart(3)} % ${done}/${total} messages`);
            if (done === total)
                process.stderr.write('\n');
            return;
        }
        const tenth = Math.floor(frac * 10);
        if (tenth !== lastTenth) {
            lastTenth = tenth;
            ctx.out(`${(frac * 100).toFixed(0)} % (${done}/${total} messages)`);
        }
    };
}
function stats(store, a, out) {
    const s = store.junk.state(a.id);
    out(`${a.address}: trained ${s.spamTrained} spam and ${s.hamTrained} ham; caught ${s.caught} of ${s.delivered} messages delivered`);
    out(`threshold ${s.threshold} (a score at or above it is junk); junks nothing before ${s.minTrained} of each were trained${s.spamTrained >= s.minTrained && s.hamTrained >= s.minTrained ? '' : ' (not yet)'}`);
    out(`model: ${store.junk.featureCount(a.id)} features, about ${(store.junk.modelBytes(a.id) / 1048576).toFixed(2)} MB; ${store.junk.correspondents(a.id)} correspondents (never junked)`);
    out(`risky attachments from unknown senders: ${s.riskyToJunk ? 'to Junk' : 'marked, left in the INBOX'}; folders trained: ${s.foldersTrainedAt ? new Date(s.foldersTrainedAt).toISOString() : 'not yet'}`);
}
export const junkStats = {
    name: 'junk stats',
    usage: 'postern junk stats ACCOUNT',
    summary: "the account's junk filter: messages trained and caught, threshold, model size",
    async run(ctx) {
        return withStore(ctx.config, (store) => { stats(store, account(store, ctx), ctx.out); return 0; });
    },
};
export const junkTrain = {
    name: 'junk train',
    usage: 'postern junk train ACCOUNT',
    summary: "learn from the account's folders (Junk as spam; INBOX, Archive and own folders as ham; Sent as correspondents)",
    async run(ctx) {
        return withStore(ctx.config, async (store) => {
            const a = account(store, ctx);
            const r = await new JunkFilter(store, ctx.config.hostname).trainFolders(a.id, progress(ctx));
            ctx.out(`trained ${r.spam} spam and ${r.ham} ham; ${r.skipped} already trained or unreadable`);
            stats(store, a, ctx.out);
            return 0;
        });
    },
};
export const junkRetrain = {
    name: 'junk retrain',
    usage: 'postern junk retrain ACCOUNT',
    summary: "forget the account's junk model and learn its folders again (after a restore or an import)",
    async run(ctx) {
        return withStore(ctx.config, async (store) => {
            const a = account(store, ctx);
            const r = await new JunkFilter(store, ctx.config.hostname).retrain(a.id, progress(ctx));
            ctx.out(`retrained: ${r.spam} spam and ${r.ham} ham; ${r.skipped} unreadable`);
            stats(store, a, ctx.out);
            return 0;
        });
    },
};
//# sourceMappingURL=junk.js.map