import { checkMailboxName, normalizeMailboxName } from './mailboxes.js';
export class Subscriptions {
    db;
    constructor(db) {
        this.db = db;
    }
    /** Subscribe a name (idempotent). Whether the mailbox must exist is the protocol's decision. */
    add(accountId, rawName) {
        const name = normalizeMailboxName(rawName);
        checkMailboxName(name);
        this.db.prepare('INSERT INTO subscriptions (account_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING').run(accountId, name);
    }
    /** Unsubscribe a name; returns whether it was subscribed. */
    remove(accountId, rawName) {
        return this.db.prepare('DELETE FROM subscriptions WHERE account_id = ? AND name = ?').run(accountId, normalizeMailboxName(rawName)).changes > 0;
    }
    has(accountId, rawName) {
        return this.db.prepare('SELECT 1 FROM subscriptions WHERE account_id = ? AND name = ?').get(accountId, normalizeMailboxName(rawName)) !== undefined;
    }
    /** Every subscribed name of the account, sorted. */
    list(accountId) {
        return this.db.prepare('SELECT name FROM subscriptions WHERE account_id = ? ORDER BY name').all(accountId).map((r) => r.name);
    }
}
//# sourceMappingURL=subscriptions.js.map