// Trace header fields (RFC 5321 section 4.4): Received, and Return-Path at final delivery.
// For authenticated submissions the Received field names no client address or HELO name (the
// household's privacy: a laptop's IP address and name do not travel with its mail).
/** RFC 5322 date-time. */
export function rfc5322Date(d) {
    const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const p = (n) => String(n).padStart(2, '0');
    return `${days[d.getUTCDay()]}, ${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
/** An address literal for the FROM clause: [192.0.2.1] or [IPv6:2001:db8::1]. */
function addressLiteral(ip) {
    const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
    if (v4)
        return `[${v4[1]}]`;
    return ip.includes(':') ? `[IPv6:${ip}]` : `[${ip}]`;
}
/** A HELO argument safe to put in a header (smtp-server already refuses control characters). */
function cleanHelo(helo) {
    const h = helo.replace(/[^\x21-\x7e]/g, '').replace(/[()\\]/g, '');
    return h.length ? h.slice(0, 255) : 'unknown';
}
export function receivedHeader(r) {
    const from = r.client ? `from ${cleanHelo(r.client.helo)} (${addressLiteral(r.client.ip)})` : 'from submission.invalid (authenticated client; address withheld)';
    const tls = r.tls ? `\r\n\t(using ${r.tls.version} with cipher ${r.tls.cipher})` : '';
    const rcpt = r.recipient ? `\r\n\tfor <${r.recipient}>` : '';
    return `Received: ${from}\r\n\tby ${r.hostname} (Postern) with ${r.protocol} id ${r.sessionId}${tls}${rcpt};\r\n\t${rfc5322Date(r.date ?? new Date())}\r\n`;
}
export function returnPathHeader(mailFrom) {
    return `Return-Path: <${mailFrom}>\r\n`;
}
//# sourceMappingURL=trace-headers.js.map