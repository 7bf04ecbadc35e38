// Launch and supervise Postern's own tor (mode "launch"): write the torrc, start tor, restart it
// with a growing delay when it exits, stop it (SIGTERM, then SIGKILL) when Postern stops. Only the
// process this launcher started is ever signalled.
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { log } from '../../appliance/log.js';
import { buildTorrc, torPaths } from './torrc.js';
const MAX_SOCKET_PATH = 100; // sun_path is 108 bytes on Linux
export class TorLauncher extends EventEmitter {
    binary;
    opts;
    child;
    stopping = false;
    restartTimer;
    failures = 0;
    startedAt = 0;
    paths;
    controlSocket;
    /** tor's last error line when it exited (from its standard error), for the status line */
    lastError;
    constructor(binary, opts) {
        super();
        this.binary = binary;
        this.opts = opts;
        this.paths = torPaths(opts.dir);
        this.controlSocket = this.paths.controlSocket.length <= MAX_SOCKET_PATH ? this.paths.controlSocket : undefined;
    }
    get pid() { return this.child?.pid; }
    /** Where the control port is now (the TCP port changes at each start when no socket is used). */
    controlTarget() {
        if (this.controlSocket)
            return existsSync(this.controlSocket) ? { path: this.controlSocket } : undefined;
        try {
            const m = /PORT=([\d.]+):(\d+)/.exec(readFileSync(this.paths.controlPortFile, 'utf8'));
            return m ? { host: m[1], port: Number(m[2]) } : undefined;
        }
        catch {
            return undefined;
        }
    }
    start() {
        this.stopping = false;
        mkdirSync(this.opts.dir, { recursive: true, mode: 0o700 });
        mkdirSync(this.paths.data, { recursive: true, mode: 0o700 });
        writeFileSync(this.paths.torrc, buildTorrc({ ...this.opts, controlSocket: this.controlSocket, ownerPid: process.pid }), { mode: 0o600 });
        for (const stale of [this.paths.controlSocket, this.paths.controlPortFile])
            rmSync(stale, { force: true });
        const child = spawn(this.binary, ['-f', this.paths.torrc, '--defaults-torrc', '/dev/null'], {
            stdio: ['ignore', 'pipe', 'pipe'],
            env: { ...process.env, MALLOC_ARENA_MAX: '1' },
        });
        this.child = child;
        this.startedAt = Date.now();
        let stderr = '';
        // tor prints configuration errors on standard output before its log file is set up
        const keep = (d) => { stderr = (stderr + d.toString('utf8')).slice(-2000); };
        child.stdout?.on('data', keep);
        child.stderr?.on('data', keep);
        child.once('error', (e) => {
            this.lastError = `cannot run ${this.binary}: ${e.message}`;
            log.error('tor.spawn-failed', { binary: this.binary, error: e.message });
        });
        child.once('spawn', () => {
            log.info('tor.started', { pid: child.pid });
            this.emit('started', child.pid);
        });
        child.once('exit', (code, signal) => {
            if (this.child === child)
                this.child = undefined;
            const errLine = stderr.split('\n').filter((l) => /\[(err|warn)\]/.test(l) && !/see warnings above/.test(l)).pop();
            this.lastError = errLine ? errLine.replace(/^.*\[(err|warn)\]\s*/, '') : undefined;
            this.emit('exit', code, signal);
            if (this.stopping)
                return;
            // quick deaths in a row back off up to a minute; a tor that ran a while restarts at once
            this.failures = Date.now() - this.startedAt > 60_000 ? 0 : this.failures + 1;
            const delay = Math.min(60_000, this.failures === 0 ? 0 : 1000 * 2 ** (this.failures - 1));
            log.warn('tor.exited', { code, signal, restartInMs: delay, stderr: stderr.trim().split('\n').slice(-3).join(' | ') });
            this.restartTimer = setTimeout(() => { if (!this.stopping)
                this.start(); }, delay);
        });
    }
    async stop(graceMs = 5000) {
        this.stopping = true;
        clearTimeout(this.restartTimer);
        const child = this.child;
        if (!child || child.exitCode !== null || child.signalCode !== null)
            return;
        const exited = new Promise((r) => child.once('exit', () => r()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
    }
}
//# sourceMappingURL=launcher.js.map