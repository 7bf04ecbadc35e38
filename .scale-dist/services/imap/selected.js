import { atom } from './wire.js';
import { formatSet, normalize, select } from './sequence.js';
import { bad } from './errors.js';
const SYSTEM_FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'];
export class SelectedMailbox {
    store;
    readOnly;
    recentMode;
    id;
    accountId;
    uidValidity;
    name;
    /** seq - 1 -> UID, ascending */
    uids = [];
    /** UID -> the flags the client knows (space-joined), to report only real changes */
    known = new Map();
    /** keywords the client was told about in FLAGS (RFC 9051 7.3.5: a new one means a new FLAGS) */
    keywords = new Set();
    /** sequence number of the first message without \Seen at SELECT (0: none) */
    firstUnseen = 0;
    /** UIDs that are \Recent in this session */
    recent = new Set();
    /** the RECENT count the client was last told (SELECT tells it first) */
    reportedRecent = 0;
    /** changes (new messages, flags) up to this modseq were reported */
    modseq;
    /** expunges up to this modseq were reported */
    expungeModseq;
    constructor(store, mb, readOnly, recentMode = 'off') {
        this.store = store;
        this.readOnly = readOnly;
        this.recentMode = recentMode;
        this.id = mb.id;
        this.accountId = mb.accountId;
        this.uidValidity = mb.uidValidity;
        this.name = mb.name;
        this.modseq = mb.highestModseq;
        this.expungeModseq = mb.highestModseq;
        for (const m of store.messages.list(mb.id)) {
            this.uids.push(m.uid);
            this.known.set(m.uid, { f: m.flags.join(' '), m: m.modseq });
            if (this.firstUnseen === 0 && !m.flags.includes('\\Seen'))
                this.firstUnseen = this.uids.length;
        }
        for (const k of store.messages.keywords(mb.id))
            this.keywords.add(k);
        this.noteRecent(0);
        // Anything that changed between reading the mailbox row and the list is picked up next time.
        const now = store.mailboxes.byId(mb.id);
        if (now && now.highestModseq !== mb.highestModseq)
            this.modseq = this.expungeModseq = Math.min(this.modseq, now.highestModseq);
    }
    get exists() { return this.uids.length; }
    /** the number of \Recent messages (the RECENT response) */
    get recentCount() { return this.recent.size; }
    /** `* n RECENT` when the count changed since the client was last told (RFC 3501 7.3.2). */
    recentUpdate() {
        if (this.recentMode === 'off' || this.recent.size === this.reportedRecent)
            return [];
        this.reportedRecent = this.recent.size;
        return [[this.recent.size, atom('RECENT')]];
    }
    /** SELECT/EXAMINE told the client the count. */
    noteRecentReported() { this.reportedRecent = this.recent.size; }
    isRecent(uid) { return this.recent.has(uid); }
    /** The flags to show for a message: its stored flags, and \Recent when it is recent here. */
    shownFlags(uid, flags) {
        return this.recent.has(uid) ? [...flags, '\\Recent'] : [...flags];
    }
    /** Of the UIDs from index `from` on, mark as recent those this session claims now (SELECT) or,
     *  for EXAMINE, those no session has claimed yet. */
    noteRecent(from) {
        if (this.recentMode === 'off' || from >= this.uids.length)
            return;
        const mark = this.recentMode === 'claim' ? this.store.mailboxes.claimRecent(this.id, this.maxUid) : this.store.mailboxes.recentUid(this.id);
        for (let i = from; i < this.uids.length; i++)
            if (this.uids[i] > mark)
                this.recent.add(this.uids[i]);
    }
    get maxUid() { return this.uids.length ? this.uids[this.uids.length - 1] : 0; }
    /** 1-based sequence number of a UID, or 0 */
    seqOf(uid) {
        let lo = 0, hi = this.uids.length - 1;
        while (lo <= hi) {
            const mid = (lo + hi) >> 1;
            const v = this.uids[mid];
            if (v === uid)
                return mid + 1;
            if (v < uid)
                lo = mid + 1;
            else
                hi = mid - 1;
        }
        return 0;
    }
    /** UIDs (ascending) named by a set of sequence numbers or UIDs. A sequence number beyond the
     *  mailbox is an error (RFC 9051 9: "seq-number"); a UID set just matches what exists. */
    resolve(set, byUid, saved) {
        if ('saved' in set) {
            const have = new Set(this.uids);
            return saved.filter((u) => have.has(u));
        }
        if (byUid)
            return select(set, this.uids);
        const n = this.uids.length;
        if (n === 0)
            throw bad('the mailbox is empty: no sequence numbers are valid');
        for (const r of set.ranges) {
            if ((r.from !== Number.POSITIVE_INFINITY && r.from > n) || (r.to !== Number.POSITIVE_INFINITY && r.to > n)) {
                throw bad(`invalid message sequence number (the mailbox has ${n} messages)`);
            }
        }
        const out = [];
        for (const r of normalize(set, n))
            for (let q = r.from; q <= r.to; q++)
                out.push(this.uids[q - 1]);
        return out;
    }
    /** FLAGS and PERMANENTFLAGS for this mailbox (at SELECT and when a keyword appears). */
    flagsResponses() {
        const all = [...SYSTEM_FLAGS, ...[...this.keywords].sort()];
        return [
            [atom('FLAGS'), all.map(atom)],
            [atom('OK'), atom(this.readOnly ? '[PERMANENTFLAGS ()]' : `[PERMANENTFLAGS (${all.join(' ')} \\*)]`), atom('flags permitted')],
        ];
    }
    /** Keywords among `flags` the client has not been told of yet: the FLAGS and PERMANENTFLAGS
     *  responses to send before the FETCH that shows them (RFC 9051 7.3.5: FLAGS lists the flags
     *  that can be in the mailbox), or nothing. */
    announce(flags) {
        let fresh = false;
        for (const f of flags)
            if (!f.startsWith('\\') && !this.keywords.has(f)) {
                this.keywords.add(f);
                fresh = true;
            }
        return fresh ? this.flagsResponses() : [];
    }
    /** The client was told these flags (by FETCH or STORE): no need to report them again. */
    noteFlags(uid, flags, modseq) {
        if (this.known.has(uid))
            this.known.set(uid, { f: flags.join(' '), m: modseq });
    }
    /** This session expunged these UIDs itself: drop them and return the untagged responses. */
    removeOwn(uids, qresync) {
        return [...this.remove(uids, qresync), ...this.recentUpdate()];
    }
    remove(uids, qresync) {
        if (qresync) {
            const gone = uids.filter((u) => this.seqOf(u) > 0);
            for (const u of gone)
                this.drop(u);
            return gone.length ? [[atom('VANISHED'), atom(formatSet(gone))]] : [];
        }
        const out = [];
        for (const u of uids) {
            const seq = this.seqOf(u);
            if (seq === 0)
                continue;
            this.drop(u);
            out.push([seq, atom('EXPUNGE')]);
        }
        return out;
    }
    drop(uid) {
        const seq = this.seqOf(uid);
        if (seq > 0)
            this.uids.splice(seq - 1, 1);
        this.known.delete(uid);
        this.recent.delete(uid);
    }
    /** What other sessions (or deliveries) changed since the last refresh, as untagged responses:
     *  EXPUNGE/VANISHED first, then EXISTS, then FETCH FLAGS. `gone` when the mailbox was deleted. */
    refresh(opts) {
        const mb = this.store.mailboxes.byId(this.id);
        if (!mb || mb.uidValidity !== this.uidValidity)
            return { updates: [], gone: true };
        this.name = mb.name;
        const updates = [];
        if (opts.expunge && mb.highestModseq > this.expungeModseq) {
            const removed = this.store.messages.expungedSince(this.id, this.expungeModseq).filter((u) => this.seqOf(u) > 0);
            updates.push(...this.remove(removed, opts.qresync));
            this.expungeModseq = mb.highestModseq;
        }
        if (mb.highestModseq > this.modseq) {
            const changed = this.store.messages.changedSince(this.id, this.modseq);
            const before = this.uids.length;
            const flagUpdates = [];
            let max = this.maxUid;
            let newKeyword = false;
            for (const m of changed) {
                for (const f of m.flags)
                    if (!f.startsWith('\\') && !this.keywords.has(f)) {
                        this.keywords.add(f);
                        newKeyword = true;
                    }
                if (m.uid > max) {
                    this.uids.push(m.uid);
                    this.known.set(m.uid, { f: m.flags.join(' '), m: m.modseq });
                    max = m.uid;
                }
                else {
                    const k = this.known.get(m.uid);
                    if (!k)
                        continue;
                    const f = m.flags.join(' ');
                    if (k.f !== f || (opts.condstore && k.m !== m.modseq)) {
                        this.known.set(m.uid, { f, m: m.modseq });
                        flagUpdates.push(m);
                    }
                }
            }
            if (newKeyword)
                updates.push(...this.flagsResponses());
            if (this.uids.length !== before) {
                this.noteRecent(before);
                updates.push([this.uids.length, atom('EXISTS')], ...this.recentUpdate());
            }
            for (const m of flagUpdates) {
                const attrs = [atom('UID'), m.uid, atom('FLAGS'), this.shownFlags(m.uid, m.flags).map(atom)];
                if (opts.condstore)
                    attrs.push(atom('MODSEQ'), [m.modseq]);
                updates.push([this.seqOf(m.uid), atom('FETCH'), attrs]);
            }
            this.modseq = mb.highestModseq;
            // Messages that left without an expunge record (e.g. RENAME INBOX moves them away): the
            // count tells, and a full comparison finds them.
            if (opts.expunge && this.store.mailboxes.status(this.id).messages !== this.uids.length) {
                const present = new Set(this.store.messages.list(this.id).map((m) => m.uid));
                updates.push(...this.remove(this.uids.filter((u) => !present.has(u)), opts.qresync));
            }
        }
        updates.push(...this.recentUpdate());
        return { updates, gone: false };
    }
}
//# sourceMappingURL=selected.js.map