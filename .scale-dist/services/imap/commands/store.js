// STORE and UID STORE (RFC 9051 6.4.6) with UNCHANGEDSINCE and [MODIFIED] (RFC 7162 3.1.3).
import { atom } from '../wire.js';
import { ArgReader, flagArg } from '../args.js';
import { bad, no } from '../errors.js';
import { formatSet } from '../sequence.js';
import { SELECTED } from '../session-state.js';
function store(byUid) {
    return {
        states: SELECTED,
        async run(s, cmd) {
            const r = new ArgReader(cmd.args, cmd.name);
            const box = s.selected;
            const set = r.sequenceSet();
            let unchangedSince;
            if (r.peek()?.kind === 'list') {
                const mods = r.list('store modifiers');
                for (let i = 0; i < mods.length; i += 2) {
                    const k = mods[i], v = mods[i + 1];
                    if (k.kind !== 'atom' || k.value.toUpperCase() !== 'UNCHANGEDSINCE')
                        throw bad(`${cmd.name}: unknown store modifier`);
                    if (!v || v.kind !== 'atom' || !/^[0-9]{1,20}$/.test(v.value))
                        throw bad(`${cmd.name}: UNCHANGEDSINCE needs a number`);
                    unchangedSince = Number(v.value);
                }
            }
            const item = r.atom('FLAGS, +FLAGS or -FLAGS').toUpperCase();
            const m = /^([+-]?)FLAGS(\.SILENT)?$/.exec(item);
            if (!m)
                throw bad(`${cmd.name}: expected FLAGS, +FLAGS or -FLAGS (optionally .SILENT), got ${item.slice(0, 30)}`);
            const mode = m[1] === '+' ? 'add' : m[1] === '-' ? 'remove' : 'set';
            const silent = m[2] !== undefined;
            const flags = [];
            // flag-list "(" [flag *(SP flag)] ")" may be empty (RFC 9051 9): +FLAGS () changes nothing
            // but is answered like any STORE; bare flags need at least one.
            if (r.peek()?.kind === 'list')
                for (const a of r.list('flag list'))
                    flags.push(flagArg(a, cmd.name));
            else {
                while (r.remaining > 0)
                    flags.push(flagArg(r.next('flag'), cmd.name));
                if (flags.length === 0)
                    throw bad(`${cmd.name}: name the flags, or () for none`);
            }
            r.end();
            if (flags.some((f) => f.toLowerCase() === '\\recent'))
                throw bad(`${cmd.name}: \\Recent cannot be stored`);
            const unknownSystem = flags.find((f) => f.startsWith('\\') && !['\\seen', '\\answered', '\\flagged', '\\deleted', '\\draft'].includes(f.toLowerCase()));
            if (unknownSystem)
                throw bad(`${cmd.name}: unknown system flag ${unknownSystem.slice(0, 30)}`);
            const uids = box.resolve(set, byUid, s.saved);
            if (unchangedSince !== undefined)
                s.enableCondstore();
            if (box.readOnly)
                throw no('the mailbox is open read-only (EXAMINE)', 'READ-ONLY');
            if (uids.length === 0)
                return;
            const result = s.store.messages.store(box.id, uids, mode, flags, unchangedSince);
            const changed = new Map(result.changed.map((c) => [c.uid, c]));
            const failed = new Set(result.failed);
            for (const c of result.changed)
                box.noteFlags(c.uid, c.flags, c.modseq);
            if (result.changed.length)
                s.changed(box.id, 'flags');
            // a keyword new to the mailbox is announced (FLAGS, PERMANENTFLAGS) before any FETCH shows it
            if (mode !== 'remove')
                for (const u of box.announce(flags))
                    await s.untagged(...u);
            // RFC 9051 6.4.6: FETCH responses with the new flags unless .SILENT; RFC 7162 3.1.3: with
            // CONDSTORE, changed messages are reported with MODSEQ even when .SILENT.
            for (const uid of uids) {
                if (failed.has(uid))
                    continue;
                const c = changed.get(uid);
                if (silent && !(c && s.condstore))
                    continue;
                let flagsNow, modseq;
                if (c) {
                    flagsNow = c.flags;
                    modseq = c.modseq;
                }
                else {
                    const meta = s.store.messages.get(box.id, uid);
                    if (!meta)
                        continue;
                    flagsNow = meta.flags;
                    modseq = meta.modseq;
                }
                const attrs = [];
                if (byUid)
                    attrs.push(atom('UID'), uid);
                if (!silent) {
                    for (const u of box.announce(flagsNow))
                        await s.untagged(...u);
                    attrs.push(atom('FLAGS'), box.shownFlags(uid, flagsNow).map(atom));
                }
                if (s.condstore)
                    attrs.push(atom('MODSEQ'), [modseq]);
                await s.untagged(box.seqOf(uid), atom('FETCH'), attrs);
            }
            if (failed.size) {
                const list = byUid ? [...failed] : [...failed].map((u) => box.seqOf(u));
                return { code: `MODIFIED ${formatSet(list)}`, text: 'some messages were changed since UNCHANGEDSINCE' };
            }
            return undefined;
        },
    };
}
export const STORE = store(false);
export const UID_STORE = store(true);
//# sourceMappingURL=store.js.map