const KEY = 'smtorp.peers';
export class PeerError extends Error {
    constructor(message) { super(message); this.name = 'PeerError'; }
}
/** The card names domains another peer's box holds: adding it would divert their mail to a
 *  different box, so it needs an explicit replace (`--replace`, the panel's confirmation). */
export class PeerConflictError extends PeerError {
    held;
    constructor(held) {
        super(`the card names ${held.map((h) => h.domain).join(', ')}, which ${held.length === 1 ? 'is' : 'are'} already the peer at ${[...new Set(held.map((h) => h.onion))].join(', ')}; replacing ${held.length === 1 ? 'it' : 'them'} sends that mail to another box (confirm the replacement)`);
        this.held = held;
        this.name = 'PeerConflictError';
    }
}
export class PeerBook {
    store;
    constructor(store) {
        this.store = store;
    }
    list() {
        const v = this.store.settings.getJson(KEY);
        return Array.isArray(v) ? v : [];
    }
    get(domain) {
        const d = domain.toLowerCase();
        return this.list().find((p) => p.domain === d);
    }
    /** What `addCard` would do with each domain of the card (nothing is stored). */
    preview(card, ownDomains) {
        const peers = this.list();
        return card.domains.map((domain) => {
            if (ownDomains.includes(domain) || this.store.domains.has(domain))
                return { domain, effect: 'own' };
            const prev = peers.find((p) => p.domain === domain);
            if (!prev)
                return { domain, effect: 'new' };
            return prev.onion === card.onion ? { domain, effect: 'update' } : { domain, effect: 'replace', onion: prev.onion };
        });
    }
    /** Add (or update) the peer a verified card describes. Our own domains are refused; a domain
     *  another peer's box (another onion) holds is refused unless `replace`; a card from the same
     *  box (signed by the same onion key) updates its entries only when it is not older. */
    addCard(card, opts) {
        const own = card.domains.filter((d) => opts.ownDomains.includes(d) || this.store.domains.has(d));
        if (own.length)
            throw new PeerError(`the card names ${own.join(', ')}, which this box serves itself`);
        return this.store.transaction(() => {
            const peers = this.list();
            const held = this.preview(card, opts.ownDomains).filter((e) => e.effect === 'replace').map((e) => ({ domain: e.domain, onion: e.onion }));
            if (held.length && !opts.replace)
                throw new PeerConflictError(held);
            const added = [];
            const updated = [];
            const replaced = [];
            for (const domain of card.domains) {
                const i = peers.findIndex((p) => p.domain === domain);
                const prev = i >= 0 ? peers[i] : undefined;
                const sameBox = prev?.onion === card.onion;
                if (prev && sameBox && Date.parse(prev.cardCreated) > Date.parse(card.created))
                    throw new PeerError(`the peer ${domain} already has a newer card (${prev.cardCreated})`);
                const p = {
                    domain, onion: card.onion, port: card.port, host: card.host,
                    ...(card.spki !== undefined ? { spki: card.spki } : { fingerprint: card.fingerprint }),
                    fallbackToPublic: opts.fallbackToPublic ?? (sameBox ? prev?.fallbackToPublic : undefined) ?? false,
                    added: sameBox ? prev.added : new Date().toISOString(), cardCreated: card.created,
                };
                if (prev) {
                    peers[i] = p;
                    (sameBox ? updated : replaced).push(domain);
                }
                else {
                    peers.push(p);
                    added.push(domain);
                }
            }
            this.store.settings.setJson(KEY, peers);
            return { added, updated, replaced };
        });
    }
    setFallback(domain, fallbackToPublic) {
        return this.store.transaction(() => {
            const peers = this.list();
            const p = peers.find((x) => x.domain === domain.toLowerCase());
            if (!p)
                return false;
            p.fallbackToPublic = fallbackToPublic;
            this.store.settings.setJson(KEY, peers);
            return true;
        });
    }
    remove(domain) {
        return this.store.transaction(() => {
            const peers = this.list();
            const rest = peers.filter((p) => p.domain !== domain.toLowerCase());
            if (rest.length === peers.length)
                return false;
            this.store.settings.setJson(KEY, rest);
            return true;
        });
    }
    /** Peers added from a version 1 card pin the certificate, which changes when that box adds a
     *  domain or renews: they should send a new card. */
    static needsNewCard(p) {
        return !p.spki;
    }
    route(domain) {
        const p = this.get(domain);
        if (!p)
            return undefined;
        return { domain: p.domain, onion: p.onion, port: p.port, ...(p.spki ? { spki: p.spki } : { fingerprint: p.fingerprint ?? '' }), fallbackToPublic: p.fallbackToPublic };
    }
}
//# sourceMappingURL=peers.js.map