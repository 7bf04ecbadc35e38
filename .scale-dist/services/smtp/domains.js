import { ensureDomainKeys } from './dkim.js';
import { log } from '../../appliance/log.js';
/** Add a domain and create its Ed25519 and RSA-2048 DKIM keys. */
export async function addDomain(store, domain) {
    store.domains.add(domain);
    await ensureDkimKeys(store, domain.toLowerCase());
}
/** Create the DKIM keys of a domain that has none (the configuration's domains at start). */
export async function ensureDkimKeys(store, domain) {
    if (await ensureDomainKeys(store, domain))
        log.info('smtp.dkim-keys-created', { domain });
}
//# sourceMappingURL=domains.js.map