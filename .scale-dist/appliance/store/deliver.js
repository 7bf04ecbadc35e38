import { BlobFiles } from './blobs.js';
import { StoreError } from './errors.js';
import { splitFlags } from './messages.js';
import { normalizeMailboxName } from './mailboxes.js';
import { parseMime } from '../mail/mime.js';
import { searchableText } from '../mail/text.js';
import { headerEnd } from '../mail/header.js';
/** Parse and index outside the transaction (CPU work that needs no lock). */
export function prepareMessage(raw) {
    const mime = parseMime(raw);
    return { raw, hash: BlobFiles.hash(raw), mime, headers: raw.subarray(0, headerEnd(raw)), text: searchableText(raw, mime) };
}
/** The statements of a delivery, compiled once per connection (preparing them for every message
 *  cost about 4 % of the SMTP server's CPU). */
function statements(db) {
    return {
        blobByHash: db.prepare('SELECT id FROM blobs WHERE hash = ?'),
        insBlob: db.prepare('INSERT INTO blobs (hash, size, headers, mime) VALUES (?, ?, ?, ?)'),
        mbByName: db.prepare('SELECT id, uid_next, uid_validity, highest_modseq FROM mailboxes WHERE account_id = ? AND name = ?'),
        mbById: db.prepare('SELECT id, account_id, uid_next, uid_validity, highest_modseq FROM mailboxes WHERE id = ?'),
        acct: db.prepare('SELECT quota_bytes, used_bytes, address FROM accounts WHERE id = ?'),
        ins: db.prepare('INSERT INTO messages (mailbox_id, uid, modseq, blob_id, size, internal_date, flags, keywords) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
        bump: db.prepare('UPDATE mailboxes SET uid_next = uid_next + 1, highest_modseq = highest_modseq + 1 WHERE id = ?'),
        use: db.prepare('UPDATE accounts SET used_bytes = used_bytes + ? WHERE id = ?'),
    };
}
export class Delivery {
    db;
    blobs;
    text;
    cached;
    constructor(db, blobs, text) {
        this.db = db;
        this.blobs = blobs;
        this.text = text;
    }
    get sql() {
        return (this.cached ??= statements(this.db));
    }
    /** The blob row id for a message whose file is durable (inserting the row when new).
     *  Must run inside a transaction. */
    blobRow(p) {
        const existing = this.sql.blobByHash.get(p.hash);
        if (existing)
            return existing.id;
        const r = this.sql.insBlob.run(p.hash, p.raw.length, p.headers, JSON.stringify(p.mime));
        const id = Number(r.lastInsertRowid);
        this.text.add(id, p.text);
        return id;
    }
    /** Store the blob only (the outbound queue references it). Returns the blob id. Inside a transaction. */
    storeBlob(p) {
        this.blobs.write(p.raw, p.hash);
        return this.blobRow(p);
    }
    deliver(targets, input, internalDate = Date.now()) {
        if (targets.length === 0)
            return [];
        const p = Buffer.isBuffer(input) ? prepareMessage(input) : input;
        this.blobs.write(p.raw, p.hash);
        return this.db.transaction(() => this.insert(targets, p, internalDate)).immediate();
    }
    /** The rows of a delivery whose message file is already durable: blob row, one message row per
     *  target, UIDNEXT/HIGHESTMODSEQ and quota counters. Inside a transaction; throws StoreError
     *  (over-quota, not-found) and then the caller's transaction or savepoint undoes it all. */
    insert(targets, p, internalDate = Date.now()) {
        const blobId = this.blobRow(p);
        const out = [];
        const size = p.raw.length;
        const { mbByName, mbById, acct, ins, bump, use } = this.sql;
        for (const t of targets) {
            const a = acct.get(t.accountId);
            if (!a)
                throw new StoreError('not-found', `account ${t.accountId} does not exist`);
            if (a.quota_bytes > 0 && a.used_bytes + size > a.quota_bytes) {
                throw new StoreError('over-quota', `the mailbox of ${a.address} is full (quota ${a.quota_bytes} bytes, used ${a.used_bytes})`, `the mailbox of account ${t.accountId} is full (quota ${a.quota_bytes} bytes, used ${a.used_bytes})`);
            }
            const mb = (t.mailboxId !== undefined
                ? mbById.get(t.mailboxId)
                : mbByName.get(t.accountId, normalizeMailboxName(t.mailbox ?? 'INBOX')));
            if (!mb || (t.mailboxId !== undefined && mb.account_id !== t.accountId)) {
                throw new StoreError('not-found', `there is no mailbox ${t.mailbox ?? t.mailboxId ?? 'INBOX'}`);
            }
            const { bits, keywords } = splitFlags(t.flags ?? []);
            ins.run(mb.id, mb.uid_next, mb.highest_modseq + 1, blobId, size, internalDate, bits, keywords.join(' '));
            bump.run(mb.id);
            use.run(size, t.accountId);
            out.push({ accountId: t.accountId, mailboxId: mb.id, uid: mb.uid_next, uidValidity: mb.uid_validity });
        }
        return out;
    }
}
//# sourceMappingURL=deliver.js.map