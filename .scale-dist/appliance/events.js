// The in-process bus that tells open IMAP sessions (and the panel) that a mailbox changed.
import { EventEmitter } from 'node:events';
export class MailboxEvents {
    emitter = new EventEmitter();
    constructor() { this.emitter.setMaxListeners(0); }
    emit(change) {
        this.emitter.emit('change', change);
    }
    /** whether anyone listens to message changes (the store skips the work otherwise) */
    get watchingMessages() { return this.emitter.listenerCount('messages') > 0; }
    emitMessages(change) {
        this.emitter.emit('messages', change);
    }
    subscribeMessages(listener) {
        this.emitter.on('messages', listener);
        return () => this.emitter.off('messages', listener);
    }
    subscribe(listener) {
        this.emitter.on('change', listener);
        return () => this.emitter.off('change', listener);
    }
}
//# sourceMappingURL=events.js.map