// STATUS (RFC 9051 6.3.11) with SIZE and DELETED (RFC 9051), HIGHESTMODSEQ (RFC 7162),
// APPENDLIMIT (RFC 7889). RECENT (RFC 3501) counts the messages no session has claimed as \Recent;
// IMAP4rev2 dropped \Recent, so a session that enabled it is told 0.
import { atom } from '../wire.js';
import { ArgReader } from '../args.js';
import { bad, no } from '../errors.js';
import { nameFromArg, nameToWire } from '../mailbox-name.js';
import { AUTHED } from '../session-state.js';
const ITEMS = new Set(['MESSAGES', 'RECENT', 'UIDNEXT', 'UIDVALIDITY', 'UNSEEN', 'DELETED', 'SIZE', 'HIGHESTMODSEQ', 'APPENDLIMIT']);
export function statusItems(list, command) {
    if (list.length === 0)
        throw bad(`${command}: name at least one status item`);
    return list.map((a) => {
        const v = a.kind === 'atom' ? a.value.toUpperCase() : '';
        if (!ITEMS.has(v))
            throw bad(`${command}: unknown status item ${a.kind === 'atom' ? a.value.slice(0, 30) : '(not an atom)'}`);
        return v;
    });
}
/** Messages with \Recent as this session sees them: those no session claimed yet, and those this
 *  session claimed if it has the mailbox selected (RFC 3501 2.3.2). None in IMAP4rev2. */
function recent(s, mb) {
    if (s.rev2)
        return 0;
    const box = s.selected;
    const own = box && box.id === mb.id && box.recentMode === 'claim' ? box.recentCount : 0;
    return s.store.mailboxes.recentCount(mb.id) + own;
}
export async function sendStatus(s, mb, items) {
    const st = s.store.mailboxes.status(mb.id);
    const out = [];
    for (const it of items) {
        const v = it === 'MESSAGES' ? st.messages : it === 'RECENT' ? recent(s, mb) : it === 'UIDNEXT' ? st.uidNext : it === 'UIDVALIDITY' ? st.uidValidity
            : it === 'UNSEEN' ? st.unseen : it === 'DELETED' ? st.deleted : it === 'SIZE' ? st.size : it === 'HIGHESTMODSEQ' ? st.highestModseq
                : s.appendLimit;
        out.push(atom(it), v);
    }
    if (items.includes('HIGHESTMODSEQ'))
        s.enableCondstore();
    await s.untagged(atom('STATUS'), nameToWire(mb.name, s.utf8), out);
}
export const STATUS = {
    states: AUTHED,
    async run(s, cmd) {
        const r = new ArgReader(cmd.args, 'STATUS');
        const name = nameFromArg(r.next('mailbox name'), s.utf8, 'STATUS');
        const items = statusItems(r.list('status items'), 'STATUS');
        r.end();
        const mb = s.store.mailboxes.get(s.account.id, name);
        if (!mb)
            throw no(`there is no mailbox ${name}`, 'NONEXISTENT');
        await sendStatus(s, mb, items);
    },
};
//# sourceMappingURL=status.js.map