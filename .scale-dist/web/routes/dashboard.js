import { jsx as _jsx, jsxs as _jsxs, Fragment as _Fragment } from "hono/jsx/jsx-runtime";
import QRCode from 'qrcode';
import { displayFingerprint } from '../../appliance/tls/authority.js';
import { storeOf } from '../context.js';
import { page, PostForm } from '../page.js';
import { backupTargets, torStatus } from '../seams.js';
import { formatBytes } from '../views/format.js';
const LISTENER_LABELS = {
    mx: 'Receiving mail from the Internet (SMTP)',
    submission: 'Sending from devices (SMTP, STARTTLS)',
    submissions: 'Sending from devices (SMTP over TLS)',
    imap: 'Reading mail (IMAP, STARTTLS)',
    imaps: 'Reading mail (IMAP over TLS)',
    panel: 'This panel (HTTPS)',
    mxOnion: 'Receiving mail over Tor',
};
export function dashboardRoutes(app) {
    app.get('/dashboard', async (c) => {
        const { appliance, tls, config } = c.var.deps;
        const store = storeOf(c);
        const usage = store.usage();
        const queued = store.queue.count();
        const tor = torStatus(appliance);
        const qrs = await Promise.all((tor?.onions ?? []).map(async (o) => ({
            ...o,
            qr: await QRCode.toDataURL(o.address, { errorCorrectionLevel: 'M', margin: 1, scale: 4 }),
        })));
        const backups = backupTargets(store);
        const wantedName = store.settings.get('hostname');
        const days = Math.floor((tls.notAfter.getTime() - Date.now()) / 86400_000);
        return page(c, 'Overview', (_jsxs("div", { class: "grid-page", children: [_jsxs("p", { id: "box-name", children: ["This box's name: ", _jsx("strong", { children: config.hostname }), wantedName === config.hostname ? ' (chosen at setup)' : ' (from its configuration file)'] }), _jsxs("section", { "aria-labelledby": "h-listeners", children: [_jsx("h2", { id: "h-listeners", children: "Services" }), _jsxs("table", { children: [_jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: "Service" }), _jsx("th", { scope: "col", children: "Address" }), _jsx("th", { scope: "col", children: "State" })] }) }), _jsx("tbody", { children: appliance.listeners().map((l) => (_jsxs("tr", { children: [_jsx("td", { children: LISTENER_LABELS[l.name] ?? l.name }), _jsx("td", { children: _jsxs("code", { children: [l.endpoint.host, ":", l.endpoint.port] }) }), _jsx("td", { class: l.up ? 'up' : 'down', children: l.up ? 'up' : 'down' })] }))) })] })] }), _jsxs("div", { class: "grid", children: [_jsxs("section", { "aria-labelledby": "h-storage", children: [_jsx("h2", { id: "h-storage", children: "Storage" }), _jsxs("p", { children: [formatBytes(usage.bytes), " in ", usage.messages, " messages (", formatBytes(usage.blobBytes), " on disk)."] }), config.storage.mode === 'luks' ? (_jsxs(PostForm, { whole: true, action: "/lock", csrf: c.var.session?.csrf, label: "Lock the storage", children: [_jsx("p", { children: "The storage is encrypted and unlocked. Locking it stops mail until someone unlocks it again." }), _jsx("button", { type: "submit", class: "danger", children: "Lock the storage now" })] })) : null] }), _jsxs("section", { "aria-labelledby": "h-queue", children: [_jsx("h2", { id: "h-queue", children: "Outgoing mail" }), _jsx("p", { children: queued === 0 ? 'Nothing is waiting.' : _jsxs(_Fragment, { children: [_jsxs("a", { href: "/queue", children: [queued, " ", queued === 1 ? 'message is' : 'messages are', " waiting"] }), " to be delivered."] }) })] }), _jsxs("section", { "aria-labelledby": "h-backup", id: "backup-status", children: [_jsx("h2", { id: "h-backup", children: "Backups" }), backups.length === 0 ? (_jsxs("p", { class: "down", children: ["No backup is set up: a dead SD card or a stolen box would lose all mail and keys. Add one with ", _jsx("code", { children: "postern backup target add" }), "."] })) : (_jsx("ul", { children: backups.map((b) => (_jsxs("li", { class: b.state === 'ok' ? 'up' : 'down', children: [_jsx("strong", { children: b.name }), " (", b.state === 'ok' ? 'good' : b.state === 'never' ? 'not run yet' : b.state, "): ", b.text] }))) }))] }), _jsxs("section", { "aria-labelledby": "h-cert", children: [_jsx("h2", { id: "h-cert", children: "Certificate" }), _jsxs("p", { children: ["Valid until ", tls.notAfter.toISOString().slice(0, 10), " (", days, " days; renewed a month before)."] }), _jsx("p", { children: "Certificate authority fingerprint (SHA-256):" }), _jsx("p", { children: _jsx("code", { children: displayFingerprint(tls.caFingerprint) }) }), _jsxs("p", { children: ["Server certificate (SHA-256): ", _jsx("code", { children: displayFingerprint(tls.serverFingerprints[0] ?? '') })] })] })] }), _jsxs("section", { "aria-labelledby": "h-tor", id: "tor-status", "aria-live": "polite", ...(tor && tor.bootstrap < 100 ? { 'hx-get': '/dashboard', 'hx-trigger': 'every 10s', 'hx-select': '#tor-status', 'hx-swap': 'outerHTML' } : {}), children: [_jsx("h2", { id: "h-tor", children: "Tor" }), !tor ? _jsx("p", { children: "Tor is not running on this box." }) : (_jsxs(_Fragment, { children: [_jsxs("p", { children: [tor.summary, " (", tor.bootstrap, "% connected)"] }), _jsx("div", { class: "grid", children: qrs.map((o) => (_jsxs("figure", { class: "card", children: [_jsx("img", { class: "qr", src: o.qr, alt: `QR code of the ${o.name} onion address`, width: 160, height: 160 }), _jsxs("figcaption", { children: [_jsx("strong", { children: o.name }), ": ", _jsx("code", { children: o.address }), " ", o.published ? '' : '(not published yet)'] })] }))) })] }))] })] })));
    });
}
//# sourceMappingURL=dashboard.js.map