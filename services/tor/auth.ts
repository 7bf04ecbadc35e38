// Authentication to tor's control port (control-spec 3.5 AUTHENTICATE, 3.24 AUTHCHALLENGE).
// SAFECOOKIE proves knowledge of the cookie without sending it, and lets us check that the other
// side knows it too (so a fake control port cannot learn the cookie): we verify SERVERHASH before
// answering.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const SERVER_KEY = 'Tor safe cookie authentication server-to-controller hash';
const CLIENT_KEY = 'Tor safe cookie authentication controller-to-server hash';

export const COOKIE_LENGTH = 32;
export const NONCE_LENGTH = 32;

export function clientNonce(): Buffer {
  return randomBytes(NONCE_LENGTH);
}

function hmac(key: string, cookie: Buffer, client: Buffer, server: Buffer): Buffer {
  return createHmac('sha256', key).update(Buffer.concat([cookie, client, server])).digest();
}

export function serverHash(cookie: Buffer, client: Buffer, server: Buffer): Buffer {
  return hmac(SERVER_KEY, cookie, client, server);
}

export function clientHash(cookie: Buffer, client: Buffer, server: Buffer): Buffer {
  return hmac(CLIENT_KEY, cookie, client, server);
}

/** Constant-time check of the hash tor sent. */
export function verifyServerHash(cookie: Buffer, client: Buffer, server: Buffer, got: Buffer): boolean {
  const want = serverHash(cookie, client, server);
  return got.length === want.length && timingSafeEqual(got, want);
}
