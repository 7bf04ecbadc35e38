// Device setup for the signed-in person: plain instructions (host names, ports, the CA
// certificate's fingerprint), Apple's profile and Thunderbird's automatic setup. Only the
// signed-in account's own profile is offered: no account id in any URL.
import type { Hono } from 'hono';
import { displayFingerprint, noteCaHandedOut } from '../../appliance/tls/authority.js';
import { CaReplacedNotice } from '../views/ca-notice.js';
import { accountOf, type PanelEnv } from '../context.js';
import { mailEndpoints } from '../device/endpoints.js';
import { mobileconfig } from '../device/mobileconfig.js';
import { page } from '../page.js';
import { torStatus } from '../seams.js';

const SECURITY = { tls: 'SSL/TLS', starttls: 'STARTTLS' } as const;

export function devicesRoutes(app: Hono<PanelEnv>): void {
  app.get('/devices', (c) => {
    const { config, tls, appliance } = c.var.deps;
    const account = accountOf(c);
    const ep = mailEndpoints(config, torStatus(appliance));
    return page(c, 'Set up your devices', (
      <>
        <CaReplacedNotice tls={tls} />
        <section aria-labelledby="step-ca">
          <h2 id="step-ca">1. Trust this box</h2>
          <p>Your devices need this box's certificate once, so they know they are talking to it.</p>
          <p><a class="button" href="/ca.crt" download="postern-ca.crt">Download the certificate</a></p>
          <p>When your device shows a fingerprint, it must be exactly:</p>
          <p><code id="ca-fingerprint">{displayFingerprint(tls.caFingerprint)}</code></p>
          <p>It can only vouch for this box's own names: <span id="ca-permits">{tls.caPermits.join(', ')}</span>. Your devices will not trust it for any other web site or mail server.</p>
        </section>
        <section aria-labelledby="step-apple">
          <h2 id="step-apple">2a. iPhone, iPad or Mac</h2>
          <p>Download your profile, then open Settings and install it. It contains the certificate and your mail account; it asks for your password.</p>
          <p><a class="button" href="/devices/postern.mobileconfig">Download my profile</a></p>
        </section>
        <section aria-labelledby="step-tb">
          <h2 id="step-tb">2b. Thunderbird</h2>
          <p>Add a mail account with your address <strong>{account.address}</strong> and your password: Thunderbird finds the settings by itself.</p>
        </section>
        <section aria-labelledby="step-other">
          <h2 id="step-other">2c. Any other mail program</h2>
          <table>
            <caption class="visually-hidden">Mail settings</caption>
            <thead><tr><th scope="col">Setting</th><th scope="col">Value</th></tr></thead>
            <tbody>
              <tr><th scope="row">User name</th><td><code>{account.address}</code></td></tr>
              <tr><th scope="row">Incoming mail (IMAP) server</th><td><code>{ep.host}</code></td></tr>
              {ep.imap ? <tr><th scope="row">IMAP port and security</th><td>{ep.imap.port}, {SECURITY[ep.imap.security]}</td></tr> : null}
              <tr><th scope="row">Outgoing mail (SMTP) server</th><td><code>{ep.host}</code></td></tr>
              {ep.smtp ? <tr><th scope="row">SMTP port and security</th><td>{ep.smtp.port}, {SECURITY[ep.smtp.security]}</td></tr> : null}
              <tr><th scope="row">Password</th><td>Your Postern password (the same for both)</td></tr>
              {ep.onionImap ? <tr><th scope="row">IMAP over Tor</th><td><code>{ep.onionImap}</code></td></tr> : null}
              {ep.onionSmtp ? <tr><th scope="row">SMTP over Tor</th><td><code>{ep.onionSmtp}</code></td></tr> : null}
              {ep.onionPanel ? <tr><th scope="row">This panel over Tor</th><td><code>{ep.onionPanel}</code></td></tr> : null}
            </tbody>
          </table>
        </section>
      </>
    ));
  });

  app.get('/devices/postern.mobileconfig', (c) => {
    const { config, tls, appliance } = c.var.deps;
    const account = accountOf(c);
    noteCaHandedOut(tls);
    const body = mobileconfig({ address: account.address, hostname: config.hostname, caPem: tls.ca, ep: mailEndpoints(config, torStatus(appliance)) });
    c.header('Content-Type', 'application/x-apple-aspen-config');
    c.header('Content-Disposition', `attachment; filename="postern-${account.address.replace(/[^a-z0-9.@_-]/gi, '_')}.mobileconfig"`);
    return c.body(body);
  });
}
