// What the household sees about its backups: each target's snapshots, their checks, and whether a
// target is failing or overdue (the dashboard and `postern backup status`).
import type { BackupTargetRecord, Store } from '../store/index.js';
import { boxBackupKeys, unwrapSecrets, wrappedKeyFiles } from './keys.js';
import { openTarget, TargetError } from './target.js';
import { newestSnapshot, readManifest, verifySnapshot, type VerifyReport } from './read.js';
import { snapshotSeqs } from './snapshot.js';
import { redactImapUrl } from './imap-target.js';

/** A daily schedule with some slack: past this without a good snapshot a target is overdue. */
export const OVERDUE_AFTER_MS = 26 * 3600 * 1000;

export interface SnapshotSummary { seq: number; createdAt: number; objects: number; bytes: number }

function recordOf(store: Store, name: string): BackupTargetRecord {
  const r = store.backups.target(name);
  if (!r) throw new TargetError(`no backup target named ${name}`);
  return r;
}

export async function listSnapshots(store: Store, name: string): Promise<SnapshotSummary[]> {
  const record = recordOf(store, name);
  const keys = boxBackupKeys(store);
  const target = await openTarget(record.kind, record.location);
  try {
    const out: SnapshotSummary[] = [];
    for (const seq of await snapshotSeqs(target)) {
      const m = await readManifest(target, seq, { boxId: keys.boxId, signingPublicKey: keys.signingPublicKey });
      out.push({ seq, createdAt: m.createdAt, objects: m.objects.length, bytes: m.objects.reduce((n, o) => n + o[1], 0) });
    }
    return out;
  } finally {
    await target.close();
  }
}

export async function verifyTarget(store: Store, name: string, opts: { snapshot?: number; secret?: string; progress?: (l: string) => void } = {}): Promise<VerifyReport> {
  const record = recordOf(store, name);
  const keys = boxBackupKeys(store);
  const identity = opts.secret ? (await unwrapSecrets([...wrappedKeyFiles(store).values()], opts.secret)).identity : undefined;
  const target = await openTarget(record.kind, record.location);
  try {
    const seq = opts.snapshot ?? await newestSnapshot(target, record.lastSeq);
    return await verifySnapshot(target, seq, { boxId: keys.boxId, signingPublicKey: keys.signingPublicKey }, identity, opts.progress);
  } finally {
    await target.close();
  }
}

export type BackupState = 'ok' | 'failed' | 'overdue' | 'never';

export interface TargetStatus { name: string; state: BackupState; text: string; record: BackupTargetRecord }

export function targetState(r: BackupTargetRecord, now = Date.now()): { state: BackupState; text: string } {
  const when = (t: number | null) => (t ? new Date(t).toISOString() : 'never');
  if (r.lastError && (!r.lastOkAt || (r.lastRunAt ?? 0) > r.lastOkAt)) return { state: 'failed', text: `the last run (${when(r.lastRunAt)}) failed: ${r.lastError}; last good snapshot ${r.lastSeq || 'none'} at ${when(r.lastOkAt)}` };
  if (!r.lastOkAt) return { state: 'never', text: 'no snapshot written yet' };
  if (now - r.lastOkAt > OVERDUE_AFTER_MS) return { state: 'overdue', text: `overdue: the last snapshot (${r.lastSeq}) is from ${when(r.lastOkAt)}` };
  return { state: 'ok', text: `snapshot ${r.lastSeq} at ${when(r.lastOkAt)}` };
}

export function backupStatus(store: Store, now = Date.now()): TargetStatus[] {
  return store.backups.targets().map((r) => ({ name: r.name, record: r, ...targetState(r, now) }));
}

export function describeTarget(r: BackupTargetRecord): string {
  const where = r.kind === 'imap' ? redactImapUrl(r.location) : r.location;
  return `${r.name}\t${r.kind}\t${where}\t${targetState(r).text}`;
}
