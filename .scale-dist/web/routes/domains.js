import { jsx as _jsx, jsxs as _jsxs, Fragment as _Fragment } from "hono/jsx/jsx-runtime";
import { isDomainName } from '../../appliance/config.js';
import { StoreError } from '../../appliance/store/index.js';
import { storeOf } from '../context.js';
import { done, formFields, page, PostForm } from '../page.js';
import { addHouseholdDomain } from '../seams.js';
import { DnsRecords } from '../views/dns-records.js';
import { ErrorNote, Field } from '../views/layout.js';
function domainsPage(c, error) {
    const domains = storeOf(c).domains.list();
    return page(c, 'Domains', (_jsxs(_Fragment, { children: [_jsx(ErrorNote, { message: error }), domains.map((d) => (_jsxs("section", { "aria-labelledby": `h-${d}`, children: [_jsx("h2", { id: `h-${d}`, children: d }), _jsx(DnsRecords, { c: c, domain: d })] }))), _jsxs("section", { "aria-labelledby": "h-add-domain", children: [_jsx("h2", { id: "h-add-domain", children: "Add a domain" }), _jsxs(PostForm, { action: "/domains", csrf: c.var.session?.csrf, label: "Add a domain", children: [_jsx(Field, { name: "domain", label: "Domain", required: true, hint: "For example smith.family." }), _jsx("button", { type: "submit", children: "Add domain" })] })] })] })), { status: error ? 400 : 200 });
}
export function domainsRoutes(app) {
    app.get('/domains', (c) => domainsPage(c));
    app.post('/domains', async (c) => {
        const f = await formFields(c);
        const domain = f('domain').toLowerCase();
        if (!isDomainName(domain) || !domain.includes('.'))
            return domainsPage(c, `"${domain}" is not a domain name like smith.family.`);
        if (storeOf(c).domains.has(domain))
            return domainsPage(c, `${domain} is already one of this box's domains.`);
        try {
            await addHouseholdDomain(storeOf(c), domain);
        }
        catch (e) {
            if (e instanceof StoreError)
                return domainsPage(c, e.message);
            throw e;
        }
        // Its names (and mail., openpgpkey., autoconfig.) go into the server certificates now.
        await c.var.deps.appliance.refreshTls?.();
        return done(c, '/domains', `${domain} is added. Publish its DNS records below.`);
    });
}
//# sourceMappingURL=domains.js.map