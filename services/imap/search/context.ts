// CONTEXT=SEARCH and CONTEXT=SORT (RFC 5267 4): a SEARCH or SORT with RETURN (UPDATE) keeps its
// result up to date while the mailbox stays selected. After each refresh of the session's view
// (a command's end, IDLE, NOTIFY) a context whose mailbox changed is evaluated again on the view
// and the difference is sent: ESEARCH REMOVEFROM before the refresh's EXPUNGEs (its sequence
// numbers are the ones before them), ESEARCH ADDTO after its EXISTS. CANCELUPDATE ends a context;
// so does leaving the mailbox.
import { atom, type ImapValue } from '../wire.js';
import { formatSet } from '../sequence.js';
import { no } from '../errors.js';

export type Untagged = ImapValue[];

export interface ResultContext {
  /** the tag of the command that made it (ESEARCH (TAG ...)) */
  tag: string;
  /** UID SEARCH / UID SORT: UIDs, else sequence numbers */
  uid: boolean;
  /** SORT: the result is ordered and positions count (RFC 5267 4.3.2); SEARCH: ascending */
  sorted: boolean;
  /** the result: UIDs in result order */
  result: number[];
  /** the result again on the session's current view: UIDs in result order */
  evaluate(): number[];
}

/** What a context needs of the session's view of the selected mailbox. */
export interface ContextView {
  /** UIDs ascending (seq - 1 -> UID) */
  readonly uids: ArrayLike<number>;
  seqOf(uid: number): number;
}

/** How many contexts one session may keep (each is evaluated again on every change). */
export const MAX_CONTEXTS = 16;

export interface ContextSnapshot { uids?: ArrayLike<number>; changed: boolean }

function indexIn(sorted: ArrayLike<number>, v: number): number {
  let lo = 0, hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const x = sorted[mid]!;
    if (x === v) return mid;
    if (x < v) lo = mid + 1; else hi = mid - 1;
  }
  return -1;
}

export class ResultContexts {
  private readonly contexts = new Map<string, ResultContext>();
  /** the mailbox's modseq when the contexts were last evaluated */
  private modseq = 0;

  get size(): number { return this.contexts.size; }

  /** Keep a new context (replacing one with the same tag). Refused with NOUPDATE when the
   *  session has too many (RFC 5267 4.3.1): the search itself still succeeds. */
  add(c: ResultContext, modseq: number): Untagged | undefined {
    if (!this.contexts.has(c.tag) && this.contexts.size >= MAX_CONTEXTS) {
      return [atom('NO'), atom(`[NOUPDATE ${JSON.stringify(c.tag)}]`), atom(`at most ${MAX_CONTEXTS} contexts are updated at once`)];
    }
    if (this.contexts.size === 0) this.modseq = modseq;
    this.contexts.set(c.tag, c);
    return undefined;
  }

  /** CANCELUPDATE (RFC 5267 4.3.5): an unknown tag is an error. */
  cancel(tags: readonly string[]): void {
    const unknown = tags.filter((t) => !this.contexts.has(t));
    if (unknown.length) throw no(`CANCELUPDATE: no search context with tag ${unknown[0]!.slice(0, 40)}`);
    for (const t of tags) this.contexts.delete(t);
  }

  clear(): void { this.contexts.clear(); }

  /** Before the view is refreshed: keep its UIDs when they are needed to name removed messages
   *  by their sequence numbers before the EXPUNGEs. */
  prepare(view: ContextView, mailboxModseq: number, expunge: boolean): ContextSnapshot {
    const changed = mailboxModseq !== this.modseq;
    const needSeqs = changed && expunge && [...this.contexts.values()].some((c) => !c.uid);
    return { changed, ...(needSeqs ? { uids: Uint32Array.from(view.uids) } : {}) };
  }

  /** After the refresh: the REMOVEFROM responses to send before the refresh's updates and the
   *  ADDTO responses to send after them. */
  finish(view: ContextView, snap: ContextSnapshot, refreshed: boolean, mailboxModseq: number): { before: Untagged[]; after: Untagged[] } {
    const before: Untagged[] = [];
    const after: Untagged[] = [];
    if (!snap.changed && !refreshed) return { before, after };
    this.modseq = mailboxModseq;
    const oldSeq = (uid: number): number => {
      if (snap.uids) return indexIn(snap.uids, uid) + 1;
      return view.seqOf(uid);
    };
    for (const c of this.contexts.values()) {
      const next = c.evaluate();
      const now = new Set(next);
      const was = new Set(c.result);
      const removed: Array<[pos: number, uid: number]> = [];
      c.result.forEach((u, i) => { if (!now.has(u)) removed.push([i + 1, u]); });
      const added: Array<[pos: number, uid: number]> = [];
      next.forEach((u, i) => { if (!was.has(u)) added.push([i + 1, u]); });
      c.result = next;
      const head = (): ImapValue[] => [atom('ESEARCH'), [atom('TAG'), c.tag], ...(c.uid ? [atom('UID')] : [])];
      if (removed.length) {
        const nums = removed.map(([p, u]) => [p, c.uid ? u : oldSeq(u)] as [number, number]).filter(([, n]) => n > 0);
        if (nums.length) before.push([...head(), atom('REMOVEFROM'), pairs(nums, c.sorted, true)]);
      }
      if (added.length) {
        const nums = added.map(([p, u]) => [p, c.uid ? u : view.seqOf(u)] as [number, number]).filter(([, n]) => n > 0);
        if (nums.length) after.push([...head(), atom('ADDTO'), pairs(nums, c.sorted, false)]);
      }
    }
    return { before, after };
  }
}

/** The (position set) pairs of ADDTO/REMOVEFROM. A SEARCH result is unordered: one pair with
 *  position 0 and the whole set. A SORT result: one pair per message, removals from the last
 *  position down and additions from the first up, so that each applies to the list as the
 *  previous ones left it. */
function pairs(items: Array<[number, number]>, sorted: boolean, removal: boolean): ImapValue[] {
  if (!sorted) return [0, atom(formatSet(items.map(([, n]) => n)))];
  const ordered = [...items].sort((a, b) => (removal ? b[0] - a[0] : a[0] - b[0]));
  const out: ImapValue[] = [];
  for (const [p, n] of ordered) out.push(p, n);
  return out;
}
