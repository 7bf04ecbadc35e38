// DKIM keys (an Ed25519 key, RFC 8463, and an RSA-2048 key, RFC 6376) per domain, kept in the
// store's settings, and the signing of submitted mail with both (receivers that do not know
// Ed25519 verify the RSA signature).
import { generateKeyPair, createPublicKey } from 'node:crypto';
import { promisify } from 'node:util';

import type { Store } from '../../appliance/store/index.js';

const generate = promisify(generateKeyPair);

export type DkimAlgorithm = 'ed25519-sha256' | 'rsa-sha256';

export interface DkimKey {
  selector: string;
  algorithm: DkimAlgorithm;
  /** PKCS#8 PEM */
  privateKey: string;
  /** the p= value of the DNS record: raw 32 octets for Ed25519 (RFC 8463), SPKI DER for RSA, in base64 */
  publicKey: string;
  createdAt: number;
}

const settingKey = (domain: string) => `dkim.${domain.toLowerCase()}`;

export function dkimKeys(store: Store, domain: string): DkimKey[] {
  return store.settings.getJson<DkimKey[]>(settingKey(domain)) ?? [];
}

/** The TXT record value for a key. */
export function dkimRecord(k: DkimKey): string {
  return `v=DKIM1; k=${k.algorithm === 'ed25519-sha256' ? 'ed25519' : 'rsa'}; p=${k.publicKey}`;
}

function selectorStamp(d: Date): string {
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

export async function makeDkimKeys(now = new Date()): Promise<DkimKey[]> {
  const stamp = selectorStamp(now);
  const ed = await generate('ed25519', { privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'der' } });
  const rsa = await generate('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'der' } });
  // An Ed25519 SPKI is a fixed 12-octet prefix and the 32-octet key: the record carries the key only.
  const edRaw = Buffer.from(ed.publicKey).subarray(-32);
  return [
    { selector: `ed${stamp}`, algorithm: 'ed25519-sha256', privateKey: ed.privateKey, publicKey: edRaw.toString('base64'), createdAt: now.getTime() },
    { selector: `rsa${stamp}`, algorithm: 'rsa-sha256', privateKey: rsa.privateKey, publicKey: Buffer.from(rsa.publicKey).toString('base64'), createdAt: now.getTime() },
  ];
}

/** Create the domain's keys when it has none. Returns true when keys were made. */
export async function ensureDomainKeys(store: Store, domain: string): Promise<boolean> {
  if (dkimKeys(store, domain).length) return false;
  const keys = await makeDkimKeys();
  // Another process may have made them meanwhile: keep the first set written.
  return store.transaction(() => {
    if (dkimKeys(store, domain).length) return false;
    store.settings.setJson(settingKey(domain), keys);
    return true;
  });
}

/** Check that a stored private key matches its published public key (for tests and fsck-like checks). */
export function publicKeyMatches(k: DkimKey): boolean {
  const der = createPublicKey(k.privateKey).export({ type: 'spki', format: 'der' });
  return (k.algorithm === 'ed25519-sha256' ? der.subarray(-32) : der).toString('base64') === k.publicKey;
}

const SIGNED_HEADERS = ['From', 'Sender', 'Reply-To', 'Subject', 'Date', 'Message-ID', 'To', 'Cc', 'MIME-Version', 'Content-Type',
  'Content-Transfer-Encoding', 'Content-ID', 'Content-Description', 'In-Reply-To', 'References', 'List-Id', 'List-Unsubscribe', 'Autocrypt'];

/** Sign a message with every key of the domain; returns the message with DKIM-Signature fields on top,
 *  or the message unchanged when the domain has no keys. */
export async function dkimSignMessage(store: Store, domain: string, raw: Buffer): Promise<Buffer> {
  const keys = dkimKeys(store, domain);
  if (!keys.length) return raw;
  const { dkimSign } = await import('mailauth/lib/dkim/sign.js'); // at first use (idle memory)
  const r = await dkimSign(raw, {
    signingDomain: domain,
    selector: keys[0]!.selector,
    privateKey: keys[0]!.privateKey,
    canonicalization: 'relaxed/relaxed',
    headerList: SIGNED_HEADERS,
    signatureData: keys.map((k) => ({ signingDomain: domain, selector: k.selector, privateKey: k.privateKey, algorithm: k.algorithm, canonicalization: 'relaxed/relaxed', headerList: SIGNED_HEADERS })),
  });
  if (r.errors?.length) throw new Error(`DKIM signing failed: ${r.errors.map((e) => e.message).join('; ')}`);
  let sig = r.signatures.replace(/\r?\n/g, '\r\n');
  if (!sig.endsWith('\r\n')) sig += '\r\n';
  return Buffer.concat([Buffer.from(sig), raw]);
}
