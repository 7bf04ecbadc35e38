// While the box is locked the mail listeners still answer, so that senders retry later and clients
// say why: SMTP gets "421 4.3.2" (a temporary failure: RFC 5321 4.2.3, RFC 3463 X.3.2 "system not
// accepting messages"), IMAP gets an untagged BYE (RFC 9051 7.1.5) with [UNAVAILABLE].
import { createServer as createNetServer } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { serverTlsOptions } from './tls/policy.js';
import { listen, closeServer, ConnectionTracker } from './listen.js';
const IMPLICIT_TLS = new Set(['submissions', 'imaps']);
export async function startLockedListeners(config, tls) {
    const servers = [];
    const tracker = new ConnectionTracker();
    const listeners = [];
    for (const name of ['mx', 'submission', 'submissions', 'imap', 'imaps']) {
        const endpoint = config.listen[name];
        if (!endpoint)
            continue;
        const isImap = name === 'imap' || name === 'imaps';
        const greet = isImap
            ? '* BYE [UNAVAILABLE] This Postern box is locked; unlock it in the panel and try again\r\n'
            : `421 4.3.2 ${config.hostname} is locked; try again later\r\n`;
        const onSocket = (s) => {
            tracker.add(s);
            s.on('error', () => s.destroy());
            s.setTimeout(10_000, () => s.destroy());
            s.end(greet);
        };
        const server = IMPLICIT_TLS.has(name) ? createTlsServer(serverTlsOptions(tls), onSocket) : createNetServer(onSocket);
        await listen(server, name, endpoint);
        servers.push(server);
        listeners.push({ name, endpoint });
    }
    return {
        name: 'locked',
        listeners,
        async close(graceMs) {
            await Promise.all([...servers.map(closeServer), tracker.drain(Math.min(graceMs, 1000))]);
        },
    };
}
//# sourceMappingURL=locked.js.map