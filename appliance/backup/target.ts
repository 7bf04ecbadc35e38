// Where backups go: a folder (a USB disk), an IMAP account, another Postern box. Each target
// stores named opaque objects; a put is all-or-nothing (a reader never sees half an object).
import type { BackupTargetKind, Store } from '../store/index.js';
import type { Config } from '../config.js';

export interface TargetEntry { name: string; size: number }

export interface BackupTarget {
  /** for messages: "folder /media/usb" */
  readonly description: string;
  put(name: string, data: Buffer): Promise<void>;
  /** undefined when the target has no such object */
  get(name: string): Promise<Buffer | undefined>;
  /** objects under a prefix ("snapshots/", "data/", "keys/") */
  list(prefix: string): Promise<TargetEntry[]>;
  remove(name: string): Promise<void>;
  close(): Promise<void>;
  /** a peer box: register the public half of the key a restoring box fetches with */
  registerRetrievalKey?(publicKey: string): Promise<void>;
}

export class TargetError extends Error {
  constructor(message: string) { super(message); this.name = 'TargetError'; }
}

/** What opening a peer target needs besides its onion address: the box's configuration (its TLS
 *  keys, its tor), and either the open store (the owner: the peer's pin, the retrieval key) or the
 *  recovery code (a new box restoring). */
export interface TargetContext {
  config?: Config;
  store?: Store;
  recoveryCode?: string;
  /** tor's SOCKS port (else asked from the box's tor) */
  socks?: { host: string; port: number };
}

export async function openTarget(kind: BackupTargetKind, location: string, ctx: TargetContext = {}): Promise<BackupTarget> {
  switch (kind) {
    case 'folder': return (await import('./folder-target.js')).FolderTarget.open(location);
    case 'imap': return (await import('./imap-target.js')).ImapTarget.open(location);
    case 'peer': return (await import('./peer-open.js')).openPeerTarget(location, ctx);
  }
}
