import { log } from '../log.js';
import { JunkFilter } from './filter.js';
export const startJunk = async (ctx) => {
    const { store, pipeline, config } = ctx;
    const filter = new JunkFilter(store, config.hostname);
    pipeline.onVerdict(({ accountId, mailbox, raw, message }) => {
        const v = filter.classify(accountId, raw, message.mime, mailbox);
        if (v.junk)
            log.info('junk.filed', { account: accountId, reason: v.reason, score: Number(v.score.toFixed(3)) });
        return { ...(v.junk ? { mailbox: 'Junk' } : {}), flags: v.flags, headers: v.headers };
    });
    pipeline.onSubmission(async (msg) => {
        try {
            filter.noteWrote(msg.accountId, msg.raw);
        }
        catch (e) {
            log.warn('junk.note-failed', { error: e.message });
        }
        return msg.raw;
    });
    const unsubscribe = store.events.subscribeMessages((c) => filter.onMessages(c));
    let stopping = false;
    // Accounts with mail the filter never saw (imported, restored): their folders, in the background.
    const initial = (async () => {
        for (const a of store.accounts.list()) {
            if (stopping)
                return;
            const st = store.junk.state(a.id);
            if (st.foldersTrainedAt !== undefined)
                continue;
            // an account the filter already works for (deliveries, training) is trained by what its
            // person does; its INBOX may hold spam that was never moved
            if (st.delivered + st.spamTrained + st.hamTrained > 0) {
                store.junk.markFoldersTrained(a.id, Date.now());
                continue;
            }
            try {
                const r = await filter.trainFolders(a.id);
                if (r.spam + r.ham > 0)
                    log.info('junk.folders-trained', { account: a.id, spam: r.spam, ham: r.ham });
            }
            catch (e) {
                log.warn('junk.train-failed', { account: a.id, error: e.message });
            }
        }
    })();
    const service = {
        name: 'junk', listeners: [], filter,
        close: async () => { stopping = true; unsubscribe(); await initial; await filter.idle(); filter.flush(); },
    };
    return service;
};
//# sourceMappingURL=service.js.map