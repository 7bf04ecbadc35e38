// OpenPGP: each account's key (public part in clear, secret part sealed twice: under a key derived
// from the account's password and under one derived from a recovery code), its Autocrypt and
// encryption-at-rest settings, the Autocrypt peer state per account (Autocrypt Level 1, section
// 2.3) and the history of peer key changes waiting for a person's decision.
export const id = '600-openpgp';
export const sql = `
CREATE TABLE openpgp_account_keys (
  account_id      INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
  fingerprint     TEXT NOT NULL,
  -- binary transferable public key, reduced to the account's own user id (WKD, Autocrypt keydata)
  public_key      BLOB NOT NULL,
  -- the secret key sealed under argon2id(password); NULL after an admin reset: needs the recovery code
  password_wrap   TEXT,
  recovery_wrap   TEXT NOT NULL,
  prefer_encrypt  TEXT NOT NULL DEFAULT 'nopreference' CHECK (prefer_encrypt IN ('mutual', 'nopreference')),
  encrypt_at_rest INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);

CREATE TABLE autocrypt_peers (
  account_id          INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  addr                TEXT NOT NULL,
  first_seen          INTEGER NOT NULL,
  last_seen           INTEGER NOT NULL,
  autocrypt_timestamp INTEGER,
  fingerprint         TEXT,
  public_key          BLOB,
  prefer_encrypt      TEXT NOT NULL DEFAULT 'nopreference',
  PRIMARY KEY (account_id, addr)
) WITHOUT ROWID;

CREATE TABLE autocrypt_key_changes (
  id              INTEGER PRIMARY KEY,
  account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  addr            TEXT NOT NULL,
  old_fingerprint TEXT NOT NULL,
  new_fingerprint TEXT NOT NULL,
  new_key         BLOB NOT NULL,
  prefer_encrypt  TEXT NOT NULL,
  first_seen      INTEGER NOT NULL,
  last_seen       INTEGER NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
  decided_at      INTEGER
);
CREATE INDEX autocrypt_key_changes_account ON autocrypt_key_changes(account_id, status);
`;
//# sourceMappingURL=600-openpgp.js.map