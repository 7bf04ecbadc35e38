import { jsx as _jsx, jsxs as _jsxs, Fragment as _Fragment } from "hono/jsx/jsx-runtime";
import { log, redact } from '../../appliance/log.js';
import { accountOf, storeOf } from '../context.js';
import { done, formRaw, page, PostForm } from '../page.js';
import { ErrorNote, Field } from '../views/layout.js';
import { problemOf } from '../views/problem.js';
import { createAccountKey, exportPublicKey, exportSecretKey, importAccountKey, keyStatus, recoverAccountKey, setEncryptAtRest, ENCRYPT_AT_REST_NOTE, } from '../../services/pgp/account-keys.js';
import { decideKeyChange, listPeers, pendingKeyChanges } from '../../services/pgp/autocrypt.js';
import { PgpError } from '../../services/pgp/errors.js';
function grouped(fpr) {
    return fpr ? fpr.replace(/(.{4})/g, '$1 ').trim() : '-';
}
function day(ms) {
    return new Date(ms).toISOString().slice(0, 10);
}
function keyPage(c, error) {
    const store = storeOf(c);
    const account = accountOf(c);
    const s = keyStatus(store, account.id);
    const csrf = c.var.session?.csrf;
    if (!s) {
        return page(c, 'Your OpenPGP key', (_jsxs("section", { children: [_jsx(ErrorNote, { message: error }), _jsx("p", { children: "Your account has no OpenPGP key yet. Make one: Postern shows a recovery code once." }), _jsxs(PostForm, { action: "/openpgp/create", csrf: csrf, label: "Make a key", children: [_jsx(Field, { name: "password", label: "Your password", type: "password", required: true, autocomplete: "current-password" }), _jsx("button", { type: "submit", children: "Make my key" })] })] })), { status: error ? 400 : 200 });
    }
    const peers = listPeers(store, account.id);
    const changes = pendingKeyChanges(store, account.id);
    return page(c, 'Your OpenPGP key', (_jsxs(_Fragment, { children: [_jsx(ErrorNote, { message: error }), _jsxs("section", { "aria-labelledby": "key", children: [_jsx("h2", { id: "key", children: "Your key" }), _jsxs("p", { children: ["Fingerprint: ", _jsx("code", { id: "fingerprint", children: grouped(s.fingerprint) })] }), s.passwordCopy === 'needs-recovery'
                        ? _jsx("p", { class: "error", id: "needs-recovery", children: "Your password was reset: your key opens again with your recovery code (below)." })
                        : null, _jsx("p", { children: "People find it through Autocrypt headers on the mail you send and through the Web Key Directory." }), _jsx("p", { children: _jsx("a", { class: "button", href: "/openpgp/public.asc", download: true, children: "Download your public key" }) })] }), _jsxs("section", { "aria-labelledby": "at-rest", children: [_jsxs("h2", { id: "at-rest", children: ["Encryption at rest: ", s.encryptAtRest ? 'on' : 'off'] }), _jsx("p", { children: "When it is on, new mail is stored encrypted to your key, so a stolen disk reveals little. Your mail app needs your secret key to read it." }), _jsx("p", { id: "search-note", children: ENCRYPT_AT_REST_NOTE }), _jsxs(PostForm, { action: "/openpgp/at-rest", csrf: csrf, label: "Encryption at rest", children: [_jsx("input", { type: "hidden", name: "on", value: s.encryptAtRest ? 'off' : 'on' }), _jsx("button", { type: "submit", children: s.encryptAtRest ? 'Turn it off' : 'Turn it on' })] })] }), _jsxs("section", { "aria-labelledby": "export", children: [_jsx("h2", { id: "export", children: "Your secret key, for your mail app" }), _jsx("p", { children: "The file is protected with your password; your mail app asks for it when you import the key." }), _jsxs(PostForm, { action: "/openpgp/secret.asc", csrf: csrf, label: "Export the secret key", whole: true, children: [_jsx(Field, { name: "password", id: "f-password-export", label: "Your password", type: "password", required: true, autocomplete: "current-password" }), _jsx("button", { type: "submit", children: "Download your secret key" })] })] }), _jsxs("section", { "aria-labelledby": "recover", children: [_jsx("h2", { id: "recover", children: "Recover with the recovery code" }), _jsxs(PostForm, { action: "/openpgp/recover", csrf: csrf, label: "Recover the key", children: [_jsx(Field, { name: "code", label: "Recovery code", required: true, autocomplete: "off" }), _jsx(Field, { name: "password", id: "f-password-recover", label: "Your password", type: "password", required: true, autocomplete: "current-password" }), _jsx("button", { type: "submit", children: "Recover" })] })] }), _jsxs("section", { "aria-labelledby": "import", children: [_jsx("h2", { id: "import", children: "Use another key" }), _jsx("p", { children: "Paste a secret key in ASCII armor (it must carry your address). It replaces your key here; you get a new recovery code." }), _jsxs(PostForm, { action: "/openpgp/import", csrf: csrf, label: "Import a key", children: [_jsxs("p", { class: "field", children: [_jsx("label", { for: "f-armored", children: "Secret key" }), _jsx("textarea", { id: "f-armored", name: "armored", rows: 6, required: true })] }), _jsx(Field, { name: "password", id: "f-password-import", label: "Your password", type: "password", required: true, autocomplete: "current-password" }), _jsx(Field, { name: "passphrase", label: "The key's passphrase, if not your password", type: "password", autocomplete: "off" }), _jsx("button", { type: "submit", children: "Import" })] })] }), _jsxs("section", { "aria-labelledby": "peers", children: [_jsx("h2", { id: "peers", children: "Correspondents' keys (Autocrypt)" }), changes.length ? (_jsxs(_Fragment, { children: [_jsx("p", { class: "error", id: "key-changes", children: "A correspondent's key changed. Postern keeps the old one until you decide; if you did not expect this, ask them in another way." }), _jsx("ul", { children: changes.map((ch) => (_jsxs("li", { children: [_jsx("strong", { children: ch.addr }), ": ", _jsx("code", { children: grouped(ch.oldFingerprint) }), " became ", _jsx("code", { children: grouped(ch.newFingerprint) }), " (seen ", day(ch.firstSeen), ")", _jsx(PostForm, { action: `/openpgp/changes/${ch.id}/accept`, csrf: csrf, class: "inline", label: `Accept the new key of ${ch.addr}`, children: _jsx("button", { type: "submit", children: "Accept the new key" }) }), _jsx(PostForm, { action: `/openpgp/changes/${ch.id}/reject`, csrf: csrf, class: "inline", label: `Keep the old key of ${ch.addr}`, children: _jsx("button", { type: "submit", class: "secondary", children: "Keep the old key" }) })] }))) })] })) : null, peers.length ? (_jsxs("table", { children: [_jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: "Address" }), _jsx("th", { scope: "col", children: "Key" }), _jsx("th", { scope: "col", children: "Prefers encryption" }), _jsx("th", { scope: "col", children: "First seen" }), _jsx("th", { scope: "col", children: "Last seen" })] }) }), _jsx("tbody", { children: peers.map((p) => (_jsxs("tr", { children: [_jsx("td", { children: p.addr }), _jsx("td", { children: _jsx("code", { children: grouped(p.fingerprint) }) }), _jsx("td", { children: p.preferEncrypt === 'mutual' ? 'yes' : 'no' }), _jsx("td", { children: day(p.firstSeen) }), _jsx("td", { children: day(p.lastSeen) })] }))) })] })) : _jsx("p", { children: "No correspondent has sent an Autocrypt key yet." })] })] })), { status: error ? 400 : 200 });
}
/** Run a form action that takes the account password; wrong passwords count toward the throttle. */
async function withPassword(c, action) {
    const raw = await formRaw(c);
    const key = `ip:${c.var.clientAddress}`;
    if (c.var.deps.clientThrottle.retryAfter(key) > 0)
        return keyPage(c, 'Too many wrong passwords. Wait a few minutes and try again.');
    try {
        return await action(raw('password'), raw);
    }
    catch (e) {
        if (e instanceof PgpError && e.code === 'auth')
            c.var.deps.clientThrottle.fail(key);
        const problem = problemOf(e);
        if (problem)
            return keyPage(c, problem);
        throw e;
    }
}
function showRecoveryCode(c, code) {
    if (c.var.session)
        c.var.session.secret = { label: 'Your new recovery code', value: code };
}
export function openpgpRoutes(app) {
    app.get('/openpgp', (c) => keyPage(c));
    app.get('/openpgp/public.asc', async (c) => {
        const account = accountOf(c);
        if (!keyStatus(storeOf(c), account.id))
            return c.text('no key\n', 404);
        c.header('Content-Type', 'application/pgp-keys');
        c.header('Content-Disposition', `attachment; filename="${account.address.replace(/[^a-z0-9.@_-]/gi, '_')}.asc"`);
        return c.body(await exportPublicKey(storeOf(c), account.id));
    });
    app.post('/openpgp/secret.asc', (c) => withPassword(c, async (password) => {
        const account = accountOf(c);
        const armored = await exportSecretKey(storeOf(c), account.id, password);
        log.info('panel.pgp.secret-exported', { user: redact('user', account.address) });
        c.header('Content-Type', 'application/pgp-keys');
        c.header('Content-Disposition', `attachment; filename="${account.address.replace(/[^a-z0-9.@_-]/gi, '_')}-secret.asc"`);
        c.header('Cache-Control', 'no-store');
        return c.body(armored);
    }));
    app.post('/openpgp/create', (c) => withPassword(c, async (password) => {
        const { recoveryCode } = await createAccountKey(storeOf(c), accountOf(c).id, password);
        showRecoveryCode(c, recoveryCode);
        return done(c, '/openpgp', 'Your key is made.');
    }));
    app.post('/openpgp/recover', (c) => withPassword(c, async (password, raw) => {
        await recoverAccountKey(storeOf(c), accountOf(c).id, raw('code'), password);
        return done(c, '/openpgp', 'Your key opens with your password again.');
    }));
    app.post('/openpgp/import', (c) => withPassword(c, async (password, raw) => {
        const passphrase = raw('passphrase');
        const r = await importAccountKey(storeOf(c), accountOf(c).id, raw('armored'), password, passphrase || undefined);
        showRecoveryCode(c, r.recoveryCode);
        return done(c, '/openpgp', `Your key is now ${grouped(r.fingerprint)}.`);
    }));
    app.post('/openpgp/at-rest', async (c) => {
        const raw = await formRaw(c);
        const on = raw('on') === 'on';
        setEncryptAtRest(storeOf(c), accountOf(c).id, on);
        return done(c, '/openpgp', on ? 'New mail will be stored encrypted.' : 'New mail will be stored as it comes.');
    });
    for (const verb of ['accept', 'reject']) {
        app.post(`/openpgp/changes/:id/${verb}`, (c) => {
            const id = Number(c.req.param('id'));
            try {
                if (!Number.isInteger(id) || id <= 0)
                    throw new PgpError('not-found', 'there is no such key change');
                decideKeyChange(storeOf(c), accountOf(c).id, id, verb === 'accept');
            }
            catch (e) {
                const problem = problemOf(e);
                if (problem)
                    return keyPage(c, problem);
                throw e;
            }
            return done(c, '/openpgp', verb === 'accept' ? 'The new key is taken.' : 'The old key is kept.');
        });
    }
}
//# sourceMappingURL=openpgp.js.map