// Encryption at rest (per account, opt-in): plaintext mail is stored as PGP/MIME encrypted to the
// account's public key, so a stolen disk or a compromised box reveals little of mail already
// stored. Only the public key is needed: the box encrypts without the password and cannot read
// the result; the household's mail apps decrypt with the exported secret key.
// Never encrypted: mail that is already encrypted (PGP/MIME, inline PGP, S/MIME enveloped data)
// and drafts (a mail app must edit them). Search in such mail covers the outer headers only.
import * as openpgp from 'openpgp';
import type { Store } from '../../appliance/store/index.js';
import { firstField, headerEnd, parseHeaderFields, parseStructured, paramValue } from '../../appliance/mail/header.js';
import { log } from '../../appliance/log.js';
import { encryptAsPgpMime } from './pgp-mime.js';
import { readPublicBinary } from './openpgp-key.js';

const INLINE_PGP = Buffer.from('-----BEGIN PGP MESSAGE-----');

/** True when the message is already encrypted and must not be encrypted again. */
export function isEncrypted(raw: Buffer): boolean {
  const end = headerEnd(raw);
  const ct = firstField(parseHeaderFields(raw.subarray(0, end)), 'content-type');
  if (ct) {
    const parsed = parseStructured(ct);
    const type = parsed.value.toLowerCase();
    if (type === 'multipart/encrypted') return true;
    if (type === 'application/pkcs7-mime' || type === 'application/x-pkcs7-mime') {
      const smime = paramValue(parsed.params, 'smime-type')?.toLowerCase();
      if (smime === undefined || smime === 'enveloped-data' || smime === 'authenveloped-data') return true;
    }
  }
  // Inline PGP (RFC 4880 armor in a text body), at the start of a line.
  for (let i = raw.indexOf(INLINE_PGP, end); i >= 0; i = raw.indexOf(INLINE_PGP, i + 1)) {
    if (i === end || raw[i - 1] === 0x0a) return true;
  }
  return false;
}

function isDrafts(store: Store, accountId: number, mailbox: string): boolean {
  const mb = store.mailboxes.get(accountId, mailbox);
  return mb ? mb.specialUse === '\\Drafts' : /^drafts$/i.test(mailbox);
}

/** Parsed public keys by account, refreshed when the stored key changes. */
const keyCache = new Map<number, { bytes: Buffer; key: openpgp.Key }>();

async function publicKeyOf(accountId: number, bytes: Buffer): Promise<openpgp.Key> {
  const hit = keyCache.get(accountId);
  if (hit && hit.bytes.equals(bytes)) return hit.key;
  const key = await readPublicBinary(bytes);
  keyCache.set(accountId, { bytes, key });
  return key;
}

/** The storage step: the same Buffer when nothing is to be done. When the account's stored key
 *  is damaged the message is stored as it came (mail is never lost for a key problem) and the
 *  error is logged for the operator: `postern key status` and the panel show the key as damaged. */
export async function encryptForStorage(store: Store, msg: { accountId: number; mailbox: string; raw: Buffer }): Promise<Buffer> {
  const rec = store.openpgp.key(msg.accountId);
  if (!rec || !rec.encryptAtRest) return msg.raw;
  if (isDrafts(store, msg.accountId, msg.mailbox) || isEncrypted(msg.raw)) return msg.raw;
  let key: openpgp.Key;
  try {
    key = await publicKeyOf(msg.accountId, rec.publicKey);
    await key.getEncryptionKey();
  } catch (e) {
    log.error('pgp.at-rest.key-unusable', { account: msg.accountId, error: (e as Error).message, stored: 'in the clear' });
    return msg.raw;
  }
  return encryptAsPgpMime(msg.raw, key);
}

/** Whether the account's stored public key decodes and can encrypt (for status pages). */
export async function publicKeyUsable(store: Store, accountId: number): Promise<boolean> {
  const rec = store.openpgp.key(accountId);
  if (!rec) return false;
  try {
    const key = await readPublicBinary(rec.publicKey);
    await key.getEncryptionKey();
    return true;
  } catch {
    return false;
  }
}
