// Password hashing with argon2id (RFC 9106). The cost suits a Raspberry Pi: 19 MiB, 2 passes,
// about 25 ms on a laptop core and well under half a second on a Pi 4.
// The native module is loaded at the first login or account creation, not at start (idle memory).
const argon2 = () => import('@node-rs/argon2');

export async function hashPassword(password: string): Promise<string> {
  const { hash, Algorithm } = await argon2();
  return hash(password, { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    const { verify } = await argon2();
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the account does not exist, so the time taken does not tell. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword('postern-no-such-account');
  return dummy;
}
