// The appliance's control socket protocol (used by `postern lock`, `postern unlock`,
// `postern storage setup|status`, `postern cert rotate-key`): one JSON request line, one JSON reply line, per connection.
import type { ApplianceState } from '../service.js';
import type { VolumeStatus } from '../storage-helper/protocol.js';

export type ControlRequest =
  | { op: 'status' }
  | { op: 'lock' }
  | { op: 'unlock'; secret: string }
  | { op: 'setup'; passphrase: string }
  | { op: 'rotate-key' };

export type ControlReply =
  | { ok: true; state: ApplianceState; storage: 'plain' | 'luks'; volume?: VolumeStatus; recoveryKey?: string; spki?: string[] }
  | { ok: false; code: string; message: string };

export const MAX_CONTROL_REQUEST = 4096;

export function parseControlRequest(line: string): ControlRequest {
  if (line.length > MAX_CONTROL_REQUEST) throw new Error('request too long');
  const v: unknown = JSON.parse(line);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('request must be a JSON object');
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort().join(',');
  if ((o.op === 'status' || o.op === 'lock' || o.op === 'rotate-key') && keys === 'op') return { op: o.op };
  if (o.op === 'unlock' && keys === 'op,secret' && typeof o.secret === 'string') return { op: 'unlock', secret: o.secret };
  if (o.op === 'setup' && keys === 'op,passphrase' && typeof o.passphrase === 'string') return { op: 'setup', passphrase: o.passphrase };
  throw new Error('unknown request (expected status, lock, unlock, setup with their arguments, or rotate-key)');
}

/** The socket lives next to the keys that must be readable while locked (config.ts systemDir). */
export const CONTROL_SOCKET_NAME = 'control.sock';
