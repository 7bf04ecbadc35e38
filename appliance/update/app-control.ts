// Stopping and starting the appliance around a switch. On the box that is systemd's
// postern.service (the updater runs as root from postern-update.service); elsewhere, and in the
// tests, a plain process started from the `current` release with its pid in state/app.pid and its
// output appended to state/app.log.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { currentVersion, releaseNode } from './releases.js';

export interface AppControl {
  readonly kind: 'systemd' | 'process';
  stop(): Promise<void>;
  start(): Promise<void>;
  /** false once the started release has exited (a release that dies at start) */
  alive(): Promise<boolean>;
}

const run = promisify(execFile);

export class SystemdControl implements AppControl {
  readonly kind = 'systemd';
  private restartsAtStart = 0;
  constructor(private readonly unit = 'postern.service') {}
  private async restarts(): Promise<number> {
    const { stdout } = await run('systemctl', ['show', '-p', 'NRestarts', '--value', this.unit]);
    return Number(stdout.trim()) || 0;
  }
  async stop(): Promise<void> { await run('systemctl', ['stop', this.unit]); }
  async start(): Promise<void> {
    this.restartsAtStart = await this.restarts();
    await run('systemctl', ['start', this.unit]);
  }
  async alive(): Promise<boolean> {
    const state = await run('systemctl', ['is-active', this.unit]).then((r) => r.stdout.trim(), (e: { stdout?: string }) => (e.stdout ?? '').trim());
    if (state !== 'active' && state !== 'activating' && state !== 'reloading') return false;
    // Restart=on-failure brings a release that dies at start back again and again: one restart is enough.
    return (await this.restarts()) === this.restartsAtStart;
  }
}

export class ProcessControl implements AppControl {
  readonly kind = 'process';
  private child: ChildProcess | undefined;
  private exited = false;
  constructor(private readonly root: string, private readonly configFile: string | undefined) {}
  private get stateDir(): string { return join(this.root, 'state'); }
  get pidFile(): string { return join(this.stateDir, 'app.pid'); }
  get logFile(): string { return join(this.stateDir, 'app.log'); }

  private pid(): number | undefined {
    try { const n = Number(readFileSync(this.pidFile, 'utf8').trim()); return n > 0 ? n : undefined; } catch { return undefined; }
  }

  private static running(pid: number): boolean {
    try { process.kill(pid, 0); } catch { return false; }
    try { return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return true; }
  }

  async stop(): Promise<void> {
    const pid = this.pid();
    if (pid && ProcessControl.running(pid)) {
      process.kill(pid, 'SIGTERM');
      const until = Date.now() + 30_000;
      while (ProcessControl.running(pid) && !(this.child && this.exited)) {
        if (Date.now() > until) { process.kill(pid, 'SIGKILL'); break; }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    rmSync(this.pidFile, { force: true });
  }

  async start(): Promise<void> {
    const version = await currentVersion(this.root);
    if (!version) throw new Error('no current release to start');
    mkdirSync(this.stateDir, { recursive: true });
    const log = openSync(this.logFile, 'a');
    try {
      this.exited = false;
      // A daemon, not npm's child: without npm's variables (with them, `postern start` would stop
      // when this updater exits, as it does when npx or npm start launched it).
      const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_')));
      if (this.configFile) env.POSTERN_CONFIG = this.configFile;
      const child = spawn(releaseNode(this.root, version), [join(this.root, 'current', 'bin', 'postern.js'), 'start'], { env, detached: true, stdio: ['ignore', log, log] });
      child.on('exit', () => { this.exited = true; });
      child.unref();
      this.child = child;
      writeFileSync(this.pidFile, `${child.pid}\n`);
    } finally { closeSync(log); }
  }

  async alive(): Promise<boolean> {
    if (this.child) return !this.exited;
    const pid = this.pid();
    return pid !== undefined && ProcessControl.running(pid);
  }
}

export function appControl(kind: 'systemd' | 'process', root: string, configFile: string | undefined): AppControl {
  return kind === 'systemd' ? new SystemdControl() : new ProcessControl(root, configFile);
}

export function hasSystemd(): boolean { return existsSync('/run/systemd/system'); }
