// The household's SMTorP peers: (domain, onion address, TLS public key pin or, from an older card,
// certificate fingerprint), one row per
// domain, kept in the store's settings (a handful of entries, read on each delivery and MAIL FROM).
import type { Store } from '../../appliance/store/index.js';
import type { PeerRoute } from '../../appliance/pipeline.js';
import type { PeerCard } from './card.js';

const KEY = 'smtorp.peers';

export interface Peer extends PeerRoute {
  host: string;
  added: string;
  /** the card's creation date */
  cardCreated: string;
}

export class PeerError extends Error {
  constructor(message: string) { super(message); this.name = 'PeerError'; }
}

export class PeerBook {
  constructor(private readonly store: Store) {}

  list(): Peer[] {
    const v = this.store.settings.getJson<Peer[]>(KEY);
    return Array.isArray(v) ? v : [];
  }

  get(domain: string): Peer | undefined {
    const d = domain.toLowerCase();
    return this.list().find((p) => p.domain === d);
  }

  /** Add (or update) the peer a verified card describes. Our own domains are refused. */
  addCard(card: PeerCard, opts: { ownDomains: readonly string[]; fallbackToPublic?: boolean }): { added: string[]; updated: string[] } {
    const own = card.domains.filter((d) => opts.ownDomains.includes(d) || this.store.domains.has(d));
    if (own.length) throw new PeerError(`the card names ${own.join(', ')}, which this box serves itself`);
    return this.store.transaction(() => {
      const peers = this.list();
      const added: string[] = [];
      const updated: string[] = [];
      for (const domain of card.domains) {
        const i = peers.findIndex((p) => p.domain === domain);
        const prev = i >= 0 ? peers[i] : undefined;
        if (prev && Date.parse(prev.cardCreated) > Date.parse(card.created)) throw new PeerError(`the peer ${domain} already has a newer card (${prev.cardCreated})`);
        const p: Peer = {
          domain, onion: card.onion, port: card.port, host: card.host,
          ...(card.spki !== undefined ? { spki: card.spki } : { fingerprint: card.fingerprint! }),
          fallbackToPublic: opts.fallbackToPublic ?? prev?.fallbackToPublic ?? false,
          added: prev?.added ?? new Date().toISOString(), cardCreated: card.created,
        };
        if (prev) { peers[i] = p; updated.push(domain); } else { peers.push(p); added.push(domain); }
      }
      this.store.settings.setJson(KEY, peers);
      return { added, updated };
    });
  }

  setFallback(domain: string, fallbackToPublic: boolean): boolean {
    return this.store.transaction(() => {
      const peers = this.list();
      const p = peers.find((x) => x.domain === domain.toLowerCase());
      if (!p) return false;
      p.fallbackToPublic = fallbackToPublic;
      this.store.settings.setJson(KEY, peers);
      return true;
    });
  }

  remove(domain: string): boolean {
    return this.store.transaction(() => {
      const peers = this.list();
      const rest = peers.filter((p) => p.domain !== domain.toLowerCase());
      if (rest.length === peers.length) return false;
      this.store.settings.setJson(KEY, rest);
      return true;
    });
  }

  /** Peers added from a version 1 card pin the certificate, which changes when that box adds a
   *  domain or renews: they should send a new card. */
  static needsNewCard(p: PeerRoute): boolean {
    return !p.spki;
  }

  route(domain: string): PeerRoute | undefined {
    const p = this.get(domain);
    if (!p) return undefined;
    return { domain: p.domain, onion: p.onion, port: p.port, ...(p.spki ? { spki: p.spki } : { fingerprint: p.fingerprint ?? '' }), fallbackToPublic: p.fallbackToPublic };
  }
}
