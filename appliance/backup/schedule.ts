// The daily schedule: while the store is open, every target is backed up once a day (a failed run
// is tried again an hour later) and pruned to the retention (7 daily, 4 weekly, 6 monthly). When a
// target starts failing, the admins get a notice in their INBOX (once per streak of failures, not
// every hour); the dashboard and `postern backup status` show failed and overdue targets.
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import type { Store } from '../store/index.js';
import type { RunningService, ServiceStarter } from '../service.js';
import { log } from '../log.js';

export const DAY_MS = 24 * 3600 * 1000;
export const RETRY_MS = 3600 * 1000;
const CHECK_MS = 10 * 60 * 1000;
/** not at the very start: the box has just booted and clients are syncing */
const FIRST_CHECK_MS = 5 * 60 * 1000;

export interface ScheduledRun { target: string; ok: boolean; seq?: number; error?: string }

function due(r: { lastOkAt: number | null; lastRunAt: number | null }, now: number): boolean {
  if (r.lastOkAt !== null && now - r.lastOkAt < DAY_MS) return false;
  if (r.lastRunAt !== null && now - r.lastRunAt < RETRY_MS && (r.lastOkAt === null || r.lastRunAt > r.lastOkAt)) return false;
  return true;
}

function notice(to: string, target: string, error: string, now: number): Buffer {
  return Buffer.from([
    'From: Postern <postern@postern.invalid>',
    `To: ${to}`,
    `Subject: Backup to "${target}" failed`,
    `Date: ${new Date(now).toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <backup-${randomBytes(8).toString('hex')}@postern.invalid>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `The backup of this box to "${target}" failed:`,
    '',
    `  ${error}`,
    '',
    'The box tries again every hour. Until a backup succeeds, a dead SD card or a stolen box',
    'would lose the mail written since the last good snapshot. The panel\'s overview and',
    '"postern backup status" show the state of every backup.',
    '',
  ].join('\r\n'));
}

/** Back up (and prune) every target that is due. Returns what was done. */
export async function runDueBackups(store: Store, config: Config, now = Date.now()): Promise<ScheduledRun[]> {
  const out: ScheduledRun[] = [];
  const targets = store.backups.targets().filter((r) => due(r, now));
  if (targets.length === 0) return out;
  const { runBackup } = await import('./snapshot.js');
  const { pruneTarget } = await import('./prune.js');
  for (const t of targets) {
    const wasFailing = t.lastError !== null && (t.lastOkAt === null || (t.lastRunAt ?? 0) > t.lastOkAt);
    try {
      const r = await runBackup(store, config, t.name);
      await pruneTarget(store, t.name, undefined, undefined, config);
      log.info('backup.done', { target: t.name, seq: r.seq, sent: r.bytesSent });
      out.push({ target: t.name, ok: true, seq: r.seq });
    } catch (e) {
      const error = (e as Error).message;
      // the sentence may name the IMAP account: it goes to the status and the admins, not the log
      log.warn('backup.failed', { target: t.name, kind: (e as Error).name });
      out.push({ target: t.name, ok: false, error });
      if (!wasFailing) {
        for (const admin of store.accounts.list().filter((a) => a.role === 'admin')) {
          try { store.deliver([{ accountId: admin.id }], notice(admin.address, t.name, error, now)); } catch { /* over quota: the dashboard still shows it */ }
        }
      }
    }
  }
  return out;
}

export const startBackupSchedule: ServiceStarter = async ({ store, config }) => {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let closed = false;
  const tick = (): void => {
    running = runDueBackups(store, config).catch((e: unknown) => log.warn('backup.schedule-error', { error: (e as Error).message })).finally(() => {
      if (!closed) timer = setTimeout(tick, CHECK_MS);
    });
  };
  timer = setTimeout(tick, FIRST_CHECK_MS);
  timer.unref?.();
  const service: RunningService = {
    name: 'backup',
    listeners: [],
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
  return service;
};
