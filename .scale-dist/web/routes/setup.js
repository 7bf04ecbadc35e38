import { jsx as _jsx, jsxs as _jsxs, Fragment as _Fragment } from "hono/jsx/jsx-runtime";
import { isDomainName, systemDir } from '../../appliance/config.js';
import { log, redact } from '../../appliance/log.js';
import { StoreError } from '../../appliance/store/index.js';
import { setSessionCookie } from '../session-cookie.js';
import { storeOf } from '../context.js';
import { accountCreated, addHouseholdDomain } from '../seams.js';
import { done, formFields, formRaw, page, PostForm } from '../page.js';
import { ErrorNote, Field } from '../views/layout.js';
import { completeSetup } from '../setup-code.js';
import { SetupCodeField, setupCodeProblem } from '../views/setup-code-field.js';
function form(c, v, error) {
    return page(c, 'Welcome to Postern', (_jsxs(_Fragment, { children: [_jsx("p", { children: "Let's set up your household's mail box. This takes three short steps; you can change everything later." }), _jsxs("section", { children: [_jsx(ErrorNote, { message: error }), _jsxs(PostForm, { whole: true, action: "/setup", csrf: c.var.session?.csrf, label: "First setup", children: [_jsx("h2", { children: "1. The setup code and your household's mail domain" }), _jsx(SetupCodeField, {}), _jsx(Field, { name: "domain", label: "Mail domain", value: v.domain, required: true, hint: "The part after the @ in your family's addresses, for example smith.family. You need to own this domain." }), _jsx(Field, { name: "hostname", label: "Name of this box", value: v.hostname, required: true, hint: "The name devices use to reach this box, for example mail.smith.family." }), _jsx("h2", { children: "2. Your own account (the administrator)" }), _jsx(Field, { name: "name", label: "Your address name", value: v.name, required: true, hint: "The part before the @, for example anna.", autocomplete: "username" }), _jsx(Field, { name: "password", label: "Password (at least 12 characters)", type: "password", required: true, autocomplete: "new-password" }), _jsx(Field, { name: "password2", label: "Password again", type: "password", required: true, autocomplete: "new-password" }), _jsx("button", { type: "submit", children: "Create my account" })] })] })] })), { status: error ? 400 : 200, current: '/setup' });
}
// One setup at a time: two browsers submitting at once must not both become administrator.
let running = Promise.resolve();
export function setupRoutes(app) {
    app.get('/setup', (c) => {
        const { config } = c.var.deps;
        return form(c, { domain: config.domains[0] ?? '', hostname: config.hostname, name: '' });
    });
    app.post('/setup', async (c) => {
        const f = await formFields(c);
        const raw = await formRaw(c);
        const v = { domain: f('domain').toLowerCase(), hostname: f('hostname').toLowerCase(), name: f('name').toLowerCase() };
        const password = raw('password');
        const codeProblem = setupCodeProblem(c, f('code'));
        if (codeProblem)
            return form(c, v, codeProblem);
        if (!isDomainName(v.domain) || !v.domain.includes('.'))
            return form(c, v, `"${v.domain}" is not a domain name like smith.family.`);
        if (!isDomainName(v.hostname))
            return form(c, v, `"${v.hostname}" is not a host name like mail.smith.family.`);
        if (password.length < 12)
            return form(c, v, 'The password needs at least 12 characters.');
        if (password !== raw('password2'))
            return form(c, v, 'The two passwords are not the same.');
        const store = storeOf(c);
        const work = running.then(async () => {
            if (store.accounts.list().some((a) => a.role === 'admin'))
                return 'taken';
            await addHouseholdDomain(store, v.domain);
            const account = await store.accounts.create(`${v.name}@${v.domain}`, password, { role: 'admin' });
            store.settings.set('hostname', v.hostname);
            store.settings.set('panel.setupAt', String(Date.now()));
            completeSetup(systemDir(c.var.deps.config));
            const { recoveryCode } = await accountCreated(store, account, password);
            return { account, recoveryCode };
        });
        running = work.catch(() => undefined);
        let result;
        try {
            result = await work;
        }
        catch (e) {
            if (e instanceof StoreError)
                return form(c, v, e.message);
            throw e;
        }
        if (result === 'taken')
            return done(c, '/signin', 'This box is already set up. Sign in.');
        const { account, recoveryCode } = result;
        const s = c.var.deps.sessions.signIn(c.var.session, account.id, account.role, account.address);
        c.set('session', s);
        setSessionCookie(c, s);
        if (recoveryCode)
            s.secret = { label: 'Your recovery code', value: recoveryCode };
        log.info('panel.setup', { user: redact('user', account.address) });
        // The name and the domain chosen here take effect now: certificates that name them, and the
        // mail services greet as the new name (what the household saves wins over the config file).
        await c.var.deps.appliance.applySettings?.();
        return done(c, '/welcome/members', `Your account ${account.address} is ready. This box is now ${c.var.deps.config.hostname}.`);
    });
}
//# sourceMappingURL=setup.js.map