// FETCH and UID FETCH (RFC 9051 6.4.5): the items are parsed and rendered by message/fetch.ts;
// this handler picks the messages, applies CHANGEDSINCE and VANISHED (RFC 7162 3.1.4, 3.2.6),
// sets \Seen for non-PEEK body fetches (and reports the new FLAGS), adds UID for UID FETCH and
// MODSEQ once CONDSTORE is on.
import { Atom, atom } from '../wire.js';
import { ArgReader } from '../args.js';
import { bad } from '../errors.js';
import { formatSet, inSet } from '../sequence.js';
import { fetchSetsSeen, parseFetchItems, renderFetch } from '../message/fetch.js';
import { SELECTED } from '../session-state.js';
import { vanishedSince } from '../vanished.js';
function setValue(values, name, value) {
    for (let i = 0; i < values.length; i += 2) {
        const v = values[i];
        if (v instanceof Atom && v.value === name) {
            values[i + 1] = value;
            return;
        }
    }
    values.push(atom(name), value);
}
function hasItem(values, name) {
    for (let i = 0; i < values.length; i += 2) {
        const v = values[i];
        if (v instanceof Atom && v.value === name)
            return true;
    }
    return false;
}
function fetch(byUid) {
    return {
        states: SELECTED,
        async run(s, cmd) {
            const r = new ArgReader(cmd.args, cmd.name);
            const box = s.selected;
            const set = r.sequenceSet();
            const items = parseFetchItems([r.next('data items')]);
            let changedSince;
            let vanished = false;
            if (r.remaining > 0) {
                const mods = r.list('fetch modifiers');
                for (let i = 0; i < mods.length; i++) {
                    const m = mods[i];
                    const k = m.kind === 'atom' ? m.value.toUpperCase() : '';
                    if (k === 'CHANGEDSINCE') {
                        const v = mods[++i];
                        if (!v || v.kind !== 'atom' || !/^[0-9]{1,20}$/.test(v.value))
                            throw bad(`${cmd.name}: CHANGEDSINCE needs a number`);
                        changedSince = Number(v.value);
                    }
                    else if (k === 'VANISHED')
                        vanished = true;
                    else
                        throw bad(`${cmd.name}: unknown fetch modifier`);
                }
                if (vanished && (!byUid || !s.qresync))
                    throw bad('VANISHED is only for UID FETCH with QRESYNC enabled');
                if (vanished && changedSince === undefined)
                    throw bad('VANISHED needs CHANGEDSINCE');
            }
            r.end();
            // CHANGEDSINCE and the MODSEQ item are CONDSTORE-enabling (RFC 7162 3.1).
            if (changedSince !== undefined || items.some((i) => i.name === 'MODSEQ'))
                s.enableCondstore();
            const uids = box.resolve(set, byUid, s.saved);
            if (vanished && changedSince !== undefined && 'ranges' in set) {
                const max = box.maxUid;
                const gone = vanishedSince(s.store, box.id, changedSince).filter((u) => inSet(set, u, Math.max(max, u)) && box.seqOf(u) === 0);
                if (gone.length)
                    await s.untagged(atom('VANISHED'), atom('(EARLIER)'), atom(formatSet(gone)));
            }
            if (uids.length === 0)
                return;
            let metas;
            if (changedSince !== undefined)
                metas = new Map(s.store.messages.changedSince(box.id, changedSince).map((m) => [m.uid, m]));
            else if (uids.length > 64)
                metas = new Map(s.store.messages.list(box.id).map((m) => [m.uid, m]));
            const condstore = s.condstore;
            // Non-PEEK body items mark the messages \Seen: one store call for all of them, before
            // rendering, so the responses carry the new FLAGS (RFC 9051 6.4.5).
            const newlySeen = new Set();
            if (fetchSetsSeen(items) && !box.readOnly) {
                const unseen = uids.filter((u) => {
                    const m = metas ? metas.get(u) : s.store.messages.get(box.id, u);
                    return m !== undefined && !m.flags.includes('\\Seen');
                });
                if (unseen.length) {
                    const res = s.store.messages.store(box.id, unseen, 'add', ['\\Seen']);
                    for (const c of res.changed)
                        newlySeen.add(c.uid);
                    if (res.changed.length) {
                        s.changed(box.id, 'flags');
                        if (metas)
                            for (const c of res.changed) {
                                const m = metas.get(c.uid);
                                if (m)
                                    metas.set(c.uid, { ...m, flags: c.flags, modseq: c.modseq });
                            }
                    }
                }
            }
            let done = 0;
            for (const uid of uids) {
                // Let other sessions (an IDLE waiting to hear of new mail) run during a long FETCH.
                if (++done % 100 === 0)
                    await new Promise((r) => setImmediate(r));
                const meta = metas ? metas.get(uid) : s.store.messages.get(box.id, uid);
                if (!meta)
                    continue; // expunged by another session, or unchanged since CHANGEDSINCE
                let blob;
                const subject = {
                    meta: box.isRecent(uid) ? { ...meta, flags: box.shownFlags(uid, meta.flags) } : meta,
                    blob: () => (blob ??= s.store.messages.blob(meta.blobId)),
                    raw: () => s.store.readMessage((blob ??= s.store.messages.blob(meta.blobId)).hash),
                };
                const { values } = renderFetch(items, subject);
                if (newlySeen.has(uid))
                    setValue(values, 'FLAGS', box.shownFlags(uid, meta.flags).map(atom));
                if (hasItem(values, 'FLAGS')) {
                    for (const u of box.announce(meta.flags))
                        await s.untagged(...u);
                    box.noteFlags(uid, meta.flags, meta.modseq);
                }
                if (byUid && !hasItem(values, 'UID'))
                    values.unshift(atom('UID'), uid);
                if (condstore && !hasItem(values, 'MODSEQ'))
                    values.push(atom('MODSEQ'), [meta.modseq]);
                await s.untagged(box.seqOf(uid), atom('FETCH'), values);
            }
        },
    };
}
export const FETCH = fetch(false);
export const UID_FETCH = fetch(true);
//# sourceMappingURL=fetch.js.map