// SMTorP peers: other Postern boxes this one delivers to directly over Tor.
import type { Hono } from 'hono';
import type { PanelEnv } from '../context.js';
import { done, page } from '../page.js';

export function peersRoutes(app: Hono<PanelEnv>): void {
  app.get('/peers', (c) => page(c, 'Onion peers', (
    <section>
      <p>Onion peers (other Postern boxes reached directly over Tor) are not available in this version yet.</p>
    </section>
  )));
  app.post('/peers', (c) => done(c, '/peers', 'Onion peers are not available in this version yet.'));
}
