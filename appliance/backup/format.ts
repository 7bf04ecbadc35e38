// The backup format (postern-backup/1), as it lies on any target:
//   postern-backup.json            which box's backup this is (format, box id): no secret
//   keys/recovery-code.age         the backup secrets wrapped under the recovery code (age, scrypt)
//   keys/passphrase.age            the same under the admin's passphrase, when one is set
//   data/<name>                    age-encrypted objects: packs (message files and 64 KiB pieces of
//                                  the database, together) and snapshot bodies; <name> is an HMAC
//                                  of the content's hash
//   snapshots/<seq>.json           one signed manifest per snapshot (in clear: names, sizes and
//                                  SHA-256 of the encrypted objects it needs, its sequence number)
// The encrypted body of a snapshot says what the target must not learn: which message file sits
// where in which pack, the database's chunks, the system files (TLS keys and local CA, onion keys).
import { createHash } from 'node:crypto';

export const FORMAT = 'postern-backup/1';

export interface TargetHeader { format: string; boxId: string }

/** [name, size, sha256 of the stored (encrypted) bytes] */
export type ObjectRef = [string, number, string];

export interface Manifest {
  format: string;
  boxId: string;
  seq: number;
  createdAt: number;
  /** the object holding the encrypted SnapshotBody */
  body: string;
  /** every object this snapshot needs, the body included */
  objects: ObjectRef[];
}

export interface SignedManifest { manifest: string; signature: string }

export interface SystemFile { path: string; mode: number; data: string }

export type Piece = [string, string, number, number];

/** The SHA-256 a piece's bytes must have. */
export function pieceDigest(key: string): string {
  return key.startsWith('db:') ? key.slice(3) : key;
}

export interface SnapshotBody {
  format: string;
  boxId: string;
  seq: number;
  createdAt: number;
  /** the database copy: its pieces in order (keys "db:<sha256>"), each `chunkBytes` long but the last */
  db: { size: number; sha256: string; chunkBytes: number; chunks: string[] };
  /** files of the system folder (TLS, onion keys), paths relative to it */
  files: SystemFile[];
  /** files of the data volume outside the store: the local CA's key (<data>/tls-ca, kept on the
   *  encrypted volume since #14 finding 3), paths relative to the data folder */
  volumeFiles?: SystemFile[];
  /** every piece: [key, pack, offset, length]; a message file's key is its SHA-256, a database
   *  piece's "db:" and its SHA-256 */
  pieces: Piece[];
}

export class BackupIntegrityError extends Error {
  constructor(message: string) { super(message); this.name = 'BackupIntegrityError'; }
}

export const HEADER_NAME = 'postern-backup.json';
export const keyFileName = (kind: string): string => `keys/${kind}.age`;
export const dataName = (name: string): string => `data/${name}`;
export const snapshotName = (seq: number): string => `snapshots/${String(seq).padStart(10, '0')}.json`;

export function seqOfSnapshotName(name: string): number | undefined {
  const m = /^(?:snapshots\/)?(\d{10})\.json$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Parse a manifest's text (already verified), refusing anything malformed. */
export function parseManifest(text: string): Manifest {
  let m: Manifest;
  try {
    m = JSON.parse(text) as Manifest;
  } catch {
    throw new BackupIntegrityError('a snapshot manifest is not valid JSON');
  }
  if (m.format !== FORMAT) throw new BackupIntegrityError(`a snapshot manifest has format ${JSON.stringify(m.format)}; this version reads ${FORMAT}`);
  if (!Number.isSafeInteger(m.seq) || m.seq < 1 || typeof m.boxId !== 'string' || !HEX64.test(m.body) || !Array.isArray(m.objects)) {
    throw new BackupIntegrityError('a snapshot manifest lacks a field or has a malformed one');
  }
  for (const o of m.objects) {
    if (!Array.isArray(o) || !HEX64.test(o[0]) || !Number.isSafeInteger(o[1]) || !HEX64.test(o[2])) throw new BackupIntegrityError('a snapshot manifest lists a malformed object');
  }
  return m;
}
