// The SMTP service: the public MX, the onion MX (tor's PROXY header first), submission with
// STARTTLS and submissions with implicit TLS. Each listener whose key is in the configuration runs.
import { promises as dnsPromises } from 'node:dns';
import { listen } from '../../appliance/listen.js';
import { serverTlsOptions } from '../../appliance/tls/policy.js';
import { log } from '../../appliance/log.js';
import { PosternSmtpServer } from './server.js';
import { SmtpTransactions } from './transaction.js';
import { ClientLimits, DEFAULT_AUTH_LIMITS, DEFAULT_REFUSED_RECIPIENTS } from './limits.js';
import { ensureDkimKeys } from './domains.js';
import { MemoryBudget } from './message-reader.js';
const KINDS = ['mx', 'mxOnion', 'submission', 'submissions'];
function resolverFor(servers) {
    if (!servers?.length)
        return undefined;
    const r = new dnsPromises.Resolver({ timeout: 3000, tries: 2 });
    r.setServers([...servers]);
    return async (name, rrtype) => r.resolve(name, rrtype);
}
export async function startSmtpService(ctx, tuning = {}) {
    const cfg = ctx.config;
    const domains = new Set([...cfg.domains, ...ctx.store.domains.list()]);
    for (const d of domains)
        await ensureDkimKeys(ctx.store, d);
    const limits = new ClientLimits({
        maxConnectionsPerClient: cfg.smtp.maxConnectionsPerClient,
        messagesPerMinutePerClient: cfg.smtp.messagesPerMinutePerClient,
        authFailuresBeforeLockout: tuning.authFailuresBeforeLockout ?? DEFAULT_AUTH_LIMITS.authFailuresBeforeLockout,
        authFailureDelayMs: tuning.authFailureDelayMs ?? DEFAULT_AUTH_LIMITS.authFailureDelayMs,
        lockoutMs: tuning.lockoutMs ?? DEFAULT_AUTH_LIMITS.lockoutMs,
        maxRefusedRecipients: tuning.maxRefusedRecipients ?? DEFAULT_REFUSED_RECIPIENTS,
    });
    const sweeper = setInterval(() => limits.sweep(), 60_000);
    sweeper.unref();
    const resolver = tuning.resolver ?? resolverFor(cfg.delivery.dnsServers);
    const memory = new MemoryBudget(tuning.memoryBudget ?? Math.max(256 * 1024 * 1024, 2 * cfg.smtp.maxMessageSize));
    const running = [];
    const tls = serverTlsOptions(ctx.tls);
    try {
        for (const kind of KINDS) {
            const endpoint = cfg.listen[kind];
            if (!endpoint)
                continue;
            const isMx = kind === 'mx' || kind === 'mxOnion';
            let server;
            const tx = new SmtpTransactions(ctx, { kind, limits, memory, ...(resolver ? { resolver } : {}), onSessionClosed: (id) => server?.release(id) });
            server = new PosternSmtpServer({
                ...tls,
                secure: kind === 'submissions',
                // The MX asks for (never requires) a client certificate: SMTorP peers present theirs.
                ...(isMx ? { requestCert: true, rejectUnauthorized: false } : {}),
                name: cfg.hostname,
                banner: 'Postern',
                size: cfg.smtp.maxMessageSize,
                authMethods: ['PLAIN', 'LOGIN'],
                authOptional: isMx,
                disabledCommands: isMx ? ['AUTH'] : [],
                allowInsecureAuth: false,
                hideENHANCEDSTATUSCODES: false,
                hidePIPELINING: false,
                hide8BITMIME: false,
                hideSMTPUTF8: false,
                // RFC 3461 DSN for the family's own mail only: on the MX a NOTIFY=SUCCESS would mean
                // notices to outside senders, which the box never sends (no backscatter)
                hideDSN: isMx,
                useProxy: kind === 'mxOnion',
                disableReverseLookup: true,
                logger: false,
                maxClients: tuning.maxClients ?? 200,
                maxRecipients: cfg.smtp.maxRecipients,
                socketTimeout: tuning.idleMs ?? 300_000,
                closeTimeout: 10_000,
                maxCommandLength: 4096,
                onConnect: (s, cb) => tx.onConnect(s, cb),
                onSecure: (sock, s, cb) => tx.onSecure(sock, s, cb),
                onAuth: (a, s, cb) => tx.onAuth(a, s, cb),
                onMailFrom: (a, s, cb) => tx.onMailFrom(a, s, cb),
                onRcptTo: (a, s, cb) => tx.onRcptTo(a, s, cb),
                onData: (st, s, cb) => tx.onData(st, s, cb),
                onClose: (s) => tx.onClose(s),
            }, tuning.lifetimeMs ?? 20 * 60_000);
            server.on('error', (e) => log.debug('smtp.connection-error', { listener: kind, error: e.message }));
            await listen(server.server, kind, endpoint);
            const addr = server.server.address();
            running.push({ kind, endpoint: { host: endpoint.host, port: typeof addr === 'object' && addr ? addr.port : endpoint.port }, server });
        }
    }
    catch (e) {
        clearInterval(sweeper);
        for (const r of running)
            r.server.server.close();
        throw e;
    }
    if (!running.length) {
        clearInterval(sweeper);
        return undefined;
    }
    return {
        name: 'smtp',
        listeners: running.map((r) => ({ name: r.kind, endpoint: r.endpoint })),
        port: (kind) => running.find((r) => r.kind === kind)?.endpoint.port,
        // New connections (implicit TLS and STARTTLS) take the new contexts; open sessions keep theirs.
        reloadTls(material) {
            const next = serverTlsOptions(material);
            for (const r of running)
                r.server.updateSecureContext(next);
        },
        async close(graceMs) {
            clearInterval(sweeper);
            await Promise.all(running.map((r) => new Promise((resolve) => {
                r.server.options.closeTimeout = Math.max(1, graceMs);
                r.server.close(() => resolve());
            })));
        },
    };
}
export const startSmtp = (ctx) => startSmtpService(ctx);
//# sourceMappingURL=index.js.map