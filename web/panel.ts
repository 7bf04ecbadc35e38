// The panel as a system service: HTTPS (the one TLS policy) on listen.panel, running from boot,
// also while the storage is locked. The panel's onion service maps to this same listener (tor
// connects from loopback, with virtual port 80): so one port takes both TLS and, from loopback
// only, plain HTTP. The first byte decides: 0x16 starts a TLS handshake; anything else is plain
// HTTP, served only to loopback peers (tor itself: the circuit is encrypted end to end) and
// otherwise answered with a redirect to https://. No password ever crosses the LAN in clear.
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { listen, closeServer, ConnectionTracker } from '../appliance/listen.js';
import type { RunningService, SystemServiceStarter } from '../appliance/service.js';
import { serverTlsOptions } from '../appliance/tls/policy.js';
import type { PanelDeps } from './context.js';
import { DEFAULT_SESSION_LIMITS, Sessions } from './sessions.js';
import { CLIENT_POLICY, LoginThrottle } from './throttle.js';
import { staticAssets } from './static.js';

const TLS_HANDSHAKE = 0x16;

export function isLoopback(address: string | undefined): boolean {
  return !!address && (/^127\./.test(address) || address === '::1' || /^::ffff:127\./.test(address));
}

/** A plain-HTTP request from the LAN: send the browser to the same address over HTTPS. */
export function httpsRedirect(firstBytes: Buffer): string {
  const head = firstBytes.toString('latin1');
  const line = /^(?:GET|HEAD) (\/[\x21-\x7e]*) HTTP\/1\.[01]\r\n/.exec(head);
  const host = /\r\nhost: *([a-z0-9.-]+|\[[0-9a-f:.]+\])(?::(\d{1,5}))? *\r\n/i.exec(head);
  const body = 'This panel is served over HTTPS only.\n';
  if (!line || !host) return `HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`;
  const location = `https://${host[1]}${host[2] ? ':' + host[2] : ''}${line[1]}`;
  return `HTTP/1.1 301 Moved Permanently\r\nLocation: ${location}\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`;
}

export const startPanel: SystemServiceStarter = async (ctx) => {
  const endpoint = ctx.config.listen.panel;
  if (!endpoint) return undefined;
  staticAssets(); // fail at start, not at the first page, if the assets are missing
  // The panel's routes and views (hono, JSX, every page) are loaded at the first request, not at
  // start: a box is mostly idle and its panel rarely open (issue 20: idle memory).
  const deps: PanelDeps = {
    config: ctx.config,
    // the current certificates: re-issued when a domain is added or the host name changes
    get tls() { return ctx.appliance.tls; },
    appliance: ctx.appliance,
    sessions: new Sessions(DEFAULT_SESSION_LIMITS, Date.now, () => ctx.appliance.store?.settings.panelSessions),
    clientThrottle: new LoginThrottle(CLIENT_POLICY),
  };
  let built: Promise<{ fetch: (...args: never[]) => Response | Promise<Response> }> | undefined;
  const app = {
    fetch: async (...args: unknown[]): Promise<Response> => {
      const a = await (built ??= import('./app.js').then((m) => m.buildPanelApp(deps)));
      return (a.fetch as (...x: unknown[]) => Response | Promise<Response>)(...args);
    },
  };
  const timeouts = { requestTimeout: 30_000, headersTimeout: 20_000 };
  const https = createAdaptorServer({ fetch: app.fetch, createServer: createHttpsServer, serverOptions: { ...serverTlsOptions(ctx.tls), ...timeouts } }) as unknown as HttpsServer;
  const http = createAdaptorServer({ fetch: app.fetch, serverOptions: timeouts }) as unknown as Server;
  https.on('tlsClientError', (_e: Error, s: Socket) => s.destroy());
  const tracker = new ConnectionTracker();
  const front = createNetServer((socket) => {
    tracker.add(socket);
    socket.on('error', () => socket.destroy());
    socket.setTimeout(20_000, () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.setTimeout(0);
      if (first[0] === TLS_HANDSHAKE) {
        socket.unshift(first);
        https.emit('connection', socket);
      } else if (isLoopback(socket.remoteAddress)) {
        socket.unshift(first);
        http.emit('connection', socket);
      } else {
        socket.end(httpsRedirect(first));
        return;
      }
      process.nextTick(() => socket.resume());
    });
  });
  await listen(front, 'panel', endpoint);
  const running: RunningService = {
    name: 'panel',
    listeners: [{ name: 'panel', endpoint }],
    async close(graceMs) {
      await Promise.all([closeServer(front), tracker.drain(Math.min(graceMs, 2000))]);
    },
    // Re-issued certificates (a domain added, a new host name) are served from the next handshake.
    reloadTls(tls) {
      https.setSecureContext(serverTlsOptions(tls));
    },
  };
  return running;
};
