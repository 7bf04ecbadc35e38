// Backup and restore (issue 16): the one entry point the CLI, the panel and the schedule use.
export { createBackupKeys, hasBackupKeys, setBackupPassphrase, boxBackupKeys, unwrapSecrets, BackupKeyError, splitRecoveryCode, combineShares, checkRecoveryCode, storedRetrievalKey, addRetrievalKey } from './keys.js';
export { openTarget, TargetError, type BackupTarget, type TargetContext } from './target.js';
export { normalizeOnion, peerSpki, ownOnion } from './peer-open.js';
export { HoldBook, usedBytes, type Hold } from './holds.js';
export { parseQuota, formatBytes } from './peer-protocol.js';
export { parseImapUrl, redactImapUrl } from './imap-target.js';
export { prepareTarget, runBackup, type BackupRunResult } from './snapshot.js';
export { restoreFromTarget, openBackupSecrets, type RestoreResult } from './restore.js';
export { pruneTarget } from './prune.js';
export { listSnapshots, verifyTarget } from './status.js';
export { backupStatus, describeTarget, targetState } from './state.js';
export { runDueBackups } from './schedule.js';
export { BackupIntegrityError } from './format.js';
export { DEFAULT_RETENTION, snapshotsToKeep } from './retention.js';
