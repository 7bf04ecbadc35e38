// Bind a net.Server to an endpoint, turning bind errors into one-sentence ListenErrors, and close
// servers gracefully: stop accepting, wait for connections to end, then destroy what is left.
import type { Server } from 'node:net';
import type { Socket } from 'node:net';
import type { Endpoint } from './config.js';
import { ListenError } from './service.js';

export function listen(server: Server, name: string, endpoint: Endpoint): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => { server.off('listening', onListening); reject(new ListenError(name, endpoint, e)); };
    const onListening = () => { server.off('error', onError); resolve(); };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host: endpoint.host, port: endpoint.port, exclusive: true });
  });
}

/** Track open sockets of a server so they can be ended at shutdown. */
export class ConnectionTracker {
  private readonly sockets = new Set<Socket>();

  add(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  get size(): number { return this.sockets.size; }

  /** Wait up to `graceMs` for sockets to close by themselves, then destroy the rest. */
  async drain(graceMs: number): Promise<void> {
    const deadline = Date.now() + graceMs;
    while (this.sockets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    for (const s of this.sockets) s.destroy();
  }
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) { resolve(); return; }
    server.close(() => resolve());
  });
}
