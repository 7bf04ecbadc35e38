import { jsx as _jsx, jsxs as _jsxs, Fragment as _Fragment } from "hono/jsx/jsx-runtime";
import { log, redact } from '../../appliance/log.js';
import { StoreError } from '../../appliance/store/index.js';
import { accountOf, storeOf } from '../context.js';
import { accountCreated, passwordChanged } from '../seams.js';
import { done, formFields, formRaw, page, PostForm } from '../page.js';
import { AddAccountForm } from '../views/account-form.js';
import { ErrorNote } from '../views/layout.js';
import { formatBytes } from '../views/format.js';
import { membersPage } from '../views/members-page.js';
/** Where to go back to after adding an account (the accounts page, or the first-run step). */
function backTo(next) {
    return next === '/welcome/members' ? next : '/accounts';
}
function accountsPage(c, error) {
    const store = storeOf(c);
    const me = accountOf(c);
    const csrf = c.var.session?.csrf;
    const accounts = store.accounts.list();
    return page(c, 'Accounts', (_jsxs(_Fragment, { children: [_jsx(ErrorNote, { message: error }), _jsxs("section", { "aria-labelledby": "h-list", children: [_jsx("h2", { id: "h-list", children: "Accounts on this box" }), _jsxs("table", { children: [_jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: "Address" }), _jsx("th", { scope: "col", children: "Role" }), _jsx("th", { scope: "col", children: "Mail stored" }), _jsx("th", { scope: "col", children: "Actions" })] }) }), _jsx("tbody", { children: accounts.map((a) => (_jsxs("tr", { children: [_jsx("td", { children: a.address }), _jsx("td", { children: a.role === 'admin' ? 'Administrator' : 'Member' }), _jsxs("td", { children: [formatBytes(a.usedBytes), a.quotaBytes ? ` of ${formatBytes(a.quotaBytes)}` : ''] }), _jsxs("td", { class: "actions", children: [_jsxs(PostForm, { action: `/accounts/${a.id}/password`, csrf: csrf, label: `New password for ${a.address}`, children: [_jsx("label", { for: `pw-${a.id}`, children: "New password" }), _jsx("input", { id: `pw-${a.id}`, name: "password", type: "password", required: true, autocomplete: "new-password" }), _jsx("button", { type: "submit", class: "secondary", children: "Reset password" })] }), _jsxs(PostForm, { action: `/accounts/${a.id}/quota`, csrf: csrf, label: `Quota for ${a.address}`, children: [_jsx("label", { for: `q-${a.id}`, children: "Quota in MB (0: none)" }), _jsx("input", { id: `q-${a.id}`, name: "quotaMb", type: "number", min: "0", value: String(Math.round(a.quotaBytes / 1048576)) }), _jsx("button", { type: "submit", class: "secondary", children: "Set quota" })] }), a.id === me.id ? null : (_jsxs(PostForm, { action: `/accounts/${a.id}/remove`, csrf: csrf, label: `Remove ${a.address}`, children: [_jsxs("label", { children: [_jsx("input", { type: "checkbox", name: "confirm", value: "yes", required: true }), " Delete ", a.address, " and all its mail"] }), _jsx("button", { type: "submit", class: "danger", children: "Remove" })] }))] })] }))) })] })] }), _jsxs("section", { "aria-labelledby": "h-add", children: [_jsx("h2", { id: "h-add", children: "Add an account" }), _jsx(AddAccountForm, { c: c, next: "/accounts" })] })] })), { status: error ? 400 : 200 });
}
function target(c) {
    const id = Number(c.req.param('id'));
    return Number.isSafeInteger(id) ? storeOf(c).accounts.byId(id) : undefined;
}
export function accountsRoutes(app) {
    app.get('/accounts', (c) => accountsPage(c));
    app.post('/accounts', async (c) => {
        const f = await formFields(c);
        const raw = await formRaw(c);
        const store = storeOf(c);
        const next = backTo(f('next'));
        const role = f('role') === 'admin' ? 'admin' : 'member';
        const password = raw('password');
        const fail = (m) => (next === '/accounts' ? accountsPage(c, m) : membersPage(c, m));
        if (password.length < 12)
            return fail('The first password needs at least 12 characters.');
        const address = `${f('local').toLowerCase()}@${f('domain').toLowerCase()}`;
        let account;
        try {
            account = await store.accounts.create(address, password, { role });
        }
        catch (e) {
            if (e instanceof StoreError)
                return fail(e.message);
            throw e;
        }
        const { recoveryCode } = await accountCreated(store, account, password);
        if (recoveryCode && c.var.session)
            c.var.session.secret = { label: `Recovery code for ${account.address}`, value: recoveryCode };
        log.info('panel.account-added', { user: redact('user', account.address), role });
        return done(c, next, `The account ${account.address} is ready.`);
    });
    app.post('/accounts/:id/remove', async (c) => {
        const f = await formFields(c);
        const a = target(c);
        const store = storeOf(c);
        if (!a)
            return accountsPage(c, 'There is no such account.');
        if (a.id === accountOf(c).id)
            return accountsPage(c, 'You cannot remove your own account.');
        if (f('confirm') !== 'yes')
            return accountsPage(c, `Tick the box to confirm that ${a.address} and its mail should be deleted.`);
        if (a.role === 'admin' && store.accounts.list().filter((x) => x.role === 'admin').length <= 1)
            return accountsPage(c, 'The box needs at least one administrator.');
        store.accounts.remove(a.address);
        store.reclaim();
        c.var.deps.sessions.endAccount(a.id);
        log.info('panel.account-removed', { user: redact('user', a.address) });
        return done(c, '/accounts', `The account ${a.address} is removed.`);
    });
    app.post('/accounts/:id/password', async (c) => {
        const raw = await formRaw(c);
        const a = target(c);
        const store = storeOf(c);
        if (!a)
            return accountsPage(c, 'There is no such account.');
        const password = raw('password');
        if (password.length < 12)
            return accountsPage(c, 'The new password needs at least 12 characters.');
        await store.accounts.setPassword(a.address, password);
        await passwordChanged(store, a.id, password);
        c.var.deps.sessions.endAccount(a.id, c.var.session);
        log.info('panel.password-reset', { user: redact('user', a.address) });
        return done(c, '/accounts', `The password of ${a.address} is reset.`);
    });
    app.post('/accounts/:id/quota', async (c) => {
        const f = await formFields(c);
        const a = target(c);
        if (!a)
            return accountsPage(c, 'There is no such account.');
        const mb = Number(f('quotaMb'));
        if (!Number.isInteger(mb) || mb < 0 || mb > 16 * 1024 * 1024)
            return accountsPage(c, 'The quota must be a whole number of MB (0 for no limit).');
        storeOf(c).accounts.setQuota(a.address, mb * 1048576);
        return done(c, '/accounts', mb ? `${a.address} may now keep ${mb} MB of mail.` : `${a.address} has no quota now.`);
    });
}
//# sourceMappingURL=accounts.js.map