// What the Tor system service tells the panel and `postern tor status`.
import type { RunningService } from '../../appliance/service.js';

export type OnionName = 'smtp' | 'imap' | 'panel';

export interface OnionStatus {
  name: OnionName;
  /** "<56 base32 chars>.onion" */
  address: string;
  /** virtual ports published */
  ports: number[];
  /** the panel onion: true when v3 client authorization is required */
  clientAuth?: boolean;
  /** published: tor announced the descriptor as uploaded (HS_DESC UPLOADED) */
  published: boolean;
}

export interface TorStatus {
  mode: 'off' | 'launch' | 'attach';
  /** bootstrap progress 0-100 */
  bootstrap: number;
  /** one line for people: "Bootstrapped 100% (done): Done", "tor is not installed", ... */
  summary: string;
  /** the control connection is up and authenticated */
  connected: boolean;
  onions: OnionStatus[];
  /** Tor's SOCKS endpoint, when tor runs */
  socks?: { host: string; port: number };
  /** the pid of the tor process Postern launched */
  pid?: number;
}

/** The running 'tor' system service (`appliance.service<TorService>('tor')`). */
export interface TorService extends RunningService {
  readonly name: 'tor';
  status(): TorStatus;
  /** Tor's SOCKS endpoint while tor runs (SMTorP delivery goes through it) */
  socks(): { host: string; port: number } | undefined;
  /** re-publish the panel onion after its authorized clients changed */
  refreshPanelAuth(): Promise<void>;
}
