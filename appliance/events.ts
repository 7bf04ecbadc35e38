// The in-process bus that tells open IMAP sessions (and the panel) that a mailbox changed.
import { EventEmitter } from 'node:events';

export interface MailboxChange {
  accountId: number;
  mailboxId: number;
  /** what happened; sessions re-read the mailbox state from the store either way */
  kind: 'exists' | 'expunge' | 'flags' | 'mailboxes';
}

export class MailboxEvents {
  private readonly emitter = new EventEmitter();
  constructor() { this.emitter.setMaxListeners(0); }

  emit(change: MailboxChange): void {
    this.emitter.emit('change', change);
  }

  subscribe(listener: (change: MailboxChange) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }
}
