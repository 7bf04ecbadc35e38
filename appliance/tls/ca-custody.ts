// Where the local CA's private key is kept: never in clear on the card (the SD card holds the
// system folder in clear: the server keys, which the panel needs while the box is locked).
// - `volume`: a LUKS box, unlocked: the key is a file on the encrypted volume (`<dataDir>/tls-ca`),
//   so it signs only while the box is unlocked; certificates are renewed at the unlock and while
//   unlocked.
// - `sealed`: a LUKS box, locked: only a key this process still holds (a CA made at first start,
//   before the volume exists) can sign; it goes to the volume at the unlock.
// - `memory`: plain storage (development): no secret on the box to keep it under, so it lives in
//   this process's memory only; after a restart a certificate that must be issued gets a new CA.
// A key file left in clear by an older Postern (`<tls>/ca.key`) is overwritten and removed.
import { X509Certificate, createPrivateKey, createPublicKey, randomBytes, webcrypto } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type CaCustody =
  | { kind: 'memory' }
  | { kind: 'volume'; dir: string }
  | { kind: 'sealed' };

const CA_KEY = 'ca.key';
const ECDSA_IMPORT = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** Keys this process holds, by TLS folder: the CA certificate's fingerprint and its PKCS#8 key. */
const held = new Map<string, { ca: string; pkcs8: Buffer }>();

function spkiOf(key: ReturnType<typeof createPrivateKey> | X509Certificate['publicKey']): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return pub.export({ type: 'spki', format: 'der' }).toString('base64');
}

function caFingerprint(caPem: string): string {
  return new X509Certificate(caPem).fingerprint256;
}

/** The PKCS#8 DER of a PEM key file when it is the key of `caPem`, else undefined. */
function keyOfCa(path: string, caPem: string): Buffer | undefined {
  try {
    const key = createPrivateKey(readFileSync(path, 'utf8'));
    if (spkiOf(key) !== spkiOf(new X509Certificate(caPem).publicKey)) return undefined;
    return key.export({ type: 'pkcs8', format: 'der' });
  } catch {
    return undefined;
  }
}

function writeKeyFile(dir: string, pkcs8: Buffer): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pem = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }) as string;
  const path = join(dir, CA_KEY);
  const fd = openSync(path + '.tmp', 'w', 0o600);
  try { writeSync(fd, pem); fsyncSync(fd); } finally { closeSync(fd); }
  renameSync(path + '.tmp', path);
}

/** Overwrite a file with random bytes (fsynced), then remove it. On flash memory the old blocks
 *  may survive in the controller's spare area: this makes the key unreadable through the file
 *  system, not through the chip (ARCHITECTURE.md says so). */
function shred(path: string): void {
  try {
    const size = statSync(path).size;
    const fd = openSync(path, 'r+');
    try { writeSync(fd, randomBytes(Math.max(size, 1)), 0, Math.max(size, 1), 0); fsyncSync(fd); } finally { closeSync(fd); }
  } catch { /* removed below either way */ }
  try { unlinkSync(path); } catch { /* already gone */ }
}

/** Keep a new CA's key where `custody` says. */
export function keepCaKey(tlsDir: string, caPem: string, pkcs8: Buffer, custody: CaCustody): void {
  held.set(resolve(tlsDir), { ca: caFingerprint(caPem), pkcs8 });
  if (custody.kind === 'volume') writeKeyFile(custody.dir, pkcs8);
}

/** Take a CA key an older Postern left in clear in the TLS folder off the card: returned (PEM)
 *  so a CA that is kept can move it into custody; the file is shredded either way. */
export function retireClearCaKey(tlsDir: string): { path: string; pem: string } | undefined {
  const path = join(tlsDir, CA_KEY);
  if (!existsSync(path)) return undefined;
  let pem = '';
  try { pem = readFileSync(path, 'utf8'); } catch { /* unreadable: nothing to keep */ }
  shred(path);
  return { path, pem };
}

/** The CA key for `caPem` (as a WebCrypto signing key), from this process's memory, the volume,
 *  or a clear key just retired; moved into custody on the way. Undefined when none is reachable. */
export async function caKeyFor(tlsDir: string, caPem: string, custody: CaCustody, retired?: { pem: string }): Promise<CryptoKey | undefined> {
  const dir = resolve(tlsDir);
  const fp = caFingerprint(caPem);
  const mine = held.get(dir);
  let pkcs8 = mine?.ca === fp ? mine.pkcs8 : undefined;
  const onVolume = custody.kind === 'volume' ? join(custody.dir, CA_KEY) : undefined;
  const volumeKey = onVolume && existsSync(onVolume) ? keyOfCa(onVolume, caPem) : undefined;
  if (!pkcs8 && volumeKey) pkcs8 = volumeKey;
  if (!pkcs8 && retired?.pem) {
    try {
      const key = createPrivateKey(retired.pem);
      if (spkiOf(key) === spkiOf(new X509Certificate(caPem).publicKey)) pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
    } catch { /* not a key */ }
  }
  if (!pkcs8) return undefined;
  held.set(dir, { ca: fp, pkcs8 });
  if (custody.kind === 'volume' && !volumeKey) writeKeyFile(custody.dir, pkcs8);
  return webcrypto.subtle.importKey('pkcs8', pkcs8, ECDSA_IMPORT, false, ['sign']);
}

/** Drop the key this process holds for a TLS folder (the box locked: it signs again after the
 *  unlock, from the volume). */
export function forgetCaKey(tlsDir: string): void {
  const mine = held.get(resolve(tlsDir));
  if (mine) mine.pkcs8.fill(0);
  held.delete(resolve(tlsDir));
}
