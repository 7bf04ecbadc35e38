// The panel's calls into other parts of Postern, in one file, so each page stays about its page:
// domains and DNS records (SMTP), account keys (OpenPGP), WKD, Tor's status.
import type { Config } from '../appliance/config.js';
import { log, redact } from '../appliance/log.js';
import type { ApplianceHandle } from '../appliance/service.js';
import type { Account, Store } from '../appliance/store/index.js';
import { addDomain, ensureDkimKeys } from '../services/smtp/domains.js';
import { dnsRecords, type DnsRecord } from '../services/smtp/dns-records.js';
import { wkdKey } from '../services/pgp/wkd.js';
import type { TorService, TorStatus } from '../services/tor/status.js';
import { backupStatus, type TargetStatus } from '../appliance/backup/state.js';
import { MailPipeline } from '../appliance/pipeline.js';
import { encryptForStorage } from '../services/pgp/at-rest.js';
import { startImapImport } from '../appliance/import/jobs.js';
import type { ProviderAddress } from '../appliance/import/imap-url.js';

export type { DnsRecord, TargetStatus };

/** Each backup target's state (ok, failed, overdue, never) for the overview. */
export function backupTargets(store: Store): TargetStatus[] {
  return backupStatus(store);
}

export function torStatus(appliance: ApplianceHandle): TorStatus | undefined {
  const tor = appliance.service<TorService>('tor');
  if (!tor) return undefined;
  try {
    return tor.status();
  } catch {
    return undefined;
  }
}

/** Add a household domain with its DKIM keys. A domain that is already there (one from the
 *  configuration) only gets keys if it has none. */
export async function addHouseholdDomain(store: Store, domain: string): Promise<void> {
  if (store.domains.has(domain)) {
    await ensureDkimKeys(store, domain);
    return;
  }
  await addDomain(store, domain);
}

/** After an account is created: its OpenPGP key. The account stays usable if this fails (the
 *  key can be made later); then there is no recovery code to show. */
export async function accountCreated(store: Store, account: Account, password: string): Promise<{ recoveryCode?: string }> {
  try {
    const { onAccountCreated } = await import('../services/pgp/account-keys.js'); // OpenPGP.js at first use
    return await onAccountCreated(store, account, password);
  } catch (e) {
    log.error('panel.account-key-failed', { user: redact('user', account.address), error: (e as Error).name });
    return {};
  }
}

/** After a password change: re-seal the account's key (never fails the change itself). */
export async function passwordChanged(store: Store, accountId: number, newPassword: string, oldPassword?: string): Promise<void> {
  try {
    const { onPasswordChanged } = await import('../services/pgp/account-keys.js');
    await onPasswordChanged(store, accountId, newPassword, oldPassword);
  } catch (e) {
    log.error('panel.account-key-reseal-failed', { account: accountId, error: (e as Error).name });
  }
}

/** The DNS records to publish for a domain. */
export function dnsRecordsFor(store: Store, config: Config, domain: string): DnsRecord[] | undefined {
  return dnsRecords(store, config, domain);
}

/** A WKD public key (binary OpenPGP), from the PGP service's lookup. */
export function wkdLookup(store: Store, domain: string, hashedLocalPart: string): Buffer | undefined {
  return wkdKey(store, domain, hashedLocalPart);
}

/** Moving in (appliance/import): sign in at the provider, then import into the account in the
 *  background, written like the CLI's import (the group commit, encryption at rest for an account
 *  that chose it). Throws ImportError (exit codes 3/4/5) when the sign-in fails. */
export async function startProviderImport(store: Store, account: Account, address: ProviderAddress, password: string): Promise<void> {
  const pipeline = new MailPipeline(store);
  pipeline.onStorage((msg) => encryptForStorage(store, msg));
  await startImapImport(store, pipeline, account, { address, password });
}
