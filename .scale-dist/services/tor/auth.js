// Authentication to tor's control port (control-spec 3.5 AUTHENTICATE, 3.24 AUTHCHALLENGE).
// SAFECOOKIE proves knowledge of the cookie without sending it, and lets us check that the other
// side knows it too (so a fake control port cannot learn the cookie): we verify SERVERHASH before
// answering.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
const SERVER_KEY = 'Tor safe cookie authentication server-to-controller hash';
const CLIENT_KEY = 'Tor safe cookie authentication controller-to-server hash';
export const COOKIE_LENGTH = 32;
export const NONCE_LENGTH = 32;
export function clientNonce() {
    return randomBytes(NONCE_LENGTH);
}
function hmac(key, cookie, client, server) {
    return createHmac('sha256', key).update(Buffer.concat([cookie, client, server])).digest();
}
export function serverHash(cookie, client, server) {
    return hmac(SERVER_KEY, cookie, client, server);
}
export function clientHash(cookie, client, server) {
    return hmac(CLIENT_KEY, cookie, client, server);
}
/** Constant-time check of the hash tor sent. */
export function verifyServerHash(cookie, client, server, got) {
    const want = serverHash(cookie, client, server);
    return got.length === want.length && timingSafeEqual(got, want);
}
//# sourceMappingURL=auth.js.map