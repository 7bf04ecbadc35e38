// Optional discovery of a domain's onion MX through an `_onion-mx._tcp.DOMAIN` SRV record (the
// onionmx convention). DNS is not authenticated and the record carries no certificate, so a
// discovered onion is only a hint shown to the household: a peer is added from its signed card,
// which carries the TLS fingerprint that makes the route safe.
import type { Resolver } from 'node:dns/promises';
import { isDomainName } from '../../appliance/config.js';
import { isOnionAddress } from '../tor/onion-key.js';

export interface OnionMx { onion: string; port: number; priority: number; weight: number }

export async function discoverOnionMx(resolver: Pick<Resolver, 'resolveSrv'>, domain: string): Promise<OnionMx[]> {
  if (!isDomainName(domain)) throw new Error(`${JSON.stringify(domain)} is not a domain name`);
  let records: Array<{ name: string; port: number; priority: number; weight: number }>;
  try {
    records = await resolver.resolveSrv(`_onion-mx._tcp.${domain}`);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTFOUND' || code === 'ENODATA') return [];
    throw e;
  }
  return records
    .map((r) => ({ onion: r.name.toLowerCase().replace(/\.$/, ''), port: r.port, priority: r.priority, weight: r.weight }))
    .filter((r) => isOnionAddress(r.onion) && r.port > 0)
    .sort((a, b) => a.priority - b.priority || b.weight - a.weight);
}
