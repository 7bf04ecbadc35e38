import { jsx as _jsx, jsxs as _jsxs, Fragment as _Fragment } from "hono/jsx/jsx-runtime";
import { displayFingerprint } from '../../appliance/tls/authority.js';
import { accountOf } from '../context.js';
import { mailEndpoints } from '../device/endpoints.js';
import { mobileconfig } from '../device/mobileconfig.js';
import { page } from '../page.js';
import { torStatus } from '../seams.js';
const SECURITY = { tls: 'SSL/TLS', starttls: 'STARTTLS' };
export function devicesRoutes(app) {
    app.get('/devices', (c) => {
        const { config, tls, appliance } = c.var.deps;
        const account = accountOf(c);
        const ep = mailEndpoints(config, torStatus(appliance));
        return page(c, 'Set up your devices', (_jsxs(_Fragment, { children: [_jsxs("section", { "aria-labelledby": "step-ca", children: [_jsx("h2", { id: "step-ca", children: "1. Trust this box" }), _jsx("p", { children: "Your devices need this box's certificate once, so they know they are talking to it." }), _jsx("p", { children: _jsx("a", { class: "button", href: "/ca.crt", download: "postern-ca.crt", children: "Download the certificate" }) }), _jsx("p", { children: "When your device shows a fingerprint, it must be exactly:" }), _jsx("p", { children: _jsx("code", { id: "ca-fingerprint", children: displayFingerprint(tls.caFingerprint) }) })] }), _jsxs("section", { "aria-labelledby": "step-apple", children: [_jsx("h2", { id: "step-apple", children: "2a. iPhone, iPad or Mac" }), _jsx("p", { children: "Download your profile, then open Settings and install it. It contains the certificate and your mail account; it asks for your password." }), _jsx("p", { children: _jsx("a", { class: "button", href: "/devices/postern.mobileconfig", children: "Download my profile" }) })] }), _jsxs("section", { "aria-labelledby": "step-tb", children: [_jsx("h2", { id: "step-tb", children: "2b. Thunderbird" }), _jsxs("p", { children: ["Add a mail account with your address ", _jsx("strong", { children: account.address }), " and your password: Thunderbird finds the settings by itself."] })] }), _jsxs("section", { "aria-labelledby": "step-other", children: [_jsx("h2", { id: "step-other", children: "2c. Any other mail program" }), _jsxs("table", { children: [_jsx("caption", { class: "visually-hidden", children: "Mail settings" }), _jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: "Setting" }), _jsx("th", { scope: "col", children: "Value" })] }) }), _jsxs("tbody", { children: [_jsxs("tr", { children: [_jsx("th", { scope: "row", children: "User name" }), _jsx("td", { children: _jsx("code", { children: account.address }) })] }), _jsxs("tr", { children: [_jsx("th", { scope: "row", children: "Incoming mail (IMAP) server" }), _jsx("td", { children: _jsx("code", { children: ep.host }) })] }), ep.imap ? _jsxs("tr", { children: [_jsx("th", { scope: "row", children: "IMAP port and security" }), _jsxs("td", { children: [ep.imap.port, ", ", SECURITY[ep.imap.security]] })] }) : null, _jsxs("tr", { children: [_jsx("th", { scope: "row", children: "Outgoing mail (SMTP) server" }), _jsx("td", { children: _jsx("code", { children: ep.host }) })] }), ep.smtp ? _jsxs("tr", { children: [_jsx("th", { scope: "row", children: "SMTP port and security" }), _jsxs("td", { children: [ep.smtp.port, ", ", SECURITY[ep.smtp.security]] })] }) : null, _jsxs("tr", { children: [_jsx("th", { scope: "row", children: "Password" }), _jsx("td", { children: "Your Postern password (the same for both)" })] }), ep.onionImap ? _jsxs("tr", { children: [_jsx("th", { scope: "row", children: "IMAP over Tor" }), _jsx("td", { children: _jsx("code", { children: ep.onionImap }) })] }) : null, ep.onionSmtp ? _jsxs("tr", { children: [_jsx("th", { scope: "row", children: "SMTP over Tor" }), _jsx("td", { children: _jsx("code", { children: ep.onionSmtp }) })] }) : null, ep.onionPanel ? _jsxs("tr", { children: [_jsx("th", { scope: "row", children: "This panel over Tor" }), _jsx("td", { children: _jsx("code", { children: ep.onionPanel }) })] }) : null] })] })] })] })));
    });
    app.get('/devices/postern.mobileconfig', (c) => {
        const { config, tls, appliance } = c.var.deps;
        const account = accountOf(c);
        const body = mobileconfig({ address: account.address, hostname: config.hostname, caPem: tls.ca, ep: mailEndpoints(config, torStatus(appliance)) });
        c.header('Content-Type', 'application/x-apple-aspen-config');
        c.header('Content-Disposition', `attachment; filename="postern-${account.address.replace(/[^a-z0-9.@_-]/gi, '_')}.mobileconfig"`);
        return c.body(body);
    });
}
//# sourceMappingURL=devices.js.map