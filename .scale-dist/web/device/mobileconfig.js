// An Apple configuration profile (.mobileconfig, a property list) for one member: the box's CA
// certificate (com.apple.security.root) so the devices trust its TLS certificate, and the mail
// account (com.apple.mail.managed) with IMAP and SMTP over TLS. The password is not included: the
// device asks for it when the profile is installed.
import { createHash } from 'node:crypto';
import { xmlEscape } from './autoconfig.js';
function uuidFrom(seed) {
    const h = createHash('sha256').update(seed).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`.toUpperCase();
}
function pemToBase64(pem) {
    return pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
}
function plist(v, indent) {
    if (typeof v === 'string')
        return `${indent}<string>${xmlEscape(v)}</string>`;
    if (typeof v === 'number')
        return `${indent}<integer>${Math.trunc(v)}</integer>`;
    if (typeof v === 'boolean')
        return `${indent}<${v}/>`;
    if (Array.isArray(v))
        return [`${indent}<array>`, ...v.map((x) => plist(x, indent + '  ')), `${indent}</array>`].join('\n');
    if ('data' in v && typeof v.data === 'string' && Object.keys(v).length === 1)
        return `${indent}<data>${v.data.replace(/(.{64})/g, '$1\n' + indent)}</data>`;
    const obj = v;
    return [`${indent}<dict>`, ...Object.entries(obj).flatMap(([k, x]) => [`${indent}  <key>${xmlEscape(k)}</key>`, plist(x, indent + '  ')]), `${indent}</dict>`].join('\n');
}
export function mobileconfig(opts) {
    const { address, hostname, caPem, ep } = opts;
    const base = `${hostname}.postern`;
    const ca = {
        PayloadType: 'com.apple.security.root',
        PayloadVersion: 1,
        PayloadIdentifier: `${base}.ca`,
        PayloadUUID: uuidFrom(`ca:${caPem}`),
        PayloadDisplayName: `${hostname} certificate authority`,
        PayloadCertificateFileName: 'postern-ca.crt',
        PayloadContent: { data: pemToBase64(caPem) },
    };
    const mail = {
        PayloadType: 'com.apple.mail.managed',
        PayloadVersion: 1,
        PayloadIdentifier: `${base}.mail.${address}`,
        PayloadUUID: uuidFrom(`mail:${hostname}:${address}`),
        PayloadDisplayName: `Mail (${address})`,
        EmailAccountDescription: `${address} on ${hostname}`,
        EmailAccountType: 'EmailTypeIMAP',
        EmailAddress: address,
        IncomingMailServerHostName: ep.host,
        IncomingMailServerPortNumber: ep.imap?.port ?? 993,
        IncomingMailServerUseSSL: true,
        IncomingMailServerAuthentication: 'EmailAuthPassword',
        IncomingMailServerUsername: address,
        OutgoingMailServerHostName: ep.host,
        OutgoingMailServerPortNumber: ep.smtp?.port ?? 465,
        OutgoingMailServerUseSSL: true,
        OutgoingMailServerAuthentication: 'EmailAuthPassword',
        OutgoingMailServerUsername: address,
        OutgoingPasswordSameAsIncomingPassword: true,
    };
    const profile = {
        PayloadType: 'Configuration',
        PayloadVersion: 1,
        PayloadIdentifier: `${base}.profile.${address}`,
        PayloadUUID: uuidFrom(`profile:${hostname}:${address}`),
        PayloadDisplayName: `Postern mail for ${address}`,
        PayloadDescription: `Trusts the ${hostname} mail box's certificate and sets up the mail account ${address}.`,
        PayloadOrganization: hostname,
        PayloadRemovalDisallowed: false,
        PayloadContent: [ca, mail],
    };
    return [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
        '<plist version="1.0">',
        plist(profile, ''),
        '</plist>',
        '',
    ].join('\n');
}
//# sourceMappingURL=mobileconfig.js.map