// Imports (issue 18): what each import source has brought into an account, so an interrupted
// import resumes without duplicates and a second run fetches only what is new. A source is one
// folder of one place (an IMAP folder at a provider, an mbox file, a Maildir folder); an item is
// one message of it (an IMAP UID under the folder's UIDVALIDITY, an mbox message's ordinal, a
// Maildir file's unique name). An item's row is committed in the same transaction as the message
// it brought in (the store's group commit), so a kill -9 leaves both or neither.
export const id = '820-imports';
export const sql = `
CREATE TABLE import_sources (
  id            INTEGER PRIMARY KEY,
  account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  origin        TEXT NOT NULL,
  folder        TEXT NOT NULL,
  uid_validity  INTEGER NOT NULL DEFAULT 0,
  UNIQUE (account_id, origin, folder)
);
CREATE TABLE import_items (
  source_id     INTEGER NOT NULL REFERENCES import_sources(id) ON DELETE CASCADE,
  item          TEXT NOT NULL,
  uid_validity  INTEGER NOT NULL DEFAULT 0,
  hash          TEXT NOT NULL,
  email_id      TEXT,
  mailbox_id    INTEGER,
  uid           INTEGER,
  skipped       TEXT,
  deleted_at    INTEGER,
  PRIMARY KEY (source_id, item)
) WITHOUT ROWID;
CREATE INDEX import_items_hash ON import_items (source_id, hash);
CREATE TABLE import_runs (
  id            INTEGER PRIMARY KEY,
  account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  kind          TEXT NOT NULL,
  origin        TEXT NOT NULL,
  started_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  finished_at   INTEGER,
  state         TEXT NOT NULL DEFAULT 'running',
  progress      TEXT NOT NULL DEFAULT '{}'
);
`;
//# sourceMappingURL=820-imports.js.map