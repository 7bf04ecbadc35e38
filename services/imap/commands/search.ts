// SEARCH and UID SEARCH (RFC 9051 6.4.4): keys are parsed and evaluated by search/; this handler
// gives them the session's view of the mailbox and answers SEARCH or ESEARCH (RFC 4731; always
// ESEARCH once IMAP4rev2 is enabled), keeping a SAVE result for "$" (RFC 5182).
import { parseSearch, evaluateSearch, formatSearchResponse, savedResult, type SearchProgram } from '../search/index.js';
import { SELECTED, type CommandHandler, type ImapSession } from '../session-state.js';
import type { BlobInfo, MessageMeta } from '../../../appliance/store/index.js';

/** The UIDs (ascending) of the selected mailbox's messages a search program matches, with the
 *  rows read for it (SORT and THREAD search the same way). */
export function searchSelected(s: ImapSession, program: SearchProgram): { uids: number[]; metas: Map<number, MessageMeta> } {
  const box = s.selected!;
  const rows = s.store.messages.list(box.id);
  const messages: Array<{ seq: number; meta: MessageMeta }> = [];
  for (const meta of rows) {
    const seq = box.seqOf(meta.uid);
    if (seq > 0) messages.push({ seq, meta });
  }
  const blobs = new Map<number, BlobInfo>();
  const blob = (m: MessageMeta): BlobInfo => {
    let b = blobs.get(m.blobId);
    if (!b) { b = s.store.messages.blob(m.blobId); if (blobs.size < 2000) blobs.set(m.blobId, b); }
    return b;
  };
  const uids = evaluateSearch(program, { mailboxId: box.id, messages, store: s.store, saved: s.saved, isRecent: (uid) => box.isRecent(uid), blob, raw: (m) => s.store.readMessage(blob(m).hash) });
  return { uids, metas: new Map(messages.map((m) => [m.meta.uid, m.meta])) };
}

function search(byUid: boolean): CommandHandler {
  return {
    states: SELECTED,
    async run(s, cmd) {
      const box = s.selected!;
      const parsed = parseSearch(cmd.args, { utf8: s.utf8 });
      const program: SearchProgram = parsed.returnOptions === undefined && s.rev2 ? { ...parsed, returnOptions: ['ALL'] } : parsed;
      if (program.usesModseq) s.enableCondstore();
      const { uids, metas: byUidMeta } = searchSelected(s, program);
      const saved = savedResult(program, uids);
      if (saved) s.saved = saved;
      // RFC 7162 3.1.5 (with RFC 4731): MODSEQ is the highest mod-sequence of the messages the
      // answer reports: only the MIN and/or MAX message when RETURN asks for nothing else.
      const ret = program.returnOptions;
      const onlyEnds = ret !== undefined && (ret.includes('MIN') || ret.includes('MAX')) && !ret.includes('ALL') && !ret.includes('COUNT');
      const reported = onlyEnds && uids.length ? [...new Set([...(ret.includes('MIN') ? [uids[0]!] : []), ...(ret.includes('MAX') ? [uids[uids.length - 1]!] : [])])] : uids;
      let highestModseq: number | undefined;
      for (const u of reported) { const m = byUidMeta.get(u); if (m && (highestModseq === undefined || m.modseq > highestModseq)) highestModseq = m.modseq; }
      const numbers = byUid ? uids : uids.map((u) => box.seqOf(u)).sort((a, b) => a - b);
      const response = formatSearchResponse(program, { numbers, ...(highestModseq !== undefined ? { highestModseq } : {}) }, { tag: cmd.tag, uid: byUid });
      if (response) await s.untagged(...response);
    },
  };
}

export const SEARCH = search(false);
export const UID_SEARCH = search(true);
