import { jsx as _jsx, jsxs as _jsxs } from "hono/jsx/jsx-runtime";
import { log, redact } from '../../appliance/log.js';
import { accountLockoutFor } from '../../appliance/auth-lockout.js';
import { setSessionCookie } from '../session-cookie.js';
import { storeOf } from '../context.js';
import { done, formFields, formRaw, page, PostForm } from '../page.js';
import { ErrorNote, Field } from '../views/layout.js';
/** Only paths on this panel, never another site ("//evil.example", "/\\evil.example"). */
export function safeNext(next) {
    return next && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : '/';
}
function form(c, opts) {
    const csrf = c.var.session?.csrf;
    return page(c, 'Sign in', (_jsxs("section", { children: [_jsx(ErrorNote, { message: opts.error }), _jsxs(PostForm, { whole: true, action: "/signin", csrf: csrf, label: "Sign in", children: [_jsx("input", { type: "hidden", name: "next", value: opts.next ?? '/' }), _jsx(Field, { name: "address", label: "Your mail address", type: "email", value: opts.address, required: true, autocomplete: "username" }), _jsx(Field, { name: "password", label: "Password", type: "password", required: true, autocomplete: "current-password" }), _jsx("button", { type: "submit", children: "Sign in" })] }), _jsx("p", { children: "Forgot your password? Ask the person who set up this box to reset it." })] })), { ...(opts.status ? { status: opts.status } : {}), current: '/signin' });
}
function minutes(ms) {
    const m = Math.ceil(ms / 60_000);
    return m === 1 ? '1 minute' : `${m} minutes`;
}
export function signinRoutes(app) {
    app.get('/signin', (c) => {
        const s = c.var.session;
        const store = c.var.deps.appliance.store;
        // Already signed in (and the account still exists): nothing to do here.
        if (s?.accountId !== undefined && store?.accounts.byId(s.accountId)?.address === s.address)
            return c.redirect(safeNext(c.req.query('next')), 303);
        return form(c, { next: safeNext(c.req.query('next')) });
    });
    app.post('/signin', async (c) => {
        const { deps, clientAddress } = c.var;
        const f = await formFields(c);
        const raw = await formRaw(c);
        const address = f('address').toLowerCase();
        const password = raw('password');
        const next = safeNext(f('next'));
        const clientKey = `ip:${clientAddress}`;
        if (!address || !password)
            return form(c, { error: 'Enter your mail address and your password.', address, next, status: 400 });
        const store = storeOf(c);
        const throttled = (wait) => {
            log.warn('panel.signin-throttled', { ip: redact('ip', clientAddress), user: redact('user', address) });
            c.header('Retry-After', String(Math.ceil(wait / 1000)));
            return form(c, { error: `Too many wrong passwords. Wait ${minutes(wait)} and try again.`, address, next, status: 429 });
        };
        const client = deps.clientThrottle.begin(clientKey);
        if (typeof client === 'number')
            return throttled(client);
        const verdict = accountLockoutFor(store).begin(address, clientKey);
        if (verdict.refused) {
            client.abandoned();
            return throttled(verdict.retryAfterMs);
        }
        const attempt = verdict.attempt;
        let account;
        try {
            if (attempt.delayMs)
                await new Promise((r) => setTimeout(r, attempt.delayMs));
            account = await store.accounts.authenticate(address, password);
        }
        catch (e) {
            client.abandoned();
            attempt.abandoned();
            throw e;
        }
        if (!account) {
            client.failed();
            attempt.failed();
            log.warn('panel.signin-failed', { ip: redact('ip', clientAddress), user: redact('user', address) });
            return form(c, { error: 'That mail address and password do not match.', address, next, status: 400 });
        }
        client.succeeded();
        attempt.succeeded();
        const s = deps.sessions.signIn(c.var.session, account.id, account.role, account.address);
        c.set('session', s);
        setSessionCookie(c, s);
        log.info('panel.signin', { user: redact('user', account.address), role: account.role });
        return done(c, next === '/' || next === '/signin' ? '/' : next);
    });
    app.post('/signout', (c) => {
        const { deps } = c.var;
        const old = c.var.session;
        if (old)
            deps.sessions.end(old);
        const s = deps.sessions.create();
        c.set('session', s);
        setSessionCookie(c, s);
        return done(c, '/signin', 'You are signed out.');
    });
}
//# sourceMappingURL=signin.js.map