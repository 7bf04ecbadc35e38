// A provider's folders mapped onto an account's mailboxes. Special-use folders (RFC 6154, or what
// imapflow recognizes by name on servers without it) go to ours: Sent, Drafts, Junk, Trash,
// Archive. Gmail's \All ("[Gmail]/All Mail") goes to Archive, but only with the messages no other
// folder (label) brought in; \Flagged ("Starred") and Gmail's "Important" are views of messages
// that live elsewhere (their flag is kept) and are not imported. Other names keep their hierarchy
// with "/" as the delimiter; characters our names cannot hold become "_".
import type { SpecialUse, Store } from '../store/index.js';

export interface SourceFolder { path: string; delimiter: string; flags: ReadonlySet<string>; specialUse?: string | undefined }

export type FolderPlan =
  | { kind: 'import'; target: string; specialUse: SpecialUse | null; allMail: boolean }
  | { kind: 'skip'; why: string };

const OURS: ReadonlySet<string> = new Set(['\\Sent', '\\Drafts', '\\Junk', '\\Trash', '\\Archive']);
const DEFAULT_NAME: Record<string, string> = { '\\Sent': 'Sent', '\\Drafts': 'Drafts', '\\Junk': 'Junk', '\\Trash': 'Trash', '\\Archive': 'Archive' };
const GMAIL_ROOT = /^\[(Gmail|Google Mail)\]$/i;

/** One level of a name as our mailboxes can hold it. */
export function cleanLevel(level: string): string {
  const s = level.normalize('NFC').replace(/[\x00-\x1f\x7f*%/]/g, '_').trim();
  return s.length ? s : '_';
}

/** Our mailbox name for a provider's folder path (without special use). */
export function mailboxNameFor(path: string, delimiter: string): string {
  const levels = delimiter ? path.split(delimiter) : [path];
  if (levels.length > 1 && GMAIL_ROOT.test(levels[0]!)) levels.shift();
  if (/^inbox$/i.test(levels[0]!)) levels[0] = 'INBOX';
  return levels.map(cleanLevel).join('/');
}

export function planFolder(f: SourceFolder): FolderPlan {
  const flags = new Set([...f.flags].map((x) => x.toLowerCase()));
  if (flags.has('\\noselect') || flags.has('\\nonexistent')) return { kind: 'skip', why: 'holds no messages (\\Noselect)' };
  if (/^inbox$/i.test(f.path)) return { kind: 'import', target: 'INBOX', specialUse: null, allMail: false };
  const use = f.specialUse;
  if (use === '\\Flagged') return { kind: 'skip', why: 'a view of flagged messages kept in other folders (their flag is imported)' };
  if (flags.has('\\important') || /^\[(Gmail|Google Mail)\][/.]Important$/i.test(f.path)) return { kind: 'skip', why: "Gmail's Important view of messages kept in other folders" };
  if (use === '\\All') return { kind: 'import', target: DEFAULT_NAME['\\Archive']!, specialUse: '\\Archive', allMail: true };
  if (use && OURS.has(use)) return { kind: 'import', target: DEFAULT_NAME[use]!, specialUse: use as SpecialUse, allMail: false };
  return { kind: 'import', target: mailboxNameFor(f.path, f.delimiter), specialUse: null, allMail: false };
}

/** The order folders are imported in: INBOX, then the others, \All last (it skips what the others brought). */
export function folderOrder(a: { plan: FolderPlan; path: string }, b: { plan: FolderPlan; path: string }): number {
  const rank = (x: { plan: FolderPlan; path: string }) => (x.plan.kind === 'import' && x.plan.allMail ? 2 : /^inbox$/i.test(x.path) ? 0 : 1);
  return rank(a) - rank(b) || a.path.localeCompare(b.path);
}

/** The account's mailbox for a plan: by special use when it has one, else by name, created when missing. */
export function targetMailbox(store: Store, accountId: number, plan: { target: string; specialUse: SpecialUse | null }): { id: number; name: string } {
  if (plan.specialUse) {
    const m = store.mailboxes.bySpecialUse(accountId, plan.specialUse);
    if (m) return m;
  }
  const existing = store.mailboxes.get(accountId, plan.target);
  if (existing) return existing;
  try {
    return store.mailboxes.create(accountId, plan.target, plan.specialUse && !store.mailboxes.bySpecialUse(accountId, plan.specialUse) ? plan.specialUse : null);
  } catch (e) {
    const again = store.mailboxes.get(accountId, plan.target);
    if (again) return again;
    throw e;
  }
}
