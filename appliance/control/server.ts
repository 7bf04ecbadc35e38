// The appliance's control socket: a unix socket in the system folder (mode 0600, so only the
// postern user and root may use it) through which the CLI locks, unlocks, sets up and inspects the
// running appliance. It runs as a system service, so it answers while the box is locked too.
import { createServer, createConnection, type Socket } from 'node:net';
import { chmodSync, existsSync, mkdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { systemDir } from '../config.js';
import { log } from '../log.js';
import { VolumeError, volumeStatus } from '../volume.js';
import type { ApplianceHandle, RunningService, SystemContext } from '../service.js';
import { CONTROL_SOCKET_NAME, MAX_CONTROL_REQUEST, parseControlRequest, type ControlReply, type ControlRequest } from './protocol.js';

export function controlSocketPath(config: SystemContext['config']): string {
  return join(systemDir(config), CONTROL_SOCKET_NAME);
}

async function answer(appliance: ApplianceHandle, req: ControlRequest): Promise<ControlReply> {
  const storage = appliance.config.storage.mode;
  switch (req.op) {
    case 'status': {
      let volume;
      try { volume = await volumeStatus(appliance.config); } catch { volume = undefined; }
      return { ok: true, state: appliance.state, storage, ...(volume ? { volume } : {}) };
    }
    case 'lock':
      if (storage !== 'luks') return { ok: false, code: 'plain', message: 'storage is a plain folder: there is nothing to lock' };
      await appliance.lock();
      return { ok: true, state: appliance.state, storage };
    case 'unlock':
      if (appliance.state !== 'locked') return { ok: false, code: 'not-locked', message: `the appliance is ${appliance.state}, not locked` };
      await appliance.unlock(req.secret);
      return { ok: true, state: appliance.state, storage };
    case 'setup': {
      if (storage !== 'luks') return { ok: false, code: 'plain', message: 'storage is a plain folder: there is no volume to set up' };
      const { recoveryKey } = await appliance.setupStorage(req.passphrase);
      return { ok: true, state: appliance.state, storage, recoveryKey };
    }
    case 'rotate-key': {
      // This process holds the CA key (never on the card): the CLI asks it to sign.
      if (!appliance.rotateTlsKeys) return { ok: false, code: 'failed', message: 'this appliance cannot make new keys' };
      const tls = await appliance.rotateTlsKeys();
      return { ok: true, state: appliance.state, storage, spki: tls.serverSpki };
    }
  }
}

/** Remove a socket file left by a process that is gone; refuse if another appliance is listening. */
async function clearStale(path: string): Promise<void> {
  if (!existsSync(path)) return;
  const alive = await new Promise<boolean>((resolve) => {
    const s = createConnection(path);
    s.on('connect', () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
  });
  if (alive) throw new Error(`another Postern is already running (its control socket ${path} answers)`);
  unlinkSync(path);
}

export async function startControlSocket(ctx: SystemContext): Promise<RunningService> {
  const path = controlSocketPath(ctx.config);
  mkdirSync(systemDir(ctx.config), { recursive: true, mode: 0o700 });
  await clearStale(path);
  const sockets = new Set<Socket>();
  const server = createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => sock.destroy());
    sock.setEncoding('utf8');
    let buf = '';
    let taken = false;
    sock.on('data', (d: string) => {
      if (taken) return;
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl < 0 && buf.length <= MAX_CONTROL_REQUEST) return;
      taken = true;
      const send = (r: ControlReply) => { if (!sock.destroyed) sock.end(JSON.stringify(r) + '\n'); };
      let req: ControlRequest;
      try { req = parseControlRequest(nl < 0 ? buf : buf.slice(0, nl)); } catch (e) {
        send({ ok: false, code: 'invalid', message: (e as Error).message });
        return;
      }
      log.info('control.request', { op: req.op });
      answer(ctx.appliance, req).then(send, (e: unknown) => {
        const code = e instanceof VolumeError ? e.code : 'failed';
        log.warn('control.failed', { op: req.op, code, error: (e as Error).message });
        send({ ok: false, code, message: (e as Error).message });
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => { server.off('error', reject); resolve(); });
  });
  chmodSync(path, 0o600);
  return {
    name: 'control',
    listeners: [],
    async close() {
      await new Promise<void>((resolve) => { server.close(() => resolve()); for (const s of sockets) s.destroy(); });
      try { unlinkSync(path); } catch { /* already gone */ }
    },
  };
}
