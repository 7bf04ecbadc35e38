// The local CA's server certificates keep their key pairs across re-issues (new names),
// so the SHA-256 of the SubjectPublicKeyInfo that SMTorP peers pin stays; a key file that is
// missing, damaged, of the wrong kind or not the certificate's gets a new key; rotateKey asks for
// new keys on purpose.
import t from 'tap';
import { generateKeyPairSync, X509Certificate, createPublicKey, createPrivateKey, createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTls, spkiFingerprint } from '../appliance/tls/authority.js';
import { tempDir } from './harness/appliance.js';
const dir = tempDir('postern-tls-keys-');
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
function spkiOfKeyFile(file) {
    const der = createPublicKey(readFileSync(file, 'utf8')).export({ type: 'spki', format: 'der' });
    return createHash('sha256').update(der).digest('hex');
}
t.test('re-issue keeps the keys; the pin is the SPKI of the key file', async (t) => {
    const d = join(dir, 'keep');
    const first = await ensureTls(d, 'mail.example.test', ['example.test']);
    t.equal(first.serverSpki.length, 2);
    t.equal(first.serverSpki[0], spkiOfKeyFile(join(d, 'server-ecdsa.key')), 'ECDSA: SHA-256 of the SubjectPublicKeyInfo');
    t.equal(first.serverSpki[1], spkiOfKeyFile(join(d, 'server-rsa.key')), 'RSA too');
    t.equal(spkiFingerprint(first.keys[0].cert), first.serverSpki[0], 'PEM input');
    t.equal(spkiFingerprint(new X509Certificate(first.keys[0].cert).raw), first.serverSpki[0], 'DER input');
    const keyBefore = readFileSync(join(d, 'server-ecdsa.key'), 'utf8');
    const again = await ensureTls(d, 'mail.example.test', ['example.test']);
    t.same(again.serverFingerprints, first.serverFingerprints, 'nothing new: no re-issue');
    const more = await ensureTls(d, 'mail.example.test', ['example.test', 'family.test']);
    t.not(more.serverFingerprints[0], first.serverFingerprints[0], 'a new domain: a new certificate');
    t.not(more.serverFingerprints[1], first.serverFingerprints[1]);
    t.same(more.serverSpki, first.serverSpki, 'with the same keys');
    t.equal(readFileSync(join(d, 'server-ecdsa.key'), 'utf8'), keyBefore, 'the key file is untouched');
    t.match(new X509Certificate(more.keys[0].cert).subjectAltName ?? '', /DNS:family\.test/);
    t.match(new X509Certificate(more.keys[0].cert).subjectAltName ?? '', /DNS:example\.test/);
    t.ok(new X509Certificate(more.keys[0].cert).checkPrivateKey(createPrivateKey(more.keys[0].key)), 'certificate and key belong together');
    t.equal(new X509Certificate(more.keys[1].cert).publicKey.asymmetricKeyType, 'rsa');
});
t.test('a missing, damaged, wrong-kind or mismatched key gets a new key pair; rotateKey asks for one', async (t) => {
    const d = join(dir, 'new');
    const first = await ensureTls(d, 'mail.example.test', []);
    rmSync(join(d, 'server-ecdsa.key'));
    const missing = await ensureTls(d, 'mail.example.test', []);
    t.not(missing.serverSpki[0], first.serverSpki[0], 'missing key file: a new ECDSA key');
    t.equal(missing.serverSpki[1], first.serverSpki[1], 'the RSA key stays');
    t.equal(statSync(join(d, 'server-ecdsa.key')).mode & 0o777, 0o600, 'readable by the service user only');
    // an RSA key where the ECDSA key belongs, and a new name so the certificate is re-issued
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    writeFileSync(join(d, 'server-ecdsa.key'), rsa, { mode: 0o600 });
    const wrongKind = await ensureTls(d, 'mail.example.test', ['other.test']);
    t.equal(new X509Certificate(wrongKind.keys[0].cert).publicKey.asymmetricKeyType, 'ec', 'the ECDSA certificate has an EC key again');
    t.not(wrongKind.serverSpki[0], spkiOfKeyFile(join(dir, 'new', 'server-rsa.key')));
    t.ok(new X509Certificate(wrongKind.keys[0].cert).checkPrivateKey(createPrivateKey(wrongKind.keys[0].key)));
    // a key file that is not the certificate's (same names): re-issued with a key that matches
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    writeFileSync(join(d, 'server-ecdsa.key'), p256, { mode: 0o600 });
    const mismatched = await ensureTls(d, 'mail.example.test', ['other.test']);
    t.equal(mismatched.serverSpki[0], spkiOfKeyFile(join(d, 'server-ecdsa.key')), 'the certificate now carries the key on disk');
    writeFileSync(join(d, 'server-ecdsa.key'), 'not a key', { mode: 0o600 });
    const damaged = await ensureTls(d, 'mail.example.test', ['other.test']);
    t.match(readFileSync(join(d, 'server-ecdsa.key'), 'utf8'), /BEGIN PRIVATE KEY/, 'a damaged key file is replaced');
    t.ok(new X509Certificate(damaged.keys[0].cert).checkPrivateKey(createPrivateKey(damaged.keys[0].key)));
    const rotated = await ensureTls(d, 'mail.example.test', [], { rotateKey: true });
    t.not(rotated.serverSpki[0], damaged.serverSpki[0], 'rotateKey: a new ECDSA key');
    t.not(rotated.serverSpki[1], damaged.serverSpki[1], 'and a new RSA key');
    t.match(new X509Certificate(rotated.keys[0].cert).subjectAltName ?? '', /DNS:other\.test/, 'the names it had are kept');
});
//# sourceMappingURL=tls-authority-keys.test.js.map