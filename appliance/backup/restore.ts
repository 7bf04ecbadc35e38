// Restore a snapshot onto a new box: into an empty data folder, with the recovery code (or the
// admin's passphrase). A marker file is written first and removed last; while it exists the store
// refuses to open the folder (nothing half-restored is served), and a second `postern restore`
// completes the work (message files already in place are kept). Everything is checked on the way:
// the manifest's signature under the key the recovery code unwraps, every object's checksum,
// every message file's SHA-256, the database copy's checksum; then the store is opened (migrations
// of a newer version apply), unreferenced rows are dropped and the whole store is checked.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { systemDir, type Config } from '../config.js';
import { Store, RESTORE_MARKER } from '../store/index.js';
import { BlobFiles, fsyncDir, fsyncFolder } from '../store/blobs.js';
import { decryptWith, unwrapSecrets, type BackupSecrets } from './keys.js';
import { BackupIntegrityError, HEADER_NAME, keyFileName, pieceDigest } from './format.js';
import { fetchObject, groupByPack, newestSnapshot, objectRefs, readBody, readManifest, refOf } from './read.js';
import { TargetError, type BackupTarget } from './target.js';
import { safeSystemPath, safeVolumePath } from './system-files.js';

export interface RestoreOptions {
  /** a given snapshot instead of the newest */
  snapshot?: number;
  /** refuse a newest snapshot older than this (the household knows the last one it made) */
  minSeq?: number;
  progress?: (line: string) => void;
}

export interface RestoreResult { seq: number; createdAt: number; messages: number; accounts: number; files: number }

/** Folders a freshly formatted disk may hold before a restore. */
const ALLOWED_IN_EMPTY = new Set(['lost+found', RESTORE_MARKER]);

function writeDurable(path: string, data: Buffer | string, mode = 0o600): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.restore.tmp`;
  const fd = openSync(tmp, 'w', mode);
  try {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncDir(dirname(path));
}

function hashFile(path: string): string {
  const h = createHash('sha256');
  const buf = Buffer.alloc(1 << 20);
  const fd = openSync(path, 'r');
  try {
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0;) h.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}

/** The backup secrets from the target's wrapped key files. */
export async function openBackupSecrets(target: BackupTarget, secret: string): Promise<BackupSecrets> {
  const header = await target.get(HEADER_NAME);
  if (!header) throw new TargetError(`${target.description} holds no Postern backup (no ${HEADER_NAME})`);
  const wrapped: Buffer[] = [];
  for (const kind of ['recovery-code', 'passphrase']) {
    const w = await target.get(keyFileName(kind));
    if (w) wrapped.push(w);
  }
  if (wrapped.length === 0) throw new TargetError(`${target.description} holds no backup key file (keys/recovery-code.age)`);
  return unwrapSecrets(wrapped, secret);
}

export async function restoreFromTarget(target: BackupTarget, config: Config, secret: string, opts: RestoreOptions = {}): Promise<RestoreResult> {
  const progress = opts.progress ?? (() => undefined);
  const dataDir = config.dataDir;
  const marker = join(dataDir, RESTORE_MARKER);
  if (existsSync(dataDir)) {
    const extra = readdirSync(dataDir).filter((n) => !ALLOWED_IN_EMPTY.has(n));
    if (extra.length > 0 && !existsSync(marker)) {
      throw new TargetError(`the data folder ${dataDir} is not empty (${extra.slice(0, 3).join(', ')}${extra.length > 3 ? ', ...' : ''}): a restore only goes into an empty data folder, never over a box's mail`);
    }
  }
  const secrets = await openBackupSecrets(target, secret);
  const trust = { boxId: secrets.boxId, signingPublicKey: secrets.signingPublicKey };
  const seq = opts.snapshot ?? await newestSnapshot(target, opts.minSeq ?? 0);
  const manifest = await readManifest(target, seq, trust);
  progress(`restoring snapshot ${seq} of ${new Date(manifest.createdAt).toISOString()} from ${target.description}`);

  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (!existsSync(marker)) {
    writeDurable(marker, `snapshot ${seq}\n`);
    fsyncDir(dirname(dataDir));
  }

  const refs = objectRefs(manifest);
  const body = await readBody(target, manifest, secrets.identity);

  // one pass over the packs: database pieces are written at their offsets into a temporary file
  // (checked as a whole, then renamed into place), message files are placed; a pack that holds
  // only message files already in place (an earlier, interrupted restore) is not fetched again
  const dbFile = join(dataDir, 'postern.db');
  for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`, `${dbFile}-journal`]) rmSync(f, { force: true });
  const partial = `${dbFile}.partial`;
  const where = new Map<string, number[]>();
  body.db.chunks.forEach((k, i) => { const l = where.get(k); if (l) l.push(i); else where.set(k, [i]); });
  const blobs = new BlobFiles(dataDir);
  const folders = new Set<string>();
  const fd = openSync(partial, 'w', 0o600);
  let dbPieces = 0;
  let done = 0;
  const total = body.pieces.filter((p) => !p[0].startsWith('db:')).length;
  try {
    for (const [pack, list] of groupByPack(body)) {
      const files = list.filter((p) => !p[0].startsWith('db:'));
      const present = files.length === list.length && files.every(([hash, , , len]) => { try { return statSync(blobs.path(hash)).size === len; } catch { return false; } });
      if (!present) {
        const plain = await decryptWith(secrets.identity, await fetchObject(target, refOf(refs, pack, manifest), seq));
        for (const [key, , off, len] of list) {
          const raw = plain.subarray(off, off + len);
          if (off + len > plain.length || createHash('sha256').update(raw).digest('hex') !== pieceDigest(key)) throw new BackupIntegrityError(`snapshot ${seq}: ${key.startsWith('db:') ? 'a piece of the database' : `message file ${key.slice(0, 12)}...`} does not match its checksum`);
          if (key.startsWith('db:')) {
            for (const idx of where.get(key) ?? []) {
              let w = 0;
              while (w < raw.length) w += writeSync(fd, raw, w, raw.length - w, idx * body.db.chunkBytes + w);
              dbPieces++;
            }
          } else {
            folders.add(await blobs.place(Buffer.from(raw), key));
          }
        }
      }
      done += files.length;
      progress(`${done}/${total} message file(s) restored`);
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (dbPieces !== body.db.chunks.length) throw new BackupIntegrityError(`snapshot ${seq}: ${body.db.chunks.length - dbPieces} piece(s) of the database are in no pack`);
  const dbHash = hashFile(partial);
  if (statSync(partial).size !== body.db.size || dbHash !== body.db.sha256) throw new BackupIntegrityError(`snapshot ${seq}: the database copy does not add up to its checksum`);
  renameSync(partial, dbFile);
  fsyncDir(dataDir);
  for (const f of folders) await fsyncFolder(f);
  fsyncDir(blobs.root);
  progress(`database restored (${body.db.size} bytes)`);

  // the system folder: TLS keys and local CA, onion keys
  const sys = systemDir(config);
  for (const f of body.files) {
    if (!safeSystemPath(f.path)) throw new BackupIntegrityError(`snapshot ${seq}: a system file has an unsafe path ${JSON.stringify(f.path)}`);
    writeDurable(join(sys, f.path), Buffer.from(f.data, 'base64'), f.mode & 0o700);
  }
  // the data volume's own files: the local CA's key (it signs again on the new box)
  for (const f of body.volumeFiles ?? []) {
    if (!safeVolumePath(f.path)) throw new BackupIntegrityError(`snapshot ${seq}: a file of the data volume has an unsafe path ${JSON.stringify(f.path)}`);
    writeDurable(join(dataDir, f.path), Buffer.from(f.data, 'base64'), f.mode & 0o700);
  }
  progress(`${body.files.length + (body.volumeFiles?.length ?? 0)} system file(s) restored (TLS and the CA's key, onion keys)`);

  // open, tidy and check the store before anyone may use it
  const store = Store.open(dataDir, { restoring: true });
  let accounts = 0;
  let messages = 0;
  try {
    store.reclaim();
    const report = store.check();
    const errors = report.problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) throw new BackupIntegrityError(`the restored store fails its check: ${errors[0]!.text}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`);
    accounts = store.accounts.list().length;
    messages = report.messages;
  } finally {
    store.close();
  }
  rmSync(marker);
  fsyncDir(dataDir);
  return { seq, createdAt: manifest.createdAt, messages, accounts, files: body.files.length + (body.volumeFiles?.length ?? 0) };
}
