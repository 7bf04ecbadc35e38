// The subscription list (RFC 3501 6.3.6-6.3.9, RFC 9051 6.3.7-6.3.8): names, not mailboxes. A name
// stays on the list when its mailbox is deleted or renamed ("the server MUST NOT unilaterally
// remove an existing mailbox name from the subscription list even if a mailbox by that name no
// longer exists"); LIST (SUBSCRIBED) shows such a name as \NonExistent.
import type { Db } from './database.js';
import { checkMailboxName, normalizeMailboxName } from './mailboxes.js';

export class Subscriptions {
  constructor(private readonly db: Db) {}

  /** Subscribe a name (idempotent). Whether the mailbox must exist is the protocol's decision. */
  add(accountId: number, rawName: string): void {
    const name = normalizeMailboxName(rawName);
    checkMailboxName(name);
    this.db.prepare('INSERT INTO subscriptions (account_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING').run(accountId, name);
  }

  /** Unsubscribe a name; returns whether it was subscribed. */
  remove(accountId: number, rawName: string): boolean {
    return this.db.prepare('DELETE FROM subscriptions WHERE account_id = ? AND name = ?').run(accountId, normalizeMailboxName(rawName)).changes > 0;
  }

  has(accountId: number, rawName: string): boolean {
    return this.db.prepare('SELECT 1 FROM subscriptions WHERE account_id = ? AND name = ?').get(accountId, normalizeMailboxName(rawName)) !== undefined;
  }

  /** Every subscribed name of the account, sorted. */
  list(accountId: number): string[] {
    return (this.db.prepare('SELECT name FROM subscriptions WHERE account_id = ? ORDER BY name').all(accountId) as { name: string }[]).map((r) => r.name);
  }
}
