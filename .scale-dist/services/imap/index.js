// The IMAP service: `listen.imap` (plain, STARTTLS required before any password: LOGINDISABLED)
// and `listen.imaps` (implicit TLS, RFC 8314). TLS options come from the one policy.
// `listen.imapOnion` (loopback only) is where tor hands over the IMAP onion's connections, each
// starting with tor's PROXY header: the header's port says which (993: implicit TLS, 143: plain
// with STARTTLS) and its circuit id is the client identity every per-client limit keys on.
import { createServer as createNetServer } from 'node:net';
import { createServer as createTlsServer, createSecureContext, Server as TlsServer, TLSSocket } from 'node:tls';
import { afterHeader, readTorCircuitHeader } from '../../appliance/tor-circuit.js';
import { serverTlsOptions } from '../../appliance/tls/policy.js';
import { listen, closeServer, ConnectionTracker } from '../../appliance/listen.js';
import { log, redact } from '../../appliance/log.js';
import { Session } from './session.js';
import { AuthThrottle } from './auth-throttle.js';
import { accountLockoutFor } from '../../appliance/auth-lockout.js';
import { imapLimits } from './limits.js';
/** The client a connection counts against for the per-client connection limit: the identity its
 *  listener supplies (a Tor circuit), else its address; undefined for loopback without one, where
 *  every onion client arrives (one onion user must not lock out all the others: only the total
 *  limit, the byte budgets and the deadlines apply there). */
export function clientKey(address, supplied) {
    if (supplied)
        return supplied;
    if (imapLimits.sharedLoopback && isLoopback(address))
        return undefined;
    return address;
}
function isLoopback(address) {
    return address === '::1' || /^(::ffff:)?127\./i.test(address);
}
export async function startImap(ctx) {
    const plainAt = ctx.config.listen.imap;
    const tlsAt = ctx.config.listen.imaps;
    const onionAt = ctx.config.listen.imapOnion;
    if (!plainAt && !tlsAt && !onionAt)
        return undefined;
    const tlsOptions = serverTlsOptions(ctx.tls);
    const base = {
        store: ctx.store,
        pipeline: ctx.pipeline,
        config: ctx.config,
        throttle: new AuthThrottle(() => accountLockoutFor(ctx.store)),
        secureContext: createSecureContext(tlsOptions),
        appendLimit: ctx.config.smtp.maxMessageSize,
    };
    const tracker = new ConnectionTracker();
    const sessions = new Set();
    const servers = [];
    const listeners = [];
    const perAddress = new Map();
    /** `client`: the identity the listener supplies for the connection (a Tor circuit), if any. */
    const accept = (socket, implicitTls, client) => {
        tracker.add(socket);
        const key = clientKey(socket.remoteAddress ?? '', client);
        const open = key === undefined ? 0 : perAddress.get(key) ?? 0;
        if (sessions.size >= imapLimits.maxConnections || open >= imapLimits.maxConnectionsPerAddress) {
            log.warn('imap.too-many-connections', { client: redact('ip', key ?? 'shared'), open });
            socket.on('error', () => socket.destroy());
            socket.end('* BYE [UNAVAILABLE] too many connections; try again later\r\n');
            setTimeout(() => socket.destroy(), imapLimits.closeGraceMs).unref();
            return;
        }
        if (key !== undefined) {
            perAddress.set(key, open + 1);
            socket.once('close', () => { const n = (perAddress.get(key) ?? 1) - 1; if (n > 0)
                perAddress.set(key, n);
            else
                perAddress.delete(key); });
        }
        socket.setNoDelay(true);
        socket.setKeepAlive(true, 60_000);
        const session = new Session(socket, { ...base, implicitTls, ...(client ? { clientAddress: client } : {}) });
        sessions.add(session);
        socket.once('close', () => sessions.delete(session));
        session.start();
    };
    try {
        if (plainAt) {
            const server = createNetServer((s) => accept(s, false));
            await listen(server, 'imap', plainAt);
            server.on('error', (e) => log.warn('imap.accept-failed', { error: e.message }));
            servers.push(server);
            listeners.push({ name: 'imap', endpoint: plainAt });
        }
        if (tlsAt) {
            const server = createTlsServer(tlsOptions, (s) => accept(s, true));
            server.on('tlsClientError', (e, s) => { log.debug('imap.tls-failed', { error: e.message, client: redact('ip', s.remoteAddress) }); s.destroy(); });
            await listen(server, 'imaps', tlsAt);
            server.on('error', (e) => log.warn('imap.accept-failed', { error: e.message }));
            servers.push(server);
            listeners.push({ name: 'imaps', endpoint: tlsAt });
        }
        if (onionAt) {
            const server = createNetServer((s) => {
                tracker.add(s);
                s.on('error', () => s.destroy());
                readTorCircuitHeader(s).then((h) => {
                    if (h.virtualPort !== 993) {
                        s.resume();
                        accept(s, false, h.client);
                        return;
                    }
                    const secure = new TLSSocket(afterHeader(s), { isServer: true, secureContext: base.secureContext });
                    secure.on('error', (e) => { log.debug('imap.tls-failed', { error: e.message, client: redact('ip', h.client) }); secure.destroy(); });
                    accept(secure, true, h.client);
                }, (e) => { log.debug('imap.onion-refused', { reason: e.message }); s.destroy(); });
            });
            await listen(server, 'imapOnion', onionAt);
            server.on('error', (e) => log.warn('imap.accept-failed', { error: e.message }));
            servers.push(server);
            listeners.push({ name: 'imapOnion', endpoint: onionAt });
        }
    }
    catch (e) {
        await Promise.all(servers.map(closeServer));
        throw e;
    }
    return {
        name: 'imap',
        listeners,
        // New connections and STARTTLS take the new context; open sessions keep theirs.
        reloadTls(material) {
            const next = serverTlsOptions(material);
            base.secureContext = createSecureContext(next);
            for (const s of servers)
                if (s instanceof TlsServer)
                    s.setSecureContext(next);
        },
        async close(graceMs) {
            const closing = Promise.all(servers.map(closeServer));
            for (const s of sessions)
                s.shutdown();
            await tracker.drain(Math.min(graceMs, 2000));
            await closing;
        },
    };
}
//# sourceMappingURL=index.js.map