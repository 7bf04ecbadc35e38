import { jsx as _jsx, Fragment as _Fragment, jsxs as _jsxs } from "hono/jsx/jsx-runtime";
import { assetUrl } from '../static.js';
const HTMX_CONFIG = JSON.stringify({
    allowEval: false,
    includeIndicatorStyles: false,
    allowScriptTags: false,
    historyCacheSize: 0,
    selfRequestsOnly: true,
    // Copying a style attribute across a swap would be an inline style, which the CSP refuses.
    attributesToSettle: ['class', 'width', 'height'],
    // Error pages (a refused form, a wrong password) replace the main region like any page does.
    responseHandling: [{ code: '204', swap: false }, { code: '[2345]..', swap: true, error: false }],
});
function Nav(props) {
    const { viewer, current } = props;
    const link = (href, label) => (_jsx("li", { children: _jsx("a", { href: href, "aria-current": current === href ? 'page' : undefined, children: label }) }));
    if (!viewer.address)
        return current === '/setup' || current === '/unlock' ? null : _jsx("nav", { "aria-label": "Main", children: _jsx("ul", { children: link('/signin', 'Sign in') }) });
    return (_jsx("nav", { "aria-label": "Main", children: _jsxs("ul", { children: [viewer.role === 'admin' ? (_jsxs(_Fragment, { children: [link('/dashboard', 'Overview'), link('/accounts', 'Accounts'), link('/aliases', 'Aliases'), link('/domains', 'Domains'), link('/queue', 'Outgoing mail'), link('/peers', 'Onion peers'), link('/onion-access', 'Panel over Tor'), link('/updates', 'Updates'), link('/logs', 'Log')] })) : null, link('/devices', 'Set up devices'), link('/openpgp', 'Encryption key'), link('/openpgp', 'OpenPGP key'), link('/junk', 'Junk mail'), link('/password', 'Change password'), _jsx("li", { children: _jsxs("form", { method: "post", action: "/signout", class: "inline", children: [_jsx("input", { type: "hidden", name: "_csrf", value: viewer.csrf ?? '' }), _jsxs("button", { type: "submit", class: "link", children: ["Sign out (", viewer.address, ")"] })] }) })] }) }));
}
export function Layout(props) {
    const { title, viewer } = props;
    return (_jsxs("html", { lang: "en", children: [_jsxs("head", { children: [_jsx("meta", { charset: "utf-8" }), _jsx("meta", { name: "viewport", content: "width=device-width, initial-scale=1" }), _jsx("meta", { name: "htmx-config", content: HTMX_CONFIG }), viewer.csrf ? _jsx("meta", { name: "csrf-token", content: viewer.csrf }) : null, _jsx("link", { rel: "icon", href: "data:," }), _jsxs("title", { children: [title, " \u00B7 Postern"] }), _jsx("link", { rel: "stylesheet", href: assetUrl('panel.css') }), _jsx("script", { src: assetUrl('htmx.min.js'), defer: true }), _jsx("script", { src: assetUrl('panel.js'), defer: true })] }), _jsxs("body", { children: [_jsx("a", { class: "skip", href: "#main", children: "Skip to the page content" }), _jsxs("header", { children: [_jsx("p", { class: "brand", children: _jsx("a", { href: "/", children: "Postern" }) }), _jsx(Nav, { viewer: viewer, current: props.current ?? '' })] }), _jsxs("main", { id: "main", children: [_jsx("h1", { children: title }), viewer.flash ? _jsx("p", { class: "notice", role: "status", children: viewer.flash }) : null, viewer.secret ? (_jsxs("section", { class: "card", "aria-labelledby": "secret-label", children: [_jsx("h2", { id: "secret-label", children: viewer.secret.label }), _jsx("p", { children: "Write this down now and keep it somewhere safe. Postern shows it only this once." }), _jsx("p", { class: "secret", id: "secret-value", children: viewer.secret.value }), _jsx("button", { type: "button", class: "secondary", "data-copy": "secret-value", children: "Copy" })] })) : null, props.children] })] })] }));
}
/** The hidden CSRF field every form carries. */
export function Csrf(props) {
    return _jsx("input", { type: "hidden", name: "_csrf", value: props.token ?? '' });
}
/** A labelled input. */
export function Field(props) {
    const id = props.id ?? `f-${props.name}`;
    return (_jsxs("p", { class: "field", children: [_jsx("label", { for: id, children: props.label }), _jsx("input", { id: id, name: props.name, type: props.type ?? 'text', value: props.value, required: props.required, autocomplete: props.autocomplete, min: props.min, "aria-describedby": props.hint ? `${id}-hint` : undefined }), props.hint ? _jsx("small", { id: `${id}-hint`, children: props.hint }) : null] }));
}
/** A problem with what was submitted, read out by screen readers. */
export function ErrorNote(props) {
    return props.message ? _jsx("p", { class: "error", role: "alert", children: props.message }) : null;
}
//# sourceMappingURL=layout.js.map