// NOTIFY SET [STATUS] (filter events)... and NOTIFY NONE (RFC 5465 3): the grammar and its rules;
// services/imap/notify.ts does the watching. Events this server does not offer (AnnotationChange,
// MailboxMetadata, ServerMetadata) are refused with BADEVENT listing the ones it does (RFC 5465 5).
import type { ImapArg } from '../wire.js';
import { bad, no } from '../errors.js';
import { nameFromArg } from '../mailbox-name.js';
import { parseFetchItems } from '../message/fetch.js';
import { Notifier, type EventGroup, type MailboxFilter, type NotifyEvent } from '../notify.js';
import { AUTHED, type CommandHandler, type ImapSession } from '../session-state.js';

const SUPPORTED: readonly NotifyEvent[] = ['MessageNew', 'MessageExpunge', 'FlagChange', 'MailboxName', 'SubscriptionChange'];
const KNOWN_UNSUPPORTED = ['ANNOTATIONCHANGE', 'MAILBOXMETADATA', 'SERVERMETADATA'];
const BADEVENT = `BADEVENT (${SUPPORTED.join(' ')})`;

function atomOf(a: ImapArg | undefined): string {
  return a?.kind === 'atom' ? a.value.toUpperCase() : '';
}

function mailboxNames(s: ImapSession, a: ImapArg | undefined, filter: string): string[] {
  if (!a) throw bad(`NOTIFY: ${filter} needs one mailbox or a list of them`);
  const items = a.kind === 'list' ? a.items : [a];
  if (items.length === 0) throw bad(`NOTIFY: ${filter} needs at least one mailbox`);
  return items.map((m) => {
    const name = nameFromArg(m, s.utf8, 'NOTIFY');
    return name.toUpperCase() === 'INBOX' ? 'INBOX' : name;
  });
}

function parseGroup(s: ImapSession, g: ImapArg): EventGroup {
  if (g.kind !== 'list' || g.items.length < 2) throw bad('NOTIFY: each event group is (filter events), e.g. (selected (MessageNew MessageExpunge))');
  const word = atomOf(g.items[0]);
  let filter: MailboxFilter;
  let i = 1;
  switch (word) {
    case 'SELECTED': case 'SELECTED-DELAYED': case 'INBOXES': case 'PERSONAL': case 'SUBSCRIBED':
      filter = { kind: word.toLowerCase() as 'selected' };
      break;
    case 'SUBTREE': case 'MAILBOXES':
      filter = { kind: word.toLowerCase() as 'subtree', names: mailboxNames(s, g.items[i++], word) };
      break;
    default: throw bad(`NOTIFY: unknown mailbox filter ${word.slice(0, 40) || '(not an atom)'}`);
  }
  const ev = g.items[i++];
  if (g.items.length > i) throw bad('NOTIFY: an event group is (filter events)');
  const events = new Set<NotifyEvent>();
  const group: EventGroup = { filter, events };
  if (ev?.kind === 'atom' && ev.value.toUpperCase() === 'NONE') return group;
  if (!ev || ev.kind !== 'list' || ev.items.length === 0) throw bad('NOTIFY: the events are a parenthesized list or NONE');
  const selected = filter.kind === 'selected' || filter.kind === 'selected-delayed';
  for (let k = 0; k < ev.items.length; k++) {
    const name = atomOf(ev.items[k]);
    const known = SUPPORTED.find((e) => e.toUpperCase() === name);
    if (KNOWN_UNSUPPORTED.includes(name)) throw no(`NOTIFY: ${name} is not offered`, BADEVENT);
    if (!known) throw bad(`NOTIFY: unknown event ${name.slice(0, 40) || '(not an atom)'}`);
    events.add(known);
    if (known === 'MessageNew' && ev.items[k + 1]?.kind === 'list') {
      // RFC 5465 5.2: fetch attributes only for the selected mailbox
      if (!selected) throw bad('NOTIFY: MessageNew with fetch attributes is only for SELECTED or SELECTED-DELAYED');
      group.fetch = parseFetchItems([ev.items[++k]!]);
    }
  }
  // RFC 5465 5: MessageNew and MessageExpunge go together, and FlagChange needs them
  if (events.has('MessageNew') !== events.has('MessageExpunge') && selected) throw bad('NOTIFY: MessageNew and MessageExpunge must be given together for the selected mailbox');
  if (events.has('FlagChange') && selected && !events.has('MessageNew')) throw bad('NOTIFY: FlagChange needs MessageNew and MessageExpunge for the selected mailbox');
  return group;
}

export const NOTIFY: CommandHandler = {
  states: AUTHED,
  async run(s, cmd) {
    const verb = atomOf(cmd.args[0]);
    if (verb === 'NONE') {
      if (cmd.args.length > 1) throw bad('NOTIFY NONE takes no arguments');
      s.notifier?.stop();
      s.notifier = undefined;
      return;
    }
    if (verb !== 'SET') throw bad('NOTIFY: SET or NONE');
    let i = 1;
    const status = atomOf(cmd.args[i]) === 'STATUS';
    if (status) i++;
    if (cmd.args.length <= i) throw bad('NOTIFY SET needs at least one event group');
    const groups = cmd.args.slice(i).map((g) => parseGroup(s, g));
    if (groups.filter((g) => g.filter.kind === 'selected' || g.filter.kind === 'selected-delayed').length > 1) throw bad('NOTIFY: SELECTED or SELECTED-DELAYED at most once');
    s.notifier?.stop();
    const n = new Notifier(s, groups);
    s.notifier = n;
    if (status) await n.initialStatus();
  },
};
