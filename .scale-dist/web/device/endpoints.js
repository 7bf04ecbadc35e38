export function mailEndpoints(config, tor) {
    const l = config.listen;
    const e = { host: config.hostname };
    // Implicit TLS is preferred over STARTTLS (RFC 8314 3.3).
    if (l.imaps)
        e.imap = { port: l.imaps.port, security: 'tls' };
    else if (l.imap)
        e.imap = { port: l.imap.port, security: 'starttls' };
    if (l.submissions)
        e.smtp = { port: l.submissions.port, security: 'tls' };
    else if (l.submission)
        e.smtp = { port: l.submission.port, security: 'starttls' };
    for (const o of tor?.onions ?? []) {
        if (o.name === 'imap')
            e.onionImap = o.address;
        if (o.name === 'smtp')
            e.onionSmtp = o.address;
        if (o.name === 'panel')
            e.onionPanel = o.address;
    }
    return e;
}
//# sourceMappingURL=endpoints.js.map