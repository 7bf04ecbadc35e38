// COPY, MOVE (RFC 9051 6.4.7, 6.4.8; RFC 6851) and their UID forms, with COPYUID (RFC 4315).
// A missing target is [TRYCREATE]; a full mailbox [OVERQUOTA]. MOVE into the selected mailbox itself
// is allowed (RFC 6851 3.3 does not forbid it): the messages get new UIDs, the old ones are expunged.
import { atom } from '../wire.js';
import { ArgReader } from '../args.js';
import { no } from '../errors.js';
import { formatSet } from '../sequence.js';
import { nameFromArg } from '../mailbox-name.js';
import { SELECTED } from '../session-state.js';
function copy(byUid, move) {
    return {
        states: SELECTED,
        async run(s, cmd) {
            const r = new ArgReader(cmd.args, cmd.name);
            const box = s.selected;
            const set = r.sequenceSet();
            const name = nameFromArg(r.next('target mailbox'), s.utf8, cmd.name);
            r.end();
            const uids = box.resolve(set, byUid, s.saved);
            const dest = s.store.mailboxes.get(s.account.id, name);
            if (!dest)
                throw no(`there is no mailbox ${name}`, 'TRYCREATE');
            if (move && box.readOnly)
                throw no('the mailbox is open read-only (EXAMINE)', 'READ-ONLY');
            if (uids.length === 0)
                return { text: `${cmd.name} completed: no messages` };
            const pairs = s.store.messages.copy(box.id, uids, dest.id, move);
            if (pairs.length === 0)
                return { text: `${cmd.name} completed: the messages are gone` };
            const code = `COPYUID ${dest.uidValidity} ${formatSet(pairs.map((p) => p[0]))} ${formatSet(pairs.map((p) => p[1]))}`;
            s.changed(dest.id, 'exists');
            if (!move)
                return { code };
            await s.untagged(atom('OK'), atom(`[${code}]`), atom('moved'));
            await s.sendUpdates(true);
            for (const u of box.removeOwn(pairs.map((p) => p[0]), s.qresync))
                await s.untagged(...u);
            s.changed(box.id, 'expunge');
            return undefined;
        },
    };
}
export const COPY = copy(false, false);
export const UID_COPY = copy(true, false);
export const MOVE = copy(false, true);
export const UID_MOVE = copy(true, true);
//# sourceMappingURL=copy.js.map