// SMTorP peers: other Postern boxes this one delivers to directly over Tor. Our own card (signed
// with the SMTP onion's key) to give to another household, as text and as a QR code; their card
// pasted here adds their domains. Cards are verified by services/smtorp before anything is stored.
import type { Hono } from 'hono';
import { log } from '../../appliance/log.js';
import { addPeerCard, makeOwnCard, PeerBook, PeerCardError, PeerError, peerCardQrSvg } from '../../services/smtorp/index.js';
import { storeOf, type PanelContext, type PanelEnv } from '../context.js';
import { done, formFields, page, PostForm, RemoveForm } from '../page.js';
import { ErrorNote } from '../views/layout.js';
import { svgDataUrl } from '../views/format.js';

async function peersPage(c: PanelContext, error?: string, card?: string): Promise<Response> {
  const { config, tls } = c.var.deps;
  const csrf = c.var.session?.csrf;
  const peers = new PeerBook(storeOf(c)).list();
  let own: { text: string; qr: string } | undefined;
  try {
    const text = makeOwnCard(config, tls);
    own = { text, qr: svgDataUrl(await peerCardQrSvg(text)) };
  } catch (e) {
    log.warn('panel.own-card-failed', { error: (e as Error).name });
  }
  return page(c, 'Onion peers', (
    <>
      <ErrorNote message={error} />
      <p>Households that both run Postern can send each other mail directly over Tor: nobody in between sees who writes to whom. Exchange cards once (in person, or over a channel you trust).</p>
      <section aria-labelledby="h-own">
        <h2 id="h-own">Our card</h2>
        {own ? (
          <>
            <p>Give this text (or let them scan the code) to the other household.</p>
            <pre id="own-card">{own.text}</pre>
            <button type="button" class="secondary" data-copy="own-card">Copy our card</button>
            <p><img class="qr" src={own.qr} alt="QR code of our peer card" width={160} height={160} /></p>
          </>
        ) : <p>Our card is not available: the onion keys are not there yet (Tor has not run on this box).</p>}
      </section>
      <section aria-labelledby="h-peers">
        <h2 id="h-peers">Peers</h2>
        {peers.length === 0 ? <p>No peers yet.</p> : (
          <table>
            <thead><tr><th scope="col">Domain</th><th scope="col">Their box</th><th scope="col">If Tor fails</th><th scope="col">Action</th></tr></thead>
            <tbody>
              {peers.map((p) => (
                <tr>
                  <td>{p.domain}</td>
                  <td>{p.host}<br /><code>{p.onion}</code>{PeerBook.needsNewCard(p) ? <><br /><strong class="old-card">Old card (it pins their certificate, which changes when they add a domain): ask them for a new card.</strong></> : null}</td>
                  <td>{p.fallbackToPublic ? 'send over the Internet' : 'wait and retry'}</td>
                  <td class="actions">
                    <RemoveForm action="/peers/remove" csrf={csrf} label={`Remove peer ${p.domain}`} fields={{ domain: p.domain }} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="h-add-peer">
        <h2 id="h-add-peer">Add a peer</h2>
        <PostForm action="/peers" csrf={csrf} label="Add a peer">
          <p class="field">
            <label for="f-card">Their card</label>
            <textarea id="f-card" name="card" required>{card ?? ''}</textarea>
          </p>
          <p class="field"><label><input type="checkbox" name="fallback" value="yes" /> If Tor cannot reach them, send over the Internet instead of waiting</label></p>
          <button type="submit">Add peer</button>
        </PostForm>
      </section>
    </>
  ), { status: error ? 400 : 200 });
}

export function peersRoutes(app: Hono<PanelEnv>): void {
  app.get('/peers', (c) => peersPage(c));

  app.post('/peers', async (c) => {
    const f = await formFields(c);
    const text = f('card');
    if (!text) return peersPage(c, 'Paste the card the other household gave you.');
    let r;
    try {
      r = addPeerCard(storeOf(c), c.var.deps.config, text, { fallbackToPublic: f('fallback') === 'yes' });
    } catch (e) {
      if (e instanceof PeerCardError || e instanceof PeerError) return peersPage(c, `That card cannot be used: ${e.message}.`, text);
      throw e;
    }
    log.info('panel.peer-added', { domains: r.card.domains.length });
    const names = [...r.added, ...r.updated].join(', ');
    return done(c, '/peers', `Mail to ${names} now goes directly to their box over Tor.`);
  });

  app.post('/peers/remove', async (c) => {
    const f = await formFields(c);
    const ok = new PeerBook(storeOf(c)).remove(f('domain'));
    return ok ? done(c, '/peers', `${f('domain')} is no longer a peer.`) : peersPage(c, 'There is no such peer.');
  });
}
