import { jsx as _jsx, jsxs as _jsxs } from "hono/jsx/jsx-runtime";
import { log, redact } from '../../appliance/log.js';
import { StoreError } from '../../appliance/store/index.js';
import { accountOf, storeOf } from '../context.js';
import { passwordChanged } from '../seams.js';
import { done, formRaw, page, PostForm } from '../page.js';
import { ErrorNote, Field } from '../views/layout.js';
function passwordForm(c, error) {
    return page(c, 'Change your password', (_jsxs("section", { children: [_jsx(ErrorNote, { message: error }), _jsxs(PostForm, { action: "/password", csrf: c.var.session?.csrf, label: "Change password", children: [_jsx("input", { type: "text", name: "username", value: accountOf(c).address, autocomplete: "username", class: "visually-hidden", tabindex: -1, "aria-hidden": "true", readonly: true }), _jsx(Field, { name: "current", label: "Your current password", type: "password", required: true, autocomplete: "current-password" }), _jsx(Field, { name: "password", label: "New password (at least 12 characters)", type: "password", required: true, autocomplete: "new-password" }), _jsx(Field, { name: "password2", label: "New password again", type: "password", required: true, autocomplete: "new-password" }), _jsx("button", { type: "submit", children: "Change password" })] }), _jsx("p", { children: "Your phone and computer will ask for the new password the next time they fetch mail." })] })), { status: error ? 400 : 200 });
}
export function homeRoutes(app) {
    app.get('/', (c) => c.redirect(accountOf(c).role === 'admin' ? '/dashboard' : '/devices', 303));
    app.get('/password', (c) => passwordForm(c));
    app.post('/password', async (c) => {
        const raw = await formRaw(c);
        const account = accountOf(c);
        const store = storeOf(c);
        const current = raw('current');
        const next = raw('password');
        if (next.length < 12)
            return passwordForm(c, 'The new password needs at least 12 characters.');
        if (next !== raw('password2'))
            return passwordForm(c, 'The two new passwords are not the same.');
        const key = `ip:${c.var.clientAddress}`;
        if (c.var.deps.clientThrottle.retryAfter(key) > 0)
            return passwordForm(c, 'Too many wrong passwords. Wait a few minutes and try again.');
        if (!(await store.accounts.authenticate(account.address, current))) {
            c.var.deps.clientThrottle.fail(key);
            return passwordForm(c, 'Your current password is not right.');
        }
        try {
            await store.accounts.setPassword(account.address, next);
        }
        catch (e) {
            if (e instanceof StoreError)
                return passwordForm(c, e.message);
            throw e;
        }
        await passwordChanged(store, account.id, next, current);
        // Other browsers signed in as this account are signed out.
        c.var.deps.sessions.endAccount(account.id, c.var.session);
        log.info('panel.password-changed', { user: redact('user', account.address) });
        return done(c, '/password', 'Your password is changed.');
    });
}
//# sourceMappingURL=home.js.map