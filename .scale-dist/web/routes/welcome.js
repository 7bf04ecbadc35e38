import { jsx as _jsx, jsxs as _jsxs, Fragment as _Fragment } from "hono/jsx/jsx-runtime";
import { displayFingerprint } from '../../appliance/tls/authority.js';
import { storeOf } from '../context.js';
import { page } from '../page.js';
import { DnsRecords } from '../views/dns-records.js';
import { membersPage, Steps } from '../views/members-page.js';
export function welcomeRoutes(app) {
    app.get('/welcome/members', (c) => membersPage(c));
    app.get('/welcome/dns', (c) => {
        const domains = storeOf(c).domains.list();
        return page(c, 'Publish your DNS records', (_jsxs(_Fragment, { children: [_jsx(Steps, { at: 2 }), _jsx("p", { children: "So that other mail servers find this box and trust its mail, add these records where you bought your domain. You can come back to them any time under Domains." }), domains.map((d) => _jsxs("section", { children: [_jsx("h2", { children: d }), _jsx(DnsRecords, { c: c, domain: d })] })), _jsx("p", { children: _jsx("a", { class: "button", href: "/welcome/devices", children: "Next: devices" }) })] })));
    });
    app.get('/welcome/devices', (c) => {
        const { tls } = c.var.deps;
        return page(c, 'Connect your devices', (_jsxs(_Fragment, { children: [_jsx(Steps, { at: 3 }), _jsxs("section", { children: [_jsx("p", { children: "Every device that reads mail from this box needs its certificate once." }), _jsx("p", { children: _jsx("a", { class: "button", href: "/ca.crt", download: "postern-ca.crt", children: "Download the certificate" }) }), _jsxs("p", { children: ["Fingerprint (SHA-256): ", _jsx("code", { children: displayFingerprint(tls.caFingerprint) })] }), _jsx("p", { children: "Each person finds step-by-step help for their phone and computer under \"Set up devices\" after signing in." })] }), _jsxs("p", { children: [_jsx("a", { class: "button", href: "/devices", children: "Set up my devices" }), " ", _jsx("a", { class: "button", href: "/dashboard", children: "Finish: go to the overview" })] })] })));
    });
}
//# sourceMappingURL=welcome.js.map