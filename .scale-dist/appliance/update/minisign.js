// Minisign's key and signature formats (https://jedisct1.github.io/minisign/), with Node's Ed25519:
// a signature made here is checked by `minisign -V`, and one made by `minisign -S` is checked here.
// Signatures are the prehashed kind (algorithm "ED", minisign's default): Ed25519 over the file's
// BLAKE2b-512, so a large bundle is hashed as a stream, never held in memory. A trusted comment is
// signed too (the "global signature" over the signature and the comment), so a comment like
// "postern 1.4.0 arm64" cannot be swapped onto another file's signature.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { blake2b } from '@noble/hashes/blake2.js';
/** A signature, key or file that is not what it should be; `message` is one sentence for the user. */
export class SignatureError extends Error {
    code;
    constructor(message, code) {
        super(message);
        this.code = code;
        this.name = 'SignatureError';
    }
}
const b64url = (b) => b.toString('base64url');
/** minisign prints key ids as the little-endian 64-bit number in upper-case hex */
export function keyIdHex(keyId) {
    return Buffer.from(keyId).reverse().toString('hex').toUpperCase();
}
function privateKeyObject(seed, pub) {
    return createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d: b64url(seed), x: b64url(pub) }, format: 'jwk' });
}
function publicKeyObject(pub) {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64url(pub) }, format: 'jwk' });
}
export function generateKey() {
    const { privateKey } = generateKeyPairSync('ed25519');
    const jwk = privateKey.export({ format: 'jwk' });
    return { keyId: randomBytes(8), seed: Buffer.from(jwk.d, 'base64url'), key: Buffer.from(jwk.x, 'base64url') };
}
function base64Line(text, what) {
    const t = text.trim();
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(t))
        throw new SignatureError(`${what} is not valid base64`, 'format');
    return Buffer.from(t, 'base64');
}
function lines(text) {
    return text.replace(/\r\n/g, '\n').split('\n');
}
// ---- public keys: "untrusted comment: ...\n" + base64("Ed" || key id || 32-byte key)
export function formatPublicKey(k) {
    return `untrusted comment: minisign public key ${keyIdHex(k.keyId)}\n${Buffer.concat([Buffer.from('Ed'), k.keyId, k.key]).toString('base64')}\n`;
}
/** A public key file, or the bare base64 line (`minisign -P`). */
export function parsePublicKey(text) {
    const ls = lines(text).filter((l) => l.trim() !== '');
    const line = ls.length === 1 ? ls[0] : ls[0]?.startsWith('untrusted comment:') ? ls[1] : undefined;
    if (line === undefined)
        throw new SignatureError('the public key is not in minisign format (a comment line, then one base64 line)', 'format');
    const raw = base64Line(line, 'the public key');
    if (raw.length !== 42 || raw.subarray(0, 2).toString('latin1') !== 'Ed')
        throw new SignatureError('the public key is not a minisign Ed25519 key', 'format');
    return { keyId: raw.subarray(2, 10), key: raw.subarray(10, 42) };
}
// ---- secret keys: minisign's layout, unencrypted (kdf algorithm 0,0, like `minisign -G -W`):
// "Ed" || kdf "\0\0" || "B2" || salt(32) || opslimit(8) || memlimit(8) || key id(8) || seed+pub(64) || checksum(32)
// where checksum = BLAKE2b-256("Ed" || key id || seed+pub). The file is the maintainer's, never the box's.
function secretChecksum(k) {
    return Buffer.from(blake2b(Buffer.concat([Buffer.from('Ed'), k.keyId, k.seed, k.key]), { dkLen: 32 }));
}
export function formatSecretKey(k) {
    const raw = Buffer.concat([Buffer.from('Ed'), Buffer.alloc(2), Buffer.from('B2'), Buffer.alloc(48), k.keyId, k.seed, k.key, secretChecksum(k)]);
    return `untrusted comment: minisign secret key ${keyIdHex(k.keyId)} (unencrypted: keep it offline)\n${raw.toString('base64')}\n`;
}
export function parseSecretKey(text) {
    const ls = lines(text).filter((l) => l.trim() !== '');
    if (ls.length < 2 || !ls[0].startsWith('untrusted comment:'))
        throw new SignatureError('the secret key is not in minisign format (a comment line, then one base64 line)', 'format');
    const raw = base64Line(ls[1], 'the secret key');
    if (raw.length !== 158 || raw.subarray(0, 2).toString('latin1') !== 'Ed' || raw.subarray(4, 6).toString('latin1') !== 'B2') {
        throw new SignatureError('the secret key is not a minisign Ed25519 secret key', 'format');
    }
    if (raw[2] !== 0 || raw[3] !== 0)
        throw new SignatureError('the secret key is password-protected; make an unencrypted one (postern update keygen, or minisign -G -W)', 'format');
    const k = { keyId: raw.subarray(54, 62), seed: raw.subarray(62, 94), key: raw.subarray(94, 126) };
    const chk = raw.subarray(126, 158);
    // minisign 0.11 leaves the checksum of an unencrypted key empty (zeros): accept that too.
    if (!chk.equals(Buffer.alloc(32)) && !chk.equals(secretChecksum(k)))
        throw new SignatureError('the secret key is damaged (its checksum does not match)', 'format');
    const derived = createPublicKey(privateKeyObject(k.seed, k.key)).export({ format: 'jwk' }).x;
    if (derived !== b64url(k.key))
        throw new SignatureError('the secret key is damaged (its public half does not match)', 'format');
    return k;
}
// ---- signatures
export async function blake2b512File(path) {
    const h = createHash('blake2b512');
    for await (const chunk of createReadStream(path))
        h.update(chunk);
    return h.digest();
}
export function blake2b512(data) {
    return createHash('blake2b512').update(data).digest();
}
/** Sign a BLAKE2b-512 digest (prehashed "ED"). The trusted comment must be one line. */
export function signDigest(k, digest, trustedComment) {
    if (/[\r\n]/.test(trustedComment))
        throw new SignatureError('a trusted comment must be one line', 'format');
    const priv = privateKeyObject(k.seed, k.key);
    const sig = sign(null, digest, priv);
    const global = sign(null, Buffer.concat([sig, Buffer.from(trustedComment, 'utf8')]), priv);
    return `untrusted comment: signature from postern update key ${keyIdHex(k.keyId)}\n`
        + `${Buffer.concat([Buffer.from('ED'), k.keyId, sig]).toString('base64')}\n`
        + `trusted comment: ${trustedComment}\n${global.toString('base64')}\n`;
}
export function signData(k, data, trustedComment) {
    return signDigest(k, blake2b512(data), trustedComment);
}
export function parseSignature(text) {
    const ls = lines(text);
    if (ls.length < 4 || !ls[0].startsWith('untrusted comment:') || !ls[2].startsWith('trusted comment: ')) {
        throw new SignatureError('the signature is not in minisign format', 'format');
    }
    const raw = base64Line(ls[1], 'the signature');
    const alg = raw.subarray(0, 2).toString('latin1');
    if (raw.length !== 74 || (alg !== 'ED' && alg !== 'Ed'))
        throw new SignatureError('the signature is not a minisign Ed25519 signature', 'format');
    const globalSignature = base64Line(ls[3], "the signature's trusted comment signature");
    if (globalSignature.length !== 64)
        throw new SignatureError("the signature's trusted comment signature has the wrong length", 'format');
    return { algorithm: alg, keyId: raw.subarray(2, 10), signature: raw.subarray(10, 74), trustedComment: ls[2].slice('trusted comment: '.length), globalSignature };
}
/** Check a signature over `data` (a Buffer) or over the file at `data.path`; returns the trusted
 *  comment, or throws a SignatureError saying what is wrong. */
export async function verifySignature(pub, sigText, data) {
    const sig = parseSignature(sigText);
    if (!sig.keyId.equals(pub.keyId)) {
        throw new SignatureError(`the signature was made with key ${keyIdHex(sig.keyId)}, not with the trusted key ${keyIdHex(pub.keyId)}`, 'wrong-key');
    }
    const key = publicKeyObject(pub.key);
    let signed;
    if (sig.algorithm === 'ED')
        signed = Buffer.isBuffer(data) ? blake2b512(data) : await blake2b512File(data.path);
    else {
        // legacy (not prehashed) minisign signatures: only for what fits in memory
        if (!Buffer.isBuffer(data))
            throw new SignatureError('legacy (non-prehashed) signatures are not accepted for files', 'format');
        signed = data;
    }
    if (!verify(null, signed, key, sig.signature))
        throw new SignatureError('the signature does not match the data: it was changed after signing, or signed by another key with the same id', 'bad-signature');
    if (!verify(null, Buffer.concat([sig.signature, Buffer.from(sig.trustedComment, 'utf8')]), key, sig.globalSignature)) {
        throw new SignatureError("the signature's trusted comment was changed after signing", 'bad-comment');
    }
    return sig.trustedComment;
}
//# sourceMappingURL=minisign.js.map