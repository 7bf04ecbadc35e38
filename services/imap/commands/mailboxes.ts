// CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE (RFC 9051 6.3.4-6.3.8). Names arrive in modified
// UTF-7 unless UTF8=ACCEPT/IMAP4rev2; the store checks them and keeps UTF-8. DELETE of a mailbox
// with children keeps its name as \Noselect (RFC 3501 6.3.4); the subscription list is names,
// left alone by DELETE and RENAME (RFC 3501 6.3.6, as Dovecot).
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
    if (name.toUpperCase() === 'INBOX') throw no('INBOX cannot be deleted', 'CANNOT');
    const mb = s.store.mailboxes.get(s.account!.id, name);
    if (!mb && !s.store.mailboxes.isNoselect(s.account!.id, name)) throw no(`there is no mailbox ${name}`, 'NONEXISTENT');
    if (mb && s.selected?.id === mb.id) throw no('close the selected mailbox before deleting it', 'INUSE');
    try {
      s.store.mailboxes.delete(s.account!.id, name);
    } catch (e) {
      // only a \Noselect name with children (RFC 3501 6.3.4: "It is an error to attempt to delete
      // a name that has inferior hierarchical names and also has the \Noselect mailbox name attribute")
      if (e instanceof StoreError && e.code === 'in-use') throw no(e.message, 'HASCHILDREN');
      throw e;
    }
    if (mb) s.changed(mb.id, 'mailboxes');
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
    if (!mb && !s.store.mailboxes.isNoselect(s.account!.id, from)) throw no(`there is no mailbox ${from}`, 'NONEXISTENT');
    s.store.mailboxes.rename(s.account!.id, from, to);
    if (mb) s.changed(mb.id, 'mailboxes');
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
      const account = s.account!.id;
      if (!subscribe) {
        // UNSUBSCRIBE of a name that is not subscribed is OK (as Dovecot): the name is not listed.
        if (s.store.subscriptions.remove(account, name)) s.changed(s.store.mailboxes.get(account, name)?.id ?? 0, 'mailboxes');
        return;
      }
      // RFC 3501 6.3.6 lets a server refuse names that do not exist; Dovecot does, and so do we
      // (a \Noselect name exists). A subscribed name stays subscribed after its mailbox goes.
      if (!s.store.mailboxes.get(account, name) && !s.store.mailboxes.isNoselect(account, name)) throw no(`there is no mailbox ${name}`, 'NONEXISTENT');
      const had = s.store.subscriptions.has(account, name);
      s.store.subscriptions.add(account, name);
      // NOTIFY's SubscriptionChange (RFC 5465 5.5) learns of it on the change bus
      if (!had) s.changed(s.store.mailboxes.get(account, name)?.id ?? 0, 'mailboxes');
    },
  };
}

export const SUBSCRIBE = subscription(true);
export const UNSUBSCRIBE = subscription(false);
