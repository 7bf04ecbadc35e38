// NOTIFY (RFC 5465): one connection watches several mailboxes. A session's Notifier listens to the
// store's change bus (the one IDLE wakes on) and, whenever the session may speak unasked (between
// commands and during IDLE), tells the client:
// - for the selected mailbox (filter SELECTED / SELECTED-DELAYED): EXISTS, EXPUNGE (SELECTED only;
//   SELECTED-DELAYED keeps them for a command that allows them) and FETCH FLAGS right away, and
//   with MessageNew (fetch-att) a FETCH of those items for each new message;
// - for other mailboxes: STATUS with the counters the events change (MessageNew: MESSAGES UIDNEXT
//   UIDVALIDITY UNSEEN; MessageExpunge: MESSAGES UNSEEN; FlagChange: UIDVALIDITY HIGHESTMODSEQ
//   UNSEEN), and LIST for MailboxName (created, deleted, renamed with OLDNAME) and
//   SubscriptionChange (\Subscribed or not).
// Changes arriving while a command runs wait for its end; several changes to one mailbox become
// one STATUS.
import type { MailboxChange } from '../../appliance/events.js';
import type { Mailbox } from '../../appliance/store/index.js';
import { atom, type ImapValue } from './wire.js';
import { DELIMITER, nameToWire } from './mailbox-name.js';
import { renderFetch, type FetchItem, type FetchSubject } from './message/fetch.js';
import type { ImapSession, SessionNotifier } from './session-state.js';
import type { BlobInfo } from '../../appliance/store/index.js';

export type NotifyEvent = 'MessageNew' | 'MessageExpunge' | 'FlagChange' | 'MailboxName' | 'SubscriptionChange';

export type MailboxFilter =
  | { kind: 'selected' | 'selected-delayed' | 'inboxes' | 'personal' | 'subscribed' }
  | { kind: 'subtree' | 'mailboxes'; names: string[] };

export interface EventGroup {
  filter: MailboxFilter;
  events: ReadonlySet<NotifyEvent>;
  /** MessageNew (fetch-att...) of a SELECTED filter */
  fetch?: FetchItem[];
}

const STATUS_ITEMS: Record<'MessageNew' | 'MessageExpunge' | 'FlagChange', string[]> = {
  MessageNew: ['MESSAGES', 'UIDNEXT', 'UIDVALIDITY', 'UNSEEN'],
  MessageExpunge: ['MESSAGES', 'UNSEEN'],
  FlagChange: ['UIDVALIDITY', 'HIGHESTMODSEQ', 'UNSEEN'],
};

const EVENT_OF: Record<Exclude<MailboxChange['kind'], 'mailboxes'>, 'MessageNew' | 'MessageExpunge' | 'FlagChange'> = {
  exists: 'MessageNew', expunge: 'MessageExpunge', flags: 'FlagChange',
};

export class Notifier implements SessionNotifier {
  private readonly unsubscribe: () => void;
  /** mailbox id -> what happened, waiting for a moment the session may speak */
  private pending = new Map<number, Set<MailboxChange['kind']>>();
  private scheduled = false;
  private delivering = false;
  /** what the client was last told of the account's mailboxes and subscriptions */
  private names: Map<number, string>;
  private subscribed: Set<string>;

  constructor(private readonly s: ImapSession, private readonly groups: readonly EventGroup[]) {
    const account = s.account!.id;
    this.names = this.mailboxNames();
    this.subscribed = new Set(s.store.subscriptions.list(account));
    this.unsubscribe = s.store.events.subscribe((c) => {
      if (c.accountId !== account) return;
      let kinds = this.pending.get(c.mailboxId);
      if (!kinds) this.pending.set(c.mailboxId, (kinds = new Set()));
      kinds.add(c.kind);
      // events fire inside the store's transaction: look once it has committed
      if (!this.scheduled) { this.scheduled = true; setImmediate(() => { this.scheduled = false; this.deliver(); }); }
    });
  }

  stop(): void { this.unsubscribe(); this.pending.clear(); }

  private mailboxNames(): Map<number, string> {
    return new Map(this.s.store.mailboxes.list(this.s.account!.id).map((m) => [m.id, m.name]));
  }

  /** The SELECTED or SELECTED-DELAYED group, if any. */
  private get selectedGroup(): EventGroup | undefined {
    return this.groups.find((g) => g.filter.kind === 'selected' || g.filter.kind === 'selected-delayed');
  }

  /** The first group (other than SELECTED) whose filter takes this mailbox name. */
  groupFor(name: string): EventGroup | undefined {
    return this.groups.find((g) => {
      const f = g.filter;
      switch (f.kind) {
        case 'selected': case 'selected-delayed': return false;
        case 'inboxes': return name === 'INBOX';
        case 'personal': return true;
        case 'subscribed': return this.subscribed.has(name);
        case 'subtree': return f.names.some((n) => name === n || name.startsWith(n + DELIMITER));
        case 'mailboxes': return f.names.includes(name);
      }
    });
  }

  /** NOTIFY SET STATUS: the counters of every watched mailbox but the selected one. */
  async initialStatus(): Promise<void> {
    for (const mb of this.s.store.mailboxes.list(this.s.account!.id)) {
      if (this.s.selected?.id === mb.id) continue;
      const g = this.groupFor(mb.name);
      if (!g) continue;
      const items = itemsFor(g.events, ['MessageNew', 'MessageExpunge', 'FlagChange']);
      if (items.length) await this.status(mb, items);
    }
  }

  private async status(mb: Mailbox, items: readonly string[]): Promise<void> {
    const st = this.s.store.mailboxes.status(mb.id);
    const out: ImapValue[] = [];
    for (const it of items) {
      const v = it === 'MESSAGES' ? st.messages : it === 'UIDNEXT' ? st.uidNext : it === 'UIDVALIDITY' ? st.uidValidity
        : it === 'UNSEEN' ? st.unseen : st.highestModseq;
      out.push(atom(it), v);
    }
    await this.s.untagged(atom('STATUS'), nameToWire(mb.name, this.s.utf8), out);
  }

  /** Send what is pending, if the session may speak now (else its next quiet moment calls again). */
  deliver(): void {
    if (this.delivering || this.pending.size === 0 || !this.s.notifyWindow) return;
    this.delivering = true;
    void this.send().finally(() => { this.delivering = false; if (this.pending.size && this.s.notifyWindow) this.deliver(); });
  }

  private async send(): Promise<void> {
    const pending = this.pending;
    this.pending = new Map();
    const box = this.s.selected;
    let listChanged = false;
    for (const [mailboxId, kinds] of pending) {
      if (kinds.has('mailboxes')) listChanged = true;
      if (box && mailboxId === box.id) {
        // IDLE sends the selected mailbox's changes itself
        const g = this.selectedGroup;
        if (g && g.events.size > 0 && !this.s.idling) await this.s.sendUpdates(g.filter.kind === 'selected');
        continue;
      }
      const mb = this.s.store.mailboxes.byId(mailboxId);
      if (!mb) continue;
      const g = this.groupFor(mb.name);
      if (!g) continue;
      const events = [...kinds].filter((k): k is Exclude<MailboxChange['kind'], 'mailboxes'> => k !== 'mailboxes').map((k) => EVENT_OF[k]);
      const items = itemsFor(g.events, events);
      if (items.length) await this.status(mb, items);
    }
    if (listChanged) await this.mailboxList();
  }

  /** MailboxName and SubscriptionChange: LIST for what changed since the client was last told. */
  private async mailboxList(): Promise<void> {
    const before = this.names;
    const now = this.mailboxNames();
    this.names = now;
    const wire = (n: string) => nameToWire(n, this.s.utf8);
    const wants = (name: string, e: NotifyEvent) => this.groupFor(name)?.events.has(e) ?? false;
    for (const [id, name] of now) {
      const old = before.get(id);
      if (old === undefined) {
        if (wants(name, 'MailboxName')) await this.s.untagged(atom('LIST'), [], DELIMITER, wire(name));
      } else if (old !== name && (wants(name, 'MailboxName') || wants(old, 'MailboxName'))) {
        await this.s.untagged(atom('LIST'), [], DELIMITER, wire(name), ['OLDNAME', [wire(old)]]);
      }
    }
    for (const [id, name] of before) {
      if (!now.has(id) && wants(name, 'MailboxName')) await this.s.untagged(atom('LIST'), [atom('\\NonExistent')], DELIMITER, wire(name));
    }
    const subs = new Set(this.s.store.subscriptions.list(this.s.account!.id));
    const was = this.subscribed;
    this.subscribed = subs;
    for (const n of subs) if (!was.has(n) && wants(n, 'SubscriptionChange')) await this.s.untagged(atom('LIST'), [atom('\\Subscribed')], DELIMITER, wire(n));
    for (const n of was) if (!subs.has(n) && (this.groups.some((g) => g.filter.kind === 'subscribed' && g.events.has('SubscriptionChange')) || wants(n, 'SubscriptionChange'))) {
      await this.s.untagged(atom('LIST'), [], DELIMITER, wire(n));
    }
  }

  /** After a refresh of the selected mailbox: MessageNew (fetch-att) for the messages above
   *  `fromUid`. */
  async announceNew(fromUid: number): Promise<void> {
    const box = this.s.selected;
    const items = this.selectedGroup?.fetch;
    if (!box || !items?.length || box.maxUid <= fromUid) return;
    for (const meta of this.s.store.messages.range(box.id, fromUid + 1, box.maxUid)) {
      const seq = box.seqOf(meta.uid);
      if (seq === 0) continue;
      let blob: BlobInfo | undefined;
      const subject: FetchSubject = {
        meta: { ...meta, flags: box.shownFlags(meta.uid, meta.flags) },
        blob: () => (blob ??= this.s.store.messages.blob(meta.blobId)),
        raw: () => this.s.store.readMessage((blob ??= this.s.store.messages.blob(meta.blobId)).hash),
      };
      const { values } = renderFetch(items, subject);
      await this.s.untagged(seq, atom('FETCH'), values);
    }
  }
}

function itemsFor(enabled: ReadonlySet<NotifyEvent>, events: ReadonlyArray<'MessageNew' | 'MessageExpunge' | 'FlagChange'>): string[] {
  const out = new Set<string>();
  for (const e of events) if (enabled.has(e)) for (const it of STATUS_ITEMS[e]) out.add(it);
  return [...out];
}
