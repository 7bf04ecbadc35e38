// SEARCH and UID SEARCH (RFC 9051 6.4.4): keys are parsed and evaluated by search/; this handler
// gives them the session's view of the mailbox and answers SEARCH or ESEARCH (RFC 4731; always
// ESEARCH once IMAP4rev2 is enabled), keeping a SAVE result for "$" (RFC 5182), a page with
// PARTIAL (RFC 9394), and with UPDATE a context kept up to date until CANCELUPDATE (RFC 5267).
import { parseSearch, searchMailbox, formatSearchResponse, savedResult, type SearchProgram, type SearchOutcome, type SearchContext } from '../search/index.js';
import { SELECTED, type CommandHandler, type ImapSession } from '../session-state.js';
import { bad } from '../errors.js';
import type { MessageMeta } from '../../../appliance/store/index.js';

/** The UIDs (ascending) of the selected mailbox's messages a search program matches, with the
 *  rows of the matches (SORT and THREAD search the same way). The store streams the candidates;
 *  only the matches are kept. */
export function searchSelected(s: ImapSession, program: SearchProgram): SearchOutcome & { metas: Map<number, MessageMeta> } {
  const metas = new Map<number, MessageMeta>();
  const outcome = searchMailbox(program, context(s), (meta) => metas.set(meta.uid, meta));
  return { ...outcome, metas };
}

/** The session's view of the selected mailbox, for the evaluator. */
function context(s: ImapSession): SearchContext {
  const box = s.selected!;
  return {
    mailboxId: box.id, store: s.store, saved: s.saved, isRecent: (uid) => box.isRecent(uid),
    exists: box.exists, uidAt: (seq) => box.uidAt(seq)!, seqOf: (uid) => box.seqOf(uid),
  };
}

function search(byUid: boolean): CommandHandler {
  return {
    states: SELECTED,
    async run(s, cmd) {
      const box = s.selected!;
      const parsed = parseSearch(cmd.args, { utf8: s.utf8 });
      const program: SearchProgram = parsed.returnOptions === undefined && s.rev2 ? { ...parsed, returnOptions: ['ALL'] } : parsed;
      if (program.usesModseq) s.enableCondstore();
      const outcome = searchMailbox(program, context(s)); // streamed: only the UIDs are kept
      const uids = outcome.uids;
      const saved = savedResult(program, uids);
      if (saved) s.saved = saved;
      // RFC 7162 3.1.5 (with RFC 4731): MODSEQ is the highest mod-sequence of the messages the
      // answer reports: only the MIN and/or MAX message when RETURN asks for nothing else.
      const ret = program.returnOptions;
      const onlyEnds = ret !== undefined && (ret.includes('MIN') || ret.includes('MAX')) && !ret.includes('ALL') && !ret.includes('COUNT');
      const highestModseq = onlyEnds && outcome.uids.length
        ? Math.max(...(ret.includes('MIN') ? [outcome.firstModseq!] : []), ...(ret.includes('MAX') ? [outcome.lastModseq!] : []))
        : outcome.highestModseq;
      const numbers = byUid ? uids : uids.map((u) => box.seqOf(u)); // ascending either way
      const response = formatSearchResponse(program, { numbers, ...(highestModseq !== undefined ? { highestModseq } : {}) }, { tag: cmd.tag, uid: byUid });
      if (response) await s.untagged(...response);
      if (ret?.includes('UPDATE')) {
        if (ret.includes('SAVE')) throw bad('SEARCH: RETURN (UPDATE) cannot be combined with SAVE');
        const refused = s.contexts.add({
          tag: cmd.tag, uid: byUid, sorted: false, result: uids,
          evaluate: () => searchMailbox(program, context(s)).uids,
        }, s.store.mailboxes.byId(box.id)?.highestModseq ?? 0);
        if (refused) await s.untagged(...refused);
      }
    },
  };
}

/** CANCELUPDATE "tag" ... (RFC 5267 4.3.5): stop updating those contexts. */
export const CANCELUPDATE: CommandHandler = {
  states: SELECTED,
  run(s, cmd) {
    if (cmd.args.length === 0) throw bad('CANCELUPDATE: name the tag of at least one search');
    const tags = cmd.args.map((a) => {
      if (a.kind !== 'string') throw bad('CANCELUPDATE: each tag is a quoted string');
      return a.value.toString('utf8');
    });
    s.contexts.cancel(tags);
  },
};

export const SEARCH = search(false);
export const UID_SEARCH = search(true);
