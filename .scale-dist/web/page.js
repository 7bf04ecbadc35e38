import { jsx as _jsx, jsxs as _jsxs } from "hono/jsx/jsx-runtime";
import { Layout } from './views/layout.js';
export function viewerOf(c) {
    const s = c.var.session;
    const a = c.var.account;
    const v = {};
    if (s) {
        v.csrf = s.csrf;
        if (s.flash) {
            v.flash = s.flash;
            delete s.flash;
        }
        if (s.secret) {
            v.secret = s.secret;
            delete s.secret;
        }
    }
    if (a) {
        v.address = a.address;
        v.role = a.role;
    }
    return v;
}
export function page(c, title, body, opts = {}) {
    // htmx swaps the main region: the address bar shows the page that was finally rendered (a GET
    // after a form's redirect), never a POST-only address.
    if (c.req.header('hx-request') && c.req.header('hx-target') === 'main') {
        c.header('HX-Push-Url', c.req.method === 'GET' ? c.req.url.slice(new URL(c.req.url).origin.length) : 'false');
    }
    const html = '<!DOCTYPE html>' + String(_jsx(Layout, { title: title, viewer: viewerOf(c), current: opts.current ?? c.req.path, children: body }));
    return c.html(html, opts.status ?? 200);
}
/** After a successful POST: remember a notice for the next page and send the browser there (303:
 *  the next request is a GET, so reloading does not post again; htmx follows it too). */
export function done(c, to, notice) {
    if (notice && c.var.session)
        c.var.session.flash = notice;
    return c.redirect(to, 303);
}
/** A form that posts normally without JavaScript; with htmx it replaces only the main region.
 *  `whole`: a form that changes who is signed in (sign-in, setup, unlock) reloads the whole page. */
export function PostForm(props) {
    const hx = props.whole ? {} : { 'hx-post': props.action, 'hx-target': '#main', 'hx-select': '#main', 'hx-swap': 'outerHTML' };
    return (_jsxs("form", { method: "post", action: props.action, class: props.class, "aria-label": props.label, ...hx, children: [_jsx("input", { type: "hidden", name: "_csrf", value: props.csrf ?? '' }), props.children] }));
}
/** A row's "Remove" button: a PostForm whose hidden fields name the row. */
export function RemoveForm(props) {
    return (_jsxs(PostForm, { action: props.action, csrf: props.csrf, label: props.label, children: [Object.entries(props.fields).map(([name, value]) => _jsx("input", { type: "hidden", name: name, value: value })), _jsx("button", { type: "submit", class: "danger", children: "Remove" })] }));
}
/** The value of a form field as a trimmed string ('' when missing or a file). */
export async function formFields(c) {
    const body = await c.req.parseBody();
    return (name) => {
        const v = body[name];
        return typeof v === 'string' ? v.trim() : '';
    };
}
/** The raw value (passwords are not trimmed). */
export async function formRaw(c) {
    const body = await c.req.parseBody();
    return (name) => {
        const v = body[name];
        return typeof v === 'string' ? v : '';
    };
}
//# sourceMappingURL=page.js.map