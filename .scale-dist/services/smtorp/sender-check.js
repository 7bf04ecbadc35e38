// The SMTorP sender check at MAIL FROM: mail whose envelope sender is at a peer's domain is
// accepted only from that peer's box, i.e. when the TLS client certificate the sender presented
// has the public key pinned for the peer (SHA-256 of its SubjectPublicKeyInfo), or, for a peer
// added from an older card, the certificate fingerprint that card pinned. Anyone else (another onion client, a forger on the
// public MX) gets 550 5.7.1, so a peer's addresses cannot be forged over the onion.
// The same rule applies to the From: header (what a mail program shows as the sender), checked
// once the message is read: a message whose envelope is the forger's own but whose From: names a
// peer's domain is refused just the same.
import { log, redact } from '../../appliance/log.js';
function domainOf(address) {
    const at = address.lastIndexOf('@');
    return at < 0 ? undefined : address.slice(at + 1).toLowerCase().replace(/\.$/, '');
}
export function senderCheck(peers) {
    return async (s) => {
        const got = s.clientCertFingerprint?.replace(/:/g, '').toLowerCase();
        const gotSpki = s.clientCertSpki?.replace(/:/g, '').toLowerCase();
        const claims = [[domainOf(s.mailFrom), 'envelope'], ...(s.headerFrom ?? []).map((a) => [domainOf(a), 'header'])];
        for (const [domain, where] of claims) {
            if (!domain)
                continue; // the null sender <> and local forms: nothing to pin
            const peer = peers.get(domain);
            if (!peer)
                continue;
            if (peer.spki ? gotSpki === peer.spki : !!got && got === peer.fingerprint)
                continue;
            log.warn('smtorp.sender-refused', { domain: redact('host', domain), where, cert: got ? 'mismatch' : 'none' });
            return {
                code: 550,
                message: where === 'envelope'
                    ? `5.7.1 Mail from ${domain} is accepted only from that domain's own Postern box (its TLS client certificate is pinned)`
                    : `5.7.1 The From: header names ${domain}, whose mail is accepted only from that domain's own Postern box (its TLS client certificate is pinned)`,
            };
        }
        return undefined;
    };
}
//# sourceMappingURL=sender-check.js.map