// The panel as a system service: HTTPS (the one TLS policy) on listen.panel, running from boot,
// also while the storage is locked. The panel onion service maps to this same listener.
import { createServer } from 'node:https';
import type { Server } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { listen, closeServer, ConnectionTracker } from '../appliance/listen.js';
import type { RunningService, SystemServiceStarter } from '../appliance/service.js';
import { serverTlsOptions } from '../appliance/tls/policy.js';
import { buildPanelApp } from './app.js';
import { Sessions } from './sessions.js';
import { ACCOUNT_POLICY, CLIENT_POLICY, LoginThrottle } from './throttle.js';
import { staticAssets } from './static.js';

export const startPanel: SystemServiceStarter = async (ctx) => {
  const endpoint = ctx.config.listen.panel;
  if (!endpoint) return undefined;
  staticAssets(); // fail at start, not at the first page, if the assets are missing
  const app = buildPanelApp({
    config: ctx.config,
    tls: ctx.tls,
    appliance: ctx.appliance,
    sessions: new Sessions(),
    clientThrottle: new LoginThrottle(CLIENT_POLICY),
    accountThrottle: new LoginThrottle(ACCOUNT_POLICY),
  });
  const server = createAdaptorServer({
    fetch: app.fetch,
    createServer,
    serverOptions: { ...serverTlsOptions(ctx.tls), requestTimeout: 30_000, headersTimeout: 20_000 },
  }) as unknown as Server;
  const tracker = new ConnectionTracker();
  server.on('secureConnection', (s) => tracker.add(s));
  server.on('tlsClientError', (_e, s) => s.destroy());
  await listen(server, 'panel', endpoint);
  const running: RunningService = {
    name: 'panel',
    listeners: [{ name: 'panel', endpoint }],
    async close(graceMs) {
      await Promise.all([closeServer(server), tracker.drain(Math.min(graceMs, 2000))]);
    },
  };
  return running;
};
