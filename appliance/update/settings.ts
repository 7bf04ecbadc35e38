// Where updates live and come from, with the defaults of the image: the configuration file's
// optional "update" object (validated in config.ts) over these.
import type { Config } from '../config.js';

export interface UpdateSettings {
  /** the release root: releases/VERSION side by side and the `current` link (the image: /opt/postern) */
  root: string;
  /** the public key bundles and the feed's index must be signed with */
  publicKey: string;
  /** the signed release index (https://, or http:// over Tor's SOCKS for .onion), if any */
  feed?: string;
  /** fetch the feed through this SOCKS5 proxy ("host:port", Tor's) */
  socks?: string;
  /** an https:// feed's certificate must chain to this CA (PEM file) instead of the system's roots
   *  (a household's or a LAN mirror's own CA) */
  ca?: string;
  /** install automatically inside this daily window (local time "HH:MM-HH:MM"); none: only by hand */
  window?: string;
  /** seconds the new version has to pass its self-test before it is rolled back */
  healthSeconds: number;
  /** how the appliance is stopped and started: systemd's postern.service, or a plain process */
  service: 'systemd' | 'process';
}

export const DEFAULT_UPDATE_ROOT = '/opt/postern';
export const DEFAULT_PUBLIC_KEY = '/etc/postern/update-key.pub';

export function updateSettings(config: Config): UpdateSettings {
  const u = config.update ?? {};
  return {
    root: process.env.POSTERN_RELEASE_ROOT ?? u.root ?? DEFAULT_UPDATE_ROOT,
    publicKey: u.publicKey ?? DEFAULT_PUBLIC_KEY,
    ...(u.feed ? { feed: u.feed } : {}),
    ...(u.socks ? { socks: u.socks } : {}),
    ...(u.ca ? { ca: u.ca } : {}),
    window: u.window ?? '03:00-05:00',
    healthSeconds: u.healthSeconds ?? 120,
    service: u.service ?? 'systemd',
  };
}
