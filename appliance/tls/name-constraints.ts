// The local CA's NameConstraints extension (RFC 5280 4.2.1.10), marked critical: the names the
// box's CA may vouch for. DNS: the household's domains, the host names, the onion names and
// localhost, each with its sub-domains; IP: loopback only (127.0.0.0/8, ::1, what server
// certificates carry); mail addresses (rfc822Name): at the household's domains and their
// sub-domains. No constraint of a type would leave that type open, so all three are always set.
// Built with the ASN.1 schema of @peculiar/asn1-x509 (the library behind @peculiar/x509).
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { AsnConvert } from '@peculiar/asn1-schema';
import { GeneralName, GeneralSubtree, GeneralSubtrees, NameConstraints, id_ce_nameConstraints } from '@peculiar/asn1-x509';

/** What a CA permits: DNS names (each with its sub-domains) and the domains of mail addresses. */
export interface CaNames { dns: string[]; mailDomains: string[] }

/** The IP ranges server certificates may name: loopback (the leafs carry 127.0.0.1). */
export const PERMITTED_IP_RANGES = ['127.0.0.0/8', '::1/128'] as const;

export function caConstraintsExtension(names: CaNames): x509.Extension {
  if (names.dns.length === 0) throw new Error('a CA needs at least one name');
  // Without a household domain, mail addresses at the host name only: never unconstrained.
  const mail = minimal(names.mailDomains.length ? names.mailDomains : [names.dns[0]!]);
  const subtrees = [
    ...minimal(names.dns).map((d) => new GeneralSubtree({ base: new GeneralName({ dNSName: d.toLowerCase() }) })),
    ...PERMITTED_IP_RANGES.map((ip) => new GeneralSubtree({ base: new GeneralName({ iPAddress: ip }) })),
    // "example.org": addresses at that host; ".example.org": at any host under it (RFC 5280)
    ...mail.flatMap((d) => [d, `.${d}`]).map((m) => new GeneralSubtree({ base: new GeneralName({ rfc822Name: m.toLowerCase() }) })),
  ];
  const value = AsnConvert.serialize(new NameConstraints({ permittedSubtrees: new GeneralSubtrees(subtrees) }));
  return new x509.Extension(id_ce_nameConstraints, true, value);
}

/** The names without those already within another one (mail.example.org under example.org). */
function minimal(names: readonly string[]): string[] {
  const all = [...new Set(names.map((n) => n.toLowerCase()))];
  return all.filter((n) => !all.some((b) => b !== n && withinDomain(n, b)));
}

/** The names a CA certificate (PEM) permits, or undefined when it has no NameConstraints. */
export function permittedNames(caPem: string): CaNames | undefined {
  const ext = new x509.X509Certificate(caPem).getExtension(id_ce_nameConstraints);
  if (!ext) return undefined;
  const nc = AsnConvert.parse(ext.value, NameConstraints);
  const dns: string[] = [];
  const mail: string[] = [];
  for (const s of nc.permittedSubtrees ?? []) {
    if (s.base.dNSName !== undefined) dns.push(s.base.dNSName.toLowerCase());
    if (s.base.rfc822Name !== undefined && !s.base.rfc822Name.includes('@')) mail.push(s.base.rfc822Name.replace(/^\./, '').toLowerCase());
  }
  return { dns: [...new Set(dns)], mailDomains: [...new Set(mail)] };
}

/** Whether `name` is `base` or a sub-domain of it (RFC 5280's dNSName subtree rule). */
export function withinDomain(name: string, base: string): boolean {
  const n = name.toLowerCase();
  const b = base.toLowerCase();
  return n === b || n.endsWith(`.${b}`);
}

/** Whether every name in `wanted` falls within what `had` permits. */
export function namesPermitted(had: CaNames, wanted: CaNames): boolean {
  return wanted.dns.every((n) => had.dns.some((b) => withinDomain(n, b)))
    && wanted.mailDomains.every((n) => had.mailDomains.some((b) => withinDomain(n, b)));
}
