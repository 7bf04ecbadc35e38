import { dkimKeys, dkimRecord } from './dkim.js';
const SRV = [
    { service: '_submissions._tcp', listener: 'submissions', port: 465, purpose: 'mail clients find the submission server with implicit TLS (RFC 8314)' },
    { service: '_submission._tcp', listener: 'submission', port: 587, purpose: 'mail clients find the submission server with STARTTLS (RFC 6186)' },
    { service: '_imaps._tcp', listener: 'imaps', port: 993, purpose: 'mail clients find the IMAP server with implicit TLS (RFC 6186, RFC 8314)' },
    { service: '_imap._tcp', listener: 'imap', port: 143, purpose: 'mail clients find the IMAP server with STARTTLS (RFC 6186)' },
];
export function dnsRecords(store, config, domain) {
    const d = domain.toLowerCase();
    const host = `${config.hostname}.`;
    const out = [
        { name: `${d}.`, type: 'MX', value: `10 ${host}`, purpose: `mail for ${d} is delivered to this box` },
        { name: `${d}.`, type: 'TXT', value: 'v=spf1 mx -all', purpose: config.relay
                ? `SPF: the MX host sends mail for ${d}; mail leaves through the relay ${config.relay.host}, so add its provider's "include:" before -all`
                : `SPF: only the domain's MX host sends mail for ${d}` },
    ];
    for (const k of dkimKeys(store, d)) {
        out.push({ name: `${k.selector}._domainkey.${d}.`, type: 'TXT', value: dkimRecord(k), purpose: `DKIM public key (${k.algorithm === 'ed25519-sha256' ? 'Ed25519, RFC 8463' : 'RSA-2048'}) for signatures by this box` });
    }
    out.push({ name: `_dmarc.${d}.`, type: 'TXT', value: 'v=DMARC1; p=quarantine; adkim=r; aspf=r', purpose: 'DMARC: receivers quarantine mail that claims this domain but fails SPF and DKIM' });
    for (const s of SRV) {
        const on = config.listen[s.listener] !== undefined;
        out.push({ name: `${s.service}.${d}.`, type: 'SRV', value: on ? `0 1 ${s.port} ${host}` : '0 0 0 .', purpose: on ? s.purpose : `${s.purpose.split(' (')[0]}: not offered` });
    }
    return out;
}
/** A record as a zone-file line; TXT values are quoted and split into 255-octet strings (RFC 1035 3.3.14). */
export function zoneLine(r, ttl = 3600) {
    let value = r.value;
    if (r.type === 'TXT') {
        const parts = r.value.match(/.{1,255}/g) ?? [''];
        value = parts.map((p) => `"${p.replace(/["\\]/g, '\\$&')}"`).join(' ');
        if (parts.length > 1)
            value = `( ${value} )`;
    }
    return `${r.name}\t${ttl}\tIN\t${r.type}\t${value}`;
}
//# sourceMappingURL=dns-records.js.map