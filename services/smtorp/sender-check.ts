// The SMTorP sender check at MAIL FROM: mail whose envelope sender is at a peer's domain is
// accepted only from that peer's box, i.e. when the TLS client certificate the sender presented
// has the public key pinned for the peer (SHA-256 of its SubjectPublicKeyInfo), or, for a peer
// added from an older card, the certificate fingerprint that card pinned. Anyone else (another onion client, a forger on the
// public MX) gets 550 5.7.1, so a peer's addresses cannot be forged over the onion.
import { log, redact } from '../../appliance/log.js';
import type { InboundSender } from '../../appliance/pipeline.js';
import type { PeerBook } from './peers.js';

export function senderCheck(peers: PeerBook) {
  return async (s: InboundSender): Promise<{ code: number; message: string } | undefined> => {
    const at = s.mailFrom.lastIndexOf('@');
    if (at < 0) return undefined; // the null sender <> and local forms: nothing to pin
    const domain = s.mailFrom.slice(at + 1).toLowerCase().replace(/\.$/, '');
    const peer = peers.get(domain);
    if (!peer) return undefined;
    const got = s.clientCertFingerprint?.replace(/:/g, '').toLowerCase();
    const gotSpki = s.clientCertSpki?.replace(/:/g, '').toLowerCase();
    if (peer.spki ? gotSpki === peer.spki : !!got && got === peer.fingerprint) return undefined;
    log.warn('smtorp.sender-refused', { domain: redact('host', domain), cert: got ? 'mismatch' : 'none' });
    return {
      code: 550,
      message: `5.7.1 Mail from ${domain} is accepted only from that domain's own Postern box (its TLS client certificate is pinned)`,
    };
  };
}
