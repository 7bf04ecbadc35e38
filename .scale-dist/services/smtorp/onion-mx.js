import { isDomainName } from '../../appliance/config.js';
import { isOnionAddress } from '../tor/onion-key.js';
export async function discoverOnionMx(resolver, domain) {
    if (!isDomainName(domain))
        throw new Error(`${JSON.stringify(domain)} is not a domain name`);
    let records;
    try {
        records = await resolver.resolveSrv(`_onion-mx._tcp.${domain}`);
    }
    catch (e) {
        const code = e.code;
        if (code === 'ENOTFOUND' || code === 'ENODATA')
            return [];
        throw e;
    }
    return records
        .map((r) => ({ onion: r.name.toLowerCase().replace(/\.$/, ''), port: r.port, priority: r.priority, weight: r.weight }))
        .filter((r) => isOnionAddress(r.onion) && r.port > 0)
        .sort((a, b) => a.priority - b.priority || b.weight - a.weight);
}
//# sourceMappingURL=onion-mx.js.map