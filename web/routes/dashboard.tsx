// The overview: is each listener up, the TLS certificate, storage used, outgoing mail waiting,
// Tor's state and the onion addresses with QR codes (to type them on a phone without mistakes).
import type { Hono } from 'hono';
import QRCode from 'qrcode';
import { displayFingerprint } from '../../appliance/tls/authority.js';
import { storeOf, type PanelEnv } from '../context.js';
import { page, PostForm } from '../page.js';
import { backupTargets, torStatus } from '../seams.js';
import { formatBytes } from '../views/format.js';
import { CaReplacedNotice } from '../views/ca-notice.js';

const LISTENER_LABELS: Record<string, string> = {
  mx: 'Receiving mail from the Internet (SMTP)',
  submission: 'Sending from devices (SMTP, STARTTLS)',
  submissions: 'Sending from devices (SMTP over TLS)',
  imap: 'Reading mail (IMAP, STARTTLS)',
  imaps: 'Reading mail (IMAP over TLS)',
  panel: 'This panel (HTTPS)',
  mxOnion: 'Receiving mail over Tor',
};

export function dashboardRoutes(app: Hono<PanelEnv>): void {
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
    return page(c, 'Overview', (
      <div class="grid-page">
        <CaReplacedNotice tls={tls} />
        <p id="box-name">This box's name: <strong>{config.hostname}</strong>{wantedName === config.hostname ? ' (chosen at setup)' : ' (from its configuration file)'}</p>
        <section aria-labelledby="h-listeners">
          <h2 id="h-listeners">Services</h2>
          <table>
            <thead><tr><th scope="col">Service</th><th scope="col">Address</th><th scope="col">State</th></tr></thead>
            <tbody>
              {appliance.listeners().map((l) => (
                <tr>
                  <td>{LISTENER_LABELS[l.name] ?? l.name}</td>
                  <td><code>{l.endpoint.host}:{l.endpoint.port}</code></td>
                  <td class={l.up ? 'up' : 'down'}>{l.up ? 'up' : 'down'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <div class="grid">
          <section aria-labelledby="h-storage">
            <h2 id="h-storage">Storage</h2>
            <p>{formatBytes(usage.bytes)} in {usage.messages} messages ({formatBytes(usage.blobBytes)} on disk).</p>
            {config.storage.mode === 'luks' ? (
              <PostForm whole action="/lock" csrf={c.var.session?.csrf} label="Lock the storage">
                <p>The storage is encrypted and unlocked. Locking it stops mail until someone unlocks it again.</p>
                <button type="submit" class="danger">Lock the storage now</button>
              </PostForm>
            ) : null}
          </section>
          <section aria-labelledby="h-queue">
            <h2 id="h-queue">Outgoing mail</h2>
            <p>{queued === 0 ? 'Nothing is waiting.' : <><a href="/queue">{queued} {queued === 1 ? 'message is' : 'messages are'} waiting</a> to be delivered.</>}</p>
          </section>
          <section aria-labelledby="h-backup" id="backup-status">
            <h2 id="h-backup">Backups</h2>
            {backups.length === 0 ? (
              <p class="down">No backup is set up: a dead SD card or a stolen box would lose all mail and keys. Add one with <code>postern backup target add</code>.</p>
            ) : (
              <ul>
                {backups.map((b) => (
                  <li class={b.state === 'ok' ? 'up' : 'down'}><strong>{b.name}</strong> ({b.state === 'ok' ? 'good' : b.state === 'never' ? 'not run yet' : b.state}): {b.text}</li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="h-cert">
            <h2 id="h-cert">Certificate</h2>
            <p>Valid until {tls.notAfter.toISOString().slice(0, 10)} ({days} days; renewed a month before).</p>
            <p>Certificate authority fingerprint (SHA-256):</p>
            <p><code>{displayFingerprint(tls.caFingerprint)}</code></p>
            <p>Server certificate (SHA-256): <code>{displayFingerprint(tls.serverFingerprints[0] ?? '')}</code></p>
          </section>
        </div>
        <section aria-labelledby="h-tor" id="tor-status" aria-live="polite"
          {...(tor && tor.bootstrap < 100 ? { 'hx-get': '/dashboard', 'hx-trigger': 'every 10s', 'hx-select': '#tor-status', 'hx-swap': 'outerHTML' } : {})}>
          <h2 id="h-tor">Tor</h2>
          {!tor ? <p>Tor is not running on this box.</p> : (
            <>
              <p>{tor.summary} ({tor.bootstrap}% connected)</p>
              <div class="grid">
                {qrs.map((o) => (
                  <figure class="card">
                    <img class="qr" src={o.qr} alt={`QR code of the ${o.name} onion address`} width={160} height={160} />
                    <figcaption><strong>{o.name}</strong>: <code>{o.address}</code> {o.published ? '' : '(not published yet)'}</figcaption>
                  </figure>
                ))}
              </div>
            </>
          )}
        </section>
      </div>
    ));
  });
}
