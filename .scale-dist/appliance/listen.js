import { ListenError } from './service.js';
export function listen(server, name, endpoint) {
    return new Promise((resolve, reject) => {
        const onError = (e) => { server.off('listening', onListening); reject(new ListenError(name, endpoint, e)); };
        const onListening = () => { server.off('error', onError); resolve(); };
        server.once('error', onError);
        server.once('listening', onListening);
        server.listen({ host: endpoint.host, port: endpoint.port, exclusive: true });
    });
}
/** Track open sockets of a server so they can be ended at shutdown. */
export class ConnectionTracker {
    sockets = new Set();
    add(socket) {
        this.sockets.add(socket);
        socket.once('close', () => this.sockets.delete(socket));
    }
    get size() { return this.sockets.size; }
    /** Wait up to `graceMs` for sockets to close by themselves, then destroy the rest. */
    async drain(graceMs) {
        const deadline = Date.now() + graceMs;
        while (this.sockets.size > 0 && Date.now() < deadline)
            await new Promise((r) => setTimeout(r, 50));
        for (const s of this.sockets)
            s.destroy();
    }
}
export function closeServer(server) {
    return new Promise((resolve) => {
        if (!server.listening) {
            resolve();
            return;
        }
        server.close(() => resolve());
    });
}
//# sourceMappingURL=listen.js.map