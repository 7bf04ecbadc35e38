// v3 client authorization for the panel's onion service (rend-spec-v3 "client authorization"):
// each device gets its own x25519 key pair. Postern keeps only the public keys (in
// <systemDir>/tor/panel-clients.json); the private key is shown once, as the line a Tor client
// puts in a "*.auth_private" file (ClientOnionAuthDir) or pastes into Tor Browser, and as a QR
// code. While at least one device is listed, the panel onion answers only authorized clients.
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemDir, type Config } from '../../appliance/config.js';
import { base32Encode } from './base32.js';
import { OnionIdentity, writeSecretFile } from './onion-key.js';
import { torPaths } from './torrc.js';
import type { TorService } from './status.js';

export interface PanelClient { name: string; publicKey: string; created: string }

export interface ClientAuthGrant {
  name: string;
  /** base32 x25519 public key (what the onion service lists) */
  publicKey: string;
  /** "<56 chars>:descriptor:x25519:<base32 private key>": the content of a .auth_private file */
  authPrivate: string;
  /** the private key in base64 (ONION_CLIENT_AUTH_ADD takes this) */
  privateKeyBase64: string;
  /** the panel's onion address */
  onion: string;
  /** an SVG QR code of `authPrivate` */
  qrSvg: string;
}

export class ClientAuthError extends Error {
  constructor(message: string) { super(message); this.name = 'ClientAuthError'; }
}

export function torDir(config: Config): string {
  return join(systemDir(config), 'tor');
}

/** The panel onion's identity (created on first use). */
export function panelIdentity(config: Config): OnionIdentity {
  return OnionIdentity.loadOrCreate(join(torPaths(torDir(config)).keys, 'panel.key')); // = keys.ts onionKeyFile(config, 'panel')
}

export function listClientAuth(config: Config): PanelClient[] {
  const file = torPaths(torDir(config)).panelClients;
  if (!existsSync(file)) return [];
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(parsed)) throw new ClientAuthError(`${file} is damaged: expected a list`);
  return parsed.filter((c): c is PanelClient => typeof c === 'object' && c !== null
    && typeof (c as PanelClient).name === 'string' && /^[a-z2-7]{52}$/i.test(String((c as PanelClient).publicKey)));
}

function save(config: Config, clients: PanelClient[]): void {
  writeSecretFile(torPaths(torDir(config)).panelClients, Buffer.from(JSON.stringify(clients, null, 2) + '\n'));
}

/** Make a key pair for a device, list its public key, re-publish the panel onion (when tor runs)
 *  and return the private half for the device (shown once, never stored). */
export async function createClientAuth(config: Config, name: string, tor?: TorService): Promise<ClientAuthGrant> {
  const clean = name.trim();
  if (!/^[\p{L}\p{N} ._-]{1,40}$/u.test(clean)) throw new ClientAuthError('a device name is 1-40 letters, digits, spaces, dots, dashes or underscores');
  const clients = listClientAuth(config);
  if (clients.some((c) => c.name.toLowerCase() === clean.toLowerCase())) throw new ClientAuthError(`a device named "${clean}" is already authorized`);
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const priv = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
  const onion = panelIdentity(config).address;
  const grant: ClientAuthGrant = {
    name: clean,
    publicKey: base32Encode(pub).toUpperCase(),
    authPrivate: `${onion.slice(0, 56)}:descriptor:x25519:${base32Encode(priv).toUpperCase()}`,
    privateKeyBase64: priv.toString('base64'),
    onion,
    qrSvg: '',
  };
  const QRCode = (await import('qrcode')).default; // at first use, not at start (idle memory)
  grant.qrSvg = await QRCode.toString(grant.authPrivate, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  save(config, [...clients, { name: clean, publicKey: grant.publicKey, created: new Date().toISOString() }]);
  await tor?.refreshPanelAuth();
  return grant;
}

/** Withdraw a device's authorization; returns false when no device has that name. */
export async function removeClientAuth(config: Config, name: string, tor?: TorService): Promise<boolean> {
  const clients = listClientAuth(config);
  const rest = clients.filter((c) => c.name.toLowerCase() !== name.trim().toLowerCase());
  if (rest.length === clients.length) return false;
  save(config, rest);
  await tor?.refreshPanelAuth();
  return true;
}
