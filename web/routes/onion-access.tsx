// Who may open this panel over Tor: v3 client authorization for the panel's onion service. Each
// device gets its own key; the private half is shown once (text for Tor Browser or a
// .auth_private file, and a QR code) and never stored. While at least one device is listed, the
// panel onion answers only those devices.
import type { Hono } from 'hono';
import { log } from '../../appliance/log.js';
import { ClientAuthError, createClientAuth, listClientAuth, removeClientAuth, type ClientAuthGrant } from '../../services/tor/client-auth.js';
import type { TorService } from '../../services/tor/status.js';
import type { PanelContext, PanelEnv } from '../context.js';
import { done, formFields, page, PostForm, RemoveForm } from '../page.js';
import { ErrorNote, Field } from '../views/layout.js';
import { svgDataUrl } from '../views/format.js';

function accessPage(c: PanelContext, opts: { error?: string; grant?: ClientAuthGrant } = {}): Response {
  const { config } = c.var.deps;
  const csrf = c.var.session?.csrf;
  let clients: ReturnType<typeof listClientAuth> = [];
  let problem: string | undefined;
  try {
    clients = listClientAuth(config);
  } catch (e) {
    problem = (e as Error).message;
  }
  const g = opts.grant;
  return page(c, 'Panel over Tor', (
    <>
      <ErrorNote message={opts.error ?? problem} />
      {g ? (
        <section class="card" aria-labelledby="h-grant">
          <h2 id="h-grant">Key for {g.name}</h2>
          <p>Postern shows this key only now. In Tor Browser, open <code>{g.onion}</code> and paste the key when asked; or save the line below as a file ending in <code>.auth_private</code> in Tor's client authorization folder.</p>
          <p class="secret" id="grant-line">{g.authPrivate}</p>
          <button type="button" class="secondary" data-copy="grant-line">Copy</button>
          <p>Key for Tor Browser's prompt: <code id="grant-key">{g.authPrivate.split(':').pop()}</code></p>
          <p><img class="qr" src={svgDataUrl(g.qrSvg)} alt={`QR code of the key for ${g.name}`} width={200} height={200} /></p>
        </section>
      ) : null}
      <section aria-labelledby="h-devices">
        <h2 id="h-devices">Devices allowed</h2>
        {clients.length === 0 ? <p>No device is listed: anyone who knows the panel's onion address reaches the sign-in page. Add a device to restrict it.</p> : (
          <table>
            <thead><tr><th scope="col">Device</th><th scope="col">Added</th><th scope="col">Action</th></tr></thead>
            <tbody>
              {clients.map((d) => (
                <tr>
                  <td>{d.name}</td>
                  <td>{d.created.slice(0, 10)}</td>
                  <td class="actions">
                    <RemoveForm action="/onion-access/remove" csrf={csrf} label={`Remove ${d.name}`} fields={{ name: d.name }} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="h-add-device">
        <h2 id="h-add-device">Allow a device</h2>
        <PostForm action="/onion-access" csrf={csrf} label="Allow a device">
          <Field name="name" label="Device name" required hint="Letters, digits, spaces, dots and dashes; for example Anna laptop." />
          <button type="submit">Make a key</button>
        </PostForm>
      </section>
    </>
  ), { status: opts.error ? 400 : 200 });
}

export function onionAccessRoutes(app: Hono<PanelEnv>): void {
  app.get('/onion-access', (c) => accessPage(c));

  app.post('/onion-access', async (c) => {
    const f = await formFields(c);
    const tor = c.var.deps.appliance.service<TorService>('tor');
    let grant: ClientAuthGrant;
    try {
      grant = await createClientAuth(c.var.deps.config, f('name'), tor);
    } catch (e) {
      if (e instanceof ClientAuthError) return accessPage(c, { error: `That device cannot be added: ${e.message}.` });
      throw e;
    }
    log.info('panel.onion-client-added', {});
    // The private key is in this one response only (Cache-Control: no-store on every signed-in page).
    return accessPage(c, { grant });
  });

  app.post('/onion-access/remove', async (c) => {
    const f = await formFields(c);
    const ok = await removeClientAuth(c.var.deps.config, f('name'), c.var.deps.appliance.service<TorService>('tor'));
    return ok ? done(c, '/onion-access', `${f('name')} may no longer open the panel over Tor.`) : accessPage(c, { error: 'There is no such device.' });
  });
}
