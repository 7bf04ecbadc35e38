// The peer backup protocol (issue 16): how one Postern box keeps another's encrypted backup. HTTP/2
// over TLS over Tor, to port 7425 of the holding box's SMTP onion (the address on its peer card).
//   owner     the box whose backup it is: a TLS client certificate whose public key the holder has
//             pinned (the SMTorP card's TLS-SPKI-SHA256); may put, get, list and remove objects of
//             its own hold, within the quota the holder set, and register its retrieval key
//   retriever a new box restoring with the recovery code: no certificate (it has none yet), but a
//             signature by the retrieval key (derived from the recovery code, keys.ts) over the TLS
//             exporter of this very connection (RFC 5705/8446 7.5), so it cannot be replayed on
//             another; may get and list, nothing else
// The objects are those of the backup format (format.ts): the holder stores them as opaque files
// and cannot read them (age-encrypted to a key only the recovery code unwraps).
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

export const PEER_BACKUP_ALPN = 'h2';
export const OBJECT_PATH = '/v1/o/';
export const LIST_PATH = '/v1/list';
export const HOLD_PATH = '/v1/hold';
export const RETRIEVAL_KEY_PATH = '/v1/retrieval-key';
/** request header: "<SPKI base64>.<signature base64>" */
export const RETRIEVE_HEADER = 'postern-retrieve';
export const EXPORTER_LABEL = 'EXPORTER-postern-peer-backup-retrieve';
/** a pack is about 4 MiB; nothing larger is taken (a holder buffers an object before storing it) */
export const MAX_OBJECT_BYTES = 64 * 1024 * 1024;

/** The names the backup format uses (format.ts), nothing else. */
export function validObjectName(name: string): boolean {
  return (/^[a-z]+\/[A-Za-z0-9._-]+$/.test(name) || name === 'postern-backup.json') && !name.includes('..');
}

export interface HoldInfo { quota: number; used: number }

export function signRetrieval(key: KeyObject, exporter: Buffer): string {
  const pub = createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64');
  return `${pub}.${sign(null, exporter, key).toString('base64')}`;
}

/** The retrieval key's SPKI (base64) when the header's signature over this connection's exporter
 *  verifies, else undefined. */
export function checkRetrieval(header: string, exporter: Buffer): string | undefined {
  const [pub, sig] = header.split('.');
  if (!pub || !sig) return undefined;
  try {
    const key = createPublicKey({ key: Buffer.from(pub, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ed25519') return undefined;
    return verify(null, exporter, key, Buffer.from(sig, 'base64')) ? pub : undefined;
  } catch {
    return undefined;
  }
}

/** "2G", "500M", "1048576" -> bytes */
export function parseQuota(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]i?B?|B)?$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? 'B').toUpperCase()[0]!;
  const mult = { B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 }[unit as 'B' | 'K' | 'M' | 'G' | 'T'];
  const n = Math.floor(Number(m[1]) * mult);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}
