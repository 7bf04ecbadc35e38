// The junk filter's per-account state (appliance/junk): the Bayes model (messages trained per
// label, and per hashed feature in how many spam and ham messages it occurred), which messages
// were trained and how (so a move back untrains exactly), the correspondents (addresses the
// account wrote to, kept mail from, or received from), and its settings and counters.
export const id = '800-junk';
export const sql = `
CREATE TABLE junk_accounts (
  account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
  spam_trained INTEGER NOT NULL DEFAULT 0,
  ham_trained INTEGER NOT NULL DEFAULT 0,
  caught INTEGER NOT NULL DEFAULT 0,
  delivered INTEGER NOT NULL DEFAULT 0,
  threshold REAL NOT NULL DEFAULT 0.95,
  min_trained INTEGER NOT NULL DEFAULT 20,
  risky_to_junk INTEGER NOT NULL DEFAULT 1,
  folders_trained_at INTEGER,
  -- bumped by every training write: a process with the model cached reloads when it moved
  version INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE junk_features (
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  feature INTEGER NOT NULL,
  spam INTEGER NOT NULL,
  ham INTEGER NOT NULL,
  PRIMARY KEY (account_id, feature)
) WITHOUT ROWID;
CREATE TABLE junk_trained (
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  hash TEXT NOT NULL,
  label TEXT NOT NULL CHECK (label IN ('spam', 'ham')),
  context TEXT NOT NULL DEFAULT '',
  at INTEGER NOT NULL,
  PRIMARY KEY (account_id, hash)
) WITHOUT ROWID;
CREATE TABLE junk_senders (
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  address TEXT NOT NULL,
  wrote_to INTEGER NOT NULL DEFAULT 0,
  kept INTEGER NOT NULL DEFAULT 0,
  received INTEGER NOT NULL DEFAULT 0,
  last_seen INTEGER NOT NULL,
  PRIMARY KEY (account_id, address)
) WITHOUT ROWID;
`;
//# sourceMappingURL=800-junk.js.map