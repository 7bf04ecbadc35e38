// The junk filter of one box: per account a Bayes model (model.ts, kept in the store), trained by
// what people do in their mail clients (moving into or out of Junk, $Junk/$NotJunk keywords) and
// asked at delivery. Reputation comes before content: mail from an address the account wrote to
// or kept mail from is never junked (unless it failed DMARC). Risky attachments are marked, and
// from unknown senders go to Junk when the account says so (the default).
import type { Store, Mailbox, JunkLabel } from '../store/index.js';
import type { MessageChange } from '../events.js';
import { parseMime, type MimePart } from '../mail/mime.js';
import { headerEnd, parseHeaderFields } from '../mail/header.js';
import { log } from '../log.js';
import { extractFeatures, featureHash, ownAuthResults, addressOf, type FeatureContext } from './features.js';
import { JunkModel } from './model.js';
import { riskyAttachments, type AttachmentRisk } from './attachments.js';
import { isJunkFolder, isNeutralFolder } from '../store/junk-keywords.js';

/** features per account at most: beyond it, features seen in one message only are dropped */
export const MAX_FEATURES = 150_000;
/** addresses only "received from" kept per account */
const MAX_SENDERS = 20_000;

export interface Verdict {
  score: number;
  junk: boolean;
  /** why: 'content' (the model), 'risky' (an attachment from an unknown sender), 'dmarc'
   *  (the delivery already chose Junk), 'correspondent' (never junked), 'untrained', 'ham' */
  reason: 'content' | 'risky' | 'dmarc' | 'correspondent' | 'untrained' | 'ham';
  risks: AttachmentRisk[];
  /** header lines to prepend (CRLF ended); empty when there is nothing to say */
  headers: string;
  /** keywords to set on the stored message */
  flags: string[];
}

export type TrainSource = 'move' | 'keyword' | 'folders' | 'cli';

interface Cached { model: JunkModel; version: number }
interface PendingDeliveries { delivered: number; caught: number; senders: Set<string> }

export class JunkFilter {
  private readonly models = new Map<number, Cached>();
  private readonly pendingDeliveries = new Map<number, PendingDeliveries>();
  private flushTimer: NodeJS.Timeout | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private deliveries = 0;
  /** delivery counters are written this often (one commit for all of them) */
  static readonly FLUSH_MS = 1000;

  constructor(private readonly store: Store, private readonly hostname?: string) {}

  /** The account's model, loaded from the store on first use and again whenever the store's
   *  version moved (a CLI retrain while the appliance runs). */
  model(accountId: number, st = this.store.junk.state(accountId)): JunkModel {
    const c = this.models.get(accountId);
    if (c && c.version === st.version) return c.model;
    const m = new JunkModel();
    m.nSpam = st.spamTrained;
    m.nHam = st.hamTrained;
    for (const r of this.store.junk.features(accountId)) m.set(r.feature, r);
    this.models.set(accountId, { model: m, version: st.version });
    return m;
  }

  /** Forget the cached model (after the store's model changed underneath, e.g. reset). */
  forget(accountId: number): void { this.models.delete(accountId); }

  private fromAddress(raw: Buffer): string | undefined {
    const fields = parseHeaderFields(raw.subarray(0, Math.min(headerEnd(raw), 64 * 1024)));
    return addressOf(fields.find((f) => f.key === 'from')?.value ?? '');
  }

  /** A correspondent: the account wrote to the address or kept mail from it. */
  isCorrespondent(accountId: number, address: string | undefined): boolean {
    if (!address) return false;
    const s = this.store.junk.sender(accountId, address);
    return !!s && (s.wroteTo > 0 || s.kept > 0);
  }

  /** Decide about a message received for an account (at delivery, before it is stored). */
  classify(accountId: number, raw: Buffer, mime: MimePart = parseMime(raw), mailbox = 'INBOX'): Verdict {
    const st = this.store.junk.state(accountId);
    const fields = parseHeaderFields(raw.subarray(0, Math.min(headerEnd(raw), 64 * 1024)));
    const from = addressOf(fields.find((f) => f.key === 'from')?.value ?? '');
    const seen = from ? this.store.junk.sender(accountId, from) : undefined;
    const pending = this.pendingDeliveries.get(accountId);
    const ctx: FeatureContext = { firstTimeSender: !seen && !(from && pending?.senders.has(from)), ...(this.hostname ? { hostname: this.hostname } : {}) };
    const f = extractFeatures(raw, mime, ctx);
    const model = this.model(accountId, st);
    const { score } = model.score([...f.message, ...f.context.map(featureHash)]);
    const risks = riskyAttachments(raw, mime);
    const dmarcFailed = ownAuthResults(fields, this.hostname).dmarc === 'fail';
    const correspondent = !dmarcFailed && !!seen && (seen.wroteTo > 0 || seen.kept > 0);
    const trained = model.nSpam >= st.minTrained && model.nHam >= st.minTrained;
    let reason: Verdict['reason'];
    if (correspondent) reason = 'correspondent';
    else if (/^junk$/i.test(mailbox)) reason = 'dmarc';
    else if (trained && score >= st.threshold) reason = 'content';
    else if (risks.length && st.riskyToJunk) reason = 'risky';
    else reason = trained ? 'ham' : 'untrained';
    const junk = reason === 'content' || reason === 'risky' || reason === 'dmarc';
    const flags: string[] = [];
    let headers = '';
    if (junk) {
      flags.push('$Junk');
      headers += `X-Spam-Status: Yes, score=${score.toFixed(3)} required=${st.threshold.toFixed(2)} reason=${reason}\r\n`;
      headers += `X-Spam-Score: ${score.toFixed(3)}\r\n`;
    }
    if (risks.length) {
      flags.push('$AttachmentRisk');
      if (risks.some((r) => r.disguised)) flags.push('$Phishing');
      for (const r of risks) headers += `X-Attachment-Risk: part ${r.part}; ${JSON.stringify(r.name.slice(0, 100))}; ${r.reason}\r\n`;
    }
    this.noteDelivery(accountId, from, junk);
    return { score, junk, reason, risks, headers, flags };
  }

  private noteDelivery(accountId: number, from: string | undefined, junk: boolean): void {
    let p = this.pendingDeliveries.get(accountId);
    if (!p) { p = { delivered: 0, caught: 0, senders: new Set() }; this.pendingDeliveries.set(accountId, p); }
    p.delivered++;
    if (junk) p.caught++;
    if (from) p.senders.add(from);
    if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => { this.flushTimer = undefined; this.flush(); }, JunkFilter.FLUSH_MS);
      this.flushTimer.unref();
    }
  }

  /** Write the delivery counters and senders seen (also at close). */
  flush(): void {
    if (this.flushTimer) { clearTimeout(this.flushTimer); this.flushTimer = undefined; }
    if (this.pendingDeliveries.size === 0) return;
    const batch = [...this.pendingDeliveries].map(([accountId, p]) => ({ accountId, delivered: p.delivered, caught: p.caught, senders: [...p.senders] }));
    this.pendingDeliveries.clear();
    try {
      this.store.junk.recordDeliveries(batch);
      if ((this.deliveries += batch.length) >= 500) {
        this.deliveries = 0;
        for (const b of batch) this.store.junk.pruneSenders(b.accountId, MAX_SENDERS);
      }
    } catch (e) {
      log.warn('junk.counters-failed', { error: (e as Error).message });
    }
  }

  /** Set the trained label of one message (undefined: untrain it). Returns whether it changed. */
  setLabel(accountId: number, raw: Buffer, hash: string, label: JunkLabel | undefined, mime?: MimePart): boolean {
    const prev = this.store.junk.trained(accountId, hash);
    if (prev?.label === label) return false;
    if (!prev && label === undefined) return false;
    const root = mime ?? parseMime(raw);
    // Encrypted at rest (or end to end): nothing to learn from the ciphertext.
    if (root.type === 'multipart' && root.subtype === 'encrypted') return false;
    const model = this.model(accountId);
    const version = this.models.get(accountId)!.version;
    const from = this.fromAddress(raw);
    const changes = new Map<number, { feature: number; spam: number; ham: number }>();
    const put = (cs: Array<{ feature: number; spam: number; ham: number }>) => { for (const c of cs) changes.set(c.feature, c); };
    if (prev) {
      const f = extractFeatures(raw, root, {});
      put(model.apply([...f.message, ...prev.context.map(featureHash)], prev.label, -1));
      if (prev.label === 'ham' && from) this.store.junk.noteSender(accountId, [from], 'kept', -1);
    }
    let context: string[] = [];
    if (label) {
      const s = from ? this.store.junk.sender(accountId, from) : undefined;
      const f = extractFeatures(raw, root, { firstTimeSender: !s || s.received <= 1, ...(this.hostname ? { hostname: this.hostname } : {}) });
      context = f.context;
      put(model.apply([...f.message, ...context.map(featureHash)], label, 1));
      if (label === 'ham' && from) this.store.junk.noteSender(accountId, [from], 'kept', 1);
    }
    const now = this.store.junk.applyTraining(accountId, hash, label ? { label, context } : undefined, [...changes.values()], { spam: model.nSpam, ham: model.nHam });
    // another process wrote in between: reload next time rather than trust this copy
    this.models.set(accountId, { model, version: now === version + 1 ? now : -1 });
    if (model.size > MAX_FEATURES) {
      const dropped = this.store.junk.prune(accountId, 1);
      this.forget(accountId);
      log.info('junk.pruned', { account: accountId, dropped });
    }
    return true;
  }

  /** Train a stored message (by blob) with a label. */
  setBlobLabel(accountId: number, blobId: number, label: JunkLabel | undefined): boolean {
    const b = this.store.messages.blob(blobId);
    const raw = this.store.readMessage(b.hash);
    return this.setLabel(accountId, raw, b.hash, label, b.mime);
  }

  /** Which label a message gets when a client puts it into `to` (from `from`): undefined for no
   *  change. Junk is spam; out of Junk (anywhere but Trash) is ham; Archive and the person's own
   *  folders are ham (kept mail); INBOX, Trash and Drafts say nothing. */
  static folderLabel(to: Mailbox, from?: Mailbox): JunkLabel | undefined {
    const isJunk = (m: Mailbox | undefined) => !!m && isJunkFolder(m);
    const neutral = (m: Mailbox) => isNeutralFolder(m);
    if (isJunk(to)) return 'spam';
    if (neutral(to)) return undefined;
    if (isJunk(from)) return 'ham';
    if (to.name === 'INBOX') return undefined;
    return 'ham';
  }

  /** What a client did (the store's message events), as training; runs after the command. */
  onMessages(change: MessageChange): void {
    this.enqueue(() => {
      if (change.kind === 'copied') {
        const to = this.store.mailboxes.byId(change.toMailboxId);
        if (!to) return;
        const label = JunkFilter.folderLabel(to, this.store.mailboxes.byId(change.fromMailboxId));
        if (label === undefined) return;
        try {
          this.store.transaction(() => { for (const b of change.blobIds) this.trainQuietly(change.accountId, b, label, 'move'); });
        } catch (e) {
          this.forget(change.accountId);
          log.warn('junk.train-failed', { account: change.accountId, error: (e as Error).message });
        }
        return;
      }
      for (const c of change.changes) {
        const has = (l: string[], k: string) => l.some((x) => x.toLowerCase() === k);
        let label: JunkLabel | undefined | null = null; // null: no change
        if (has(c.added, '$notjunk')) label = 'ham';
        else if (has(c.added, '$junk')) label = 'spam';
        else if (has(c.removed, '$junk') || has(c.removed, '$notjunk')) {
          const hash = this.store.messages.blob(c.blobId).hash;
          const cur = this.store.junk.trained(change.accountId, hash)?.label;
          if ((cur === 'spam' && has(c.removed, '$junk')) || (cur === 'ham' && has(c.removed, '$notjunk'))) label = undefined;
        }
        if (label !== null) this.trainQuietly(change.accountId, c.blobId, label, 'keyword');
      }
    });
  }

  private trainQuietly(accountId: number, blobId: number, label: JunkLabel | undefined, source: TrainSource): void {
    try {
      if (this.setBlobLabel(accountId, blobId, label)) log.info('junk.trained', { account: accountId, label: label ?? 'none', source });
    } catch (e) {
      log.warn('junk.train-failed', { account: accountId, error: (e as Error).message });
    }
  }

  private enqueue(job: () => void): void {
    this.pending++;
    this.queue = this.queue.then(() => new Promise<void>((resolve) => setImmediate(() => {
      try { job(); } finally { this.pending--; resolve(); }
    })));
  }

  /** Resolves when every training job queued so far is done. */
  async idle(): Promise<void> { while (this.pending > 0) await this.queue; }

  /** The account wrote to these addresses (submission, Sent folder). */
  noteWrote(accountId: number, raw: Buffer): void {
    const fields = parseHeaderFields(raw.subarray(0, Math.min(headerEnd(raw), 64 * 1024)));
    const rcpts = new Set<string>();
    for (const f of fields) {
      if (f.key !== 'to' && f.key !== 'cc' && f.key !== 'bcc') continue;
      for (const part of f.value.split(',')) { const a = addressOf(part); if (a) rcpts.add(a); }
    }
    this.store.junk.noteSender(accountId, [...rcpts], 'wrote_to');
  }

  /** Train on an account's existing folders: Junk as spam, kept mail (INBOX, Archive, the
   *  person's folders; not Trash or Drafts) as ham, Sent as the correspondents written to.
   *  Messages already trained with the same label are skipped, so it can resume. */
  async trainFolders(accountId: number, onProgress?: (done: number, total: number) => void): Promise<{ spam: number; ham: number; skipped: number }> {
    const boxes = this.store.mailboxes.list(accountId);
    const work: Array<{ blobId: number; label: JunkLabel | undefined }> = [];
    for (const mb of boxes) {
      const sent = mb.specialUse === '\\Sent' || /^sent$/i.test(mb.name);
      const label = sent ? undefined : mb.name === 'INBOX' ? 'ham' : JunkFilter.folderLabel(mb);
      if (!sent && label === undefined) continue;
      for (const m of this.store.messages.list(mb.id)) work.push({ blobId: m.blobId, label });
    }
    const out = { spam: 0, ham: 0, skipped: 0 };
    let done = 0;
    // a batch of messages per commit (one fsync for 50 instead of one each)
    let batch: Array<() => void> = [];
    const commit = () => {
      const b = batch; batch = [];
      try { this.store.transaction(() => { for (const f of b) f(); }); } catch (e) { this.forget(accountId); throw e; }
    };
    for (const w of work) {
      batch.push(() => this.trainOne(accountId, w, out));
      done++;
      if (batch.length >= 50 || done === work.length) {
        commit();
        onProgress?.(done, work.length);
        await new Promise((r) => setImmediate(r));
      }
    }
    this.store.junk.markFoldersTrained(accountId, Date.now());
    return out;
  }

  private trainOne(accountId: number, w: { blobId: number; label: JunkLabel | undefined }, out: { spam: number; ham: number; skipped: number }): void {
    {
      try {
        if (w.label === undefined) {
          const b = this.store.messages.blob(w.blobId);
          this.noteWrote(accountId, this.store.readMessage(b.hash));
        } else if (this.setBlobLabel(accountId, w.blobId, w.label)) out[w.label]++;
        else out.skipped++;
      } catch (e) {
        out.skipped++;
        log.warn('junk.train-failed', { account: accountId, error: (e as Error).message });
      }
    }
  }

  /** Forget the account's model and train it again from its folders. */
  async retrain(accountId: number, onProgress?: (done: number, total: number) => void): Promise<{ spam: number; ham: number; skipped: number }> {
    this.store.junk.reset(accountId);
    this.forget(accountId);
    return this.trainFolders(accountId, onProgress);
  }
}
