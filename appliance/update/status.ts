// What the updater did last and is doing now: state/status.json under the release root (written
// whole and renamed into place; readable by the panel and `postern update status`).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type UpdatePhase = 'idle' | 'verifying' | 'unpacking' | 'backup-point' | 'stopping' | 'switching' | 'starting' | 'self-test' | 'rolling-back';

export interface UpdateOutcome {
  from?: string;
  to: string;
  result: 'installed' | 'rolled-back' | 'refused' | 'postponed' | 'failed';
  /** one sentence: why it was refused or rolled back */
  reason?: string;
  at: string;
  /** ms from stopping the old release until the new one passed its SMTP check */
  downtimeMs?: number;
  /** ms from the start of `apply` until the new release passed its whole self-test */
  totalMs?: number;
  redelivered?: number;
  requeued?: number;
}

export interface UpdateStatus {
  phase: UpdatePhase;
  /** a few words for the panel's progress line */
  progress?: string;
  target?: string;
  current?: string;
  previous?: string;
  /** the backup point taken before `current` ran its migrations (for a later rollback by hand) */
  backupPoint?: { file: string; from: string; to: string; at: string };
  /** the backup point of the update in progress */
  attemptBackup?: { file: string; from: string; to: string; at: string };
  last?: UpdateOutcome;
  history: UpdateOutcome[];
  /** the newest release the feed offered at the last check */
  available?: { version: string; notes?: string; checkedAt: string };
  /** the newest feed index seen (an older one is refused) */
  feedPublished?: string;
}

export function statusFile(root: string): string { return join(root, 'state', 'status.json'); }

export function readStatus(root: string): UpdateStatus {
  try { return { history: [], ...(JSON.parse(readFileSync(statusFile(root), 'utf8')) as Partial<UpdateStatus>), phase: (JSON.parse(readFileSync(statusFile(root), 'utf8')) as UpdateStatus).phase ?? 'idle' }; } catch { return { phase: 'idle', history: [] }; }
}

export function writeStatus(root: string, s: UpdateStatus): void {
  mkdirSync(join(root, 'state'), { recursive: true, mode: 0o755 });
  const tmp = `${statusFile(root)}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(s, null, 1) + '\n', { mode: 0o644 });
  renameSync(tmp, statusFile(root));
}

export function updateStatus(root: string, change: (s: UpdateStatus) => void): UpdateStatus {
  const s = readStatus(root);
  change(s);
  writeStatus(root, s);
  return s;
}

export function recordOutcome(root: string, o: UpdateOutcome): void {
  updateStatus(root, (s) => {
    s.last = o;
    s.history = [o, ...s.history].slice(0, 20);
    s.phase = 'idle';
    delete s.progress;
    delete s.target;
  });
}
