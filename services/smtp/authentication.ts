// Inbound message authentication (SPF, DKIM, DMARC, ARC) with mailauth, giving the
// Authentication-Results header (RFC 8601) and whether DMARC asks to reject the message.
import { authenticate, type DNSResolver } from 'mailauth';

export type { DNSResolver };

export interface InboundCheck {
  /** header lines to prepend (Received-SPF, Authentication-Results), each ending in CRLF */
  headers: string;
  /** the From domain's DMARC policy is reject and the message failed DMARC */
  dmarcReject: boolean;
  /** the message failed DMARC and the policy is quarantine (or reject): it belongs in Junk */
  dmarcQuarantine: boolean;
  /** short results for logs: spf=pass dkim=fail ... */
  summary: string;
}

export interface InboundContext {
  ip: string;
  helo: string;
  mailFrom: string;
  /** the authserv-id: the box's hostname */
  hostname: string;
  resolver?: DNSResolver;
}

export async function checkInbound(raw: Buffer, c: InboundContext): Promise<InboundCheck> {
  const r = await authenticate(raw, {
    ip: c.ip.replace(/^::ffff:/i, ''),
    helo: c.helo,
    sender: c.mailFrom,
    mta: c.hostname,
    disableBimi: true,
    ...(c.resolver ? { resolver: c.resolver } : {}),
  });
  const dmarc = r.dmarc || undefined;
  const dmarcReject = !!dmarc && dmarc.status.result === 'fail' && dmarc.policy === 'reject';
  const dmarcQuarantine = !!dmarc && dmarc.status.result === 'fail' && (dmarc.policy === 'quarantine' || dmarc.policy === 'reject');
  const spf = r.spf ? r.spf.status.result : 'none';
  const dkim = r.dkim.results.map((d) => d.status.result).join(',') || 'none';
  const summary = `spf=${spf} dkim=${dkim} dmarc=${dmarc ? dmarc.status.result : 'none'} arc=${r.arc ? r.arc.status.result : 'none'}`;
  let headers = r.headers.replace(/\r?\n/g, '\r\n');
  if (!headers.endsWith('\r\n')) headers += '\r\n';
  return { headers, dmarcReject, dmarcQuarantine, summary };
}

/** RFC 8601 section 5: Authentication-Results fields that arrive claiming this box's authserv-id
 *  are forgeries; they are renamed (not deleted, so the message stays intact for inspection). */
export function renameForgedResults(raw: Buffer, hostname: string): Buffer {
  const end = headerEndOffset(raw);
  const head = raw.subarray(0, end).toString('latin1');
  const host = hostname.toLowerCase();
  let changed = false;
  const fixed = head.replace(/(^|\r?\n)Authentication-Results:([ \t]*(?:\r?\n[ \t]+)*)([^;\s]+)/gi, (m, lead: string, ws: string, id: string) => {
    if (id.toLowerCase() !== host) return m;
    changed = true;
    return `${lead}X-Forged-Authentication-Results:${ws}${id}`;
  });
  return changed ? Buffer.concat([Buffer.from(fixed, 'latin1'), raw.subarray(end)]) : raw;
}

function headerEndOffset(raw: Buffer): number {
  const i = raw.indexOf('\r\n\r\n');
  return i < 0 ? raw.length : i + 2;
}
