// Domains and the DNS records to publish for each (MX, SPF, DKIM, DMARC, MTA-STS ...), with a copy
// button (panel.js; without JavaScript the records are plain selectable text).
import type { Hono } from 'hono';
import { isDomainName } from '../../appliance/config.js';
import { StoreError } from '../../appliance/store/index.js';
import { storeOf, type PanelContext, type PanelEnv } from '../context.js';
import { done, formFields, page, PostForm } from '../page.js';
import { addHouseholdDomain } from '../seams.js';
import { DnsRecords } from '../views/dns-records.js';
import { ErrorNote, Field } from '../views/layout.js';

function domainsPage(c: PanelContext, error?: string): Response {
  const domains = storeOf(c).domains.list();
  return page(c, 'Domains', (
    <>
      <ErrorNote message={error} />
      {domains.map((d) => (
        <section aria-labelledby={`h-${d}`}>
          <h2 id={`h-${d}`}>{d}</h2>
          <DnsRecords c={c} domain={d} />
        </section>
      ))}
      <section aria-labelledby="h-add-domain">
        <h2 id="h-add-domain">Add a domain</h2>
        <PostForm action="/domains" csrf={c.var.session?.csrf} label="Add a domain">
          <Field name="domain" label="Domain" required hint="For example smith.family." />
          <button type="submit">Add domain</button>
        </PostForm>
      </section>
    </>
  ), { status: error ? 400 : 200 });
}

export function domainsRoutes(app: Hono<PanelEnv>): void {
  app.get('/domains', (c) => domainsPage(c));

  app.post('/domains', async (c) => {
    const f = await formFields(c);
    const domain = f('domain').toLowerCase();
    if (!isDomainName(domain) || !domain.includes('.')) return domainsPage(c, `"${domain}" is not a domain name like smith.family.`);
    if (storeOf(c).domains.has(domain)) return domainsPage(c, `${domain} is already one of this box's domains.`);
    try {
      await addHouseholdDomain(storeOf(c), domain);
    } catch (e) {
      if (e instanceof StoreError) return domainsPage(c, e.message);
      throw e;
    }
    // Its names (and mail., openpgpkey., autoconfig.) go into the server certificates now.
    await c.var.deps.appliance.refreshTls?.();
    return done(c, '/domains', `${domain} is added. Publish its DNS records below.`);
  });
}
