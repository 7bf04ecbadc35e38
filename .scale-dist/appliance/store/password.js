// Password hashing with argon2id (RFC 9106). The cost suits a Raspberry Pi: 19 MiB, 2 passes,
// about 25 ms on a laptop core and well under half a second on a Pi 4.
import { hash, verify } from '@node-rs/argon2';
const OPTIONS = { algorithm: 2 /* Algorithm.Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 };
export function hashPassword(password) {
    return hash(password, OPTIONS);
}
export async function verifyPassword(stored, password) {
    try {
        return await verify(stored, password);
    }
    catch {
        return false;
    }
}
/** A hash to verify against when the account does not exist, so the time taken does not tell. */
let dummy;
export function dummyHash() {
    dummy ??= hashPassword('postern-no-such-account');
    return dummy;
}
//# sourceMappingURL=password.js.map