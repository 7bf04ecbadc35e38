// SELECT and EXAMINE (RFC 9051 6.3.2, 6.3.3) with the CONDSTORE parameter (RFC 7162 3.1.8) and
// QRESYNC (RFC 7162 3.2.5): a client that knows (uidvalidity, modseq) gets VANISHED (EARLIER) and
// the flags changed since, instead of refetching everything. UIDs that left the mailbox without an
// expunge record (RENAME INBOX moves them) are reported too, trimmed by the client's sequence match
// data (RFC 7162 3.2.5.2).
import { atom } from '../wire.js';
import { ArgReader } from '../args.js';
import { bad, no } from '../errors.js';
import { nameFromArg, nameToWire } from '../mailbox-name.js';
import { SelectedMailbox } from '../selected.js';
import { vanishedSince } from '../vanished.js';
import { parseSequenceSet, inSet, formatSet, STAR } from '../sequence.js';
import { AUTHED } from '../session-state.js';
/** The most numbers seq-match-data may name (each set expanded). */
const MAX_MATCH_DATA = 100_000;
function expand(text, what) {
    const set = parseSequenceSet(text);
    if (!('ranges' in set))
        throw bad(`SELECT: QRESYNC ${what} cannot be $`);
    const out = [];
    for (const r of set.ranges) {
        if (r.from === STAR || r.to === STAR)
            throw bad(`SELECT: QRESYNC ${what} cannot use *`);
        if (out.length + r.to - r.from + 1 > MAX_MATCH_DATA)
            throw bad(`SELECT: QRESYNC ${what} names more than ${MAX_MATCH_DATA} messages`);
        for (let n = r.from; n <= r.to; n++)
            out.push(n);
    }
    return out;
}
/** seq-match-data = "(" known-sequence-set SP known-uid-set ")": pairs of a sequence number and
 *  the UID the client had for it. */
function parseMatchData(a) {
    if (a.kind !== 'list' || a.items.length !== 2 || a.items.some((i) => i.kind !== 'atom'))
        throw bad('SELECT: QRESYNC sequence match data is (known-sequence-set known-uid-set)');
    const seqs = expand(a.items[0].value, 'known-sequence-set');
    const uids = expand(a.items[1].value, 'known-uid-set');
    if (seqs.length !== uids.length)
        throw bad('SELECT: QRESYNC known-sequence-set and known-uid-set differ in size');
    return seqs.map((n, i) => [n, uids[i]]);
}
function num(a, what) {
    if (!a || a.kind !== 'atom' || !/^[0-9]{1,20}$/.test(a.value))
        throw bad(`SELECT: QRESYNC needs ${what} as a number`);
    return Number(a.value);
}
function parseQresync(items) {
    const q = { uidValidity: num(items[0], 'the UIDVALIDITY'), modseq: num(items[1], 'a modseq') };
    if (q.uidValidity === 0 || q.modseq === 0)
        throw bad('SELECT: QRESYNC values must be non-zero');
    let i = 2;
    const known = items[i];
    if (known && known.kind === 'atom') {
        q.knownUids = parseSequenceSet(known.value);
        i++;
    }
    const match = items[i];
    if (match) {
        q.match = parseMatchData(match);
        i++;
    }
    if (items.length > i)
        throw bad('SELECT: too many QRESYNC parameters');
    return q;
}
function opener(readOnly) {
    const word = readOnly ? 'EXAMINE' : 'SELECT';
    return {
        states: AUTHED,
        async run(s, cmd) {
            const r = new ArgReader(cmd.args, word);
            const name = nameFromArg(r.next('mailbox name'), s.utf8, word);
            let qresync;
            let condstore = false;
            if (r.remaining > 0) {
                for (const p of r.list('select parameters')) {
                    if (p.kind === 'atom' && p.value.toUpperCase() === 'CONDSTORE')
                        condstore = true;
                    else if (p.kind === 'atom' && p.value.toUpperCase() === 'QRESYNC')
                        continue;
                    else if (p.kind === 'list') {
                        if (!s.qresync)
                            throw bad(`${word}: QRESYNC must be enabled first (ENABLE QRESYNC)`);
                        qresync = parseQresync(p.items);
                    }
                    else
                        throw bad(`${word}: unknown parameter`);
                }
                const ps = (cmd.args[1]?.kind === 'list' ? cmd.args[1].items : []);
                if (ps.some((p) => p.kind === 'atom' && p.value.toUpperCase() === 'QRESYNC') && !qresync)
                    throw bad(`${word}: QRESYNC needs its parameters in a list`);
            }
            r.end();
            const wasSelected = s.selected !== undefined;
            s.select(undefined);
            if (wasSelected && s.qresync)
                await s.untagged(atom('OK'), atom('[CLOSED]'), atom('previous mailbox closed'));
            const mb = s.store.mailboxes.get(s.account.id, name);
            if (!mb)
                throw no(`there is no mailbox ${name}`, 'NONEXISTENT');
            if (condstore)
                s.enableCondstore();
            const box = new SelectedMailbox(s.store, mb, readOnly, s.rev2 ? 'off' : readOnly ? 'peek' : 'claim');
            for (const u of box.flagsResponses())
                await s.untagged(...u);
            await s.untagged(box.exists, atom('EXISTS'));
            if (!s.rev2) {
                await s.untagged(box.recentCount, atom('RECENT'));
                box.noteRecentReported();
                if (box.firstUnseen > 0)
                    await s.untagged(atom('OK'), atom(`[UNSEEN ${box.firstUnseen}]`), atom('first unseen'));
            }
            await s.untagged(atom('OK'), atom(`[UIDVALIDITY ${mb.uidValidity}]`), atom('UIDs valid'));
            await s.untagged(atom('OK'), atom(`[UIDNEXT ${mb.uidNext}]`), atom('predicted next UID'));
            await s.untagged(atom('OK'), atom(`[HIGHESTMODSEQ ${mb.highestModseq}]`), atom('highest modseq'));
            if (s.rev2)
                await s.untagged(atom('LIST'), [], '/', nameToWire(mb.name, s.utf8));
            s.select(box);
            if (qresync && qresync.uidValidity === mb.uidValidity)
                await resync(s, box, qresync);
            return { code: readOnly ? 'READ-ONLY' : 'READ-WRITE', text: `${word} completed` };
        },
    };
}
async function resync(s, box, q) {
    const known = q.knownUids && 'ranges' in q.knownUids ? q.knownUids : undefined;
    const max = box.maxUid;
    const inKnown = (uid) => !known || inSet(known, uid, known.ranges.some((r) => r.to === STAR) ? Math.max(max, uid) : max);
    // Sequence match data: if sequence number S still holds UID U, the client's messages below U
    // are all still here (no UID below U can appear), so nothing unrecorded below U vanished for it.
    let floor = 0;
    for (const [seq, uid] of q.match ?? [])
        if (box.uids[seq - 1] === uid && uid > floor)
            floor = uid;
    const vanished = vanishedSince(s.store, box.id, q.modseq, floor).filter(inKnown);
    if (vanished.length)
        await s.untagged(atom('VANISHED'), atom('(EARLIER)'), atom(formatSet(vanished)));
    for (const m of s.store.messages.changedSince(box.id, q.modseq)) {
        const seq = box.seqOf(m.uid);
        if (seq === 0 || !inKnown(m.uid))
            continue;
        const attrs = [atom('UID'), m.uid, atom('FLAGS'), box.shownFlags(m.uid, m.flags).map(atom), atom('MODSEQ'), [m.modseq]];
        await s.untagged(seq, atom('FETCH'), attrs);
    }
}
export const SELECT = opener(false);
export const EXAMINE = opener(true);
export const CLOSE = {
    states: ['selected'],
    run(s, cmd) {
        new ArgReader(cmd.args, 'CLOSE').end();
        const box = s.selected;
        s.select(undefined);
        // RFC 9051 6.4.1: deleted messages are removed silently (no EXPUNGE responses).
        if (!box.readOnly) {
            const gone = s.store.messages.expunge(box.id);
            if (gone.length)
                s.changed(box.id, 'expunge');
        }
    },
};
export const UNSELECT = {
    states: ['selected'],
    run(s, cmd) {
        new ArgReader(cmd.args, 'UNSELECT').end();
        s.select(undefined);
    },
};
//# sourceMappingURL=select.js.map