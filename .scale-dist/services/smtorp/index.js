import { PeerBook } from './peers.js';
import { senderCheck } from './sender-check.js';
export { PeerBook, PeerError, PeerConflictError } from './peers.js';
export { readPeerCard, writePeerCard, PeerCardError } from './card.js';
export { makeOwnCard, addPeerCard, peerCardQrSvg } from './own-card.js';
export { discoverOnionMx } from './onion-mx.js';
export const startSmtorp = async (ctx) => {
    const peers = new PeerBook(ctx.store);
    ctx.pipeline.onSenderCheck(senderCheck(peers));
    ctx.pipeline.onPeerLookup((domain) => peers.route(domain));
    ctx.pipeline.socksProxy = () => ctx.appliance.service('tor')?.socks();
    return { name: 'smtorp', listeners: [], close: async () => undefined };
};
//# sourceMappingURL=index.js.map