import { autoconfigXml } from '../device/autoconfig.js';
import { mailEndpoints } from '../device/endpoints.js';
import { torStatus } from '../seams.js';
function householdDomains(c) {
    const store = c.var.deps.appliance.store;
    return store ? store.domains.list() : c.var.deps.config.domains;
}
function serve(c) {
    const { config, appliance } = c.var.deps;
    const domains = householdDomains(c);
    const asked = c.req.query('emailaddress');
    if (asked !== undefined) {
        const domain = asked.slice(asked.lastIndexOf('@') + 1).toLowerCase();
        if (!domains.includes(domain))
            return c.text('no mail settings for that domain here\n', 404);
    }
    c.header('Content-Type', 'application/xml; charset=utf-8');
    c.header('Cache-Control', 'no-cache');
    return c.body(autoconfigXml(domains, `Postern (${config.hostname})`, mailEndpoints(config, torStatus(appliance))));
}
export function autoconfigRoutes(app) {
    app.get('/.well-known/autoconfig/mail/config-v1.1.xml', serve);
    app.get('/mail/config-v1.1.xml', serve);
}
//# sourceMappingURL=autoconfig.js.map