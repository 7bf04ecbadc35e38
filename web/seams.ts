// The panel's calls into other parts of Postern, in one file, so each page stays about its page.
// Tor's status comes from the running 'tor' system service (absent when tor is off).
import type { Config } from '../appliance/config.js';
import type { ApplianceHandle } from '../appliance/service.js';
import type { Account, Store } from '../appliance/store/index.js';
import type { TorService, TorStatus } from '../services/tor/status.js';

export function torStatus(appliance: ApplianceHandle): TorStatus | undefined {
  const tor = appliance.service<TorService>('tor');
  if (!tor) return undefined;
  try {
    return tor.status();
  } catch {
    return undefined;
  }
}

export interface DnsRecord { name: string; type: string; value: string; purpose: string }

/** Add a household domain (with its DKIM keys once the SMTP part provides them). An existing
 *  domain (one from the configuration) is fine. */
export async function addHouseholdDomain(store: Store, domain: string): Promise<void> {
  store.domains.ensure(domain);
}

/** After an account is created: its OpenPGP keys once the PGP part provides them. */
export async function accountCreated(store: Store, account: Account, password: string): Promise<{ recoveryCode?: string }> {
  void store; void account; void password;
  return {};
}

/** After a password change: re-wrap the account's keys once the PGP part provides them. */
export async function passwordChanged(store: Store, accountId: number, newPassword: string, oldPassword?: string): Promise<void> {
  void store; void accountId; void newPassword; void oldPassword;
}

/** The DNS records to publish for a domain; undefined while the SMTP part does not provide them. */
export function dnsRecordsFor(store: Store, config: Config, domain: string): DnsRecord[] | undefined {
  void store; void config; void domain;
  return undefined;
}

/** A WKD public key (binary OpenPGP) once the PGP part provides them. */
export function wkdLookup(store: Store, domain: string, hashedLocalPart: string): Buffer | undefined {
  void store; void domain; void hashedLocalPart;
  return undefined;
}
