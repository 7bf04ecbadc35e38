// CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE (RFC 9051 6.3.4-6.3.8). Names arrive in modified
// UTF-7 unless UTF8=ACCEPT/IMAP4rev2; the store checks them and keeps UTF-8.
import { ArgReader } from '../args.js';
import { no } from '../errors.js';
import { nameFromArg } from '../mailbox-name.js';
import { StoreError } from '../../../appliance/store/index.js';
import { AUTHED, type CommandHandler } from '../session-state.js';

export const CREATE: CommandHandler = {
  states: AUTHED,
  run(s, cmd) {
    const r = new ArgReader(cmd.args, 'CREATE');
    const name = nameFromArg(r.next('mailbox name'), s.utf8, 'CREATE');
    if (r.remaining > 0) { r.list('create parameters'); }
    r.end();
    if (name === 'INBOX') throw no('INBOX always exists', 'ALREADYEXISTS');
    const mb = s.store.mailboxes.create(s.account!.id, name);
    s.changed(mb.id, 'mailboxes');
  },
};

export const DELETE: CommandHandler = {
  states: AUTHED,
  run(s, cmd) {
    const r = new ArgReader(cmd.args, 'DELETE');
    const name = nameFromArg(r.next('mailbox name'), s.utf8, 'DELETE');
    r.end();
    const mb = s.store.mailboxes.get(s.account!.id, name);
    if (!mb) throw no(`there is no mailbox ${name}`, 'NONEXISTENT');
    if (s.selected?.id === mb.id) throw no('close the selected mailbox before deleting it', 'INUSE');
    try {
      s.store.mailboxes.delete(s.account!.id, name);
    } catch (e) {
      if (e instanceof StoreError && e.code === 'in-use') throw no(e.message, 'HASCHILDREN');
      throw e;
    }
    s.changed(mb.id, 'mailboxes');
  },
};

export const RENAME: CommandHandler = {
  states: AUTHED,
  run(s, cmd) {
    const r = new ArgReader(cmd.args, 'RENAME');
    const from = nameFromArg(r.next('existing mailbox name'), s.utf8, 'RENAME');
    const to = nameFromArg(r.next('new mailbox name'), s.utf8, 'RENAME');
    r.end();
    const mb = s.store.mailboxes.get(s.account!.id, from);
    if (!mb) throw no(`there is no mailbox ${from}`, 'NONEXISTENT');
    s.store.mailboxes.rename(s.account!.id, from, to);
    s.changed(mb.id, 'mailboxes');
  },
};

function subscription(subscribe: boolean): CommandHandler {
  const word = subscribe ? 'SUBSCRIBE' : 'UNSUBSCRIBE';
  return {
    states: AUTHED,
    run(s, cmd) {
      const r = new ArgReader(cmd.args, word);
      const name = nameFromArg(r.next('mailbox name'), s.utf8, word);
      r.end();
      s.store.mailboxes.setSubscribed(s.account!.id, name, subscribe);
    },
  };
}

export const SUBSCRIBE = subscription(true);
export const UNSUBSCRIBE = subscription(false);
