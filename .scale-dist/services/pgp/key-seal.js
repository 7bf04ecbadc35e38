// Sealing an account's secret key under a secret a person knows (its password or its recovery
// code), MailSuite's design: the same secret key is sealed twice, independently, so either secret
// opens it and changing one never needs the other.
//
// A seal is argon2id(secret, random salt) -> 32-byte key -> AES-256-GCM over the binary secret key,
// with the purpose and the key's fingerprint as associated data (a seal copied to another account
// or swapped between purposes does not open). A short key-check value (HMAC of a constant under the
// derived key) tells a wrong secret from damaged ciphertext, so the error can say which it is.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { hashRaw } from '@node-rs/argon2';
import { PgpError } from './errors.js';
/** argon2id at the cost of the account password hash (19 MiB, 2 passes): well under a second on a Pi. */
const KDF = { memoryCost: 19456, timeCost: 2, parallelism: 1 };
function aad(purpose, fingerprint) {
    return Buffer.from(`postern openpgp seal v1|${purpose}|${fingerprint.toLowerCase()}`);
}
async function deriveKey(secret, salt, m, t, p) {
    return hashRaw(secret.normalize('NFC'), { algorithm: 2 /* Algorithm.Argon2id */, memoryCost: m, timeCost: t, parallelism: p, outputLen: 32, salt });
}
function checkValue(key) {
    return createHmac('sha256', key).update('postern key check').digest().subarray(0, 8);
}
export async function seal(secretKey, secret, purpose, fingerprint) {
    const salt = randomBytes(16);
    const key = await deriveKey(secret, salt, KDF.memoryCost, KDF.timeCost, KDF.parallelism);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(aad(purpose, fingerprint));
    const ct = Buffer.concat([cipher.update(secretKey), cipher.final()]);
    const s = {
        v: 1, kdf: 'argon2id', m: KDF.memoryCost, t: KDF.timeCost, p: KDF.parallelism,
        salt: salt.toString('base64'), check: checkValue(key).toString('base64'),
        iv: iv.toString('base64'), ct: ct.toString('base64'), tag: cipher.getAuthTag().toString('base64'),
    };
    key.fill(0);
    return JSON.stringify(s);
}
function parseSeal(text) {
    let s;
    try {
        s = JSON.parse(text);
    }
    catch {
        throw new PgpError('corrupt', 'the stored secret key is damaged (its seal is not readable)');
    }
    const o = s;
    const ok = !!o && o.v === 1 && o.kdf === 'argon2id'
        && [o.m, o.t, o.p].every((n) => Number.isInteger(n) && n > 0 && n <= 4_194_304)
        && [o.salt, o.check, o.iv, o.ct, o.tag].every((x) => typeof x === 'string');
    if (!ok)
        throw new PgpError('corrupt', 'the stored secret key is damaged (its seal has missing or bad fields)');
    return o;
}
/** Open a seal: PgpError 'auth' for a wrong secret, 'corrupt' for damaged material. */
export async function unseal(text, secret, purpose, fingerprint) {
    const s = parseSeal(text);
    const salt = Buffer.from(s.salt, 'base64');
    const iv = Buffer.from(s.iv, 'base64');
    const tag = Buffer.from(s.tag, 'base64');
    const check = Buffer.from(s.check, 'base64');
    if (salt.length < 8 || iv.length !== 12 || tag.length !== 16 || check.length !== 8) {
        throw new PgpError('corrupt', 'the stored secret key is damaged (bad seal parameters)');
    }
    const key = await deriveKey(secret, salt, s.m, s.t, s.p);
    try {
        if (!timingSafeEqual(checkValue(key), check)) {
            throw new PgpError('auth', purpose === 'password' ? 'the password does not open the OpenPGP key' : 'the recovery code is wrong');
        }
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAAD(aad(purpose, fingerprint));
        decipher.setAuthTag(tag);
        try {
            return Buffer.concat([decipher.update(Buffer.from(s.ct, 'base64')), decipher.final()]);
        }
        catch {
            throw new PgpError('corrupt', `the stored secret key is damaged (the ${purpose} copy fails its integrity check)`);
        }
    }
    finally {
        key.fill(0);
    }
}
// Recovery codes: 25 symbols of Crockford's base32 (125 bits), in five groups: easy to write down,
// read back and type; I/L are read as 1 and O as 0, case, spaces and dashes do not matter.
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export function newRecoveryCode() {
    const symbols = Array.from({ length: 25 }, () => CROCKFORD[randomInt(32)]);
    return [0, 5, 10, 15, 20].map((i) => symbols.slice(i, i + 5).join('')).join('-');
}
/** The canonical form of a typed recovery code, or undefined if it cannot be one. */
export function normalizeRecoveryCode(input) {
    const s = input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
    if (s.length !== 25 || [...s].some((c) => !CROCKFORD.includes(c)))
        return undefined;
    return [0, 5, 10, 15, 20].map((i) => s.slice(i, i + 5)).join('-');
}
//# sourceMappingURL=key-seal.js.map