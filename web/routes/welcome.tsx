// The first-run steps after the administrator's account exists: the family's accounts, the DNS
// records to publish, and the certificate for devices.
import type { Hono } from 'hono';
import { displayFingerprint } from '../../appliance/tls/authority.js';
import { storeOf, type PanelEnv } from '../context.js';
import { page } from '../page.js';
import { DnsRecords } from '../views/dns-records.js';
import { membersPage, Steps } from '../views/members-page.js';

export function welcomeRoutes(app: Hono<PanelEnv>): void {
  app.get('/welcome/members', (c) => membersPage(c));

  app.get('/welcome/dns', (c) => {
    const domains = storeOf(c).domains.list();
    return page(c, 'Publish your DNS records', (
      <>
        <Steps at={2} />
        <p>So that other mail servers find this box and trust its mail, add these records where you bought your domain. You can come back to them any time under Domains.</p>
        {domains.map((d) => <section><h2>{d}</h2><DnsRecords c={c} domain={d} /></section>)}
        <p><a class="button" href="/welcome/devices">Next: devices</a></p>
      </>
    ));
  });

  app.get('/welcome/devices', (c) => {
    const { tls } = c.var.deps;
    return page(c, 'Connect your devices', (
      <>
        <Steps at={3} />
        <section>
          <p>Every device that reads mail from this box needs its certificate once.</p>
          <p><a class="button" href="/ca.crt" download="postern-ca.crt">Download the certificate</a></p>
          <p>Fingerprint (SHA-256): <code>{displayFingerprint(tls.caFingerprint)}</code></p>
          <p>Each person finds step-by-step help for their phone and computer under "Set up devices" after signing in.</p>
        </section>
        <p><a class="button" href="/devices">Set up my devices</a> <a class="button" href="/dashboard">Finish: go to the overview</a></p>
      </>
    ));
  });
}
