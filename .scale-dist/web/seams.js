import { log, redact } from '../appliance/log.js';
import { addDomain, ensureDkimKeys } from '../services/smtp/domains.js';
import { dnsRecords } from '../services/smtp/dns-records.js';
import { onAccountCreated, onPasswordChanged } from '../services/pgp/account-keys.js';
import { wkdKey } from '../services/pgp/wkd.js';
import { backupStatus } from '../appliance/backup/state.js';
/** Each backup target's state (ok, failed, overdue, never) for the overview. */
export function backupTargets(store) {
    return backupStatus(store);
}
export function torStatus(appliance) {
    const tor = appliance.service('tor');
    if (!tor)
        return undefined;
    try {
        return tor.status();
    }
    catch {
        return undefined;
    }
}
/** Add a household domain with its DKIM keys. A domain that is already there (one from the
 *  configuration) only gets keys if it has none. */
export async function addHouseholdDomain(store, domain) {
    if (store.domains.has(domain)) {
        await ensureDkimKeys(store, domain);
        return;
    }
    await addDomain(store, domain);
}
/** After an account is created: its OpenPGP key. The account stays usable if this fails (the
 *  key can be made later); then there is no recovery code to show. */
export async function accountCreated(store, account, password) {
    try {
        return await onAccountCreated(store, account, password);
    }
    catch (e) {
        log.error('panel.account-key-failed', { user: redact('user', account.address), error: e.name });
        return {};
    }
}
/** After a password change: re-seal the account's key (never fails the change itself). */
export async function passwordChanged(store, accountId, newPassword, oldPassword) {
    try {
        await onPasswordChanged(store, accountId, newPassword, oldPassword);
    }
    catch (e) {
        log.error('panel.account-key-reseal-failed', { account: accountId, error: e.name });
    }
}
/** The DNS records to publish for a domain. */
export function dnsRecordsFor(store, config, domain) {
    return dnsRecords(store, config, domain);
}
/** A WKD public key (binary OpenPGP), from the PGP service's lookup. */
export function wkdLookup(store, domain, hashedLocalPart) {
    return wkdKey(store, domain, hashedLocalPart);
}
//# sourceMappingURL=seams.js.map