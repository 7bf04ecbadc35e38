import { jsx as _jsx, jsxs as _jsxs, Fragment as _Fragment } from "hono/jsx/jsx-runtime";
import { log } from '../../appliance/log.js';
import { ClientAuthError, createClientAuth, listClientAuth, removeClientAuth } from '../../services/tor/client-auth.js';
import { done, formFields, page, PostForm, RemoveForm } from '../page.js';
import { ErrorNote, Field } from '../views/layout.js';
import { svgDataUrl } from '../views/format.js';
function accessPage(c, opts = {}) {
    const { config } = c.var.deps;
    const csrf = c.var.session?.csrf;
    let clients = [];
    let problem;
    try {
        clients = listClientAuth(config);
    }
    catch (e) {
        problem = e.message;
    }
    const g = opts.grant;
    return page(c, 'Panel over Tor', (_jsxs(_Fragment, { children: [_jsx(ErrorNote, { message: opts.error ?? problem }), g ? (_jsxs("section", { class: "card", "aria-labelledby": "h-grant", children: [_jsxs("h2", { id: "h-grant", children: ["Key for ", g.name] }), _jsxs("p", { children: ["Postern shows this key only now. In Tor Browser, open ", _jsx("code", { children: g.onion }), " and paste the key when asked; or save the line below as a file ending in ", _jsx("code", { children: ".auth_private" }), " in Tor's client authorization folder."] }), _jsx("p", { class: "secret", id: "grant-line", children: g.authPrivate }), _jsx("button", { type: "button", class: "secondary", "data-copy": "grant-line", children: "Copy" }), _jsxs("p", { children: ["Key for Tor Browser's prompt: ", _jsx("code", { id: "grant-key", children: g.authPrivate.split(':').pop() })] }), _jsx("p", { children: _jsx("img", { class: "qr", src: svgDataUrl(g.qrSvg), alt: `QR code of the key for ${g.name}`, width: 200, height: 200 }) })] })) : null, _jsxs("section", { "aria-labelledby": "h-devices", children: [_jsx("h2", { id: "h-devices", children: "Devices allowed" }), clients.length === 0 ? _jsx("p", { children: "No device is listed: anyone who knows the panel's onion address reaches the sign-in page. Add a device to restrict it." }) : (_jsxs("table", { children: [_jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: "Device" }), _jsx("th", { scope: "col", children: "Added" }), _jsx("th", { scope: "col", children: "Action" })] }) }), _jsx("tbody", { children: clients.map((d) => (_jsxs("tr", { children: [_jsx("td", { children: d.name }), _jsx("td", { children: d.created.slice(0, 10) }), _jsx("td", { class: "actions", children: _jsx(RemoveForm, { action: "/onion-access/remove", csrf: csrf, label: `Remove ${d.name}`, fields: { name: d.name } }) })] }))) })] }))] }), _jsxs("section", { "aria-labelledby": "h-add-device", children: [_jsx("h2", { id: "h-add-device", children: "Allow a device" }), _jsxs(PostForm, { action: "/onion-access", csrf: csrf, label: "Allow a device", children: [_jsx(Field, { name: "name", label: "Device name", required: true, hint: "Letters, digits, spaces, dots and dashes; for example Anna laptop." }), _jsx("button", { type: "submit", children: "Make a key" })] })] })] })), { status: opts.error ? 400 : 200 });
}
export function onionAccessRoutes(app) {
    app.get('/onion-access', (c) => accessPage(c));
    app.post('/onion-access', async (c) => {
        const f = await formFields(c);
        const tor = c.var.deps.appliance.service('tor');
        let grant;
        try {
            grant = await createClientAuth(c.var.deps.config, f('name'), tor);
        }
        catch (e) {
            if (e instanceof ClientAuthError)
                return accessPage(c, { error: `That device cannot be added: ${e.message}.` });
            throw e;
        }
        log.info('panel.onion-client-added', {});
        // The private key is in this one response only (Cache-Control: no-store on every signed-in page).
        return accessPage(c, { grant });
    });
    app.post('/onion-access/remove', async (c) => {
        const f = await formFields(c);
        const ok = await removeClientAuth(c.var.deps.config, f('name'), c.var.deps.appliance.service('tor'));
        return ok ? done(c, '/onion-access', `${f('name')} may no longer open the panel over Tor.`) : accessPage(c, { error: 'There is no such device.' });
    });
}
//# sourceMappingURL=onion-access.js.map