// Where backups go: a folder (a USB disk), an IMAP account, another Postern box. Each target
// stores named opaque objects; a put is all-or-nothing (a reader never sees half an object).
import type { BackupTargetKind } from '../store/index.js';

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
}

export class TargetError extends Error {
  constructor(message: string) { super(message); this.name = 'TargetError'; }
}

export async function openTarget(kind: BackupTargetKind, location: string): Promise<BackupTarget> {
  switch (kind) {
    case 'folder': return (await import('./folder-target.js')).FolderTarget.open(location);
    case 'imap': return (await import('./imap-target.js')).ImapTarget.open(location);
    case 'peer': throw new TargetError('backups to a peer box over Tor are not built yet: use a folder or an IMAP target');
  }
}
