import { boxBackupKeys, unwrapSecrets, wrappedKeyFiles } from './keys.js';
import { openTarget, TargetError } from './target.js';
import { newestSnapshot, readManifest, verifySnapshot } from './read.js';
import { snapshotSeqs } from './snapshot.js';
function recordOf(store, name) {
    const r = store.backups.target(name);
    if (!r)
        throw new TargetError(`no backup target named ${name}`);
    return r;
}
export async function listSnapshots(store, name) {
    const record = recordOf(store, name);
    const keys = boxBackupKeys(store);
    const target = await openTarget(record.kind, record.location);
    try {
        const out = [];
        for (const seq of await snapshotSeqs(target)) {
            const m = await readManifest(target, seq, { boxId: keys.boxId, signingPublicKey: keys.signingPublicKey });
            out.push({ seq, createdAt: m.createdAt, objects: m.objects.length, bytes: m.objects.reduce((n, o) => n + o[1], 0) });
        }
        return out;
    }
    finally {
        await target.close();
    }
}
export async function verifyTarget(store, name, opts = {}) {
    const record = recordOf(store, name);
    const keys = boxBackupKeys(store);
    const identity = opts.secret ? (await unwrapSecrets([...wrappedKeyFiles(store).values()], opts.secret)).identity : undefined;
    const target = await openTarget(record.kind, record.location);
    try {
        const seq = opts.snapshot ?? await newestSnapshot(target, record.lastSeq);
        return await verifySnapshot(target, seq, { boxId: keys.boxId, signingPublicKey: keys.signingPublicKey }, identity, opts.progress);
    }
    finally {
        await target.close();
    }
}
//# sourceMappingURL=status.js.map