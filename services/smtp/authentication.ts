// Inbound message authentication (SPF, DKIM, DMARC, ARC) with mailauth, giving the
// Authentication-Results header (RFC 8601) and whether DMARC asks to reject the message.
import type { DNSResolver } from 'mailauth';

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
  // loaded with the first message, not at start (mailauth is ~35 MB of an idle box: issue 20)
  const { authenticate } = await import('mailauth');
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
 *  are forgeries; they are renamed (not deleted, so the message stays intact for inspection). The
 *  authserv-id is read as RFC 8601 2.2 defines it, after unfolding: optional CFWS (comments,
 *  nested and with quoted-pairs, and folding white space), then a `value` (RFC 2045: a token or a
 *  quoted-string), so `"mail.example.test"`, `(c) mail.example.test`, a folded or
 *  differently-cased name, a trailing dot or a space before the colon all count as ours. A field
 *  whose authserv-id cannot be read at all is renamed too: no reader can trust it. */
export function renameForgedResults(raw: Buffer, hostname: string): Buffer {
  const end = headerEndOffset(raw);
  const head = raw.subarray(0, end).toString('latin1');
  const host = hostname.toLowerCase().replace(/\.$/, '');
  const fields = splitFields(head);
  let changed = false;
  const out = fields.map((f) => {
    const m = /^(Authentication-Results)([ \t]*:)/i.exec(f);
    if (!m) return f;
    const id = authservId(f.slice(m[0].length));
    if (id !== undefined && id.toLowerCase().replace(/\.$/, '') !== host) return f;
    changed = true;
    return `X-Forged-${f}`;
  });
  return changed ? Buffer.concat([Buffer.from(out.join(''), 'latin1'), raw.subarray(end)]) : raw;
}

/** The header block as fields, each with its folded continuation lines and line ends. */
function splitFields(head: string): string[] {
  const fields: string[] = [];
  const re = /[^\n]*\n|[^\n]+$/g;
  for (const line of head.match(re) ?? []) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && fields.length) fields[fields.length - 1] += line;
    else fields.push(line);
  }
  return fields;
}

/** RFC 8601 2.2 `authserv-id = value` after `[CFWS]`; undefined when there is none. */
export function authservId(fieldValue: string): string | undefined {
  const v = fieldValue.replace(/\r?\n(?=[ \t])/g, '');
  let i = 0;
  // CFWS: white space and comments (which nest and may hold quoted-pairs)
  for (;;) {
    while (i < v.length && (v[i] === ' ' || v[i] === '\t' || v[i] === '\r' || v[i] === '\n')) i++;
    if (v[i] !== '(') break;
    let depth = 0;
    for (; i < v.length; i++) {
      const ch = v[i];
      if (ch === '\\') { i++; continue; }
      if (ch === '(') depth++;
      else if (ch === ')' && --depth === 0) { i++; break; }
    }
    if (depth > 0) return undefined;
  }
  if (v[i] === '"') {
    let out = '';
    for (i++; i < v.length; i++) {
      const ch = v[i]!;
      if (ch === '\\') { out += v[++i] ?? ''; continue; }
      if (ch === '"') return out.trim();
      out += ch;
    }
    return undefined;
  }
  // a token: up to white space, a comment, ';' or any other tspecial (RFC 2045 5.1)
  const m = /^[^\s()<>@,;:\\"/[\]?=\x00-\x1f\x7f]+/.exec(v.slice(i));
  return m ? m[0] : undefined;
}
function headerEndOffset(raw: Buffer): number {
  const i = raw.indexOf('\r\n\r\n');
  return i < 0 ? raw.length : i + 2;
}
