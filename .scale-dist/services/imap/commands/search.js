// SEARCH and UID SEARCH (RFC 9051 6.4.4): keys are parsed and evaluated by search/; this handler
// gives them the session's view of the mailbox and answers SEARCH or ESEARCH (RFC 4731; always
// ESEARCH once IMAP4rev2 is enabled), keeping a SAVE result for "$" (RFC 5182).
import { parseSearch, searchMailbox, formatSearchResponse, savedResult } from '../search/index.js';
import { SELECTED } from '../session-state.js';
/** The UIDs (ascending) of the selected mailbox's messages a search program matches, with the
 *  rows of the matches (SORT and THREAD search the same way). The store streams the candidates;
 *  only the matches are kept. */
export function searchSelected(s, program) {
    const metas = new Map();
    const outcome = searchMailbox(program, context(s), (meta) => metas.set(meta.uid, meta));
    return { ...outcome, metas };
}
/** The session's view of the selected mailbox, for the evaluator. */
function context(s) {
    const box = s.selected;
    return {
        mailboxId: box.id, store: s.store, saved: s.saved, isRecent: (uid) => box.isRecent(uid),
        exists: box.exists, uidAt: (seq) => box.uids[seq - 1], seqOf: (uid) => box.seqOf(uid),
    };
}
function search(byUid) {
    return {
        states: SELECTED,
        async run(s, cmd) {
            const box = s.selected;
            const parsed = parseSearch(cmd.args, { utf8: s.utf8 });
            const program = parsed.returnOptions === undefined && s.rev2 ? { ...parsed, returnOptions: ['ALL'] } : parsed;
            if (program.usesModseq)
                s.enableCondstore();
            const outcome = searchMailbox(program, context(s)); // streamed: only the UIDs are kept
            const uids = outcome.uids;
            const saved = savedResult(program, uids);
            if (saved)
                s.saved = saved;
            // RFC 7162 3.1.5 (with RFC 4731): MODSEQ is the highest mod-sequence of the messages the
            // answer reports: only the MIN and/or MAX message when RETURN asks for nothing else.
            const ret = program.returnOptions;
            const onlyEnds = ret !== undefined && (ret.includes('MIN') || ret.includes('MAX')) && !ret.includes('ALL') && !ret.includes('COUNT');
            const highestModseq = onlyEnds && outcome.uids.length
                ? Math.max(...(ret.includes('MIN') ? [outcome.firstModseq] : []), ...(ret.includes('MAX') ? [outcome.lastModseq] : []))
                : outcome.highestModseq;
            const numbers = byUid ? uids : uids.map((u) => box.seqOf(u)); // ascending either way
            const response = formatSearchResponse(program, { numbers, ...(highestModseq !== undefined ? { highestModseq } : {}) }, { tag: cmd.tag, uid: byUid });
            if (response)
                await s.untagged(...response);
        },
    };
}
export const SEARCH = search(false);
export const UID_SEARCH = search(true);
//# sourceMappingURL=search.js.map