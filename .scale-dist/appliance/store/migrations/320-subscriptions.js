// Mailbox names that live apart from mailboxes (RFC 3501 6.3.4, 6.3.6; RFC 9051 6.3.4, 6.3.7):
// - subscriptions: the subscription list is independent of mailbox existence; a name stays
//   subscribed when its mailbox is deleted or renamed. Today's per-mailbox flags are copied over.
// - noselect_names: a deleted mailbox that still has children keeps its name as \Noselect until
//   its last child goes, it is deleted, or CREATE makes it a mailbox again. These names are not
//   rows of `mailboxes`, so nothing can select, deliver to or append to them.
export const id = '320-subscriptions';
export const sql = `
CREATE TABLE subscriptions (
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  PRIMARY KEY (account_id, name)
) WITHOUT ROWID;
INSERT INTO subscriptions (account_id, name) SELECT account_id, name FROM mailboxes WHERE subscribed = 1;
ALTER TABLE mailboxes DROP COLUMN subscribed;

CREATE TABLE noselect_names (
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  PRIMARY KEY (account_id, name)
) WITHOUT ROWID;
`;
//# sourceMappingURL=320-subscriptions.js.map