// EXPUNGE (RFC 9051 6.4.3) and UID EXPUNGE (RFC 4315 2.1, in IMAP4rev2): remove messages marked
// \Deleted, answering EXPUNGE (or VANISHED with QRESYNC) for each.
import { ArgReader } from '../args.js';
import { no } from '../errors.js';
import { SELECTED } from '../session-state.js';
function expunge(byUid) {
    return {
        states: SELECTED,
        async run(s, cmd) {
            const r = new ArgReader(cmd.args, cmd.name);
            const box = s.selected;
            const uids = byUid ? box.resolve(r.sequenceSet('UID set'), true, s.saved) : undefined;
            r.end();
            if (box.readOnly)
                throw no('the mailbox is open read-only (EXAMINE)', 'READ-ONLY');
            if (uids && uids.length === 0)
                return;
            const gone = s.store.messages.expunge(box.id, uids);
            if (gone.length === 0)
                return;
            // Others' expunges first, so that our sequence numbers are right, then ours.
            await s.sendUpdates(true);
            for (const u of box.removeOwn(gone, s.qresync))
                await s.untagged(...u);
            s.changed(box.id, 'expunge');
        },
    };
}
export const EXPUNGE = expunge(false);
export const UID_EXPUNGE = expunge(true);
//# sourceMappingURL=expunge.js.map