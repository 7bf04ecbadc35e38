export function xmlEscape(s) {
    return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
export function autoconfigXml(domains, displayName, ep) {
    const id = domains[0] ?? ep.host;
    const socket = (s) => (s === 'tls' ? 'SSL' : 'STARTTLS');
    const lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<clientConfig version="1.1">',
        `  <emailProvider id="${xmlEscape(id)}">`,
        ...domains.map((d) => `    <domain>${xmlEscape(d)}</domain>`),
        `    <displayName>${xmlEscape(displayName)}</displayName>`,
        `    <displayShortName>${xmlEscape(displayName)}</displayShortName>`,
    ];
    if (ep.imap) {
        lines.push('    <incomingServer type="imap">', `      <hostname>${xmlEscape(ep.host)}</hostname>`, `      <port>${ep.imap.port}</port>`, `      <socketType>${socket(ep.imap.security)}</socketType>`, '      <authentication>password-cleartext</authentication>', '      <username>%EMAILADDRESS%</username>', '    </incomingServer>');
    }
    if (ep.smtp) {
        lines.push('    <outgoingServer type="smtp">', `      <hostname>${xmlEscape(ep.host)}</hostname>`, `      <port>${ep.smtp.port}</port>`, `      <socketType>${socket(ep.smtp.security)}</socketType>`, '      <authentication>password-cleartext</authentication>', '      <username>%EMAILADDRESS%</username>', '    </outgoingServer>');
    }
    lines.push('  </emailProvider>', '</clientConfig>', '');
    return lines.join('\n');
}
//# sourceMappingURL=autoconfig.js.map