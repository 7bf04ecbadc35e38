import { StoreError } from './errors.js';
export const DELIMITER = '/';
export const DEFAULT_MAILBOXES = [
    ['INBOX', null], ['Drafts', '\\Drafts'], ['Sent', '\\Sent'], ['Junk', '\\Junk'], ['Trash', '\\Trash'], ['Archive', '\\Archive'],
];
function toMailbox(r) {
    return { id: r.id, accountId: r.account_id, name: r.name, specialUse: r.special_use, uidValidity: r.uid_validity, uidNext: r.uid_next, highestModseq: r.highest_modseq };
}
/** Canonical form of a name: INBOX in any case is INBOX; no empty levels, no trailing delimiter. */
export function normalizeMailboxName(name) {
    let n = name.normalize('NFC');
    if (n.endsWith(DELIMITER))
        n = n.slice(0, -1);
    if (/^inbox$/i.test(n))
        return 'INBOX';
    if (/^inbox\//i.test(n))
        return 'INBOX' + n.slice(5);
    return n;
}
export function checkMailboxName(name) {
    if (name.length === 0)
        throw new StoreError('invalid', 'a mailbox name cannot be empty');
    if (Buffer.byteLength(name) > 512)
        throw new StoreError('invalid', 'the mailbox name is too long');
    if (name.split(DELIMITER).some((p) => p.length === 0))
        throw new StoreError('invalid', `"${name}" has an empty hierarchy level`);
    if (/[\x00-\x1f\x7f*%]/.test(name))
        throw new StoreError('invalid', 'mailbox names cannot hold control characters, "*" or "%"');
}
export class Mailboxes {
    db;
    constructor(db) {
        this.db = db;
    }
    /** A UIDVALIDITY larger than any given before in this store (a re-created name gets a new one). */
    nextUidValidity() {
        const last = this.db.prepare("SELECT value FROM settings WHERE key = 'uidvalidity.last'").get();
        const v = Math.max(Math.floor(Date.now() / 1000), last ? Number(last.value) + 1 : 1);
        this.db.prepare("INSERT INTO settings (key, value) VALUES ('uidvalidity.last', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(String(v));
        return v;
    }
    createDefaults(accountId) {
        for (const [name, use] of DEFAULT_MAILBOXES)
            this.insert(accountId, name, use, true);
    }
    insert(accountId, name, use, subscribe = false) {
        const r = this.db.prepare('INSERT INTO mailboxes (account_id, name, special_use, uid_validity, created_at) VALUES (?, ?, ?, ?, ?)')
            .run(accountId, name, use, this.nextUidValidity(), Date.now());
        this.db.prepare('DELETE FROM noselect_names WHERE account_id = ? AND name = ?').run(accountId, name);
        if (subscribe)
            this.db.prepare('INSERT INTO subscriptions (account_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING').run(accountId, name);
        return Number(r.lastInsertRowid);
    }
    /** The \Noselect names of the account (deleted mailboxes that still have children), sorted. */
    noselectNames(accountId) {
        return this.db.prepare('SELECT name FROM noselect_names WHERE account_id = ? ORDER BY name').all(accountId).map((r) => r.name);
    }
    isNoselect(accountId, rawName) {
        return this.db.prepare('SELECT 1 FROM noselect_names WHERE account_id = ? AND name = ?').get(accountId, normalizeMailboxName(rawName)) !== undefined;
    }
    /** Whether a mailbox or a \Noselect name exists below `name`. */
    hasChildren(accountId, name) {
        const [lo, hi] = below(name);
        return this.db.prepare('SELECT 1 FROM mailboxes WHERE account_id = ? AND name >= ? AND name < ? UNION ALL SELECT 1 FROM noselect_names WHERE account_id = ? AND name >= ? AND name < ? LIMIT 1')
            .get(accountId, lo, hi, accountId, lo, hi) !== undefined;
    }
    /** A name is taken by a mailbox or a \Noselect name. */
    taken(accountId, name) {
        return this.get(accountId, name) !== undefined || this.isNoselect(accountId, name);
    }
    /** Create the superior names `name` needs (RFC 3501 6.3.3) as mailboxes; \Noselect ones stay. */
    createParents(accountId, name) {
        const levels = name.split(DELIMITER);
        for (let i = 1; i < levels.length; i++) {
            const parent = levels.slice(0, i).join(DELIMITER);
            if (!this.taken(accountId, parent))
                this.insert(accountId, parent, null);
        }
    }
    /** \Noselect ancestors of `name` left without children go (inside the caller's transaction). */
    pruneNoselect(accountId, name) {
        const levels = name.split(DELIMITER);
        for (let i = levels.length - 1; i >= 1; i--) {
            const parent = levels.slice(0, i).join(DELIMITER);
            if (!this.isNoselect(accountId, parent) || this.hasChildren(accountId, parent))
                return;
            this.db.prepare('DELETE FROM noselect_names WHERE account_id = ? AND name = ?').run(accountId, parent);
        }
    }
    list(accountId) {
        return this.db.prepare('SELECT * FROM mailboxes WHERE account_id = ? ORDER BY name').all(accountId).map(toMailbox);
    }
    get(accountId, name) {
        const r = this.db.prepare('SELECT * FROM mailboxes WHERE account_id = ? AND name = ?').get(accountId, normalizeMailboxName(name));
        return r ? toMailbox(r) : undefined;
    }
    byId(id) {
        const r = this.db.prepare('SELECT * FROM mailboxes WHERE id = ?').get(id);
        return r ? toMailbox(r) : undefined;
    }
    bySpecialUse(accountId, use) {
        const r = this.db.prepare('SELECT * FROM mailboxes WHERE account_id = ? AND special_use = ? ORDER BY id LIMIT 1').get(accountId, use);
        return r ? toMailbox(r) : undefined;
    }
    /** Create a mailbox (and any missing parents, RFC 3501 6.3.3). A \Noselect name becomes a
     *  mailbox again, with a new UIDVALIDITY. */
    create(accountId, rawName, use = null) {
        const name = normalizeMailboxName(rawName);
        checkMailboxName(name);
        return this.db.transaction(() => {
            if (this.get(accountId, name))
                throw new StoreError('exists', `the mailbox ${name} already exists`);
            this.createParents(accountId, name);
            return this.byId(this.insert(accountId, name, use));
        }).immediate();
    }
    /** Delete a mailbox and its messages (RFC 3501 6.3.4). INBOX cannot be deleted. A mailbox with
     *  children loses its messages and keeps its name as \Noselect; a \Noselect name can only be
     *  deleted once it has no children. \Noselect parents left without children go too. The
     *  subscription list is not touched. Returns whether the name stays as \Noselect. */
    delete(accountId, rawName) {
        const name = normalizeMailboxName(rawName);
        if (name === 'INBOX')
            throw new StoreError('invalid', 'INBOX cannot be deleted');
        return this.db.transaction(() => {
            const mb = this.get(accountId, name);
            const children = this.hasChildren(accountId, name);
            if (!mb) {
                if (!this.isNoselect(accountId, name))
                    throw new StoreError('not-found', `there is no mailbox ${name}`);
                if (children)
                    throw new StoreError('in-use', `${name} has child mailboxes; delete them first`);
                this.db.prepare('DELETE FROM noselect_names WHERE account_id = ? AND name = ?').run(accountId, name);
                this.pruneNoselect(accountId, name);
                return { noselect: false };
            }
            this.db.prepare('UPDATE accounts SET used_bytes = used_bytes - (SELECT COALESCE(SUM(size), 0) FROM messages WHERE mailbox_id = ?) WHERE id = ?').run(mb.id, accountId);
            this.db.prepare('DELETE FROM mailboxes WHERE id = ?').run(mb.id);
            if (children) {
                this.db.prepare('INSERT INTO noselect_names (account_id, name) VALUES (?, ?)').run(accountId, name);
                return { noselect: true };
            }
            this.pruneNoselect(accountId, name);
            return { noselect: false };
        }).immediate();
    }
    /** Rename a mailbox (or a \Noselect name) with its children (RFC 3501 6.3.5); \Noselect
     *  parents left without children go. Renaming INBOX moves its messages to a new mailbox and
     *  leaves INBOX empty. Subscriptions stay with the old names (as Dovecot does). */
    rename(accountId, rawFrom, rawTo) {
        const from = normalizeMailboxName(rawFrom);
        const to = normalizeMailboxName(rawTo);
        checkMailboxName(to);
        this.db.transaction(() => {
            const src = this.get(accountId, from);
            const noselect = !src && this.isNoselect(accountId, from);
            if (!src && !noselect)
                throw new StoreError('not-found', `there is no mailbox ${from}`);
            if (to === from)
                throw new StoreError('exists', 'a mailbox cannot be renamed to itself');
            if (this.taken(accountId, to))
                throw new StoreError('exists', `the mailbox ${to} already exists`);
            if (to.startsWith(from + DELIMITER))
                throw new StoreError('invalid', 'a mailbox cannot be moved into itself');
            this.createParents(accountId, to);
            if (src && from === 'INBOX') {
                const dest = this.insert(accountId, to, null);
                const rows = this.db.prepare('SELECT id FROM messages WHERE mailbox_id = ? ORDER BY uid').all(src.id);
                const destMb = this.byId(dest);
                let uid = destMb.uidNext;
                const modseq = destMb.highestModseq + 1;
                const upd = this.db.prepare('UPDATE messages SET mailbox_id = ?, uid = ?, modseq = ? WHERE id = ?');
                for (const r of rows)
                    upd.run(dest, uid++, modseq, r.id);
                this.db.prepare('UPDATE mailboxes SET uid_next = ?, highest_modseq = ? WHERE id = ?').run(uid, modseq, dest);
                this.db.prepare('UPDATE mailboxes SET highest_modseq = highest_modseq + 1 WHERE id = ?').run(src.id);
                return;
            }
            const [lo, hi] = below(from);
            const children = this.db.prepare('SELECT id, name FROM mailboxes WHERE account_id = ? AND name >= ? AND name < ?').all(accountId, lo, hi);
            const hollow = this.db.prepare('SELECT name FROM noselect_names WHERE account_id = ? AND name >= ? AND name < ?').all(accountId, lo, hi);
            if (src)
                this.db.prepare('UPDATE mailboxes SET name = ? WHERE id = ?').run(to, src.id);
            else
                this.db.prepare('UPDATE noselect_names SET name = ? WHERE account_id = ? AND name = ?').run(to, accountId, from);
            for (const c of children)
                this.db.prepare('UPDATE mailboxes SET name = ? WHERE id = ?').run(to + c.name.slice(from.length), c.id);
            for (const h of hollow)
                this.db.prepare('UPDATE noselect_names SET name = ? WHERE account_id = ? AND name = ?').run(to + h.name.slice(from.length), accountId, h.name);
            this.pruneNoselect(accountId, from);
        }).immediate();
    }
    /** \Recent (RFC 3501 2.3.2): the messages no session has claimed yet are those above this UID. */
    recentUid(mailboxId) {
        const r = this.db.prepare('SELECT recent_uid FROM mailboxes WHERE id = ?').get(mailboxId);
        return r ? r.recent_uid : 0;
    }
    /** Claim the messages up to `uptoUid` as recent for the calling session, in one transaction so
     *  that no other session claims them too. Returns the mark before the claim: the caller's
     *  recent messages are those with previous < UID <= uptoUid. */
    claimRecent(mailboxId, uptoUid) {
        // The mark only grows: nothing to claim (the common case) needs no write transaction.
        const seen = this.recentUid(mailboxId);
        if (uptoUid <= seen)
            return seen;
        return this.db.transaction(() => {
            const previous = this.recentUid(mailboxId);
            if (uptoUid > previous)
                this.db.prepare('UPDATE mailboxes SET recent_uid = ? WHERE id = ?').run(uptoUid, mailboxId);
            return previous;
        }).immediate();
    }
    /** How many messages no session has claimed as recent (STATUS RECENT). */
    recentCount(mailboxId) {
        const r = this.db.prepare('SELECT COUNT(*) AS n FROM messages WHERE mailbox_id = ? AND uid > (SELECT recent_uid FROM mailboxes WHERE id = ?)').get(mailboxId, mailboxId);
        return r.n;
    }
    status(mailboxId) {
        const mb = this.byId(mailboxId);
        if (!mb)
            throw new StoreError('not-found', 'the mailbox no longer exists');
        const c = this.db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(flags & 1 = 0), 0) AS unseen, COALESCE(SUM((flags & 8) != 0), 0) AS deleted, COALESCE(SUM(size), 0) AS size FROM messages WHERE mailbox_id = ?')
            .get(mailboxId);
        return { messages: c.n, unseen: c.unseen, deleted: c.deleted, size: c.size, uidNext: mb.uidNext, uidValidity: mb.uidValidity, highestModseq: mb.highestModseq };
    }
}
/** The names below `name` are those in [name + "/", name + "0"): "0" follows "/" in the binary
 *  order SQLite compares names in (LIKE would ignore ASCII case: "Foo" is not a parent of "foo/x"). */
function below(name) {
    return [name + DELIMITER, name + String.fromCharCode(DELIMITER.charCodeAt(0) + 1)];
}
//# sourceMappingURL=mailboxes.js.map