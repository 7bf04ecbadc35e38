// The box's local certificate authority and its server certificates. At first start Postern makes
// a CA (ECDSA P-256, 10 years) that a household installs on its devices, and server certificates
// (ECDSA P-256 and RSA-2048, for clients without ECDSA) for the hostname, its domains and
// localhost. Keys are files readable by the service user only.
// A re-issue (new names, renewal) keeps the server key pair, so the SHA-256 of the certificate's
// SubjectPublicKeyInfo (what SMTorP peers pin, like DANE 3 1 1 and HPKP) stays the same; a new key
// pair is made only when the key file is missing or not of the certificate's kind, or when the
// household asks for one (`postern cert rotate-key`).
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto, X509Certificate, createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
x509.cryptoProvider.set(webcrypto);
const ECDSA = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const RSA = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
function pemKey(der) {
    const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').trim();
    return `-----BEGIN PRIVATE KEY-----\n${b64}\n-----END PRIVATE KEY-----\n`;
}
function writeSecret(path, data) {
    writeFileSync(path + '.tmp', data, { mode: 0o600 });
    renameSync(path + '.tmp', path);
}
/** SHA-256 fingerprint of a PEM certificate as lower-case hex without colons. */
export function fingerprint(pem) {
    return new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase();
}
export function fingerprintOfDer(der) {
    return createHash('sha256').update(der).digest('hex');
}
/** SHA-256 of a certificate's SubjectPublicKeyInfo (DER or PEM certificate) as lower-case hex. */
export function spkiFingerprint(cert) {
    const spki = new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' });
    return createHash('sha256').update(spki).digest('hex');
}
/** Colon-separated upper-case form, as browsers and devices show it. */
export function displayFingerprint(hex) {
    return hex.toUpperCase().match(/.{2}/g).join(':');
}
function serial() {
    return Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1');
}
async function makeCa(dir, name) {
    const keys = await webcrypto.subtle.generateKey(ECDSA, true, ['sign', 'verify']);
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
            await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        ],
    });
    writeSecret(join(dir, 'ca.key'), pemKey(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)));
    writeFileSync(join(dir, 'ca.crt'), cert.toString('pem') + '\n');
}
async function loadCaKey(dir) {
    const pem = readFileSync(join(dir, 'ca.key'), 'utf8');
    const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    return webcrypto.subtle.importKey('pkcs8', der, ECDSA, false, ['sign']);
}
/** The server key pair kept in `<file>.key`, when it is there and of the kind `alg` asks for
 *  (an EC P-256 key for ECDSA, an RSA key of at least 2048 bits for RSA). */
async function keptKeyPair(dir, file, alg) {
    const path = join(dir, `${file}.key`);
    if (!existsSync(path))
        return undefined;
    try {
        const key = createPrivateKey(readFileSync(path, 'utf8'));
        const d = key.asymmetricKeyDetails;
        const fits = alg.name === 'ECDSA'
            ? key.asymmetricKeyType === 'ec' && d?.namedCurve === 'prime256v1'
            : key.asymmetricKeyType === 'rsa' && (d?.modulusLength ?? 0) >= 2048;
        if (!fits)
            return undefined;
        const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
        const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
        return {
            privateKey: await webcrypto.subtle.importKey('pkcs8', pkcs8, alg, true, ['sign']),
            publicKey: await webcrypto.subtle.importKey('spki', spki, alg, true, ['verify']),
        };
    }
    catch {
        return undefined; // unreadable or damaged: a new key pair
    }
}
async function makeServerCert(dir, file, alg, names, newKey) {
    const caCert = new x509.X509Certificate(readFileSync(join(dir, 'ca.crt'), 'utf8'));
    const caKey = await loadCaKey(dir);
    const kept = newKey ? undefined : await keptKeyPair(dir, file, alg);
    const keys = kept ?? await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
    const now = new Date();
    const dns = names.map((n) => ({ type: 'dns', value: n }));
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
    if (!kept)
        writeSecret(join(dir, `${file}.key`), pemKey(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)));
    writeFileSync(join(dir, `${file}.crt.tmp`), cert.toString('pem') + '\n');
    renameSync(join(dir, `${file}.crt.tmp`), join(dir, `${file}.crt`));
    writeFileSync(join(dir, `${file}.names`), names.join('\n') + '\n');
}
function issuedNames(dir, file) {
    return existsSync(join(dir, `${file}.names`)) ? readFileSync(join(dir, `${file}.names`), 'utf8').trim().split('\n').filter(Boolean) : [];
}
function needsNew(dir, file, names) {
    if (!existsSync(join(dir, `${file}.crt`)) || !existsSync(join(dir, `${file}.key`)))
        return true;
    if (!certMatchesKey(dir, file))
        return true;
    const had = issuedNames(dir, file);
    if (names.some((n) => !had.includes(n)))
        return true;
    const cert = new X509Certificate(readFileSync(join(dir, `${file}.crt`)));
    return new Date(cert.validTo).getTime() - Date.now() < 30 * 86400_000; // renew a month before expiry
}
function certMatchesKey(dir, file) {
    try {
        const key = createPrivateKey(readFileSync(join(dir, `${file}.key`), 'utf8'));
        return new X509Certificate(readFileSync(join(dir, `${file}.crt`))).checkPrivateKey(key);
    }
    catch {
        return false;
    }
}
/** Load the TLS material under <dir>, creating the CA and certificates when missing, when a name
 *  is missing from them or when a certificate is within a month of expiry. A new certificate
 *  keeps every name the old one had: callers that know fewer names (the configuration file at
 *  start, before the store says which host name and domains the household added) never take
 *  names away, and certificates are not re-issued back and forth (peers pin their fingerprint). */
export async function ensureTls(dir, hostname, domains, opts = {}) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!existsSync(join(dir, 'ca.crt')) || !existsSync(join(dir, 'ca.key')))
        await makeCa(dir, hostname);
    // openpgpkey.DOMAIN serves WKD's advanced form, autoconfig.DOMAIN Thunderbird's autoconfiguration.
    const names = [...new Set([hostname, ...domains.flatMap((d) => [d, `mail.${d}`, `openpgpkey.${d}`, `autoconfig.${d}`]), 'localhost'])];
    for (const [file, alg] of [['server-ecdsa', ECDSA], ['server-rsa', RSA]]) {
        if (opts.rotateKey || needsNew(dir, file, names))
            await makeServerCert(dir, file, alg, [...new Set([...names, ...issuedNames(dir, file)])], !!opts.rotateKey);
    }
    return loadTls(dir);
}
/** Whether the server certificates on disk are not the ones in `tls` (another process, e.g.
 *  `postern cert rotate-key`, issued new ones). */
export function serverCertsChanged(tls) {
    try {
        return ['server-ecdsa', 'server-rsa'].some((f, i) => readFileSync(join(tls.dir, `${f}.crt`), 'utf8') !== tls.keys[i]?.cert);
    }
    catch {
        return false; // being written: the next look sees it
    }
}
export function loadTls(dir) {
    const ca = readFileSync(join(dir, 'ca.crt'), 'utf8');
    const keys = ['server-ecdsa', 'server-rsa'].map((f) => ({ key: readFileSync(join(dir, `${f}.key`), 'utf8'), cert: readFileSync(join(dir, `${f}.crt`), 'utf8') }));
    return {
        ca,
        keys,
        dir,
        caFingerprint: fingerprint(ca),
        serverFingerprints: keys.map((k) => fingerprint(k.cert)),
        serverSpki: keys.map((k) => spkiFingerprint(k.cert)),
        notAfter: new Date(new X509Certificate(keys[0].cert).validTo),
    };
}
//# sourceMappingURL=authority.js.map