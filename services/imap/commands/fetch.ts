// FETCH and UID FETCH (RFC 9051 6.4.5): the items are parsed and rendered by message/fetch.ts;
// this handler picks the messages, applies CHANGEDSINCE and VANISHED (RFC 7162 3.1.4, 3.2.6),
// sets \Seen for non-PEEK body fetches (and reports the new FLAGS), adds UID for UID FETCH and
// MODSEQ once CONDSTORE is on. The PARTIAL modifier (RFC 9394 3.3) pages through the messages the
// set (and CHANGEDSINCE) names: "UID FETCH 1:* (FLAGS) (PARTIAL -1:-50)" is the newest 50.
import { Atom, atom, type ImapValue } from '../wire.js';
import { ArgReader } from '../args.js';
import { bad } from '../errors.js';
import { formatSet, inSet } from '../sequence.js';
import { fetchSetsSeen, parseFetchItems, renderFetch, type FetchItem, type FetchSubject } from '../message/fetch.js';
import { SELECTED, type CommandHandler } from '../session-state.js';
import { vanishedSince } from '../vanished.js';
import { partialBounds, parsePartialRange, type PartialRange } from '../search/partial.js';
import type { BlobInfo, MessageMeta, Store } from '../../../appliance/store/index.js';

function setValue(values: ImapValue[], name: string, value: ImapValue): void {
  for (let i = 0; i < values.length; i += 2) {
    const v = values[i];
    if (v instanceof Atom && v.value === name) { values[i + 1] = value; return; }
  }
  values.push(atom(name), value);
}

function hasItem(values: readonly ImapValue[], name: string): boolean {
  for (let i = 0; i < values.length; i += 2) {
    const v = values[i];
    if (v instanceof Atom && v.value === name) return true;
  }
  return false;
}

function fetch(byUid: boolean): CommandHandler {
  return {
    states: SELECTED,
    async run(s, cmd) {
      const r = new ArgReader(cmd.args, cmd.name);
      const box = s.selected!;
      const set = r.sequenceSet();
      const items: FetchItem[] = parseFetchItems([r.next('data items')]);
      let changedSince: number | undefined;
      let vanished = false;
      let partial: PartialRange | undefined;
      if (r.remaining > 0) {
        const mods = r.list('fetch modifiers');
        for (let i = 0; i < mods.length; i++) {
          const m = mods[i]!;
          const k = m.kind === 'atom' ? m.value.toUpperCase() : '';
          if (k === 'CHANGEDSINCE') {
            const v = mods[++i];
            if (!v || v.kind !== 'atom' || !/^[0-9]{1,20}$/.test(v.value)) throw bad(`${cmd.name}: CHANGEDSINCE needs a number`);
            changedSince = Number(v.value);
          } else if (k === 'VANISHED') vanished = true;
          else if (k === 'PARTIAL') {
            if (partial) throw bad(`${cmd.name}: PARTIAL given twice`);
            partial = parsePartialRange(mods[++i], cmd.name);
          }
          else throw bad(`${cmd.name}: unknown fetch modifier`);
        }
        if (vanished && (!byUid || !s.qresync)) throw bad('VANISHED is only for UID FETCH with QRESYNC enabled');
        if (vanished && changedSince === undefined) throw bad('VANISHED needs CHANGEDSINCE');
      }
      r.end();
      // CHANGEDSINCE and the MODSEQ item are CONDSTORE-enabling (RFC 7162 3.1).
      if (changedSince !== undefined || items.some((i) => i.name === 'MODSEQ')) s.enableCondstore();
      // The UIDs compactly (4 bytes each); their rows are read a chunk at a time below, so a
      // FETCH 1:* of a large mailbox holds one chunk of rows, never the mailbox.
      let uids = box.resolveUids(set, byUid, s.saved);
      if (vanished && changedSince !== undefined && 'ranges' in set) {
        const max = box.maxUid;
        const gone = vanishedSince(s.store, box.id, changedSince).filter((u) => inSet(set, u, Math.max(max, u)) && box.seqOf(u) === 0);
        if (gone.length) await s.untagged(atom('VANISHED'), atom('(EARLIER)'), atom(formatSet(gone)));
      }
      if (uids.length === 0) return;
      if (partial) {
        // positions among the messages the command names (after CHANGEDSINCE), in UID order
        let named = uids;
        if (changedSince !== undefined) {
          const changed = new Set(s.store.messages.changedSince(box.id, changedSince).map((m) => m.uid));
          named = uids.filter((u) => changed.has(u));
        }
        const [start, end] = partialBounds(named.length, partial);
        uids = named.subarray(start, end);
        if (uids.length === 0) return;
      }
      const condstore = s.condstore;
      // Non-PEEK body items mark the messages \Seen: one store call for all of them, before
      // rendering, so the responses carry the new FLAGS (RFC 9051 6.4.5). The store leaves the
      // messages already \Seen alone (and they may have changed since CHANGEDSINCE: all count).
      const newlySeen = new Set<number>();
      if (fetchSetsSeen(items) && !box.readOnly) {
        const res = s.store.messages.store(box.id, Array.from(uids), 'add', ['\\Seen']);
        for (const c of res.changed) newlySeen.add(c.uid);
        if (res.changed.length) s.changed(box.id, 'flags');
      }
      let done = 0;
      for (const meta of rowsOf(s.store, box.id, uids, changedSince, newlySeen)) {
        const uid = meta.uid;
        // Let other sessions (an IDLE waiting to hear of new mail) run during a long FETCH.
        if (++done % 100 === 0) await new Promise((r) => setImmediate(r));
        let blob: BlobInfo | undefined;
        const subject: FetchSubject = {
          meta: box.isRecent(uid) ? { ...meta, flags: box.shownFlags(uid, meta.flags) } : meta,
          blob: () => (blob ??= s.store.messages.blob(meta.blobId)),
          raw: () => s.store.readMessage((blob ??= s.store.messages.blob(meta.blobId)).hash),
        };
        const { values } = renderFetch(items, subject);
        if (newlySeen.has(uid)) setValue(values, 'FLAGS', box.shownFlags(uid, meta.flags).map(atom));
        if (hasItem(values, 'FLAGS')) {
          for (const u of box.announce(meta.flags)) await s.untagged(...u);
          box.noteFlags(uid, meta.flags, meta.modseq);
        }
        if (byUid && !hasItem(values, 'UID')) values.unshift(atom('UID'), uid);
        if (condstore && !hasItem(values, 'MODSEQ')) values.push(atom('MODSEQ'), [meta.modseq]);
        await s.untagged(box.seqOf(uid), atom('FETCH'), values);
      }
    },
  };
}

/** The rows of `uids` (ascending) still present, in order, read FETCH_CHUNK UIDs at a time: a
 *  dense run by one range query, a sparse one row by row. With CHANGEDSINCE only the rows
 *  changed since (or just marked \Seen by this FETCH). Nothing stays open between chunks (the
 *  caller awaits the socket between rows, and other sessions use the same connection). */
function* rowsOf(store: Store, mailboxId: number, uids: Uint32Array, changedSince: number | undefined, newlySeen: ReadonlySet<number>): Generator<MessageMeta> {
  for (let i = 0; i < uids.length; i += FETCH_CHUNK) {
    const part = uids.subarray(i, Math.min(uids.length, i + FETCH_CHUNK));
    const lo = part[0]!, hi = part[part.length - 1]!;
    let rows: MessageMeta[];
    if (hi - lo < 4 * part.length) {
      const range = store.messages.range(mailboxId, lo, hi);
      rows = [];
      let k = 0;
      for (const m of range) {
        while (k < part.length && part[k]! < m.uid) k++;
        if (k < part.length && part[k] === m.uid) rows.push(m);
      }
    } else {
      rows = [];
      for (const u of part) { const m = store.messages.get(mailboxId, u); if (m) rows.push(m); }
    }
    for (const m of rows) if (changedSince === undefined || m.modseq > changedSince || newlySeen.has(m.uid)) yield m;
  }
}
const FETCH_CHUNK = 256;

export const FETCH = fetch(false);
export const UID_FETCH = fetch(true);
