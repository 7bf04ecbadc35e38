import { jsx as _jsx, jsxs as _jsxs, Fragment as _Fragment } from "hono/jsx/jsx-runtime";
import { log, redact } from '../../appliance/log.js';
import { volumeStatus, VolumeError } from '../../appliance/volume.js';
import { done, formRaw, page, PostForm } from '../page.js';
import { ErrorNote, Field } from '../views/layout.js';
import { SetupCodeField, setupCodeProblem } from '../views/setup-code-field.js';
/** What the storage helper says about the volume, or why it cannot say. */
async function storageState(c) {
    try {
        return await volumeStatus(c.var.deps.config);
    }
    catch (e) {
        return e instanceof VolumeError ? e : new VolumeError(e.message);
    }
}
/** A sentence for a person from the helper's error code. */
export function unlockProblem(e) {
    if (!(e instanceof VolumeError))
        return 'That passphrase did not open the storage.';
    switch (e.code) {
        case 'bad-secret': return 'That passphrase did not open the storage.';
        case 'unavailable': return `The storage service of this box is not running, so nothing can be unlocked now (${e.message}).`;
        case 'absent': return 'The encrypted storage is not set up yet: create it below.';
        case 'exists': return 'The encrypted storage already exists: unlock it with its passphrase.';
        case 'invalid': return `${e.message}.`;
        default: return 'That passphrase did not open the storage.';
    }
}
async function unlockPage(c, error, status) {
    const csrf = c.var.session?.csrf;
    const state = await storageState(c);
    const isNew = !(state instanceof VolumeError) && !state.luks;
    return page(c, isNew ? 'Set up the encrypted storage' : 'Unlock the mail storage', (_jsxs(_Fragment, { children: [_jsx(ErrorNote, { message: error }), state instanceof VolumeError && !error ? _jsx("p", { class: "error", role: "alert", children: unlockProblem(state) }) : null, isNew ? null : (_jsxs("section", { children: [_jsx("p", { children: "The mail on this box is encrypted. After a restart, someone in the household unlocks it here; until then mail waits at the senders." }), _jsxs(PostForm, { whole: true, action: "/unlock", csrf: csrf, label: "Unlock", children: [_jsx(Field, { name: "passphrase", label: "Storage passphrase or recovery key", type: "password", required: true, autocomplete: "current-password" }), _jsx("button", { type: "submit", children: "Unlock" })] })] })), isNew ? (_jsxs("section", { children: [_jsx("p", { children: "This box is new. Choose the passphrase that will protect its storage; you also get a recovery key to keep on paper." }), _jsxs(PostForm, { whole: true, action: "/unlock/setup", csrf: csrf, label: "Create the encrypted storage", children: [_jsx(SetupCodeField, { id: "f-storage-code" }), _jsx(Field, { name: "passphrase", id: "f-new-passphrase", label: "New storage passphrase (at least 12 characters)", type: "password", required: true, autocomplete: "new-password" }), _jsx(Field, { name: "passphrase2", id: "f-new-passphrase2", label: "Passphrase again", type: "password", required: true, autocomplete: "new-password" }), _jsx("button", { type: "submit", children: "Create the encrypted storage" })] })] })) : null] })), { ...(status ? { status } : error ? { status: 400 } : {}), current: '/unlock' });
}
async function throttled(c) {
    const wait = c.var.deps.clientThrottle.retryAfter(`ip:${c.var.clientAddress}`);
    if (wait <= 0)
        return undefined;
    c.header('Retry-After', String(Math.ceil(wait / 1000)));
    return unlockPage(c, `Too many wrong passphrases. Wait ${Math.ceil(wait / 60_000)} minutes and try again.`, 429);
}
export function unlockRoutes(app) {
    app.get('/unlock', (c) => unlockPage(c));
    app.post('/unlock', async (c) => {
        const t = await throttled(c);
        if (t)
            return t;
        const raw = await formRaw(c);
        const passphrase = raw('passphrase');
        if (!passphrase)
            return unlockPage(c, 'Enter the passphrase.');
        try {
            await c.var.deps.appliance.unlock(passphrase);
        }
        catch (e) {
            if (!(e instanceof VolumeError) || e.code === 'bad-secret' || e.code === 'failed')
                c.var.deps.clientThrottle.fail(`ip:${c.var.clientAddress}`);
            log.warn('panel.unlock-failed', { ip: redact('ip', c.var.clientAddress), error: e.name, code: e.code });
            return unlockPage(c, unlockProblem(e));
        }
        c.var.deps.clientThrottle.succeed(`ip:${c.var.clientAddress}`);
        log.info('panel.unlocked', {});
        return done(c, '/', 'The storage is unlocked; mail is running.');
    });
    app.post('/unlock/setup', async (c) => {
        const t = await throttled(c);
        if (t)
            return t;
        const raw = await formRaw(c);
        const passphrase = raw('passphrase');
        if (c.var.deps.config.storage.mode !== 'luks')
            return unlockPage(c, 'This box stores mail in a plain folder: there is no encrypted storage to create.');
        const codeProblem = setupCodeProblem(c, raw('code'));
        if (codeProblem)
            return unlockPage(c, codeProblem);
        if (passphrase.length < 12)
            return unlockPage(c, 'The passphrase needs at least 12 characters.');
        if (passphrase !== raw('passphrase2'))
            return unlockPage(c, 'The two passphrases are not the same.');
        let recoveryKey;
        try {
            ({ recoveryKey } = await c.var.deps.appliance.setupStorage(passphrase));
        }
        catch (e) {
            log.warn('panel.storage-setup-failed', { error: e.name, code: e.code });
            return unlockPage(c, e instanceof VolumeError && e.code !== 'failed' ? unlockProblem(e) : `The encrypted storage could not be created: ${e.message}`, 500);
        }
        if (c.var.session)
            c.var.session.secret = { label: 'Storage recovery key', value: recoveryKey };
        return done(c, '/', 'The encrypted storage is ready.');
    });
}
//# sourceMappingURL=unlock.js.map