import { boxBackupKeys } from './keys.js';
import { dataName, snapshotName } from './format.js';
import { openTarget, TargetError } from './target.js';
import { readManifest } from './read.js';
import { snapshotSeqs, takeLock, workDir } from './snapshot.js';
import { DEFAULT_RETENTION, snapshotsToKeep } from './retention.js';
export async function pruneTarget(store, targetName, retention = DEFAULT_RETENTION, progress = () => undefined) {
    const record = store.backups.target(targetName);
    if (!record)
        throw new TargetError(`no backup target named ${targetName}`);
    const keys = boxBackupKeys(store);
    const trust = { boxId: keys.boxId, signingPublicKey: keys.signingPublicKey };
    const unlock = takeLock(workDir(store), targetName); // never while a run puts objects not yet in a manifest
    const target = await openTarget(record.kind, record.location).catch((e) => { unlock(); throw e; });
    try {
        const seqs = await snapshotSeqs(target);
        const manifests = [];
        for (const seq of seqs)
            manifests.push(await readManifest(target, seq, trust));
        const keep = snapshotsToKeep(manifests, retention);
        const removed = manifests.filter((m) => !keep.has(m.seq)).map((m) => m.seq);
        for (const seq of removed)
            await target.remove(snapshotName(seq));
        const needed = new Set();
        for (const m of manifests)
            if (keep.has(m.seq))
                for (const o of m.objects)
                    needed.add(o[0]);
        let objectsRemoved = 0;
        let bytesFreed = 0;
        const gone = [];
        for (const e of await target.list('data/')) {
            const name = e.name.slice('data/'.length);
            if (needed.has(name))
                continue;
            await target.remove(dataName(name));
            gone.push(name);
            objectsRemoved++;
            bytesFreed += e.size;
        }
        store.backups.removeObjects(targetName, gone);
        progress(`kept ${keep.size} snapshot(s), removed ${removed.length}; ${objectsRemoved} object(s), ${bytesFreed} bytes freed`);
        return { kept: [...keep].sort((a, b) => a - b), removed, objectsRemoved, bytesFreed };
    }
    finally {
        await target.close();
        unlock();
    }
}
//# sourceMappingURL=prune.js.map