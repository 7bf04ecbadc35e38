// Backup and restore (issue 16): the one entry point the CLI, the panel and the schedule use.
export { createBackupKeys, hasBackupKeys, setBackupPassphrase, boxBackupKeys, unwrapSecrets, BackupKeyError, splitRecoveryCode, combineShares, checkRecoveryCode } from './keys.js';
export { openTarget, TargetError } from './target.js';
export { parseImapUrl, redactImapUrl } from './imap-target.js';
export { prepareTarget, runBackup } from './snapshot.js';
export { restoreFromTarget, openBackupSecrets } from './restore.js';
export { pruneTarget } from './prune.js';
export { listSnapshots, verifyTarget } from './status.js';
export { backupStatus, describeTarget, targetState } from './state.js';
export { runDueBackups } from './schedule.js';
export { BackupIntegrityError } from './format.js';
export { DEFAULT_RETENTION, snapshotsToKeep } from './retention.js';
//# sourceMappingURL=index.js.map