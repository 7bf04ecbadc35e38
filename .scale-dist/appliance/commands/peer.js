// postern peer card | add | list | remove | fallback | discover: SMTorP peers, added by exchanging
// signed peer cards.
import { readFileSync } from 'node:fs';
import { Resolver } from 'node:dns/promises';
import QRCode from 'qrcode';
import { boxTls } from './box-tls.js';
import { withStore } from './open-store.js';
import { UsageError } from './command.js';
import { makeOwnCard, addPeerCard, PeerBook, PeerCardError, PeerConflictError, PeerError, discoverOnionMx } from '../../services/smtorp/index.js';
export const peerCard = {
    name: 'peer card',
    usage: 'postern peer card [--qr]',
    summary: "print this box's signed SMTorP peer card (give it to the other household)",
    async run({ config, flags, out }) {
        const tls = await boxTls(config);
        const card = makeOwnCard(config, tls);
        out(card.trimEnd());
        if (flags.qr)
            out(await QRCode.toString(card, { type: 'utf8', errorCorrectionLevel: 'L' }));
        return 0;
    },
};
export const peerAdd = {
    name: 'peer add',
    usage: 'postern peer add FILE|- [--fallback-public] [--replace]',
    summary: "add a peer from its card; mail to its domains then goes over Tor (--fallback-public: the public route when the peer is unreachable; --replace: take domains over from another peer's box)",
    async run({ config, args, flags, out }) {
        if (args.length !== 1)
            throw new UsageError('expected one card file (or - for standard input)');
        let text;
        try {
            text = readFileSync(args[0] === '-' ? 0 : args[0], 'utf8');
        }
        catch (e) {
            throw new UsageError(`cannot read ${args[0]}: ${e.code ?? e.message}`, 1);
        }
        return withStore(config, (store) => {
            try {
                const r = addPeerCard(store, config, text, { ...(flags['fallback-public'] ? { fallbackToPublic: true } : {}), ...(flags.replace ? { replace: true } : {}) });
                const pin = r.card.spki ? `TLS key SPKI SHA-256 ${r.card.spki}` : `TLS certificate SHA-256 ${r.card.fingerprint ?? ''}`;
                out(`the card of ${r.card.host} names: ${r.card.domains.join(', ')}`);
                for (const d of r.added)
                    out(`added peer ${d} at ${r.card.onion} (${pin})`);
                for (const d of r.updated)
                    out(`updated peer ${d} at ${r.card.onion} (${pin})`);
                for (const d of r.replaced)
                    out(`replaced peer ${d}: its mail now goes to ${r.card.onion} (${pin})`);
                if (!r.card.spki)
                    out('this is an old card (it pins the certificate, which changes when that box adds a domain or renews): ask that household for a new card');
                return 0;
            }
            catch (e) {
                if (e instanceof PeerConflictError)
                    throw new UsageError(`${e.message}: run again with --replace if the other household really moved`, 1);
                if (e instanceof PeerCardError || e instanceof PeerError)
                    throw new UsageError(e.message, 1);
                throw e;
            }
        });
    },
};
export const peerList = {
    name: 'peer list',
    usage: 'postern peer list',
    summary: 'list SMTorP peers (domain, onion, pinned TLS key or old certificate fingerprint, public fallback)',
    async run({ config, out }) {
        return withStore(config, (store) => {
            const peers = new PeerBook(store).list();
            if (!peers.length)
                out('no peers');
            for (const p of peers) {
                const pin = p.spki ? `spki:${p.spki}` : `cert:${p.fingerprint ?? ''}`;
                const note = PeerBook.needsNewCard(p) ? '\told card: ask the peer for a new card' : '';
                out(`${p.domain}\t${p.onion}:${p.port}\t${pin}\tfallback ${p.fallbackToPublic ? 'public' : 'off'}${note}`);
            }
            return 0;
        });
    },
};
export const peerRemove = {
    name: 'peer remove',
    usage: 'postern peer remove DOMAIN',
    summary: 'forget a peer domain (its mail goes the public way again)',
    async run({ config, args, out, err }) {
        if (args.length !== 1)
            throw new UsageError('expected one domain');
        return withStore(config, (store) => {
            if (!new PeerBook(store).remove(args[0])) {
                err(`postern: ${args[0]} is not a peer`);
                return 1;
            }
            out(`removed peer ${args[0].toLowerCase()}`);
            return 0;
        });
    },
};
export const peerFallback = {
    name: 'peer fallback',
    usage: 'postern peer fallback DOMAIN on|off',
    summary: 'use the public route when the peer cannot be reached over Tor (off by default)',
    async run({ config, args, out, err }) {
        if (args.length !== 2 || !['on', 'off'].includes(args[1]))
            throw new UsageError('expected DOMAIN on|off');
        return withStore(config, (store) => {
            if (!new PeerBook(store).setFallback(args[0], args[1] === 'on')) {
                err(`postern: ${args[0]} is not a peer`);
                return 1;
            }
            out(`${args[0].toLowerCase()}: public fallback ${args[1]}`);
            return 0;
        });
    },
};
export const peerDiscover = {
    name: 'peer discover',
    usage: 'postern peer discover DOMAIN',
    summary: 'look up the _onion-mx._tcp SRV record of a domain (a hint only: add peers from their signed card)',
    async run({ config, args, out }) {
        if (args.length !== 1)
            throw new UsageError('expected one domain');
        const resolver = new Resolver();
        if (config.delivery.dnsServers?.length)
            resolver.setServers(config.delivery.dnsServers);
        const found = await discoverOnionMx(resolver, args[0].toLowerCase());
        if (!found.length) {
            out(`${args[0]} publishes no onion MX`);
            return 1;
        }
        for (const f of found)
            out(`${f.onion}:${f.port}\tpriority ${f.priority}\tweight ${f.weight}`);
        out('ask that household for its peer card to add it (the card carries the certificate fingerprint that makes the route safe)');
        return 0;
    },
};
export const PEER_COMMANDS = [peerCard, peerAdd, peerList, peerRemove, peerFallback, peerDiscover];
//# sourceMappingURL=peer.js.map