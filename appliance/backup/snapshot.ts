// Write one snapshot to a target: an online copy of the database, the message files no earlier
// snapshot on this target holds (packed several to an age file: one X25519 exchange per pack, not
// per message, and a target sees a few large objects rather than a count of messages), the system
// files, then the encrypted body and, last, the signed manifest. Until the manifest is written the
// snapshot does not exist: a run killed midway leaves unreferenced objects that the next run reuses
// or `prune` removes.
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemDir, type Config } from '../config.js';
import type { Store, PackedBlob } from '../store/index.js';
import { boxBackupKeys, encryptTo, objectName, signManifest, storedRetrievalKey, wrappedKeyFiles, type BoxBackupKeys } from './keys.js';
import { BackupIntegrityError, dataName, FORMAT, HEADER_NAME, keyFileName, seqOfSnapshotName, sha256, snapshotName, type Manifest, type ObjectRef, type SignedManifest, type SnapshotBody, type TargetHeader } from './format.js';
import { openTarget, TargetError, type BackupTarget } from './target.js';
import { collectSystemFiles, collectVolumeFiles } from './system-files.js';

/** Message files are gathered into packs of about this many bytes before encryption. */
export const PACK_BYTES = 4 * 1024 * 1024;
/** The database copy travels in pieces of this size; unchanged pieces are not sent again. */
export const DB_CHUNK_BYTES = 64 * 1024;

export interface BackupRunResult {
  seq: number;
  messageFiles: number;
  newMessageFiles: number;
  objectsSent: number;
  bytesSent: number;
  dbBytes: number;
}

export type Progress = (line: string) => void;

/** Where a run keeps its database copy: on the data volume (encrypted on a LUKS box), never /tmp. */
export function workDir(store: Store): string {
  return join(store.dataDir, 'backup-work');
}

/** One run per target at a time, across processes (the appliance's schedule and the CLI). */
export function takeLock(dir: string, target: string): () => void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${target}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => { try { unlinkSync(file); } catch { /* gone */ } };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(file, 'utf8'));
      let alive = false;
      try { if (pid > 0) { process.kill(pid, 0); alive = true; } } catch { alive = false; }
      if (alive && pid !== process.pid) throw new TargetError(`a backup to ${target} is running already (process ${pid})`);
      unlinkSync(file); // left by a killed run
    }
  }
  throw new TargetError(`cannot take the backup lock for ${target}`);
}

/** The target's header and key files: written on first use; a target that holds another box's
 *  backup is refused. Returns whether the target was empty (a new disk). */
export async function prepareTarget(target: BackupTarget, keys: BoxBackupKeys, store: Store): Promise<boolean> {
  const raw = await target.get(HEADER_NAME);
  let fresh = false;
  if (raw) {
    let header: TargetHeader;
    try { header = JSON.parse(raw.toString('utf8')) as TargetHeader; } catch { throw new TargetError(`${target.description} has a damaged ${HEADER_NAME}`); }
    if (header.boxId !== keys.boxId) throw new TargetError(`${target.description} holds the backup of another box (${header.boxId}); use an empty folder or that box`);
  } else {
    fresh = true;
    await target.put(HEADER_NAME, Buffer.from(JSON.stringify({ format: FORMAT, boxId: keys.boxId } satisfies TargetHeader) + '\n'));
  }
  const retrieval = storedRetrievalKey(store);
  if (retrieval && target.registerRetrievalKey) await target.registerRetrievalKey(retrieval);
  for (const [kind, bytes] of wrappedKeyFiles(store)) {
    const name = keyFileName(kind);
    const there = fresh ? undefined : await target.get(name);
    if (!there || !there.equals(bytes)) await target.put(name, bytes);
  }
  return fresh;
}

export async function snapshotSeqs(target: BackupTarget): Promise<number[]> {
  return (await target.list('snapshots/')).map((e) => seqOfSnapshotName(e.name)).filter((n): n is number => n !== undefined).sort((a, b) => a - b);
}

export async function runBackup(store: Store, config: Config, targetName: string, progress: Progress = () => undefined): Promise<BackupRunResult> {
  const record = store.backups.target(targetName);
  if (!record) throw new TargetError(`no backup target named ${targetName} ("postern backup target list" shows them)`);
  const keys = boxBackupKeys(store);
  const work = workDir(store);
  const unlock = takeLock(work, targetName);
  const startedAt = Date.now();
  const dbCopy = join(work, `${targetName}.db`);
  let target: BackupTarget | undefined;
  try {
    target = await openTarget(record.kind, record.location, { store, config });
    const fresh = await prepareTarget(target, keys, store);
    const seqs = await snapshotSeqs(target);
    const newest = seqs.at(-1) ?? 0;
    if (fresh) {
      if (record.lastSeq > 0) progress(`${target.description} is empty: starting a new series of snapshots there`);
      store.backups.forgetObjects(targetName);
    } else if (newest < record.lastSeq) {
      throw new BackupIntegrityError(`${target.description}: the newest snapshot there is ${newest}, but this box last wrote snapshot ${record.lastSeq}: snapshots were removed or an older copy was put back; refusing to continue (check the disk)`);
    }
    const seq = Math.max(newest, record.lastSeq) + 1;
    let bytesSent = 0;
    let objectsSent = 0;
    const send = async (name: string, plain: Uint8Array, blobs: PackedBlob[] = []): Promise<void> => {
      const sealed = await encryptTo(keys.recipient, plain);
      await target!.put(dataName(name), sealed);
      store.backups.addObject(targetName, { name, size: sealed.length, sha256: sha256(sealed) }, blobs);
      bytesSent += sealed.length;
      objectsSent++;
    };

    // 1. the database, online
    for (const f of [dbCopy, `${dbCopy}-wal`, `${dbCopy}-shm`, `${dbCopy}-journal`]) rmSync(f, { force: true });
    progress(`snapshot ${seq}: copying the database`);
    const { blobs } = await store.snapshotDatabase(dbCopy, { target: targetName, seq });

    // 2. what this target lacks: message files and pieces of the database copy (a database
    //    changes in a few pages a day: 64 KiB pieces make an incremental run send those, not the
    //    whole database), packed together into age files of about PACK_BYTES
    const packed = store.backups.packedBlobs(targetName);
    const missing = blobs.filter((b) => !packed.has(b.hash));
    progress(`snapshot ${seq}: ${blobs.length} message file(s), ${missing.length} new`);
    let parts: Buffer[] = [];
    let entries: { hash: string; offset: number; length: number }[] = [];
    let size = 0;
    let done = 0;
    const queued = new Set<string>();
    const flush = async (): Promise<void> => {
      if (parts.length === 0) return;
      const plain = Buffer.concat(parts);
      const name = objectName(keys.nameKey, 'pack', sha256(plain));
      const placed = entries.map((e) => ({ ...e, pack: name }));
      await send(name, plain, placed);
      for (const p of placed) packed.set(p.hash, p);
      parts = [];
      entries = [];
      size = 0;
      progress(`snapshot ${seq}: ${done}/${missing.length} new message file(s) sent`);
    };
    const add = async (key: string, raw: Buffer): Promise<void> => {
      if (packed.has(key) || queued.has(key)) return;
      queued.add(key);
      entries.push({ hash: key, offset: size, length: raw.length });
      parts.push(raw);
      size += raw.length;
      if (size >= PACK_BYTES) await flush();
    };
    for (const b of missing) {
      let raw: Buffer;
      try {
        raw = store.readMessage(b.hash);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new TargetError(`message file ${b.hash.slice(0, 12)}... vanished during the backup (expunged meanwhile?): run the backup again`);
        throw e;
      }
      if (sha256(raw) !== b.hash) throw new BackupIntegrityError(`message file ${b.hash.slice(0, 12)}... is damaged (its content does not match its name): run "postern fsck"; nothing was backed up`);
      done++;
      await add(b.hash, raw);
    }

    // 3. the database copy, piece by piece
    const dbSize = statSync(dbCopy).size;
    const chunks: string[] = [];
    const fd = openSync(dbCopy, 'r');
    const dbHash = createHash('sha256');
    try {
      for (let off = 0; off < dbSize; off += DB_CHUNK_BYTES) {
        const len = Math.min(DB_CHUNK_BYTES, dbSize - off);
        const buf = Buffer.alloc(len);
        let got = 0;
        while (got < len) got += readSync(fd, buf, got, len - got, off + got);
        dbHash.update(buf);
        const key = `db:${sha256(buf)}`;
        chunks.push(key);
        await add(key, buf);
      }
    } finally {
      closeSync(fd);
    }
    await flush();
    progress(`snapshot ${seq}: database copied (${dbSize} bytes in ${chunks.length} piece(s))`);

    // 4. the body, then the signed manifest
    const createdAt = Date.now();
    const body: SnapshotBody = {
      format: FORMAT,
      boxId: keys.boxId,
      seq,
      createdAt,
      db: { size: dbSize, sha256: dbHash.digest('hex'), chunkBytes: DB_CHUNK_BYTES, chunks },
      files: collectSystemFiles(systemDir(config)),
      volumeFiles: collectVolumeFiles(store.dataDir),
      pieces: [...new Set([...blobs.map((b) => b.hash), ...chunks])].map((k) => { const p = packed.get(k)!; return [k, p.pack, p.offset, p.length]; }),
    };
    const bodyPlain = Buffer.from(JSON.stringify(body));
    const bodyName = objectName(keys.nameKey, 'body', sha256(bodyPlain));
    await send(bodyName, bodyPlain);

    const needed = new Set<string>([bodyName, ...body.pieces.map((p) => p[1])]);
    const objects: ObjectRef[] = [...needed].sort().map((n) => {
      const o = store.backups.hasObject(targetName, n);
      if (!o) throw new TargetError(`internal: object ${n} is not recorded as sent`);
      return [o.name, o.size, o.sha256];
    });
    const manifest: Manifest = { format: FORMAT, boxId: keys.boxId, seq, createdAt, body: bodyName, objects };
    const text = JSON.stringify(manifest);
    const signed: SignedManifest = { manifest: text, signature: signManifest(keys.signingKey, text) };
    await target.put(snapshotName(seq), Buffer.from(JSON.stringify(signed) + '\n'));
    store.backups.recordRun(targetName, { at: Date.now(), seq });
    progress(`snapshot ${seq} written to ${target.description} in ${((Date.now() - startedAt) / 1000).toFixed(1)} s: ${objectsSent} object(s), ${bytesSent} bytes sent`);
    return { seq, messageFiles: blobs.length, newMessageFiles: missing.length, objectsSent, bytesSent, dbBytes: dbSize };
  } catch (e) {
    try { store.backups.recordRun(targetName, { at: Date.now(), error: (e as Error).message }); } catch { /* store closing */ }
    throw e;
  } finally {
    for (const f of [dbCopy, `${dbCopy}-wal`, `${dbCopy}-shm`, `${dbCopy}-journal`]) rmSync(f, { force: true });
    await target?.close().catch(() => undefined);
    unlock();
  }
}
