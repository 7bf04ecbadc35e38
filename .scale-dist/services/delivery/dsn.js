// Delivery status notifications (RFC 3464 in a RFC 6522 multipart/report): a delay notice while a
// message is still being retried, a bounce when recipients failed for good, and, when the sender
// asked with NOTIFY=SUCCESS (RFC 3461), a success notice: "delivered" into a local mailbox or
// "relayed" to a next hop that does not offer DSN. They go only into a local sender's INBOX (the
// caller checks), never to an external address: no backscatter.
import { randomBytes } from 'node:crypto';
import { xtextEncode } from './xtext.js';
/** The RFC 3463 status for an SMTP answer text: the enhanced code when present, else by class. */
export function statusOf(reply, permanent) {
    const m = /^(\d)\d{2}[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(reply);
    // the enhanced code counts only when its class matches the reply's; a 4.x.x code stays in a
    // bounce when the message expired (RFC 3463 4.4.7)
    if (m && m[1] === m[2][0])
        return m[2];
    return permanent ? '5.0.0' : '4.0.0';
}
function clean(s, max = 900) {
    return s.replace(/[\r\n\t]+/g, ' ').replace(/[^\x20-\x7e]/g, '?').slice(0, max);
}
/** The header section of a message (up to the first empty line). */
export function headerOf(raw) {
    const crlf = raw.indexOf('\r\n\r\n');
    const lf = raw.indexOf('\n\n');
    const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 2 : lf >= 0 ? lf + 1 : raw.length;
    return raw.subarray(0, Math.min(end, 256 * 1024));
}
function originalSubject(header) {
    const m = /^subject:[ \t]*(.*(?:\r?\n[ \t].*)*)/im.exec(header);
    return m ? m[1].replace(/\r?\n[ \t]+/g, ' ').trim() : undefined;
}
const SUBJECTS = {
    failed: 'Undelivered mail returned to sender',
    delayed: 'Delayed mail (still being retried)',
    delivered: 'Successful mail delivery report',
    relayed: 'Mail relayed: delivery report',
};
export function buildDsn(d) {
    const boundary = `postern-dsn-${randomBytes(9).toString('hex')}`;
    const header = headerOf(d.original);
    const subj = originalSubject(header.toString('latin1'));
    const failed = d.kind === 'failed';
    // RFC 3461 4.3: RET=FULL asks for the whole message in a failure notice; never in the others
    const full = failed && d.ret === 'FULL' && d.original.length <= 10 * 1024 * 1024;
    const subject = SUBJECTS[d.kind];
    const list = d.recipients.map((r) => `  <${clean(r.address, 300)}>: ${clean(r.diagnostic, 400)}`).join('\r\n');
    const yours = `Your message${subj ? ` "${clean(subj, 200)}"` : ''}`;
    const human = failed
        ? `${yours} could not be delivered to these recipients:\r\n\r\n${list}\r\n\r\nThe message will not be retried. ${full ? 'It is attached below.' : 'Its header is attached below.'}\r\n`
        : d.kind === 'delayed'
            ? `${yours} has not been delivered yet to these recipients:\r\n\r\n${list}\r\n\r\nPostern keeps trying${d.retryUntil ? ` until ${d.retryUntil.toUTCString()}` : ''}; you do not need to send it again.\r\nYou will be told if it finally fails.\r\n`
            : d.kind === 'delivered'
                ? `${yours} was delivered to these recipients' mailboxes:\r\n\r\n${list}\r\n`
                : `${yours} was passed on to these recipients' mail servers, which do not report\r\ndelivery; you will not get a further notice of success:\r\n\r\n${list}\r\n`;
    const perMessage = [`Reporting-MTA: dns; ${d.reportingMta}`];
    if (d.envid)
        perMessage.push(`Original-Envelope-Id: ${xtextEncode(d.envid).slice(0, 300)}`);
    perMessage.push(`Arrival-Date: ${d.arrival.toUTCString().replace('GMT', '+0000')}`);
    const perRecipient = d.recipients.map((r) => {
        const f = [];
        const orcpt = r.orcpt ? /^([A-Za-z0-9-]{1,40});(.+)$/s.exec(r.orcpt) : null;
        if (orcpt)
            f.push(`Original-Recipient: ${orcpt[1]}; ${xtextEncode(orcpt[2]).slice(0, 1000)}`);
        f.push(`Final-Recipient: rfc822; ${clean(r.address, 300)}`, `Action: ${d.kind}`, `Status: ${r.status}`);
        if (r.remoteMta)
            f.push(`Remote-MTA: dns; ${clean(r.remoteMta, 255)}`);
        f.push(`Diagnostic-Code: smtp; ${clean(r.diagnostic)}`);
        f.push(`Last-Attempt-Date: ${d.now.toUTCString().replace('GMT', '+0000')}`);
        if (d.kind === 'delayed' && d.retryUntil)
            f.push(`Will-Retry-Until: ${d.retryUntil.toUTCString().replace('GMT', '+0000')}`);
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
    if (!hdr.endsWith('\r\n'))
        hdr += '\r\n';
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
        ...(full
            ? ['Content-Type: message/rfc822', 'Content-Description: Undelivered message', '', '']
            : ['Content-Type: text/rfc822-headers', `Content-Description: ${failed ? 'Undelivered message header' : 'Message header'}`, '', hdr]),
    ].join('\r\n');
    const tail = `\r\n--${boundary}--\r\n`;
    const parts = [Buffer.from(head + '\r\n\r\n', 'latin1'), Buffer.from(body, 'latin1')];
    if (full)
        parts.push(Buffer.from(d.original.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1'));
    parts.push(Buffer.from(tail, 'latin1'));
    return Buffer.concat(parts);
}
//# sourceMappingURL=dsn.js.map