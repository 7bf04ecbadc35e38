// The backup key and what guards it. Snapshots are encrypted with age (age-encryption, by age's
// author) to an X25519 key: the box keeps only the public half (the recipient) in clear, so a
// scheduled backup needs no secret to encrypt. The secret half (the identity) exists only wrapped:
// once under the printed recovery code and, when the household sets one, once under the admin's
// passphrase (age's scrypt passphrase mode); both wrapped copies also travel to every target, so
// a new box with only the recovery code can restore. Each snapshot's manifest is signed with an
// Ed25519 key (node:crypto) whose public half sits inside the wrapped copies: a restore trusts a
// manifest only when the recovery code vouched for the key that signed it. Object names on a
// target are an HMAC of their content's hash under a key the target never sees, so it cannot tell
// which message a file holds.
import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, hkdfSync, randomBytes, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { Decrypter, Encrypter, generateX25519Identity, identityToRecipient } from 'age-encryption';
import { combine, split } from 'shamir-secret-sharing';
import type { Store } from '../store/index.js';

/** What the recovery code (or the passphrase) unlocks. */
export interface BackupSecrets {
  v: 1;
  boxId: string;
  /** the age identity (AGE-SECRET-KEY-1...) that decrypts every snapshot */
  identity: string;
  /** SPKI DER in base64: the key that signs manifests */
  signingPublicKey: string;
  /** hex: names objects on targets */
  nameKey: string;
}

/** What a running box holds to write backups without any secret typed in. */
export interface BoxBackupKeys {
  boxId: string;
  recipient: string;
  signingKey: KeyObject;
  signingPublicKey: string;
  nameKey: Buffer;
}

export class BackupKeyError extends Error {
  constructor(message: string) { super(message); this.name = 'BackupKeyError'; }
}

const S = {
  boxId: 'backup.box-id',
  recipient: 'backup.recipient',
  signingKey: 'backup.signing-key',
  signingPublic: 'backup.signing-public',
  nameKey: 'backup.name-key',
  wrapRecovery: 'backup.wrapped.recovery-code',
  wrapPassphrase: 'backup.wrapped.passphrase',
  retrievalPublic: 'backup.retrieval-public',
} as const;

/** The recovery code's letters: no 0/O, 1/I; 32 symbols, 5 bits each. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CODE_BYTES = 20; // 160 bits: 32 symbols
/** The recovery code is random and long: scrypt only needs to be cheap. A passphrase is chosen by
 *  a person: scrypt at 2^17 (about 3 s here in age's pure JavaScript scrypt). */
const RECOVERY_WORK_FACTOR = 10;
const PASSPHRASE_WORK_FACTOR = 17;

export function formatRecoveryCode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out.match(/.{1,4}/g)!.join('-');
}

function decodeCode(normalized: string, bytes: number): Buffer {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of normalized) {
    const v = ALPHABET.indexOf(c);
    if (v < 0) throw new BackupKeyError(`"${c}" is not a letter of a recovery code or share`);
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  if (out.length < bytes) throw new BackupKeyError('a recovery code or share is too short');
  return Buffer.from(out.slice(0, bytes));
}

/** Split the recovery code among trusted people: any `k` of the `n` shares give it back
 *  (shamir-secret-sharing, an audited implementation). Each share is printed like a code. */
export async function splitRecoveryCode(code: string, k: number, n: number): Promise<string[]> {
  if (!looksLikeRecoveryCode(code)) throw new BackupKeyError('that is not a recovery code (32 letters and digits, in groups of 4)');
  if (!(Number.isInteger(k) && Number.isInteger(n) && k >= 2 && n >= k && n <= 255)) throw new BackupKeyError('shares: expected 2 <= K <= N <= 255');
  const shares = await split(new Uint8Array(decodeCode(normalizeRecoveryCode(code), CODE_BYTES)), n, k);
  return shares.map((sh) => formatRecoveryCode(Buffer.from(sh)));
}

/** The recovery code from enough shares (lines as printed). */
export async function combineShares(lines: readonly string[]): Promise<string> {
  const shares = lines.map((l) => normalizeRecoveryCode(l.replace(/^.*:/, ''))).filter((l) => l.length > 0);
  if (shares.length < 2) throw new BackupKeyError('at least two shares are needed');
  const bytes = shares.map((sh) => new Uint8Array(decodeCode(sh, CODE_BYTES + 1)));
  return formatRecoveryCode(Buffer.from(await combine(bytes)));
}

/** What a person typed: case, spaces and dashes do not matter. */
export function normalizeRecoveryCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '');
}

export function looksLikeRecoveryCode(input: string): boolean {
  const n = normalizeRecoveryCode(input);
  return n.length === 32 && [...n].every((c) => ALPHABET.includes(c));
}

async function wrap(secrets: BackupSecrets, passphrase: string, workFactor: number): Promise<Buffer> {
  const e = new Encrypter();
  e.setScryptWorkFactor(workFactor);
  e.setPassphrase(passphrase);
  return Buffer.from(await e.encrypt(JSON.stringify(secrets)));
}

/** Open one of the wrapped copies with a recovery code or a passphrase. */
export async function unwrapSecrets(wrapped: readonly Buffer[], secret: string): Promise<BackupSecrets> {
  const tries = looksLikeRecoveryCode(secret) ? [normalizeRecoveryCode(secret), secret] : [secret.trim(), secret];
  for (const w of wrapped) {
    for (const t of new Set(tries)) {
      if (t === '') continue;
      const d = new Decrypter();
      d.addPassphrase(t);
      try {
        const parsed = JSON.parse(await d.decrypt(new Uint8Array(w), 'text')) as BackupSecrets;
        if (parsed.v !== 1 || typeof parsed.identity !== 'string' || typeof parsed.signingPublicKey !== 'string' || typeof parsed.nameKey !== 'string') {
          throw new BackupKeyError('the backup key file is not in a format this version knows');
        }
        return parsed;
      } catch (e) {
        if (e instanceof BackupKeyError) throw e;
        // wrong passphrase for this copy: try the next
      }
    }
  }
  throw new BackupKeyError('neither the recovery code nor the passphrase opens this backup\'s key (check the code, or use the backup of this box)');
}

export function hasBackupKeys(store: Store): boolean {
  return store.settings.get(S.recipient) !== undefined;
}

/** Make the backup key once. Returns the recovery code (shown once, never stored). */
export async function createBackupKeys(store: Store, passphrase?: string): Promise<{ recoveryCode: string }> {
  if (hasBackupKeys(store)) throw new BackupKeyError('this box has a backup key already');
  const identity = await generateX25519Identity();
  const recipient = await identityToRecipient(identity);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const secrets: BackupSecrets = {
    v: 1,
    boxId: randomUUID(),
    identity,
    signingPublicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    nameKey: randomBytes(32).toString('hex'),
  };
  const code = formatRecoveryCode(randomBytes(CODE_BYTES));
  const byCode = await wrap(secrets, normalizeRecoveryCode(code), RECOVERY_WORK_FACTOR);
  const byPassphrase = passphrase ? await wrap(secrets, passphrase, PASSPHRASE_WORK_FACTOR) : undefined;
  const retrieval = retrievalPublicKey(retrievalKey(code));
  store.transaction(() => {
    store.settings.set(S.retrievalPublic, retrieval);
    store.settings.set(S.boxId, secrets.boxId);
    store.settings.set(S.recipient, recipient);
    store.settings.set(S.signingKey, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    store.settings.set(S.signingPublic, secrets.signingPublicKey);
    store.settings.set(S.nameKey, secrets.nameKey);
    store.settings.set(S.wrapRecovery, byCode.toString('base64'));
    if (byPassphrase) store.settings.set(S.wrapPassphrase, byPassphrase.toString('base64'));
  });
  return { recoveryCode: code };
}

/** Wrap the key under a (new) admin passphrase; `secret` is the recovery code or the old passphrase. */
export async function setBackupPassphrase(store: Store, secret: string, passphrase: string): Promise<void> {
  if (passphrase.length < 8) throw new BackupKeyError('the passphrase needs at least 8 characters');
  const secrets = await unwrapSecrets(wrappedCopies(store), secret);
  store.settings.set(S.wrapPassphrase, (await wrap(secrets, passphrase, PASSPHRASE_WORK_FACTOR)).toString('base64'));
}

/** Check that a recovery code opens this box's backup key (before splitting it, say). */
export async function checkRecoveryCode(store: Store, code: string): Promise<void> {
  await unwrapSecrets(wrappedCopies(store), code);
}

/** The wrapped copies as they are written to targets: name -> bytes. */
export function wrappedKeyFiles(store: Store): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const r = store.settings.get(S.wrapRecovery);
  const p = store.settings.get(S.wrapPassphrase);
  if (r) out.set('recovery-code', Buffer.from(r, 'base64'));
  if (p) out.set('passphrase', Buffer.from(p, 'base64'));
  return out;
}

function wrappedCopies(store: Store): Buffer[] {
  return [...wrappedKeyFiles(store).values()];
}

export function boxBackupKeys(store: Store): BoxBackupKeys {
  const get = (k: string): string => {
    const v = store.settings.get(k);
    if (v === undefined) throw new BackupKeyError('this box has no backup key yet: add a backup target first ("postern backup target add")');
    return v;
  };
  return {
    boxId: get(S.boxId),
    recipient: get(S.recipient),
    signingKey: createPrivateKey(get(S.signingKey)),
    signingPublicKey: get(S.signingPublic),
    nameKey: Buffer.from(get(S.nameKey), 'hex'),
  };
}

/** The name an object gets on a target: HMAC-SHA256 under the box's name key, in hex. */
export function objectName(nameKey: Buffer, kind: 'pack' | 'db' | 'body', digest: string): string {
  return createHmac('sha256', nameKey).update(`${kind}:${digest}`).digest('hex');
}

export function signManifest(key: KeyObject, text: string): string {
  return sign(null, Buffer.from(text), key).toString('base64');
}

export function verifyManifest(signingPublicKey: string, text: string, signature: string): boolean {
  const pub = createPublicKey({ key: Buffer.from(signingPublicKey, 'base64'), format: 'der', type: 'spki' });
  return verify(null, Buffer.from(text), pub, Buffer.from(signature, 'base64'));
}

export async function encryptTo(recipient: string, data: Uint8Array): Promise<Buffer> {
  const e = new Encrypter();
  e.addRecipient(recipient);
  return Buffer.from(await e.encrypt(data));
}

export async function decryptWith(identity: string, data: Uint8Array): Promise<Buffer> {
  const d = new Decrypter();
  d.addIdentity(identity);
  return Buffer.from(await d.decrypt(data));
}

/** The key that fetches this box's backups back from a peer box (services/peer-backup): derived
 *  from the recovery code alone (HKDF-SHA256 to an Ed25519 seed), because a new box restoring has
 *  nothing else; the peer keeps only its public half and lets its holder read (never write) what
 *  it holds for this box. The passphrase does not derive it: a peer could guess a passphrase
 *  offline against the public half, never a 160-bit code. */
export function retrievalKey(recoveryCode: string): KeyObject {
  if (!looksLikeRecoveryCode(recoveryCode)) throw new BackupKeyError('a restore from a peer box needs the recovery code (or the shares that make it), not the passphrase');
  const ikm = decodeCode(normalizeRecoveryCode(recoveryCode), CODE_BYTES);
  const seed = Buffer.from(hkdfSync('sha256', ikm, 'postern-backup', 'peer retrieval key v1', 32));
  return createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
}

/** SPKI DER in base64, as a peer keeps it. */
export function retrievalPublicKey(key: KeyObject): string {
  return createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64');
}

/** The retrieval key's public half, or undefined for a backup key made before peer backups (then
 *  `addRetrievalKey` with the recovery code makes it). */
export function storedRetrievalKey(store: Store): string | undefined {
  return store.settings.get(S.retrievalPublic);
}

export async function addRetrievalKey(store: Store, recoveryCode: string): Promise<string> {
  await checkRecoveryCode(store, recoveryCode);
  const pub = retrievalPublicKey(retrievalKey(recoveryCode));
  store.settings.set(S.retrievalPublic, pub);
  return pub;
}
