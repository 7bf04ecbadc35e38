// postern dns DOMAIN: the DNS records the household publishes for a domain, zone-file style.
import { withStore } from './open-store.js';
import { UsageError } from './command.js';
import { dnsRecords, zoneLine } from '../../services/smtp/dns-records.js';
import { ensureDkimKeys } from '../../services/smtp/domains.js';
export const dns = {
    name: 'dns',
    usage: 'postern dns DOMAIN',
    summary: 'print the DNS records to publish for a mail domain (MX, SPF, DKIM, DMARC, SRV)',
    async run({ config, args, out }) {
        if (args.length !== 1)
            throw new UsageError('expected exactly one domain');
        const domain = args[0].toLowerCase();
        return withStore(config, async (store) => {
            if (!store.domains.has(domain))
                throw new UsageError(`${domain} is not one of this box's domains (add it with "postern domain add ${domain}")`, 1);
            await ensureDkimKeys(store, domain);
            out(`; DNS records for ${domain}: publish these at your DNS provider`);
            for (const r of dnsRecords(store, config, domain)) {
                out(`; ${r.purpose}`);
                out(zoneLine(r));
            }
            return 0;
        });
    },
};
//# sourceMappingURL=dns.js.map