// The box's local certificate authority and its server certificates. At first start Postern makes
// a CA (ECDSA P-256, 10 years) that a household installs on its devices, and server certificates
// (ECDSA P-256 and RSA-2048, for clients without ECDSA) for the hostname, its domains and
// localhost. Server keys are files readable by the service user only.
// The CA is name-constrained (RFC 5280 4.2.1.10, critical; name-constraints.ts): it can vouch only
// for the household's domains and their sub-domains, the box's host names, its onion names,
// localhost, loopback IP addresses and mail addresses at the household's domains. A phone that
// trusts it trusts it for nothing else: whoever gets the CA key cannot mint a bank's certificate.
// The CA's private key never lies in clear on the card (ca-custody.ts): on a LUKS box it is kept
// on the encrypted volume and signs only while unlocked; in plain storage mode (development) it
// lives in this process's memory only. A CA without constraints (made by an older Postern), one
// that does not cover a name the box now has, or one whose key is gone when a certificate must be
// issued, is replaced; the replacement is recorded (ca-history.json) so the panel and
// `postern cert show` tell the household that devices need the new certificate.
// A re-issue (new names, renewal, a new CA) keeps the server key pair, so the SHA-256 of the
// certificate's SubjectPublicKeyInfo (what SMTorP peers pin, like DANE 3 1 1 and HPKP) stays the
// same; a new key pair is made only when the key file is missing or not of the certificate's
// kind, or when the household asks for one (`postern cert rotate-key`).
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto, X509Certificate, createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerIdentity } from './policy.js';
import { caConstraintsExtension, namesPermitted, permittedNames, type CaNames } from './name-constraints.js';
import { caKeyFor, keepCaKey, retireClearCaKey, type CaCustody } from './ca-custody.js';

export type { CaCustody } from './ca-custody.js';
export { forgetCaKey } from './ca-custody.js';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const RSA = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' } as const;

export interface TlsMaterial extends ServerIdentity {
  caFingerprint: string;
  serverFingerprints: string[];
  /** SHA-256 of each server certificate's SubjectPublicKeyInfo (DER), lower-case hex: the pin
   *  that survives re-issues (RFC 7469 2.4, RFC 6698 selector 1 matching type 1) */
  serverSpki: string[];
  /** the first server certificate's expiry */
  notAfter: Date;
  dir: string;
  /** the DNS names (and their sub-domains) the CA may vouch for */
  caPermits: string[];
  /** the last time the CA was replaced (devices that trusted the old one need the new one) */
  caReplaced?: CaReplacement;
}

/** Why a CA was replaced: `unconstrained`: made by an older Postern without name constraints;
 *  `names`: the box has a name the CA does not cover; `key`: a certificate had to be issued and
 *  the CA's key was gone (plain storage after a restart, or a volume without it). */
export interface CaReplacement { at: string; previous: string; reason: 'unconstrained' | 'names' | 'key' }

const HISTORY = 'ca-history.json';
/** The fingerprints of CA certificates handed out (downloaded, in a profile, printed as PEM). */
const HANDED_OUT = 'ca-handed-out';

/** Note that this CA certificate went to a device: replacing it later must be announced. */
export function noteCaHandedOut(tls: Pick<TlsMaterial, 'dir' | 'caFingerprint'>): void {
  try {
    const path = join(tls.dir, HANDED_OUT);
    const had = existsSync(path) ? readFileSync(path, 'utf8').split('\n') : [];
    if (had.includes(tls.caFingerprint)) return;
    writeFileSync(path, [...had.filter(Boolean).slice(-9), tls.caFingerprint].join('\n') + '\n');
  } catch { /* a read-only folder: the replacement is then not announced, nothing else */ }
}

function wasHandedOut(dir: string, fp: string): boolean {
  try { return readFileSync(join(dir, HANDED_OUT), 'utf8').split('\n').includes(fp); } catch { return false; }
}

export class CaKeyUnavailable extends Error {
  constructor() {
    super("the local CA's key is kept on the encrypted storage: unlock the box first");
    this.name = 'CaKeyUnavailable';
  }
}

function pemKey(der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').trim();
  return `-----BEGIN PRIVATE KEY-----\n${b64}\n-----END PRIVATE KEY-----\n`;
}

export function writeSecret(path: string, data: string): void {
  writeFileSync(path + '.tmp', data, { mode: 0o600 });
  renameSync(path + '.tmp', path);
}

/** SHA-256 fingerprint of a PEM certificate as lower-case hex without colons. */
export function fingerprint(pem: string): string {
  return new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase();
}

export function fingerprintOfDer(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

/** SHA-256 of a certificate's SubjectPublicKeyInfo (DER or PEM certificate) as lower-case hex. */
export function spkiFingerprint(cert: Buffer | string): string {
  const spki = new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('hex');
}

/** Colon-separated upper-case form, as browsers and devices show it. */
export function displayFingerprint(hex: string): string {
  return hex.toUpperCase().match(/.{2}/g)!.join(':');
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1');
}

async function makeCa(dir: string, name: string, permits: CaNames, custody: CaCustody): Promise<void> {
  const keys = await webcrypto.subtle.generateKey(ECDSA, true, ['sign', 'verify']) as CryptoKeyPair;
  const now = new Date();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${name} local CA, O=Postern`,
    notBefore: new Date(now.getTime() - 3600_000),
    notAfter: new Date(now.getTime() + 3650 * 86400_000),
    keys,
    signingAlgorithm: ECDSA,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      caConstraintsExtension(permits),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pem = cert.toString('pem') + '\n';
  keepCaKey(dir, pem, Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)), custody);
  writeFileSync(join(dir, 'ca.crt.tmp'), pem);
  renameSync(join(dir, 'ca.crt.tmp'), join(dir, 'ca.crt'));
}

function recordReplacement(dir: string, entry: CaReplacement): void {
  const path = join(dir, HISTORY);
  let list: CaReplacement[] = [];
  try { list = JSON.parse(readFileSync(path, 'utf8')) as CaReplacement[]; } catch { /* none yet */ }
  list.push(entry);
  writeFileSync(path + '.tmp', JSON.stringify(list.slice(-10), null, 1) + '\n');
  renameSync(path + '.tmp', path);
}

function lastReplacement(dir: string): CaReplacement | undefined {
  try {
    const list = JSON.parse(readFileSync(join(dir, HISTORY), 'utf8')) as CaReplacement[];
    return Array.isArray(list) ? list[list.length - 1] : undefined;
  } catch {
    return undefined;
  }
}

/** The server key pair kept in `<file>.key`, when it is there and of the kind `alg` asks for
 *  (an EC P-256 key for ECDSA, an RSA key of at least 2048 bits for RSA). */
async function keptKeyPair(dir: string, file: string, alg: typeof ECDSA | typeof RSA): Promise<{ privateKey: CryptoKey; publicKey: CryptoKey } | undefined> {
  const path = join(dir, `${file}.key`);
  if (!existsSync(path)) return undefined;
  try {
    const key = createPrivateKey(readFileSync(path, 'utf8'));
    const d = key.asymmetricKeyDetails;
    const fits = alg.name === 'ECDSA'
      ? key.asymmetricKeyType === 'ec' && d?.namedCurve === 'prime256v1'
      : key.asymmetricKeyType === 'rsa' && (d?.modulusLength ?? 0) >= 2048;
    if (!fits) return undefined;
    const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
    const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
    return {
      privateKey: await webcrypto.subtle.importKey('pkcs8', pkcs8, alg, true, ['sign']),
      publicKey: await webcrypto.subtle.importKey('spki', spki, alg, true, ['verify']),
    };
  } catch {
    return undefined; // unreadable or damaged: a new key pair
  }
}

async function makeServerCert(dir: string, file: string, alg: typeof ECDSA | typeof RSA, names: string[], newKey: boolean, caKey: CryptoKey): Promise<void> {
  const caCert = new x509.X509Certificate(readFileSync(join(dir, 'ca.crt'), 'utf8'));
  const kept = newKey ? undefined : await keptKeyPair(dir, file, alg);
  const keys = kept ?? await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']) as CryptoKeyPair;
  const now = new Date();
  const dns = names.map((n) => ({ type: 'dns' as const, value: n }));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${names[0]}`,
    issuer: caCert.subject,
    notBefore: new Date(now.getTime() - 3600_000),
    // 397 days: what browsers and Apple devices accept for a server certificate
    notAfter: new Date(now.getTime() + 397 * 86400_000),
    signingKey: caKey,
    publicKey: keys.publicKey,
    signingAlgorithm: ECDSA,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | (alg.name === 'RSASSA-PKCS1-v1_5' ? x509.KeyUsageFlags.keyEncipherment : 0), true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth], false),
      new x509.SubjectAlternativeNameExtension([...dns, { type: 'ip', value: '127.0.0.1' }]),
      await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
    ],
  });
  if (!kept) writeSecret(join(dir, `${file}.key`), pemKey(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)));
  writeFileSync(join(dir, `${file}.crt.tmp`), cert.toString('pem') + '\n');
  renameSync(join(dir, `${file}.crt.tmp`), join(dir, `${file}.crt`));
  writeFileSync(join(dir, `${file}.names`), names.join('\n') + '\n');
}

function issuedNames(dir: string, file: string): string[] {
  return existsSync(join(dir, `${file}.names`)) ? readFileSync(join(dir, `${file}.names`), 'utf8').trim().split('\n').filter(Boolean) : [];
}

function needsNew(dir: string, file: string, names: string[]): boolean {
  if (!existsSync(join(dir, `${file}.crt`)) || !existsSync(join(dir, `${file}.key`))) return true;
  if (!certMatchesKey(dir, file)) return true;
  if (!issuedByCa(dir, file)) return true;
  const had = issuedNames(dir, file);
  if (names.some((n) => !had.includes(n))) return true;
  const cert = new X509Certificate(readFileSync(join(dir, `${file}.crt`)));
  return new Date(cert.validTo).getTime() - Date.now() < 30 * 86400_000; // renew a month before expiry
}

/** Whether the server certificate was signed by the CA in ca.crt (not by one it replaced). */
function issuedByCa(dir: string, file: string): boolean {
  try {
    const ca = new X509Certificate(readFileSync(join(dir, 'ca.crt')));
    const cert = new X509Certificate(readFileSync(join(dir, `${file}.crt`)));
    return cert.checkIssued(ca) && cert.verify(ca.publicKey);
  } catch {
    return false;
  }
}

function certMatchesKey(dir: string, file: string): boolean {
  try {
    const key = createPrivateKey(readFileSync(join(dir, `${file}.key`), 'utf8'));
    return new X509Certificate(readFileSync(join(dir, `${file}.crt`))).checkPrivateKey(key);
  } catch {
    return false;
  }
}

export interface TlsOptions {
  /** new server key pairs (`postern cert rotate-key`) */
  rotateKey?: boolean;
  /** the box's onion names (the CA may vouch for them) */
  onions?: readonly string[];
  /** where the CA's key is kept (default: this process's memory only) */
  custody?: CaCustody;
}

/** Load the TLS material under <dir>, creating the CA and certificates when missing, when a name
 *  is missing from them or when a certificate is within a month of expiry. A new certificate
 *  keeps every name the old one had: callers that know fewer names (the configuration file at
 *  start, before the store says which host name and domains the household added) never take
 *  names away, and certificates are not re-issued back and forth (peers pin their fingerprint).
 *  The CA is replaced when it has no name constraints, does not cover a name, or (except while
 *  its key is sealed on a locked volume) when a certificate must be issued and its key is gone.
 *  While sealed, due certificates wait for the unlock and `rotateKey` throws CaKeyUnavailable. */
export async function ensureTls(dir: string, hostname: string, domains: readonly string[], opts: TlsOptions = {}): Promise<TlsMaterial> {
  const custody = opts.custody ?? { kind: 'memory' };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // openpgpkey.DOMAIN serves WKD's advanced form, autoconfig.DOMAIN Thunderbird's autoconfiguration.
  const names = [...new Set([hostname, ...domains.flatMap((d) => [d, `mail.${d}`, `openpgpkey.${d}`, `autoconfig.${d}`]), 'localhost'])];
  const kept = [...new Set(['server-ecdsa', 'server-rsa'].flatMap((f) => issuedNames(dir, f)))];
  const wanted: CaNames = {
    dns: [...new Set([hostname, ...domains, ...(opts.onions ?? []), 'localhost', ...kept, ...names])],
    mailDomains: [...new Set(domains)],
  };
  const caPem = existsSync(join(dir, 'ca.crt')) ? readFileSync(join(dir, 'ca.crt'), 'utf8') : undefined;
  // An older Postern kept the CA key in clear next to the certificate: take it off the card.
  const clear = retireClearCaKey(dir);
  let replace: CaReplacement['reason'] | 'new' | undefined;
  let permits: CaNames = wanted;
  if (!caPem) replace = 'new';
  else {
    const had = permittedNames(caPem);
    if (!had) replace = 'unconstrained';
    else {
      // a replacement keeps every name the CA covered: devices see one CA for all of them
      permits = { dns: [...new Set([...had.dns, ...wanted.dns])], mailDomains: [...new Set([...had.mailDomains, ...wanted.mailDomains])] };
      if (!namesPermitted(had, wanted)) replace = 'names';
    }
  }
  let caKey = replace ? undefined : await caKeyFor(dir, caPem!, custody, clear);
  const due = opts.rotateKey || ['server-ecdsa', 'server-rsa'].some((f) => needsNew(dir, f, names));
  if (!replace && !caKey && due) {
    // While sealed, renewals and new names wait for the unlock; certificates that are missing or damaged can't:
    // the panel needs one to be unlocked at all.
    const servable = ['server-ecdsa', 'server-rsa'].every((f) => existsSync(join(dir, `${f}.crt`)) && certMatchesKey(dir, f) && issuedByCa(dir, f));
    if (custody.kind === 'sealed' && servable) {
      if (opts.rotateKey) throw new CaKeyUnavailable();
      return loadTls(dir); // the certificates on disk serve until the unlock renews them
    }
    replace = 'key';
  }
  if (replace) {
    await makeCa(dir, hostname, permits, custody);
    // Devices need telling only if they could have the old one: it was handed out, or an older
    // Postern (which did not keep count) made it. A fresh box's first-run name change is silent.
    const previous = caPem ? fingerprint(caPem) : undefined;
    if (replace !== 'new' && previous && (replace === 'unconstrained' || wasHandedOut(dir, previous))) {
      recordReplacement(dir, { at: new Date().toISOString(), previous, reason: replace });
    }
    caKey = await caKeyFor(dir, readFileSync(join(dir, 'ca.crt'), 'utf8'), custody);
    if (!caKey) throw new Error('the new CA key was not kept');
  }
  for (const [file, alg] of [['server-ecdsa', ECDSA], ['server-rsa', RSA]] as const) {
    if (opts.rotateKey || needsNew(dir, file, names)) await makeServerCert(dir, file, alg, [...new Set([...names, ...issuedNames(dir, file)])], !!opts.rotateKey, caKey!);
  }
  return loadTls(dir);
}

/** Whether the server certificates on disk are not the ones in `tls` (another process, e.g.
 *  `postern cert rotate-key`, issued new ones). */
export function serverCertsChanged(tls: TlsMaterial): boolean {
  try {
    return ['server-ecdsa', 'server-rsa'].some((f, i) => readFileSync(join(tls.dir, `${f}.crt`), 'utf8') !== tls.keys[i]?.cert);
  } catch {
    return false; // being written: the next look sees it
  }
}

export function loadTls(dir: string): TlsMaterial {
  const ca = readFileSync(join(dir, 'ca.crt'), 'utf8');
  const keys = ['server-ecdsa', 'server-rsa'].map((f) => ({ key: readFileSync(join(dir, `${f}.key`), 'utf8'), cert: readFileSync(join(dir, `${f}.crt`), 'utf8') }));
  const replaced = lastReplacement(dir);
  return {
    ca,
    keys,
    dir,
    caFingerprint: fingerprint(ca),
    serverFingerprints: keys.map((k) => fingerprint(k.cert)),
    serverSpki: keys.map((k) => spkiFingerprint(k.cert)),
    notAfter: new Date(new X509Certificate(keys[0]!.cert).validTo),
    caPermits: permittedNames(ca)?.dns ?? [],
    ...(replaced ? { caReplaced: replaced } : {}),
  };
}
