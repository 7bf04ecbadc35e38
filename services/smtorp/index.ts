// The SMTorP mail service: registers the peer seams in the mail pipeline. Mail to a peer's domain
// is routed (by the delivery runner) through Tor's SOCKS port to the peer's onion address with
// STARTTLS, both certificates pinned; mail claiming a peer's domain is accepted only with that
// peer's client certificate. This service owns no listener: the onion MX belongs to SMTP.
import type { ServiceStarter } from '../../appliance/service.js';
import type { TorService } from '../tor/status.js';
import { PeerBook } from './peers.js';
import { senderCheck } from './sender-check.js';

export { PeerBook, PeerError, PeerConflictError, type Peer, type CardEffect } from './peers.js';
export { readPeerCard, writePeerCard, PeerCardError, type PeerCard } from './card.js';
export { makeOwnCard, addPeerCard, peerCardQrSvg } from './own-card.js';
export { discoverOnionMx, type OnionMx } from './onion-mx.js';

export const startSmtorp: ServiceStarter = async (ctx) => {
  const peers = new PeerBook(ctx.store);
  ctx.pipeline.onSenderCheck(senderCheck(peers));
  ctx.pipeline.onPeerLookup((domain) => peers.route(domain));
  ctx.pipeline.socksProxy = () => ctx.appliance.service<TorService>('tor')?.socks();
  return { name: 'smtorp', listeners: [], close: async () => undefined };
};
