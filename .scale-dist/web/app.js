import { jsx as _jsx, jsxs as _jsxs } from "hono/jsx/jsx-runtime";
// The panel application: security headers on every response, then the session, the access-control
// check (access.ts) and the CSRF check, then the routes (one file per page under routes/).
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { log } from '../appliance/log.js';
import { accessFor } from './access.js';
import { page } from './page.js';
import { sameToken } from './sessions.js';
import { sessionCookie, setSessionCookie } from './session-cookie.js';
import { registerRoutes } from './routes/index.js';
export const CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
function hasAdmin(c) {
    const store = c.var.deps.appliance.store;
    return !!store && store.accounts.list().some((a) => a.role === 'admin');
}
/** Send the browser elsewhere; htmx requests get HX-Redirect so the whole page changes. */
function redirectTo(c, to) {
    if (c.req.header('hx-request')) {
        c.header('HX-Redirect', to);
        return c.body(null, 204);
    }
    return c.redirect(to, 303);
}
async function checkAccess(c, rule) {
    const { appliance } = c.var.deps;
    const store = appliance.store;
    if (rule.access === 'public')
        return undefined;
    if (rule.access === 'locked') {
        return appliance.state === 'locked' ? undefined : redirectTo(c, '/');
    }
    if (!store) {
        if (appliance.state === 'locked')
            return redirectTo(c, '/unlock');
        c.header('Retry-After', '5');
        return page(c, 'Starting', _jsx("p", { children: "Postern is starting or stopping. Try again in a few seconds." }), { status: 503 });
    }
    const admin = hasAdmin(c);
    if (rule.access === 'setup')
        return admin ? redirectTo(c, '/signin') : undefined;
    if (!admin)
        return redirectTo(c, '/setup');
    if (rule.access === 'guest')
        return undefined;
    const s = c.var.session;
    const found = s?.accountId !== undefined ? store.accounts.byId(s.accountId) : undefined;
    const account = found && found.address === s?.address ? found : undefined;
    if (!account) {
        if (c.req.method === 'GET' && !c.req.header('hx-request'))
            return c.redirect(`/signin?next=${encodeURIComponent(c.req.path)}`, 303);
        return redirectTo(c, '/signin');
    }
    c.set('account', account);
    if (rule.access === 'admin' && account.role !== 'admin') {
        log.warn('panel.forbidden', { path: c.req.path, account: account.id });
        return page(c, 'Not for your account', _jsxs("p", { children: ["This page is for the household's administrator. ", _jsx("a", { href: "/devices", children: "Set up your devices" }), " or ", _jsx("a", { href: "/password", children: "change your password" }), "."] }), { status: 403 });
    }
    return undefined;
}
async function checkCsrf(c) {
    if (SAFE_METHODS.has(c.req.method))
        return undefined;
    const refuse = (why) => {
        log.warn('panel.csrf-refused', { path: c.req.path, why });
        return page(c, 'Request refused', _jsx("p", { children: "This form was too old or did not come from this panel. Go back, reload the page and try again." }), { status: 403 });
    };
    if (c.req.header('sec-fetch-site') === 'cross-site')
        return refuse('cross-site');
    const s = c.var.session;
    if (!s)
        return refuse('no session');
    let token = c.req.header('x-csrf-token') ?? '';
    if (!token) {
        const type = c.req.header('content-type') ?? '';
        if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
            const body = await c.req.parseBody();
            if (typeof body._csrf === 'string')
                token = body._csrf;
        }
    }
    return token && sameToken(token, s.csrf) ? undefined : refuse(token ? 'wrong token' : 'no token');
}
export function buildPanelApp(deps) {
    const app = new Hono();
    app.use(secureHeaders({
        contentSecurityPolicy: {
            defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'],
            frameAncestors: ["'none'"], formAction: ["'self'"], baseUri: ["'none'"],
        },
        strictTransportSecurity: 'max-age=31536000',
        referrerPolicy: 'no-referrer',
        xFrameOptions: 'DENY',
        crossOriginResourcePolicy: 'same-origin',
        crossOriginOpenerPolicy: 'same-origin',
        permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [], usb: [] },
    }));
    // Panel forms are small (a peer card is the largest): refuse big bodies before reading them.
    app.use(bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.text('request too large\n', 413) }));
    app.use(async (c, next) => {
        c.set('deps', deps);
        c.set('account', undefined);
        c.set('session', undefined);
        c.set('clientAddress', c.env?.incoming?.socket?.remoteAddress ?? 'unknown');
        const rule = accessFor(c.req.method, c.req.path);
        if (!rule)
            return page(c, 'Not found', _jsxs("p", { children: ["There is no such page. ", _jsx("a", { href: "/", children: "Go to the start page" }), "."] }), { status: 404 });
        if (rule.access !== 'public') {
            const cookie = sessionCookie(c);
            let s = deps.sessions.get(cookie);
            if (!s)
                s = deps.sessions.create(cookie);
            // A new session, or one kept from before the storage was locked: the browser gets its id.
            if (s.id !== cookie)
                setSessionCookie(c, s);
            c.set('session', s);
            // Signed-in pages are private: no caching by the browser or anything between.
            c.header('Cache-Control', 'no-store');
        }
        const refused = (await checkAccess(c, rule)) ?? (await checkCsrf(c));
        if (refused)
            return refused;
        await next();
    });
    registerRoutes(app);
    app.notFound((c) => page(c, 'Not found', _jsxs("p", { children: ["There is no such page. ", _jsx("a", { href: "/", children: "Go to the start page" }), "."] }), { status: 404 }));
    app.onError((err, c) => {
        // The message may name an address: log only what kind of error it was.
        log.error('panel.error', { path: c.req.path, error: err.name, code: err.code });
        return page(c, 'Something went wrong', _jsxs("p", { children: ["Postern could not do that. The log has the details; try again or go to the ", _jsx("a", { href: "/", children: "start page" }), "."] }), { status: 500 });
    });
    return app;
}
//# sourceMappingURL=app.js.map