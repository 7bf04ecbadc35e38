// Backups: each target the household added, the objects the box has put there (so only new
// message files travel: a target is never listed to find out what it holds) and where each
// message file sits in the target's packs. The sequence number of the last snapshot written to a
// target is kept here too: a target that later shows an older newest snapshot was rolled back.
export const id = '900-backup';
export const sql = `
CREATE TABLE backup_targets (
  name         TEXT PRIMARY KEY,
  kind         TEXT NOT NULL,
  location     TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  last_seq     INTEGER NOT NULL DEFAULT 0,
  last_run_at  INTEGER,
  last_ok_at   INTEGER,
  last_error   TEXT
) WITHOUT ROWID;
CREATE TABLE backup_objects (
  target  TEXT NOT NULL REFERENCES backup_targets(name) ON DELETE CASCADE,
  name    TEXT NOT NULL,
  size    INTEGER NOT NULL,
  sha256  TEXT NOT NULL,
  PRIMARY KEY (target, name)
) WITHOUT ROWID;
CREATE TABLE backup_blobs (
  target  TEXT NOT NULL REFERENCES backup_targets(name) ON DELETE CASCADE,
  hash    TEXT NOT NULL,
  pack    TEXT NOT NULL,
  offset  INTEGER NOT NULL,
  length  INTEGER NOT NULL,
  PRIMARY KEY (target, hash)
) WITHOUT ROWID;
CREATE INDEX backup_blobs_pack ON backup_blobs (target, pack);
`;
//# sourceMappingURL=900-backup.js.map