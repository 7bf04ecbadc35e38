// The in-process bus that tells open IMAP sessions (and the panel) that a mailbox changed.
import { EventEmitter } from 'node:events';

export interface MailboxChange {
  accountId: number;
  mailboxId: number;
  /** what happened; sessions re-read the mailbox state from the store either way */
  kind: 'exists' | 'expunge' | 'flags' | 'mailboxes';
}

/** Messages a client copied or moved, or whose keywords changed: for listeners that learn from
 *  what people do (the junk filter), so that IMAP need not know them. Fired after the commit. */
export type MessageChange =
  | { kind: 'copied'; accountId: number; fromMailboxId: number; toMailboxId: number; move: boolean; blobIds: number[] }
  | { kind: 'keywords'; accountId: number; mailboxId: number; changes: Array<{ blobId: number; added: string[]; removed: string[] }> };

export class MailboxEvents {
  private readonly emitter = new EventEmitter();
  constructor() { this.emitter.setMaxListeners(0); }

  emit(change: MailboxChange): void {
    this.emitter.emit('change', change);
  }

  /** whether anyone listens to message changes (the store skips the work otherwise) */
  get watchingMessages(): boolean { return this.emitter.listenerCount('messages') > 0; }

  emitMessages(change: MessageChange): void {
    this.emitter.emit('messages', change);
  }

  subscribeMessages(listener: (change: MessageChange) => void): () => void {
    this.emitter.on('messages', listener);
    return () => this.emitter.off('messages', listener);
  }

  subscribe(listener: (change: MailboxChange) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }
}
