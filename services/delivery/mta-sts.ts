// MTA-STS (RFC 8461): a domain's published promise that its MX hosts speak TLS with valid
// certificates. The TXT record `_mta-sts.DOMAIN` is read through our resolver (mailauth parses it);
// the policy file comes from https://mta-sts.DOMAIN/.well-known/mta-sts.txt through an injectable
// fetch (tests serve one locally). Policies are cached for max_age; a failed refresh keeps the
// cached policy (RFC 8461 5.1).
import { request } from 'node:https';
import type { DnsLookups } from './mx.js';
import { clientTlsOptions } from '../../appliance/tls/policy.js';

export type PolicyFetch = (domain: string) => Promise<string>;

export interface StsPolicy { id: string; mode: 'enforce' | 'testing' | 'none'; mx: string[]; expiresAt: number }

/** Does an MX host name match a policy's "mx" patterns? A wildcard covers exactly one label. */
export function mxAllowed(policy: StsPolicy, host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return policy.mx.some((p) => {
    if (p.startsWith('*.')) {
      const rest = p.slice(1);
      return h.endsWith(rest) && !h.slice(0, -rest.length).includes('.') && h.length > rest.length;
    }
    return p === h;
  });
}

/** The production fetch: HTTPS with a verified certificate, no redirects, 64 KiB at most. */
export const httpsPolicyFetch: PolicyFetch = (domain) => new Promise((resolve, reject) => {
  const host = `mta-sts.${domain}`;
  const req = request({ ...clientTlsOptions({ servername: host, rejectUnauthorized: true }), host, port: 443, path: '/.well-known/mta-sts.txt', method: 'GET', timeout: 15_000 }, (res) => {
    if (res.statusCode !== 200) { res.resume(); reject(new Error(`HTTP ${res.statusCode}`)); return; }
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => { size += c.length; if (size > 65536) req.destroy(new Error('policy too large')); else chunks.push(c); });
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
  req.on('timeout', () => req.destroy(new Error('timed out')));
  req.on('error', reject);
  req.end();
});

export class MtaStsPolicies {
  private readonly cache = new Map<string, StsPolicy>();

  constructor(private readonly resolver: DnsLookups, private readonly fetch: PolicyFetch, private readonly now: () => number) {}

  /** The policy in force for a domain, or undefined when it publishes none. */
  async policyFor(domain: string): Promise<StsPolicy | undefined> {
    const cached = this.cache.get(domain);
    let id: string | false;
    try {
      // mailauth is loaded at the first delivery, not at start (idle memory: issue 20)
      const { resolvePolicy } = await import('mailauth/lib/mta-sts.js');
      id = await resolvePolicy(domain, {
        resolver: async (name: string, type: string) => type === 'TXT' ? this.resolver.resolveTxt(name) : [],
      } as unknown as Parameters<typeof resolvePolicy>[1]);
    } catch {
      return cached && cached.expiresAt > this.now() ? cached : undefined;
    }
    if (!id) return cached && cached.expiresAt > this.now() ? cached : undefined;
    if (cached && cached.id === id && cached.expiresAt > this.now()) return cached;
    try {
      const { parsePolicy } = await import('mailauth/lib/mta-sts.js');
      const parsed = parsePolicy(await this.fetch(domain));
      const policy: StsPolicy = {
        id, mode: (parsed.mode ?? 'none') as StsPolicy['mode'], mx: (parsed.mx ?? []).map((m) => m.toLowerCase()),
        expiresAt: this.now() + Number(parsed.maxAge ?? 0) * 1000,
      };
      this.cache.set(domain, policy);
      return policy;
    } catch {
      return cached && cached.expiresAt > this.now() ? cached : undefined;
    }
  }
}
