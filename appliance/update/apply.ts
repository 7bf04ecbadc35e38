// Installing a release, and taking it back when it fails. The order:
//   verify + unpack (nothing running changes; a refused bundle leaves no trace but the status)
//   -> the check account and the backup point, by the running release's own code, as the data's
//      owner, while mail keeps flowing -> stop -> switch `current` -> start -> self-test within the
//      deadline -> keep it, or: stop, switch back, restore the backup point and re-deliver what
//      arrived since (appliance/store/backup-point.ts, run by the old release's code), start the
//      old release, tell the admins (a notice in their INBOX, the dashboard, `update status`).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { BundleError, compareVersions, loadPublicKey, type Manifest } from './bundle.js';
import { SignatureError } from './minisign.js';
import { appControl, type AppControl } from './app-control.js';
import { boxArch, currentVersion, pruneReleases, releaseDir, releaseInfo, releaseNode, switchCurrent, unpackRelease } from './releases.js';
import { selfTest, type CheckAccount } from './self-test.js';
import { readStatus, recordOutcome, updateStatus, type UpdateOutcome, type UpdatePhase } from './status.js';
import type { UpdateSettings } from './settings.js';
import { clearHandover, writeHandover } from './handover.js';

/** An update that did not happen or was taken back; `message` is one sentence. */
export class UpdateError extends Error {
  constructor(message: string, readonly outcome?: UpdateOutcome) { super(message); this.name = 'UpdateError'; }
}

export interface UpdaterOptions {
  config: Config;
  /** the configuration file the releases are started with */
  configFile?: string;
  settings: UpdateSettings;
  control?: AppControl;
  /** whether the box waits locked for its storage passphrase (default: asks the running appliance) */
  locked?: () => Promise<boolean>;
  say?: (line: string) => void;
}

export class Updater {
  readonly root: string;
  readonly control: AppControl;
  private readonly say: (line: string) => void;
  constructor(private readonly o: UpdaterOptions) {
    this.root = o.settings.root;
    this.control = o.control ?? appControl(o.settings.service, this.root, o.configFile);
    this.say = o.say ?? (() => undefined);
  }

  private phase(phase: UpdatePhase, progress: string, target?: string): void {
    this.say(`update: ${progress}`);
    updateStatus(this.root, (s) => { s.phase = phase; s.progress = progress; if (target) s.target = target; });
  }

  /** Run a release's own CLI for a step on the data (as the data's owner when run as root). */
  runRelease(version: string, args: string[], input?: string): Promise<string> {
    const node = releaseNode(this.root, version);
    const cli = join(releaseDir(this.root, version), 'bin', 'postern.js');
    let cmd = node;
    let argv = [cli, ...args];
    if (process.getuid?.() === 0 && existsSync('/usr/bin/setpriv') && dataUserExists()) {
      cmd = '/usr/bin/setpriv';
      argv = ['--reuid=postern', '--regid=postern', '--init-groups', '--inh-caps=-all', '--', node, ...argv];
    }
    const env = { ...process.env, ...(this.o.configFile ? { POSTERN_CONFIG: this.o.configFile } : {}) };
    return new Promise((resolve, reject) => {
      const p = spawn(cmd, argv, { env, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      p.stdout.on('data', (d) => (out += d));
      p.stderr.on('data', (d) => (err += d));
      p.on('error', reject);
      p.on('close', (code) => {
        if (code === 0) resolve(out);
        else reject(new Error(`postern ${version} "${args.slice(0, 2).join(' ')}" failed: ${err.trim().split('\n').filter((l) => !l.startsWith('{')).pop() ?? `exit ${code}`}`));
      });
      p.stdin.end(input ?? '');
    });
  }

  private lock(): () => void {
    const dir = join(this.root, 'state');
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    const file = join(dir, 'update.lock');
    for (let i = 0; i < 2; i++) {
      try {
        const fd = openSync(file, 'wx', 0o644);
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return () => rmSync(file, { force: true });
      } catch {
        const pid = Number(readFileSync(file, 'utf8'));
        let alive = false;
        try { process.kill(pid, 0); alive = true; } catch { /* stale */ }
        if (alive && pid !== process.pid) throw new UpdateError(`another update is running (process ${pid})`);
        rmSync(file, { force: true });
      }
    }
    throw new UpdateError('cannot take the update lock');
  }

  private async checkAccount(version: string): Promise<CheckAccount> {
    const out = await this.runRelease(version, ['update', 'check-account']);
    return JSON.parse(out.trim().split('\n').pop()!) as CheckAccount;
  }

  /** Verify, install and switch to the bundle's release; roll back by itself if it fails. */
  async apply(bundle: string): Promise<UpdateOutcome> {
    const unlock = this.lock();
    try { return await this.applyLocked(bundle); } finally { unlock(); }
  }

  private async applyLocked(bundle: string): Promise<UpdateOutcome> {
    const started = Date.now();
    const from = await currentVersion(this.root);
    if (from && (await (this.o.locked ?? (() => boxLocked(this.o.config)))())) {
      // Nothing can be checked on a locked box (no mail flows, the database is closed), and the
      // backup point needs the data: the update waits for the unlock instead of failing its
      // self-test and rolling back. The next run (the timer, or by hand) installs it.
      const reason = 'the box is locked (its storage waits for the passphrase): the update waits until it is unlocked';
      const outcome: UpdateOutcome = { from, to: '?', result: 'postponed', reason, at: new Date().toISOString() };
      recordOutcome(this.root, outcome);
      throw new UpdateError(`${reason}; nothing changed`, outcome);
    }
    this.phase('verifying', `verifying ${bundle}`);
    let m: Manifest;
    try {
      const pub = await loadPublicKey(this.o.settings.publicKey);
      this.phase('unpacking', 'checking the signature and every file while unpacking');
      m = await unpackRelease(this.root, bundle, pub, (man) => {
        const arch = from ? releaseInfo(this.root, from).arch ?? boxArch() : boxArch();
        if (arch && man.arch !== arch) throw new BundleError(`the bundle is for ${man.arch}, this box runs ${arch}`, 'format');
        // A signed older release is still refused: it would run on a schema its code does not know,
        // and an attacker holding an old, vulnerable bundle could take the box back to it. Going
        // back is `postern update rollback` (to the previous release, with its backup point).
        if (from && compareVersions(man.version, from) < 0) {
          throw new BundleError(`postern ${man.version} is older than the running ${from}: a downgrade is refused (postern update rollback goes back to the previous release with its data)`, 'format');
        }
      });
    } catch (e) {
      const reason = e instanceof BundleError || e instanceof SignatureError || e instanceof Error ? e.message : String(e);
      const outcome: UpdateOutcome = { ...(from ? { from } : {}), to: '?', result: 'refused', reason, at: new Date().toISOString() };
      recordOutcome(this.root, outcome);
      throw new UpdateError(`the bundle was refused, nothing changed: ${reason}`, outcome);
    }
    const to = m.version;
    updateStatus(this.root, (s) => { s.target = to; });

    if (!from) {
      // First installation: nothing to go back to.
      this.phase('switching', `installing ${to} (first release)`, to);
      await switchCurrent(this.root, to);
      this.phase('starting', `starting ${to}`);
      await this.control.start();
      const account = await this.checkAccount(to);
      this.phase('self-test', `self-test of ${to}`);
      const r = await selfTest(this.o.config, account, this.o.settings.healthSeconds * 1000, () => this.control.alive());
      const outcome: UpdateOutcome = { to, result: r.ok ? 'installed' : 'failed', ...(r.reason ? { reason: r.reason } : {}), at: new Date().toISOString(), totalMs: Date.now() - started };
      updateStatus(this.root, (s) => { s.current = to; });
      recordOutcome(this.root, outcome);
      if (!r.ok) throw new UpdateError(`postern ${to} is installed but failed its self-test: ${r.reason}`, outcome);
      return outcome;
    }

    this.phase('backup-point', `backup point of the database before ${to}'s migrations`, to);
    const account = await this.checkAccount(from);
    const backupDir = join(this.o.config.dataDir, 'update-backup');
    const backupFile = join(backupDir, `before-${to}-from-${from}.db`);
    await this.runRelease(from, ['update', 'backup-point', backupFile]);
    updateStatus(this.root, (s) => { s.attemptBackup = { file: backupFile, from, to, at: new Date().toISOString() }; });

    this.phase('stopping', `stopping ${from}`);
    if (this.control.kind === 'systemd') writeHandover(to);
    const stoppedAt = Date.now();
    await this.control.stop();
    this.phase('switching', `switching to ${to}`);
    await switchCurrent(this.root, to);
    this.phase('starting', `starting ${to} (it runs its migrations)`);
    await this.control.start();
    this.phase('self-test', `self-test of ${to}: SMTP, IMAP, panel (${this.o.settings.healthSeconds} s at most)`);
    const r = await selfTest(this.o.config, account, this.o.settings.healthSeconds * 1000, () => this.control.alive());
    if (r.ok) {
      clearHandover();
      updateStatus(this.root, (s) => {
        s.current = to; s.previous = from;
        if (s.backupPoint && s.backupPoint.file !== s.attemptBackup?.file) rmSync(s.backupPoint.file, { force: true });
        if (s.attemptBackup) s.backupPoint = s.attemptBackup;
        delete s.attemptBackup;
      });
      const outcome: UpdateOutcome = { from, to, result: 'installed', at: new Date().toISOString(), downtimeMs: r.smtpAt! - stoppedAt, totalMs: Date.now() - started };
      recordOutcome(this.root, outcome);
      await pruneReleases(this.root, [from, to]);
      this.say(`update: postern ${to} is running (SMTP answered again ${outcome.downtimeMs} ms after ${from} stopped)`);
      return outcome;
    }
    return this.rollBack(from, to, backupFile, `postern ${to} failed its self-test: ${r.reason}`);
  }

  /** Go back to `from`: stop, switch, restore the backup point and re-deliver, start, check. */
  async rollBack(from: string, to: string, backupFile: string, reason: string): Promise<UpdateOutcome> {
    this.phase('rolling-back', `rolling back to ${from}: ${reason}`);
    if (this.control.kind === 'systemd') writeHandover(from);
    await this.control.stop();
    await switchCurrent(this.root, from);
    const journal = `${backupFile}.journal`;
    let report: { redelivered: number; requeued: number; accounts: number; problems: string[] } = { redelivered: 0, requeued: 0, accounts: 0, problems: [] };
    let restoreProblem: string | undefined;
    try {
      report = JSON.parse((await this.runRelease(from, ['update', 'restore-point', backupFile, journal], reason)).trim().split('\n').pop()!);
    } catch (e) {
      restoreProblem = (e as Error).message;
    }
    if (!restoreProblem) rmSync(backupFile, { force: true });
    await this.control.start();
    const account = await this.checkAccount(from).catch(() => undefined);
    const r = account ? await selfTest(this.o.config, account, this.o.settings.healthSeconds * 1000, () => this.control.alive()) : { ok: false, reason: 'the check account could not be prepared' };
    clearHandover();
    const ok = r.ok && !restoreProblem;
    const outcome: UpdateOutcome = {
      from, to, result: ok ? 'rolled-back' : 'failed', at: new Date().toISOString(), redelivered: report.redelivered, requeued: report.requeued,
      reason: ok ? reason : `${reason}; and going back to ${from} had trouble: ${restoreProblem ?? r.reason}`,
    };
    updateStatus(this.root, (s) => {
      s.current = from;
      if (s.attemptBackup?.file === backupFile) delete s.attemptBackup;
      if (s.backupPoint?.file === backupFile) { delete s.backupPoint; delete s.previous; }
    });
    recordOutcome(this.root, outcome);
    throw new UpdateError(`${outcome.reason}; ${ok ? `rolled back to ${from}` : `${from} is back but not healthy`} (${report.redelivered} message(s) delivered again, ${report.requeued} queued again)`, outcome);
  }

  /** The household's (or admin's) own rollback to the release before the current one. */
  async rollbackToPrevious(): Promise<UpdateOutcome> {
    const unlock = this.lock();
    try {
      const s = readStatus(this.root);
      const current = await currentVersion(this.root);
      const bp = s.backupPoint;
      if (!current || !bp || bp.to !== current || !existsSync(bp.file) || !existsSync(releaseDir(this.root, bp.from))) {
        throw new UpdateError(`there is nothing to roll back to: no backup point was kept for postern ${current ?? '(none)'}`);
      }
      return await this.rollBack(bp.from, current, bp.file, `rolled back by hand from ${current}`);
    } finally { unlock(); }
  }
}

/** A LUKS box that waits locked for its passphrase (asked over the appliance's control socket). A
 *  plain-storage box is never locked; an appliance that does not answer is not "locked" either (the
 *  update goes on, and its self-test decides). */
export async function boxLocked(config: Config): Promise<boolean> {
  if (config.storage.mode !== 'luks') return false;
  const { controlRequest } = await import('../control/client.js');
  try {
    const r = await controlRequest(config, { op: 'status' }, 15_000);
    return r.state === 'locked';
  } catch { return false; }
}

function dataUserExists(): boolean {
  try { return /^postern:/m.test(readFileSync('/etc/passwd', 'utf8')); } catch { return false; }
}

