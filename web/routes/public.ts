// Routes anyone may reach without signing in: the health check, static assets and the CA
// certificate (devices install it to trust the box).
import type { Hono } from 'hono';
import type { PanelEnv } from '../context.js';
import { staticAssets } from '../static.js';
import { noteCaHandedOut } from '../../appliance/tls/authority.js';

export function publicRoutes(app: Hono<PanelEnv>): void {
  app.get('/health', (c) => {
    const { appliance } = c.var.deps;
    c.header('Cache-Control', 'no-store');
    return c.json({ status: 'ok', state: appliance.state });
  });

  app.get('/static/:file', (c) => {
    const a = staticAssets().get(c.req.param('file'));
    if (!a) return c.text('not found', 404);
    const gzip = /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
    c.header('Content-Type', a.type);
    c.header('Cache-Control', c.req.query('v') === a.hash ? 'public, max-age=31536000, immutable' : 'no-cache');
    c.header('ETag', `"${a.hash}"`);
    c.header('Vary', 'Accept-Encoding');
    if (c.req.header('if-none-match') === `"${a.hash}"`) return c.body(null, 304);
    if (gzip) c.header('Content-Encoding', 'gzip');
    return c.body(new Uint8Array(gzip ? a.gzip : a.body));
  });

  app.get('/ca.crt', (c) => {
    const { tls } = c.var.deps;
    noteCaHandedOut(tls);
    c.header('Content-Type', 'application/x-x509-ca-cert');
    c.header('Content-Disposition', 'attachment; filename="postern-ca.crt"');
    return c.body(tls.ca);
  });
}
