// Where a household's devices connect: host names (LAN and onion) and the ports the listeners are
// configured on. Used by the instructions page, Thunderbird's autoconfig and Apple's profile.
import type { Config } from '../../appliance/config.js';
import type { TorStatus } from '../../services/tor/status.js';

export interface MailEndpoints {
  host: string;
  imap?: { port: number; security: 'tls' | 'starttls' };
  smtp?: { port: number; security: 'tls' | 'starttls' };
  /** onion host names for IMAP and submission, when the onion services run */
  onionImap?: string;
  onionSmtp?: string;
  onionPanel?: string;
}

export function mailEndpoints(config: Config, tor: TorStatus | undefined): MailEndpoints {
  const l = config.listen;
  const e: MailEndpoints = { host: config.hostname };
  // Implicit TLS is preferred over STARTTLS (RFC 8314 3.3).
  if (l.imaps) e.imap = { port: l.imaps.port, security: 'tls' };
  else if (l.imap) e.imap = { port: l.imap.port, security: 'starttls' };
  if (l.submissions) e.smtp = { port: l.submissions.port, security: 'tls' };
  else if (l.submission) e.smtp = { port: l.submission.port, security: 'starttls' };
  for (const o of tor?.onions ?? []) {
    if (o.name === 'imap') e.onionImap = o.address;
    if (o.name === 'smtp') e.onionSmtp = o.address;
    if (o.name === 'panel') e.onionPanel = o.address;
  }
  return e;
}
