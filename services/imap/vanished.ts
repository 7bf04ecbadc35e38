// VANISHED (EARLIER) (RFC 7162 3.2.5.2, 3.2.6): the UIDs that left a mailbox since a modseq. The
// expunge log has every expunge with its modseq; a message can also leave without a record (RENAME
// INBOX moves them all to the new mailbox), at a time we do not know: those UIDs (below UIDNEXT,
// neither in the mailbox nor in the log) are always reported, since the client may still have them.
// `floor` drops the unrecorded ones at or below a UID the client proved unchanged (seq-match-data).
import type { Store } from '../../appliance/store/index.js';

export function vanishedSince(store: Store, mailboxId: number, modseq: number, floor = 0): number[] {
  const mb = store.mailboxes.byId(mailboxId);
  if (!mb) return [];
  // In this order: anything below this UIDNEXT is then either listed, or in the log, or unrecorded.
  const count = store.mailboxes.status(mailboxId).messages;
  const logged = store.messages.expungedSince(mailboxId, 0);
  const recorded = store.messages.expungedSince(mailboxId, modseq);
  if (count + logged.length >= mb.uidNext - 1) return recorded;
  // Walk 1..UIDNEXT against the two sorted lists (the mailbox's UIDs compactly, the log).
  const present = store.messages.uids(mailboxId);
  const out = [...recorded];
  let i = 0, j = 0;
  for (let u = floor + 1; u < mb.uidNext; u++) {
    while (i < present.length && present[i]! < u) i++;
    while (j < logged.length && logged[j]! < u) j++;
    if ((i < present.length && present[i] === u) || (j < logged.length && logged[j] === u)) continue;
    out.push(u);
  }
  return out.sort((a, b) => a - b);
}
