// The files outside the database that make the box itself: its local CA and TLS keys (SMTorP peers
// pin them), the onion services' keys (the onion addresses), the panel's onion client list, and
// the first-run marker. Tor's own cache, sockets and logs are not among them.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { SystemFile } from './format.js';

const INCLUDED = ['tls', 'tor/keys', 'tor/panel-clients.json', 'setup-done'];
/** On the data volume, outside the store: the local CA's key (appliance/tls/ca-custody.ts). */
const VOLUME_INCLUDED = ['tls-ca'];

function collect(root: string, included: readonly string[]): SystemFile[] {
  const out: SystemFile[] = [];
  const add = (path: string): void => {
    const st = statSync(path);
    if (st.isDirectory()) {
      for (const n of readdirSync(path).sort()) add(join(path, n));
    } else if (st.isFile() && !path.endsWith('.tmp')) {
      out.push({ path: relative(root, path), mode: st.mode & 0o777, data: readFileSync(path).toString('base64') });
    }
  };
  for (const p of included) if (existsSync(join(root, p))) add(join(root, p));
  return out;
}

export function collectSystemFiles(systemDir: string): SystemFile[] {
  return collect(systemDir, INCLUDED);
}

export function collectVolumeFiles(dataDir: string): SystemFile[] {
  return collect(dataDir, VOLUME_INCLUDED);
}

function safe(path: string, included: readonly string[]): boolean {
  return !path.startsWith('/') && !path.split('/').includes('..') && included.some((p) => path === p || path.startsWith(p + '/'));
}

/** A system file's path from a snapshot, refused if it could leave the system folder. */
export function safeSystemPath(path: string): boolean {
  return safe(path, INCLUDED);
}

/** A data volume file's path from a snapshot, refused unless it is one a backup takes. */
export function safeVolumePath(path: string): boolean {
  return safe(path, VOLUME_INCLUDED);
}
