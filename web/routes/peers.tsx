// SMTorP peers: other Postern boxes this one delivers to directly over Tor. Our own card (signed
// with the SMTP onion's key) to give to another household, as text and as a QR code; their card
// pasted here adds their domains. Cards are verified by services/smtorp before anything is stored.
// A pasted card is never added at once: the page first lists the domains it names (mail to them
// will go to that box) and what happens to each (new, an update from the same box, or taken over
// from another peer's box, which needs its own tick); only the confirmation adds it.
import type { Hono } from 'hono';
import { log } from '../../appliance/log.js';
import { addPeerCard, makeOwnCard, PeerBook, PeerCardError, PeerError, peerCardQrSvg, readPeerCard, type CardEffect } from '../../services/smtorp/index.js';
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

const EFFECT: Record<CardEffect['effect'], string> = {
  new: 'new peer',
  update: 'update: a newer card from the same box',
  replace: 'REPLACES the peer we have for it (another box)',
  own: 'served by this box',
};

function confirmPage(c: PanelContext, text: string, host: string, effects: CardEffect[], fallback: boolean, error?: string): Response {
  const csrf = c.var.session?.csrf;
  const replacing = effects.filter((e) => e.effect === 'replace');
  return page(c, 'Confirm the peer', (
    <>
      <ErrorNote message={error} />
      <section aria-labelledby="h-confirm">
        <h2 id="h-confirm">Check the domains on this card</h2>
        <p>The card of <strong>{host}</strong> asks that all mail for these domains go to their box over Tor. Add it only if that household really owns every one of them.</p>
        <table>
          <thead><tr><th scope="col">Domain</th><th scope="col">What happens</th></tr></thead>
          <tbody>
            {effects.map((e) => <tr><td>{e.domain}</td><td>{e.effect === 'replace' ? <strong>{EFFECT[e.effect]} (<code>{e.onion}</code>)</strong> : EFFECT[e.effect]}</td></tr>)}
          </tbody>
        </table>
        <PostForm action="/peers" csrf={csrf} label="Confirm the peer">
          <input type="hidden" name="card" value={text} />
          <input type="hidden" name="confirm" value="yes" />
          {fallback ? <input type="hidden" name="fallback" value="yes" /> : null}
          {replacing.length ? (
            <p class="field"><label><input type="checkbox" name="replace" value="yes" /> Yes, {replacing.map((e) => e.domain).join(', ')} moved to this new box: replace the peer we have</label></p>
          ) : null}
          <button type="submit">Add peer for {effects.map((e) => e.domain).join(', ')}</button>
        </PostForm>
        <p><a href="/peers">Cancel</a></p>
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
    let card;
    try {
      card = readPeerCard(text);
    } catch (e) {
      if (e instanceof PeerCardError) return peersPage(c, `That card cannot be used: ${e.message}.`, text);
      throw e;
    }
    const effects = new PeerBook(storeOf(c)).preview(card, c.var.deps.config.domains);
    const own = effects.filter((e) => e.effect === 'own');
    if (own.length) return peersPage(c, `That card cannot be used: it names ${own.map((e) => e.domain).join(', ')}, which this box serves itself.`, text);
    const replacing = effects.filter((e) => e.effect === 'replace');
    if (f('confirm') !== 'yes' || (replacing.length && f('replace') !== 'yes')) {
      return confirmPage(c, text, card.host, effects, f('fallback') === 'yes', f('confirm') === 'yes' ? 'Tick the box to replace the existing peer, or cancel.' : undefined);
    }
    let r;
    try {
      r = addPeerCard(storeOf(c), c.var.deps.config, text, { fallbackToPublic: f('fallback') === 'yes', replace: replacing.length > 0 });
    } catch (e) {
      if (e instanceof PeerCardError || e instanceof PeerError) return peersPage(c, `That card cannot be used: ${e.message}.`, text);
      throw e;
    }
    log.info('panel.peer-added', { domains: r.card.domains.length, replaced: r.replaced.length });
    const names = [...r.added, ...r.updated, ...r.replaced].join(', ');
    return done(c, '/peers', `Mail to ${names} now goes directly to their box over Tor.`);
  });

  app.post('/peers/remove', async (c) => {
    const f = await formFields(c);
    const ok = new PeerBook(storeOf(c)).remove(f('domain'));
    return ok ? done(c, '/peers', `${f('domain')} is no longer a peer.`) : peersPage(c, 'There is no such peer.');
  });
}
