// What the appliance hands to each service, and what a running service gives back.
import type { Config, Endpoint } from './config.js';
import type { Store } from './store/index.js';
import type { TlsMaterial } from './tls/authority.js';
import type { MailPipeline } from './pipeline.js';

export type ApplianceState = 'locked' | 'starting' | 'running' | 'stopping' | 'stopped';

export interface ListenerStatus { name: string; endpoint: Endpoint; up: boolean }

/** The appliance as services see it (no import of the composition root, so no cycles). */
export interface ApplianceHandle {
  readonly config: Config;
  readonly tls: TlsMaterial;
  readonly state: ApplianceState;
  /** the open store; undefined while locked */
  readonly store: Store | undefined;
  listeners(): ListenerStatus[];
  /** a running service by name (e.g. 'tor', 'delivery') for status pages */
  service<T extends RunningService>(name: string): T | undefined;
  /** first setup in LUKS mode: create the encrypted volume; returns the recovery key (shown once) */
  setupStorage(passphrase: string): Promise<{ recoveryKey: string }>;
  unlock(passphrase: string): Promise<void>;
  lock(): Promise<void>;
  /** re-issue the certificates if a name is missing (a domain added at run time) */
  refreshTls?(): Promise<void>;
  /** new server key pairs, signed by the CA this process holds (`postern cert rotate-key`) */
  rotateTlsKeys?(): Promise<TlsMaterial>;
  /** apply what the household saved in the panel (the host name) without a restart */
  applySettings?(): Promise<void>;
}

/** What a system service (the panel, Tor) gets: it runs while the box is locked too. */
export interface SystemContext {
  config: Config;
  tls: TlsMaterial;
  appliance: ApplianceHandle;
}

/** What a mail service (SMTP, IMAP, delivery) gets: it runs only while the store is open. */
export interface ServiceContext extends SystemContext {
  store: Store;
  pipeline: MailPipeline;
}

export interface RunningService {
  readonly name: string;
  /** listeners this service accepts on (each printed once at start) */
  readonly listeners: ReadonlyArray<{ name: string; endpoint: Endpoint }>;
  /** stop accepting, let sessions in flight finish within `graceMs`, then end them */
  close(graceMs: number): Promise<void>;
  /** take re-issued certificates in place (`server.setSecureContext`, smtp-server's
   *  `updateSecureContext`); a mail service with listeners but without this is restarted */
  reloadTls?(tls: TlsMaterial): void;
}

export type ServiceStarter = (ctx: ServiceContext) => Promise<RunningService | undefined>;
export type SystemServiceStarter = (ctx: SystemContext) => Promise<RunningService | undefined>;

/** A listener that could not bind: the message is one sentence for the operator. */
export class ListenError extends Error {
  constructor(readonly listener: string, readonly endpoint: Endpoint, cause: NodeJS.ErrnoException) {
    const why = cause.code === 'EADDRINUSE' ? 'the address is already in use'
      : cause.code === 'EACCES' ? 'permission denied (ports below 1024 need CAP_NET_BIND_SERVICE)'
      : cause.code === 'EADDRNOTAVAIL' ? 'that address is not on this machine'
      : cause.message;
    super(`cannot listen for ${listener} on ${endpoint.host}:${endpoint.port}: ${why}`);
    this.name = 'ListenError';
  }
}
