// Our own peer card and adding someone else's, for the CLI (`postern peer card`, `peer add`) and
// the panel. The card is signed with the SMTP onion's key and pins the public key of the ECDSA
// server certificate (SHA-256 of its SubjectPublicKeyInfo; that certificate is also the delivery
// runner's TLS client certificate).
import QRCode from 'qrcode';
import { onionIdentity } from '../tor/keys.js';
import { readPeerCard, writePeerCard } from './card.js';
import { PeerBook } from './peers.js';
export function makeOwnCard(config, tls) {
    return writePeerCard({
        host: config.hostname,
        domains: config.domains,
        port: 25,
        spki: tls.serverSpki[0],
    }, onionIdentity(config, 'smtp'));
}
export function peerCardQrSvg(card) {
    return QRCode.toString(card, { type: 'svg', errorCorrectionLevel: 'L', margin: 2 });
}
/** Verify a card and add its domains as peers. */
export function addPeerCard(store, config, text, opts = {}) {
    const card = readPeerCard(text);
    const r = new PeerBook(store).addCard(card, { ownDomains: config.domains, ...(opts.fallbackToPublic !== undefined ? { fallbackToPublic: opts.fallbackToPublic } : {}), ...(opts.replace ? { replace: true } : {}) });
    return { card, ...r };
}
//# sourceMappingURL=own-card.js.map