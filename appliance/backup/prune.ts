// postern backup prune: apply the retention to a target.
import type { Store } from '../store/index.js';
import type { Config } from '../config.js';
import { boxBackupKeys } from './keys.js';
import { dataName, snapshotName } from './format.js';
import { openTarget, TargetError } from './target.js';
import { readManifest } from './read.js';
import { snapshotSeqs, takeLock, workDir } from './snapshot.js';
import { DEFAULT_RETENTION, snapshotsToKeep, type Retention } from './retention.js';

export interface PruneResult { kept: number[]; removed: number[]; objectsRemoved: number; bytesFreed: number }

export async function pruneTarget(store: Store, targetName: string, retention: Retention = DEFAULT_RETENTION, progress: (l: string) => void = () => undefined, config?: Config): Promise<PruneResult> {
  const record = store.backups.target(targetName);
  if (!record) throw new TargetError(`no backup target named ${targetName}`);
  const keys = boxBackupKeys(store);
  const trust = { boxId: keys.boxId, signingPublicKey: keys.signingPublicKey };
  const unlock = takeLock(workDir(store), targetName); // never while a run puts objects not yet in a manifest
  const target = await openTarget(record.kind, record.location, { store, ...(config ? { config } : {}) }).catch((e: unknown) => { unlock(); throw e; });
  try {
    const seqs = await snapshotSeqs(target);
    const manifests = [];
    for (const seq of seqs) manifests.push(await readManifest(target, seq, trust));
    const keep = snapshotsToKeep(manifests, retention);
    const removed = manifests.filter((m) => !keep.has(m.seq)).map((m) => m.seq);
    for (const seq of removed) await target.remove(snapshotName(seq));
    const needed = new Set<string>();
    for (const m of manifests) if (keep.has(m.seq)) for (const o of m.objects) needed.add(o[0]);
    let objectsRemoved = 0;
    let bytesFreed = 0;
    const gone: string[] = [];
    for (const e of await target.list('data/')) {
      const name = e.name.slice('data/'.length);
      if (needed.has(name)) continue;
      await target.remove(dataName(name));
      gone.push(name);
      objectsRemoved++;
      bytesFreed += e.size;
    }
    store.backups.removeObjects(targetName, gone);
    progress(`kept ${keep.size} snapshot(s), removed ${removed.length}; ${objectsRemoved} object(s), ${bytesFreed} bytes freed`);
    return { kept: [...keep].sort((a, b) => a - b), removed, objectsRemoved, bytesFreed };
  } finally {
    await target.close();
    unlock();
  }
}
