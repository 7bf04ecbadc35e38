// Progress of an import or export: per folder (total, done, bytes), the rate and the time left.
// Shown on the command line as one line (rewritten in place on a terminal, a line every few
// seconds otherwise) and saved in the store's import_runs row, which the panel reads, so it
// survives a page reload and is visible while the CLI runs.
import type { Store } from '../store/index.js';

export interface FolderProgress { folder: string; total: number; done: number; bytes: number }

export class Progress {
  readonly folders = new Map<string, FolderProgress>();
  private readonly started = Date.now();
  private lastShown = 0;
  private lastSaved = 0;
  private current = '';
  /** messages handled by this run (not those a previous run brought in): the rate */
  private handled = 0;
  private bytesExpected = 0;
  private runId: number | undefined;

  constructor(
    private readonly store: Store | undefined,
    private readonly show: ((line: string, final: boolean, fraction?: number) => void) | undefined,
    run?: { accountId: number; kind: string; origin: string },
  ) {
    if (store && run) this.runId = store.imports.startRun(run.accountId, run.kind, run.origin);
  }

  folder(name: string, total: number, done: number): void {
    this.folders.set(name, { folder: name, total, done, bytes: 0 });
    this.current = name;
    this.update(true);
  }

  /** `total` grows as a streamed source (an mbox) is read. */
  tick(name: string, bytes: number, grows = false): void {
    let f = this.folders.get(name);
    if (!f) { f = { folder: name, total: 0, done: 0, bytes: 0 }; this.folders.set(name, f); }
    f.done++;
    f.bytes += bytes;
    this.handled++;
    if (grows && f.done > f.total) f.total = f.done;
    this.current = name;
    this.update(false);
  }

  get totals(): { total: number; done: number; bytes: number } {
    let total = 0, done = 0, bytes = 0;
    for (const f of this.folders.values()) { total += f.total; done += f.done; bytes += f.bytes; }
    return { total, done, bytes };
  }

  /** done / total (0 while the total is not known; a growing mbox counts what was read) */
  fraction(): number {
    const { total, done, bytes } = this.totals;
    if (this.bytesExpected) return Math.min(bytes / this.bytesExpected, 1);
    return total > 0 ? done / total : 0;
  }

  /** A streamed source whose message count is unknown (an mbox): its size measures the progress. */
  expectBytes(n: number): void { this.bytesExpected = n; }

  line(): string {
    const { total, done, bytes } = this.totals;
    const secs = Math.max((Date.now() - this.started) / 1000, 0.001);
    const rate = this.handled / secs;
    const left = total > done && rate > 0 ? Math.round((total - done) / rate) : 0;
    const f = this.folders.get(this.current);
    const here = f ? ` | ${f.folder} ${f.done}/${f.total}` : '';
    return `${done}/${total} messages, ${(bytes / 1048576).toFixed(1)} MB, ${rate.toFixed(0)}/s${left ? `, about ${fmt(left)} left` : ''}${here}`;
  }

  private snapshot(state?: string): unknown {
    const { total, done, bytes } = this.totals;
    const secs = Math.max((Date.now() - this.started) / 1000, 0.001);
    return { total, done, bytes, rate: this.handled / secs, state, folders: [...this.folders.values()] };
  }

  private update(force: boolean): void {
    const now = Date.now();
    if (this.show && (force || now - this.lastShown >= 1000)) { this.lastShown = now; this.show(this.line(), false, this.fraction()); }
    if (this.store && this.runId !== undefined && (force || now - this.lastSaved >= 2000)) {
      this.lastSaved = now;
      try { this.store.imports.updateRun(this.runId, this.snapshot()); } catch { /* progress is best effort */ }
    }
  }

  /** `code`: a failed run's exit code (3 sign-in refused, 4 certificate, 5 connection), for the panel's words. */
  finish(state: 'done' | 'failed', note?: string, code?: number): void {
    if (this.folders.size) this.show?.(this.line(), true, state === 'done' ? 1 : this.fraction());
    if (this.store && this.runId !== undefined) {
      try { this.store.imports.finishRun(this.runId, state, { ...(this.snapshot(state) as object), ...(note ? { note } : {}), ...(code !== undefined ? { code } : {}) }); } catch { /* best effort */ }
    }
  }
}

function fmt(s: number): string {
  if (s < 90) return `${s}s`;
  if (s < 5400) return `${Math.round(s / 60)}m`;
  return `${Math.floor(s / 3600)}h${String(Math.round((s % 3600) / 60)).padStart(2, '0')}`;
}
