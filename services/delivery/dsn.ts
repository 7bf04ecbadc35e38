// Delivery status notifications (RFC 3464 in a RFC 6522 multipart/report): a delay notice while a
// message is still being retried and a bounce when recipients failed for good. They go only into
// a local sender's INBOX (the caller checks), never to an external address: no backscatter.
import { randomBytes } from 'node:crypto';

export interface DsnRecipient {
  address: string;
  /** RFC 3463 status, e.g. "5.1.1" */
  status: string;
  /** the remote server's last answer or our own diagnosis */
  diagnostic: string;
  remoteMta?: string;
}

export interface DsnInput {
  kind: 'delayed' | 'failed';
  reportingMta: string;
  sender: string;
  envid: string | null;
  arrival: Date;
  now: Date;
  /** delay notices: until when the message will be retried */
  retryUntil?: Date;
  recipients: DsnRecipient[];
  /** the original message (only its header is attached) */
  original: Buffer;
}

/** The RFC 3463 status for an SMTP answer text: the enhanced code when present, else by class. */
export function statusOf(reply: string, permanent: boolean): string {
  const m = /^(\d)\d{2}[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(reply);
  // the enhanced code counts only when its class matches the reply's; a 4.x.x code stays in a
  // bounce when the message expired (RFC 3463 4.4.7)
  if (m && m[1] === m[2]![0]) return m[2]!;
  return permanent ? '5.0.0' : '4.0.0';
}

function clean(s: string, max = 900): string {
  return s.replace(/[\r\n\t]+/g, ' ').replace(/[^\x20-\x7e]/g, '?').slice(0, max);
}

/** The header section of a message (up to the first empty line). */
export function headerOf(raw: Buffer): Buffer {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 2 : lf >= 0 ? lf + 1 : raw.length;
  return raw.subarray(0, Math.min(end, 256 * 1024));
}

function originalSubject(header: string): string | undefined {
  const m = /^subject:[ \t]*(.*(?:\r?\n[ \t].*)*)/im.exec(header);
  return m ? m[1]!.replace(/\r?\n[ \t]+/g, ' ').trim() : undefined;
}

export function buildDsn(d: DsnInput): Buffer {
  const boundary = `postern-dsn-${randomBytes(9).toString('hex')}`;
  const header = headerOf(d.original);
  const subj = originalSubject(header.toString('latin1'));
  const failed = d.kind === 'failed';
  const subject = failed ? 'Undelivered mail returned to sender' : 'Delayed mail (still being retried)';
  const list = d.recipients.map((r) => `  <${clean(r.address, 300)}>: ${clean(r.diagnostic, 400)}`).join('\r\n');
  const human = failed
    ? `Your message${subj ? ` "${clean(subj, 200)}"` : ''} could not be delivered to these recipients:\r\n\r\n${list}\r\n\r\nThe message will not be retried. Its header is attached below.\r\n`
    : `Your message${subj ? ` "${clean(subj, 200)}"` : ''} has not been delivered yet to these recipients:\r\n\r\n${list}\r\n\r\nPostern keeps trying${d.retryUntil ? ` until ${d.retryUntil.toUTCString()}` : ''}; you do not need to send it again.\r\nYou will be told if it finally fails.\r\n`;
  const perMessage = [`Reporting-MTA: dns; ${d.reportingMta}`];
  if (d.envid) perMessage.push(`Original-Envelope-Id: ${clean(d.envid, 100)}`);
  perMessage.push(`Arrival-Date: ${d.arrival.toUTCString().replace('GMT', '+0000')}`);
  const perRecipient = d.recipients.map((r) => {
    const f = [
      `Final-Recipient: rfc822; ${clean(r.address, 300)}`,
      `Action: ${failed ? 'failed' : 'delayed'}`,
      `Status: ${r.status}`,
    ];
    if (r.remoteMta) f.push(`Remote-MTA: dns; ${clean(r.remoteMta, 255)}`);
    f.push(`Diagnostic-Code: smtp; ${clean(r.diagnostic)}`);
    f.push(`Last-Attempt-Date: ${d.now.toUTCString().replace('GMT', '+0000')}`);
    if (!failed && d.retryUntil) f.push(`Will-Retry-Until: ${d.retryUntil.toUTCString().replace('GMT', '+0000')}`);
    return f.join('\r\n');
  });
  const head = [
    `From: Mail Delivery System <MAILER-DAEMON@${d.reportingMta}>`,
    `To: <${clean(d.sender, 300)}>`,
    `Subject: ${subject}`,
    `Date: ${d.now.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <dsn-${randomBytes(12).toString('hex')}@${d.reportingMta}>`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
  ].join('\r\n');
  let hdr = header.toString('latin1').replace(/\r?\n/g, '\r\n');
  if (!hdr.endsWith('\r\n')) hdr += '\r\n';
  const body = [
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    'Content-Description: Notification',
    '',
    human,
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    'Content-Description: Delivery report',
    '',
    perMessage.join('\r\n'),
    '',
    perRecipient.join('\r\n\r\n'),
    '',
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    'Content-Description: Undelivered message header',
    '',
    hdr,
    `--${boundary}--`,
    '',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(head + '\r\n\r\n', 'latin1'), Buffer.from(body, 'latin1')]);
}
