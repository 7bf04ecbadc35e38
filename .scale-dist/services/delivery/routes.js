import { log, redact } from '../../appliance/log.js';
import { addressesOf, mxHosts, systemAddressesOf, DnsLookupError } from './mx.js';
import { mxAllowed } from './mta-sts.js';
export function peerPlan(peer, rc) {
    return {
        kind: 'peer',
        tlsEnforced: true,
        async *hops() {
            const socks = rc.socksProxy();
            if (!socks) {
                yield { skipped: 'Tor is not running, so the peer box cannot be reached' };
                return;
            }
            yield {
                name: peer.onion, address: peer.onion, port: peer.port, tls: 'required',
                // a version 2 card pins the public key (stays across the peer's re-issues), a version 1
                // card the certificate
                verify: peer.spki
                    ? { kind: 'pin', fingerprints: [], spki: [peer.spki.replace(/:/g, '').toLowerCase()] }
                    : { kind: 'pin', fingerprints: [(peer.fingerprint ?? '').replace(/:/g, '').toLowerCase()] },
                socks, ...(rc.clientCert ? { clientCert: rc.clientCert } : {}),
            };
        },
    };
}
export function relayPlan(rc) {
    const relay = rc.config.relay;
    if (!relay)
        return undefined;
    return {
        kind: 'relay',
        tlsEnforced: true,
        async *hops() {
            // named by the household: found as the system finds it (/etc/hosts, mDNS), not on the MX resolvers
            const { addresses, transientError } = await systemAddressesOf(relay.host);
            if (!addresses.length) {
                yield { skipped: `cannot find the relay ${relay.host}${transientError ? ` (${transientError})` : ''}` };
                return;
            }
            for (const address of addresses) {
                yield {
                    name: relay.host, address, port: relay.port, tls: relay.tls === 'implicit' ? 'implicit' : 'required', verify: { kind: 'pkix' },
                    ...(relay.user && relay.password ? { auth: { user: relay.user, password: relay.password } } : {}),
                };
            }
        },
    };
}
/** The household's pins for a domain (certificate and/or public key hashes), if any. */
function localPin(rc, domain) {
    const p = rc.config.delivery.tlsPolicy[domain];
    if (!p?.fingerprints && !p?.spki)
        return undefined;
    return { kind: 'pin', fingerprints: p.fingerprints ?? [], ...(p.spki ? { spki: p.spki } : {}) };
}
export async function mxPlan(domain, rc) {
    const hosts = await mxHosts(rc.resolver, domain, rc.random); // throws DnsLookupError
    const local = rc.config.delivery.tlsPolicy[domain];
    const pin = localPin(rc, domain);
    const sts = pin ? undefined : await rc.mtaSts.policyFor(domain);
    const enforce = sts?.mode === 'enforce';
    if (sts && sts.mode === 'testing')
        log.info('delivery.mta-sts-testing', { domain: redact('host', domain) });
    return {
        kind: 'mx',
        tlsEnforced: !!local?.require || !!pin || enforce,
        async *hops() {
            for (const mx of hosts) {
                if (enforce && !mxAllowed(sts, mx.name)) {
                    yield { skipped: `${mx.name} is not allowed by the MTA-STS policy of ${domain}` };
                    continue;
                }
                if (sts?.mode === 'testing' && !mxAllowed(sts, mx.name))
                    log.info('delivery.mta-sts-mismatch', { domain: redact('host', domain) });
                const { addresses, transientError } = await addressesOf(rc.resolver, mx.name);
                if (!addresses.length) {
                    yield { skipped: `${mx.name} has no address${transientError ? ` (${transientError})` : ''}` };
                    continue;
                }
                for (const address of addresses) {
                    yield {
                        name: mx.name, address, port: rc.config.delivery.mxPort,
                        tls: local?.require || pin || enforce ? 'required' : 'opportunistic',
                        // TLS required (by the household or MTA-STS) means a certificate verified for the MX
                        // name (PKIX) unless the household pinned something else: encryption to anyone who
                        // answers, unauthenticated, is not what `require` promises
                        verify: pin ?? (enforce || local?.require ? { kind: 'pkix' } : { kind: 'none' }),
                    };
                }
            }
        },
    };
}
/** The public route for a domain: the relay, unless the domain is pinned; else its MX hosts. */
export async function publicPlan(domain, rc) {
    const pinned = !!localPin(rc, domain);
    const relay = pinned ? undefined : relayPlan(rc);
    return relay ?? mxPlan(domain, rc);
}
export { DnsLookupError };
//# sourceMappingURL=routes.js.map