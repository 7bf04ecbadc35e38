// What a command handler sees of its session (RFC 9051 section 3: the states), so that handlers
// (commands/*) and the session (session.ts) do not import each other.
import type { Account, Store } from '../../appliance/store/index.js';
import type { MailPipeline } from '../../appliance/pipeline.js';
import type { Config } from '../../appliance/config.js';
import type { ImapValue } from './wire.js';
import type { ImapCommand } from './parser.js';
import type { SelectedMailbox } from './selected.js';
import type { AuthThrottle } from './auth-throttle.js';
import type { ResultContexts } from './search/context.js';

export type SessionState = 'not-authenticated' | 'authenticated' | 'selected' | 'logout';

/** Extensions a client can ENABLE (RFC 5161). */
export type Enableable = 'CONDSTORE' | 'QRESYNC' | 'UTF8=ACCEPT' | 'IMAP4REV2';

/** NOTIFY's per-session state (services/imap/notify.ts), as the session drives it. */
export interface SessionNotifier {
  /** after a refresh of the selected mailbox: MessageNew's FETCH for the messages above `fromUid` */
  announceNew(fromUid: number): Promise<void>;
  /** the session may speak unasked now: send what is pending */
  deliver(): void;
  stop(): void;
}

export interface ImapSession {
  readonly store: Store;
  readonly pipeline: MailPipeline;
  readonly config: Config;
  readonly throttle: AuthThrottle;
  /** the largest message APPEND takes (APPENDLIMIT, RFC 7889) */
  readonly appendLimit: number;
  readonly state: SessionState;
  /** the connection is TLS (implicit or after STARTTLS) */
  readonly secure: boolean;
  /** the client's address (for throttling; log it only through redact) */
  readonly clientAddress: string;
  readonly account: Account | undefined;
  readonly selected: SelectedMailbox | undefined;
  readonly enabled: ReadonlySet<Enableable>;
  /** mailbox names and quoted strings in UTF-8 (UTF8=ACCEPT or IMAP4rev2) */
  readonly utf8: boolean;
  readonly rev2: boolean;
  /** CONDSTORE is on (ENABLE CONDSTORE/QRESYNC, SELECT (CONDSTORE), or a CONDSTORE-only parameter) */
  readonly condstore: boolean;
  readonly qresync: boolean;
  /** SEARCHRES: the UIDs saved by SEARCH RETURN (SAVE) */
  saved: number[];
  /** NOTIFY SET's watcher (RFC 5465), undefined without NOTIFY or after NOTIFY NONE */
  notifier: SessionNotifier | undefined;
  /** no command runs, or IDLE does: unsolicited responses may be sent now (RFC 5465) */
  readonly notifyWindow: boolean;
  /** IDLE is running */
  readonly idling: boolean;
  /** SEARCH/SORT RETURN (UPDATE) results kept up to date (RFC 5267 CONTEXT=SEARCH/SORT) */
  readonly contexts: ResultContexts;
  capabilities(): string[];
  enable(ext: Enableable): void;
  /** switch CONDSTORE on for the rest of the session (RFC 7162 3.1) */
  enableCondstore(): void;
  /** "* " + values + CRLF; resolves when the socket can take more */
  untagged(...values: ImapValue[]): Promise<void>;
  /** "+ text" */
  continuation(text: string): Promise<void>;
  /** the next line the client sends (AUTHENTICATE responses, DONE) */
  readLine(): Promise<Buffer>;
  /** STARTTLS: called after the tagged OK was written */
  afterReply(fn: () => Promise<void> | void): void;
  startTls(): Promise<void>;
  login(account: Account): void;
  select(box: SelectedMailbox | undefined): void;
  logout(): void;
  /** other sessions' changes to the selected mailbox, sent now (expunges only when allowed) */
  sendUpdates(expunge: boolean): Promise<void>;
  /** tell the other sessions that a mailbox changed (after this session changed it) */
  changed(mailboxId: number, kind: 'exists' | 'expunge' | 'flags' | 'mailboxes'): void;
  /** wait for a change to the selected mailbox (IDLE) or for `stop` */
  waitForChange(stop: Promise<unknown>): Promise<'change' | 'stop'>;
}

export interface TaggedOk { code?: string; text?: string }

export interface CommandHandler {
  readonly states: readonly SessionState[];
  run(s: ImapSession, cmd: ImapCommand): Promise<TaggedOk | void> | TaggedOk | void;
}

export const ANY: readonly SessionState[] = ['not-authenticated', 'authenticated', 'selected'];
export const AUTHED: readonly SessionState[] = ['authenticated', 'selected'];
export const SELECTED: readonly SessionState[] = ['selected'];
