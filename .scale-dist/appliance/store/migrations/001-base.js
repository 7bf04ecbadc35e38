// The base schema. Times are milliseconds since the epoch. Addresses are stored lower-cased.
export const id = '001-base';
export const sql = `
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE domains (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);
CREATE TABLE accounts (
  id            INTEGER PRIMARY KEY,
  address       TEXT NOT NULL UNIQUE,
  domain_id     INTEGER NOT NULL REFERENCES domains(id) ON DELETE RESTRICT,
  password_hash TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'member')),
  quota_bytes   INTEGER NOT NULL DEFAULT 0,
  used_bytes    INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL
);
CREATE TABLE aliases (
  id         INTEGER PRIMARY KEY,
  address    TEXT NOT NULL,
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  UNIQUE (address, account_id)
);
CREATE INDEX aliases_address ON aliases(address);

-- Content-addressed message files: blobs/<2 hex>/<64 hex>. A row exists only once the file and its
-- folder are fsynced. 'headers' caches the raw header block (for FETCH of header fields and SEARCH
-- HEADER without reading files); 'mime' caches the MIME structure as JSON.
CREATE TABLE blobs (
  id       INTEGER PRIMARY KEY,
  hash     TEXT NOT NULL UNIQUE,
  size     INTEGER NOT NULL,
  headers  BLOB NOT NULL,
  mime     TEXT NOT NULL,
  refs     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE mailboxes (
  id             INTEGER PRIMARY KEY,
  account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name           TEXT NOT NULL,
  special_use    TEXT,
  uid_validity   INTEGER NOT NULL,
  uid_next       INTEGER NOT NULL DEFAULT 1,
  highest_modseq INTEGER NOT NULL DEFAULT 1,
  subscribed     INTEGER NOT NULL DEFAULT 1,
  created_at     INTEGER NOT NULL,
  UNIQUE (account_id, name)
);

-- flags: bit mask of system flags (1 \\Seen, 2 \\Answered, 4 \\Flagged, 8 \\Deleted, 16 \\Draft);
-- keywords: space-separated IMAP keywords.
CREATE TABLE messages (
  id            INTEGER PRIMARY KEY,
  mailbox_id    INTEGER NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
  uid           INTEGER NOT NULL,
  modseq        INTEGER NOT NULL,
  blob_id       INTEGER NOT NULL REFERENCES blobs(id) ON DELETE RESTRICT,
  size          INTEGER NOT NULL,
  internal_date INTEGER NOT NULL,
  flags         INTEGER NOT NULL DEFAULT 0,
  keywords      TEXT NOT NULL DEFAULT '',
  UNIQUE (mailbox_id, uid)
);
CREATE INDEX messages_modseq ON messages(mailbox_id, modseq);
CREATE INDEX messages_blob ON messages(blob_id);

-- Expunged UIDs with the modseq of their expunge, for QRESYNC's VANISHED (EARLIER).
CREATE TABLE expunged (
  mailbox_id INTEGER NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
  uid        INTEGER NOT NULL,
  modseq     INTEGER NOT NULL,
  PRIMARY KEY (mailbox_id, uid)
) WITHOUT ROWID;

CREATE TRIGGER messages_ref_add AFTER INSERT ON messages BEGIN
  UPDATE blobs SET refs = refs + 1 WHERE id = NEW.blob_id;
END;
CREATE TRIGGER messages_ref_del AFTER DELETE ON messages BEGIN
  UPDATE blobs SET refs = refs - 1 WHERE id = OLD.blob_id;
END;

-- Full-text index per blob (a copied message is not indexed twice). The trigram tokenizer gives
-- IMAP SEARCH its substring semantics for needles of three characters or more.
CREATE VIRTUAL TABLE blob_text USING fts5(headers, body, content='', contentless_delete=1, tokenize='trigram');

-- Outbound queue: one entry per message and recipient domain.
CREATE TABLE queue (
  id              INTEGER PRIMARY KEY,
  blob_id         INTEGER NOT NULL REFERENCES blobs(id) ON DELETE RESTRICT,
  account_id      INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
  mail_from       TEXT NOT NULL,
  domain          TEXT NOT NULL,
  envid           TEXT,
  created_at      INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_reply      TEXT,
  delay_notified  INTEGER NOT NULL DEFAULT 0,
  route           TEXT
);
CREATE INDEX queue_due ON queue(next_attempt_at);
CREATE TABLE queue_recipients (
  queue_id   INTEGER NOT NULL REFERENCES queue(id) ON DELETE CASCADE,
  address    TEXT NOT NULL,
  status     TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  reply      TEXT,
  PRIMARY KEY (queue_id, address)
) WITHOUT ROWID;
CREATE TRIGGER queue_ref_add AFTER INSERT ON queue BEGIN
  UPDATE blobs SET refs = refs + 1 WHERE id = NEW.blob_id;
END;
CREATE TRIGGER queue_ref_del AFTER DELETE ON queue BEGIN
  UPDATE blobs SET refs = refs - 1 WHERE id = OLD.blob_id;
END;
`;
//# sourceMappingURL=001-base.js.map