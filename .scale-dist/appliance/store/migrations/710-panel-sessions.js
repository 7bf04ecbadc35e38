// Signed-in panel sessions, kept across restarts and lock/unlock cycles. Only a SHA-256 of the
// session cookie is stored (a copy of the database does not sign anyone in); the CSRF token is
// stored as is (it is useless without the cookie). A session ends at `idle_until` (no request for
// the idle time, refreshed at most once a minute so the SD card is not written on every click) or
// at `expires_at` (the absolute limit after sign-in), whichever comes first; removing the account
// removes its sessions.
export const id = '710-panel-sessions';
export const sql = `
CREATE TABLE panel_sessions (
  token_hash  TEXT PRIMARY KEY,
  account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  address     TEXT NOT NULL,
  role        TEXT NOT NULL,
  csrf        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  last_seen   INTEGER NOT NULL,
  idle_until  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX panel_sessions_account ON panel_sessions (account_id);
`;
//# sourceMappingURL=710-panel-sessions.js.map