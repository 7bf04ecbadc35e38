// A target's snapshots and their end-to-end check (postern backup list|verify).
import type { BackupTargetRecord, Store } from '../store/index.js';
import type { Config } from '../config.js';
import { boxBackupKeys, unwrapSecrets, wrappedKeyFiles } from './keys.js';
import { openTarget, TargetError } from './target.js';
import { newestSnapshot, readManifest, verifySnapshot, type VerifyReport } from './read.js';
import { snapshotSeqs } from './snapshot.js';

export interface SnapshotSummary { seq: number; createdAt: number; objects: number; bytes: number }

function recordOf(store: Store, name: string): BackupTargetRecord {
  const r = store.backups.target(name);
  if (!r) throw new TargetError(`no backup target named ${name}`);
  return r;
}

export async function listSnapshots(store: Store, name: string, config?: Config): Promise<SnapshotSummary[]> {
  const record = recordOf(store, name);
  const keys = boxBackupKeys(store);
  const target = await openTarget(record.kind, record.location, { store, ...(config ? { config } : {}) });
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

export async function verifyTarget(store: Store, name: string, opts: { snapshot?: number; secret?: string; progress?: (l: string) => void; config?: Config } = {}): Promise<VerifyReport> {
  const record = recordOf(store, name);
  const keys = boxBackupKeys(store);
  const identity = opts.secret ? (await unwrapSecrets([...wrappedKeyFiles(store).values()], opts.secret)).identity : undefined;
  const target = await openTarget(record.kind, record.location, { store, ...(opts.config ? { config: opts.config } : {}) });
  try {
    const seq = opts.snapshot ?? await newestSnapshot(target, record.lastSeq);
    return await verifySnapshot(target, seq, { boxId: keys.boxId, signingPublicKey: keys.signingPublicKey }, identity, opts.progress);
  } finally {
    await target.close();
  }
}

