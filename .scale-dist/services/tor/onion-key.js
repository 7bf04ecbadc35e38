// Onion service identities (rend-spec-v3): Postern keeps a 32-byte Ed25519 seed per onion service
// on the system volume and derives everything from it: the public key, the "<56 chars>.onion"
// address, the 64-byte expanded secret key tor takes in ADD_ONION or reads from
// hs_ed25519_secret_key, and signatures (the SMTorP peer card is signed with the SMTP onion's key,
// so the card proves control of the onion address it names). The same seed gives the same address
// across restarts and reinstalls from a backup of the system folder.
import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { base32Decode, base32Encode } from './base32.js';
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const HS_SECRET_HEADER = '== ed25519v1-secret: type0 ==';
const HS_PUBLIC_HEADER = '== ed25519v1-public: type0 ==';
const ONION_VERSION = 3;
export class OnionKeyError extends Error {
    constructor(message) { super(message); this.name = 'OnionKeyError'; }
}
/** Write a secret file atomically (0600, fsynced, renamed into place). */
export function writeSecretFile(path, data) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const tmp = `${path}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
        writeSync(fd, data);
        fsyncSync(fd);
    }
    finally {
        closeSync(fd);
    }
    renameSync(tmp, path);
    const dfd = openSync(dirname(path), 'r');
    try {
        fsyncSync(dfd);
    }
    finally {
        closeSync(dfd);
    }
}
export function onionAddressOf(publicKey) {
    if (publicKey.length !== 32)
        throw new OnionKeyError('an onion public key has 32 bytes');
    const version = Buffer.from([ONION_VERSION]);
    const checksum = createHash('sha3-256').update(Buffer.concat([Buffer.from('.onion checksum'), publicKey, version])).digest().subarray(0, 2);
    return base32Encode(Buffer.concat([publicKey, checksum, version])) + '.onion';
}
/** The Ed25519 public key inside a v3 onion address, after checking its checksum and version. */
export function publicKeyOfOnion(address) {
    const label = address.toLowerCase().replace(/\.onion$/, '');
    if (!/^[a-z2-7]{56}$/.test(label))
        throw new OnionKeyError(`${JSON.stringify(address)} is not a v3 onion address`);
    const raw = base32Decode(label);
    const pub = raw.subarray(0, 32);
    if (raw[34] !== ONION_VERSION || onionAddressOf(Buffer.from(pub)) !== label + '.onion') {
        throw new OnionKeyError(`${JSON.stringify(address)} has a wrong checksum or version`);
    }
    return Buffer.from(pub);
}
export function isOnionAddress(address) {
    try {
        publicKeyOfOnion(address);
        return true;
    }
    catch {
        return false;
    }
}
/** Verify an Ed25519 signature made by the key behind an onion address. */
export function verifyByOnion(address, message, signature) {
    const pub = publicKeyOfOnion(address);
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: pub.toString('base64url') }, format: 'jwk' });
    try {
        return verify(null, message, key, signature);
    }
    catch {
        return false;
    }
}
export class OnionIdentity {
    seed;
    key;
    publicKey;
    address;
    constructor(seed) {
        this.seed = seed;
        if (seed.length !== 32)
            throw new OnionKeyError('an onion key seed has 32 bytes');
        this.key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
        const jwk = createPublicKey(this.key).export({ format: 'jwk' });
        this.publicKey = Buffer.from(jwk.x, 'base64url');
        this.address = onionAddressOf(this.publicKey);
    }
    /** The 56-character service id (the address without ".onion"). */
    get serviceId() { return this.address.slice(0, 56); }
    /** RFC 8032 5.1.5: SHA-512 of the seed, the first half clamped (the scalar), then the prefix. */
    expandedKey() {
        const h = createHash('sha512').update(this.seed).digest();
        h[0] &= 248;
        h[31] &= 63;
        h[31] |= 64;
        return h;
    }
    /** The key argument of ADD_ONION. */
    addOnionKey() {
        return `ED25519-V3:${this.expandedKey().toString('base64')}`;
    }
    sign(message) {
        return sign(null, message, this.key);
    }
    /** Write hs_ed25519_secret_key / hs_ed25519_public_key into a HiddenServiceDir (tor's format:
     *  a 32-byte header padded with NULs, then the key). */
    writeHiddenServiceDir(dir) {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        const header = (h) => { const b = Buffer.alloc(32); b.write(h, 'latin1'); return b; };
        const secret = Buffer.concat([header(HS_SECRET_HEADER), this.expandedKey()]);
        const secretFile = join(dir, 'hs_ed25519_secret_key');
        if (!existsSync(secretFile) || !readFileSync(secretFile).equals(secret))
            writeSecretFile(secretFile, secret);
        const pub = Buffer.concat([header(HS_PUBLIC_HEADER), this.publicKey]);
        const pubFile = join(dir, 'hs_ed25519_public_key');
        if (!existsSync(pubFile) || !readFileSync(pubFile).equals(pub))
            writeSecretFile(pubFile, pub);
    }
    /** The identity kept in `file` (32-byte seed), created on first use. */
    static loadOrCreate(file) {
        if (existsSync(file)) {
            const seed = readFileSync(file);
            if (seed.length !== 32)
                throw new OnionKeyError(`${file} is damaged (expected a 32-byte key, found ${seed.length} bytes); restore it from a backup to keep the onion address`);
            return new OnionIdentity(seed);
        }
        const seed = randomBytes(32);
        writeSecretFile(file, seed);
        return new OnionIdentity(seed);
    }
    /** The identity in `file` if it exists (the CLI reads keys without creating them). */
    static load(file) {
        return existsSync(file) ? OnionIdentity.loadOrCreate(file) : undefined;
    }
}
//# sourceMappingURL=onion-key.js.map