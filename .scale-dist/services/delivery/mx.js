// Where a domain's mail goes (RFC 5321 5.1): its MX hosts in preference order (equal preferences
// shuffled), the domain itself when it has no MX (implicit MX), nothing for a null MX (RFC 7505).
// Lookups use the configured resolvers (config.delivery.dnsServers), never a hidden default in tests.
import { lookup, Resolver } from 'node:dns/promises';
/** A lookup that decided the outcome: `transient` false means the domain cannot receive mail. */
export class DnsLookupError extends Error {
    transient;
    status;
    constructor(message, transient, status) {
        super(message);
        this.transient = transient;
        this.status = status;
        this.name = 'DnsLookupError';
    }
}
export function makeResolver(servers) {
    const r = new Resolver({ timeout: 4000, tries: 2 });
    if (servers && servers.length)
        r.setServers([...servers]);
    return r;
}
/** Answers (and "no such name/no such record") kept for a minute, so a burst of messages to one
 *  domain asks DNS once; failures that may be temporary are not kept. Node's resolver does not
 *  give TTLs for every type, so one short fixed lifetime is used for all. */
export class DnsCache {
    inner;
    now;
    ttlMs;
    entries = new Map();
    constructor(inner, now = Date.now, ttlMs = 60_000) {
        this.inner = inner;
        this.now = now;
        this.ttlMs = ttlMs;
    }
    get(key, fn) {
        const hit = this.entries.get(key);
        if (hit && this.now() - hit.at < this.ttlMs && this.now() >= hit.at)
            return hit.value;
        const value = fn();
        this.entries.set(key, { at: this.now(), value });
        value.catch((e) => {
            const c = code(e);
            if (c !== 'ENOTFOUND' && c !== 'ENODATA')
                this.entries.delete(key);
        });
        if (this.entries.size > 5000)
            this.entries.delete(this.entries.keys().next().value);
        return value;
    }
    resolveMx(name) { return this.get(`MX ${name}`, () => this.inner.resolveMx(name)); }
    resolve4(name) { return this.get(`A ${name}`, () => this.inner.resolve4(name)); }
    resolve6(name) { return this.get(`AAAA ${name}`, () => this.inner.resolve6(name)); }
    resolveTxt(name) { return this.get(`TXT ${name}`, () => this.inner.resolveTxt(name)); }
}
function code(e) {
    return e.code ?? 'EUNKNOWN';
}
export async function mxHosts(resolver, domain, random = Math.random) {
    let records;
    try {
        records = await resolver.resolveMx(domain);
    }
    catch (e) {
        const c = code(e);
        if (c === 'ENODATA')
            return [{ name: domain, preference: 0, implicit: true }];
        if (c === 'ENOTFOUND')
            throw new DnsLookupError(`the domain ${domain} does not exist (DNS NXDOMAIN)`, false, '5.1.2');
        throw new DnsLookupError(`DNS lookup of the MX records of ${domain} failed (${c})`, true, '4.4.3');
    }
    if (records.length === 0)
        return [{ name: domain, preference: 0, implicit: true }];
    if (records.length === 1 && (records[0].exchange === '' || records[0].exchange === '.')) {
        throw new DnsLookupError(`the domain ${domain} accepts no mail (null MX, RFC 7505)`, false, '5.1.10');
    }
    const hosts = records
        .filter((r) => r.exchange && r.exchange !== '.')
        .map((r) => ({ name: r.exchange.toLowerCase().replace(/\.$/, ''), preference: r.priority, implicit: false, order: random() }));
    hosts.sort((a, b) => a.preference - b.preference || a.order - b.order);
    return hosts.map(({ name, preference, implicit }) => ({ name, preference, implicit }));
}
/** IPv4 then IPv6 addresses of a host; empty when it has none (the caller tries the next host). */
export async function addressesOf(resolver, host) {
    if (/^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':'))
        return { addresses: [host] };
    const out = [];
    let transientError;
    for (const kind of ['A', 'AAAA']) {
        try {
            out.push(...(kind === 'A' ? await resolver.resolve4(host) : await resolver.resolve6(host)));
        }
        catch (e) {
            const c = code(e);
            if (c !== 'ENODATA' && c !== 'ENOTFOUND')
                transientError = `DNS lookup of ${host} failed (${c})`;
        }
    }
    return { addresses: out, ...(transientError ? { transientError } : {}) };
}
/**
 * Addresses of a host the household named itself (the relay, a next hop), as every other program
 * on the box finds it: the system resolver (getaddrinfo: /etc/hosts, mDNS where nsswitch has it,
 * then the system's DNS), so `localhost` and LAN names work. IPv4 first, as for MX hosts. Only
 * recipient domains' MX hosts are looked up on the configured DNS servers (`mxHosts`).
 */
export async function systemAddressesOf(host) {
    if (/^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':'))
        return { addresses: [host] };
    try {
        const found = await lookup(host, { all: true, verbatim: true });
        const v4 = found.filter((a) => a.family === 4).map((a) => a.address);
        const v6 = found.filter((a) => a.family === 6).map((a) => a.address);
        return { addresses: [...new Set([...v4, ...v6])] };
    }
    catch (e) {
        const c = code(e);
        if (c === 'ENOTFOUND' || c === 'ENODATA')
            return { addresses: [] };
        return { addresses: [], transientError: `looking up ${host} failed (${c})` };
    }
}
//# sourceMappingURL=mx.js.map