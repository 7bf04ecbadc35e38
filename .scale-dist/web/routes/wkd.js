import { wkdLookup } from '../seams.js';
const HASH_RE = /^[13-9a-km-uw-z]{32}$/; // z-base-32 of a SHA-1: 32 characters
function hostDomain(c) {
    const host = (c.req.header('host') ?? '').toLowerCase();
    return host.replace(/:\d+$/, '').replace(/^openpgpkey\./, '');
}
function key(c, domain) {
    const store = c.var.deps.appliance.store;
    const hash = c.req.param('hash') ?? '';
    if (!store)
        return c.text('the box is locked\n', 503);
    if (!HASH_RE.test(hash) || !store.domains.has(domain))
        return c.text('no key\n', 404);
    const k = wkdLookup(store, domain, hash);
    if (!k)
        return c.text('no key\n', 404);
    c.header('Content-Type', 'application/octet-stream');
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cache-Control', 'max-age=3600');
    return c.body(new Uint8Array(k));
}
function policy(c) {
    c.header('Content-Type', 'text/plain; charset=utf-8');
    c.header('Access-Control-Allow-Origin', '*');
    return c.body('');
}
export function wkdRoutes(app) {
    app.get('/.well-known/openpgpkey/policy', policy);
    app.get('/.well-known/openpgpkey/:domain/policy', policy);
    app.get('/.well-known/openpgpkey/hu/:hash', (c) => key(c, hostDomain(c)));
    app.get('/.well-known/openpgpkey/:domain/hu/:hash', (c) => key(c, (c.req.param('domain') ?? '').toLowerCase()));
}
//# sourceMappingURL=wkd.js.map