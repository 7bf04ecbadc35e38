// The mail pipeline: the seams where services change or observe a message between the protocol
// that received it and the store. SMTP (and the queue's DSNs) call it; PGP registers its steps
// (Autocrypt header on submission, peer state from incoming Autocrypt headers, encryption at rest).
// One instance per appliance, handed to every mail service in its context.
import type { Store, Delivered, DeliveryTarget } from './store/index.js';

/** Change a message an account submits, before DKIM signing (e.g. add an Autocrypt header). */
export type SubmissionStep = (msg: { accountId: number; from: string; raw: Buffer }) => Promise<Buffer>;
/** Change a message before it is stored for one account (e.g. encryption at rest). */
export type StorageStep = (msg: { accountId: number; mailbox: string; raw: Buffer }) => Promise<Buffer>;
/** Look at a message received for an account (e.g. record its Autocrypt header). */
export type InboundObserver = (msg: { accountId: number; raw: Buffer }) => Promise<void>;

export class MailPipeline {
  private readonly submission: SubmissionStep[] = [];
  private readonly storage: StorageStep[] = [];
  private readonly observers: InboundObserver[] = [];

  constructor(private readonly store: Store) {}

  onSubmission(step: SubmissionStep): void { this.submission.push(step); }
  onStorage(step: StorageStep): void { this.storage.push(step); }
  onInbound(observer: InboundObserver): void { this.observers.push(observer); }

  async submit(accountId: number, from: string, raw: Buffer): Promise<Buffer> {
    let out = raw;
    for (const step of this.submission) out = await step({ accountId, from, raw: out });
    return out;
  }

  /** Deliver to local mailboxes. Without storage steps this is one atomic store.deliver; with
   *  them, targets whose content differs are grouped and each group is stored atomically, and
   *  the groups are stored one after another (all prepared first, so a failing step stores nothing). */
  async deliverLocal(targets: readonly DeliveryTarget[], raw: Buffer, internalDate?: number): Promise<Delivered[]> {
    for (const t of targets) {
      for (const o of this.observers) {
        try { await o({ accountId: t.accountId, raw }); } catch { /* an observer never blocks delivery */ }
      }
    }
    if (this.storage.length === 0) return this.store.deliver(targets, raw, internalDate);
    const groups = new Map<Buffer, DeliveryTarget[]>();
    const byContent = new Map<string, Buffer>();
    for (const t of targets) {
      let content = raw;
      for (const step of this.storage) content = await step({ accountId: t.accountId, mailbox: t.mailbox ?? 'INBOX', raw: content });
      const key = content === raw ? '' : String(t.accountId) + ':' + (t.mailbox ?? 'INBOX');
      const buf = byContent.get(key) ?? content;
      byContent.set(key, buf);
      groups.set(buf, [...(groups.get(buf) ?? []), t]);
    }
    if (groups.size === 1) { const [[buf, ts]] = [...groups]; return this.store.deliver(ts!, buf!, internalDate); }
    return this.store.transaction(() => [...groups].flatMap(([buf, ts]) => this.store.deliver(ts, buf, internalDate)));
  }
}
