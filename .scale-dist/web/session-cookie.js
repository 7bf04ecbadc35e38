// The panel's session cookie: one name and one set of attributes, used by the session middleware
// (app.tsx) and by the routes that start a session (sign-in, first-run setup). `__Host-` binds it
// to this origin over HTTPS with path `/` and no Domain attribute.
import { getCookie, setCookie } from 'hono/cookie';
export const SESSION_COOKIE = '__Host-postern';
export function sessionCookie(c) {
    return getCookie(c, SESSION_COOKIE);
}
export function setSessionCookie(c, s) {
    setCookie(c, SESSION_COOKIE, s.id, { httpOnly: true, secure: true, sameSite: 'Strict', path: '/' });
}
//# sourceMappingURL=session-cookie.js.map