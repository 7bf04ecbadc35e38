// The box's name and certificates follow what the household saved: the host name chosen in the
// first-run wizard (settings "hostname") wins over the configuration file at start (SMTP greeting
// and EHLO, Received lines, certificates, autoconfig, the panel), and a domain added at run time
// gets its names into the server certificates, served by the running listeners without a restart
// (checked with real TLS handshakes verified against the box's own CA, with SNI). The CA is
// name-constrained (#14 finding 3): a domain it does not cover gets a new CA, which the panel
// announces (devices need it).
import t from 'tap';
import { rmSync } from 'node:fs';
import { connect as tlsConnect, type PeerCertificate } from 'node:tls';
import { connect as netConnect } from 'node:net';
import nodemailer from 'nodemailer';
import { startTestAppliance, tempDir, type TestAppliance } from './harness/appliance.js';
import { PanelHttp } from './harness/panel-http.js';
import { mailbox } from './smtp-fixture.js';
import { postern } from './harness/cli.js';

/** A verified TLS handshake (CA = the box's, SNI = name): the certificate's names, or the error. */
function handshake(port: number, ca: string, name: string): Promise<{ ok: true; names: string } | { ok: false; error: string }> {
  return new Promise((resolve) => {
    const s = tlsConnect({ host: '127.0.0.1', port, ca, servername: name, rejectUnauthorized: true }, () => {
      const cert: PeerCertificate = s.getPeerCertificate();
      s.end();
      resolve({ ok: true, names: cert.subjectaltname ?? '' });
    });
    s.on('error', (e: NodeJS.ErrnoException) => resolve({ ok: false, error: e.code ?? e.message }));
  });
}

/** The SMTP greeting and the first EHLO line. */
/** Handshakes until one verifies for `name` (the appliance looks for CLI-added domains every 15 s). */
async function eventuallyVerifies(port: number, ca: () => string, name: string, withinMs: number): Promise<boolean> {
  const end = Date.now() + withinMs;
  for (;;) {
    if ((await handshake(port, ca(), name)).ok) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 500));
  }
}

function greeting(port: number): Promise<{ banner: string; ehlo: string }> {
  return new Promise((resolve, reject) => {
    const s = netConnect({ host: '127.0.0.1', port });
    let buf = '';
    let banner = '';
    s.setEncoding('latin1');
    s.on('data', (d: string) => {
      buf += d;
      if (!banner && buf.includes('\r\n')) { banner = buf.slice(0, buf.indexOf('\r\n')); buf = ''; s.write('EHLO client.example\r\n'); return; }
      if (banner && /^250 /m.test(buf)) { s.end('QUIT\r\n'); resolve({ banner, ehlo: buf.split('\r\n')[0]! }); }
    });
    s.on('error', reject);
  });
}

t.test('the host name saved in the panel wins over the configuration file at start', async (t) => {
  const dataDir = tempDir();
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const listeners = ['panel', 'mx', 'imaps'] as const;
  // A file name that is not one of the domains' own names (mail.DOMAIN...), so only it names it.
  const config = { hostname: 'gateway.example.test' };
  let app: TestAppliance = await startTestAppliance({ listeners: [...listeners], dataDir, config });
  t.teardown(() => app.stop());
  t.match((await greeting(app.port('mx'))).banner, /^220 gateway\.example\.test /, 'the configuration file names the box at first');
  const before = await handshake(app.port('imaps'), app.appliance.tls.ca, 'box.example.test');
  t.equal(before.ok, false, 'the new name is not in the certificate yet');
  app.store.settings.set('hostname', 'box.example.test');
  await app.stop();

  app = await startTestAppliance({ listeners: [...listeners], dataDir, config });
  t.equal(app.config.hostname, 'box.example.test', 'the saved name wins');
  const g = await greeting(app.port('mx'));
  t.match(g.banner, /^220 box\.example\.test /, 'SMTP greeting');
  t.match(g.ehlo, /^250-box\.example\.test/, 'EHLO answer');
  for (const port of [app.port('imaps'), app.port('panel')]) {
    const h = await handshake(port, app.appliance.tls.ca, 'box.example.test');
    t.equal(h.ok, true, `the certificate on port ${port} verifies for the saved name`);
    if (h.ok) t.match(h.names, /DNS:box\.example\.test/);
  }
  const bob = await app.store.accounts.create('bob@example.test', 'correct horse battery');
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: app.port('mx'), secure: false, ignoreTLS: true });
  t.teardown(() => transport.close());
  await transport.sendMail({ from: 'friend@elsewhere.example', to: 'bob@example.test', subject: 'name check', text: 'hello\n' });
  const raw = mailbox(app.store, bob.id).find((m) => m.includes('name check'));
  t.match(raw, /Received: [^\r]*\r\n\tby box\.example\.test \(Postern\)/, 'the Received line names the saved name');
  const fingerprints = app.appliance.tls.serverFingerprints;
  await app.stop();
  app = await startTestAppliance({ listeners: [...listeners], dataDir, config });
  t.same(app.appliance.tls.serverFingerprints, fingerprints, 'the next start keeps the certificates (no re-issue back to the file\'s name: peers pin them)');
  t.equal((await handshake(app.port('imaps'), app.appliance.tls.ca, 'gateway.example.test')).ok, true, 'the file\'s name stays in them too');
  const http = new PanelHttp(app.port('panel'), app.appliance.tls.ca);
  const auto = await http.get('/.well-known/autoconfig/mail/config-v1.1.xml');
  t.match(auto.body, /<hostname>box\.example\.test<\/hostname>/, 'autoconfig names it');
  await app.store.accounts.create('anna@example.test', 'anna-password-1234', { role: 'admin' });
  await http.signIn('anna@example.test', 'anna-password-1234');
  const dash = await http.get('/dashboard');
  t.match(dash.body, /This box(?:'|&#39;)s name: <strong>box\.example\.test<\/strong> \(chosen at setup\)/, 'the panel shows it');
});

t.test('a domain added at run time is in the certificates the running listeners serve', async (t) => {
  const app = await startTestAppliance({ listeners: ['panel', 'imaps', 'submissions'] });
  t.teardown(() => app.stop());
  await app.store.accounts.create('anna@example.test', 'anna-password-1234', { role: 'admin' });
  const ca = app.appliance.tls.ca;
  const ports = { panel: app.port('panel'), imaps: app.port('imaps'), submissions: app.port('submissions') };
  for (const [name, port] of Object.entries(ports)) {
    const h = await handshake(port, ca, 'mail.smith.test');
    t.equal(h.ok, false, `${name}: mail.smith.test is not in the certificate before`);
    if (!h.ok) t.equal(h.error, 'ERR_TLS_CERT_ALTNAME_INVALID');
  }
  const http = new PanelHttp(ports.panel, ca);
  await http.signIn('anna@example.test', 'anna-password-1234');
  t.equal((await http.get('/ca.crt')).body, ca, 'a member installs the CA on a device');
  await http.get('/domains');
  const added = await http.post('/domains', { domain: 'smith.test' });
  t.equal(added.status, 303);
  t.ok(app.store.domains.has('smith.test'));
  // The CA may vouch only for the names it was made for: a new domain needs a new CA, which
  // covers the old names too; the box records why (devices that trusted the old one need it).
  const newCa = app.appliance.tls.ca;
  t.not(newCa, ca, 'a domain the CA did not cover: a new CA');
  t.match(app.appliance.tls.caReplaced, { reason: 'names' }, 'recorded as a new name');
  t.ok(app.appliance.tls.caPermits.includes('smith.test') && app.appliance.tls.caPermits.includes('example.test'), 'it covers the new domain and the old ones');
  for (const [name, port] of Object.entries(ports)) {
    for (const host of ['smith.test', 'mail.smith.test', 'openpgpkey.smith.test', 'autoconfig.smith.test', 'mail.example.test']) {
      const h = await handshake(port, newCa, host);
      t.equal(h.ok, true, `${name}: ${host} verifies against the local CA without a restart`);
    }
  }
  const stale = await handshake(ports.imaps, ca, 'mail.example.test');
  t.equal(stale.ok, false, 'a device that only trusts the old CA no longer verifies the box');
  http.ca = newCa; // the household installs the new certificate
  const again = await http.get('/dashboard');
  t.equal(again.status, 200, 'the panel session survives the new certificate');
  t.match(again.body, new RegExp(app.appliance.tls.serverFingerprints[0]!.toUpperCase().match(/.{2}/g)!.join(':')), 'the dashboard shows the new server certificate');
  t.match(again.body, /This box has a new certificate since/, 'and says devices need the new certificate');
  const devices = await http.get('/devices');
  t.match(devices.body, /this box has a new name the earlier one did not cover/);
  t.match(devices.body, new RegExp(`<code id="ca-previous">${app.appliance.tls.caReplaced!.previous.toUpperCase().match(/.{2}/g)!.join(':')}</code>`), 'with the old fingerprint, to remove it');
});

t.test('the first-run wizard applies the chosen name at once; a domain added with the CLI follows', async (t) => {
  const app = await startTestAppliance({ listeners: ['panel', 'mx', 'imaps'] });
  t.teardown(() => app.stop());
  const http = new PanelHttp(app.port('panel'), app.appliance.tls.ca);
  await http.get('/setup');
  const done = await http.post('/setup', { code: app.setupCode()!, domain: 'smith.test', hostname: 'box.smith.test', name: 'anna', password: 'anna-password-1234', password2: 'anna-password-1234' });
  t.equal(done.status, 303);
  t.equal(app.config.hostname, 'box.smith.test', 'the household\'s choice is the box\'s name now');
  t.match((await greeting(app.port('mx'))).banner, /^220 box\.smith\.test /, 'SMTP greets with it without a restart');
  for (const port of [app.port('panel'), app.port('imaps')]) {
    t.equal((await handshake(port, app.appliance.tls.ca, 'box.smith.test')).ok, true, `port ${port} serves a certificate for it`);
    t.equal((await handshake(port, app.appliance.tls.ca, 'autoconfig.smith.test')).ok, true, `and for the new domain's autoconfig host`);
  }
  http.ca = app.appliance.tls.ca; // the box's names are chosen now: the CA for them
  t.equal(app.appliance.tls.caReplaced, undefined, "no device had the first-start CA: nobody is told to replace it");
  const welcome = await http.get('/welcome/members');
  t.equal(welcome.status, 200, 'the administrator stays signed in');

  const cli = await postern(['domain', 'add', 'cousins.test', '--data', app.dataDir]);
  t.equal(cli.code, 0, cli.stderr);
  t.equal(await eventuallyVerifies(app.port('imaps'), () => app.appliance.tls.ca, 'mail.cousins.test', 40_000), true, 'a domain added with the CLI gets into the served certificate');
  t.equal((await handshake(app.port('panel'), app.appliance.tls.ca, 'openpgpkey.cousins.test')).ok, true, 'the panel serves it too');
});
