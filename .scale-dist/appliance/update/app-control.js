// Stopping and starting the appliance around a switch. On the box that is systemd's
// postern.service (the updater runs as root from postern-update.service); elsewhere, and in the
// tests, a plain process started from the `current` release with its pid in state/app.pid and its
// output appended to state/app.log.
import { execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { currentVersion, releaseNode } from './releases.js';
const run = promisify(execFile);
export class SystemdControl {
    unit;
    kind = 'systemd';
    restartsAtStart = 0;
    constructor(unit = 'postern.service') {
        this.unit = unit;
    }
    async restarts() {
        const { stdout } = await run('systemctl', ['show', '-p', 'NRestarts', '--value', this.unit]);
        return Number(stdout.trim()) || 0;
    }
    async stop() { await run('systemctl', ['stop', this.unit]); }
    async start() {
        this.restartsAtStart = await this.restarts();
        await run('systemctl', ['start', this.unit]);
    }
    async alive() {
        const state = await run('systemctl', ['is-active', this.unit]).then((r) => r.stdout.trim(), (e) => (e.stdout ?? '').trim());
        if (state !== 'active' && state !== 'activating' && state !== 'reloading')
            return false;
        // Restart=on-failure brings a release that dies at start back again and again: one restart is enough.
        return (await this.restarts()) === this.restartsAtStart;
    }
}
export class ProcessControl {
    root;
    configFile;
    kind = 'process';
    child;
    exited = false;
    constructor(root, configFile) {
        this.root = root;
        this.configFile = configFile;
    }
    get stateDir() { return join(this.root, 'state'); }
    get pidFile() { return join(this.stateDir, 'app.pid'); }
    get logFile() { return join(this.stateDir, 'app.log'); }
    pid() {
        try {
            const n = Number(readFileSync(this.pidFile, 'utf8').trim());
            return n > 0 ? n : undefined;
        }
        catch {
            return undefined;
        }
    }
    static running(pid) {
        try {
            process.kill(pid, 0);
        }
        catch {
            return false;
        }
        try {
            return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
        }
        catch {
            return true;
        }
    }
    async stop() {
        const pid = this.pid();
        if (pid && ProcessControl.running(pid)) {
            process.kill(pid, 'SIGTERM');
            const until = Date.now() + 30_000;
            while (ProcessControl.running(pid) && !(this.child && this.exited)) {
                if (Date.now() > until) {
                    process.kill(pid, 'SIGKILL');
                    break;
                }
                await new Promise((r) => setTimeout(r, 50));
            }
        }
        rmSync(this.pidFile, { force: true });
    }
    async start() {
        const version = await currentVersion(this.root);
        if (!version)
            throw new Error('no current release to start');
        mkdirSync(this.stateDir, { recursive: true });
        const log = openSync(this.logFile, 'a');
        try {
            this.exited = false;
            // A daemon, not npm's child: without npm's variables (with them, `postern start` would stop
            // when this updater exits, as it does when npx or npm start launched it).
            const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_')));
            if (this.configFile)
                env.POSTERN_CONFIG = this.configFile;
            const child = spawn(releaseNode(this.root, version), [join(this.root, 'current', 'bin', 'postern.js'), 'start'], { env, detached: true, stdio: ['ignore', log, log] });
            child.on('exit', () => { this.exited = true; });
            child.unref();
            this.child = child;
            writeFileSync(this.pidFile, `${child.pid}\n`);
        }
        finally {
            closeSync(log);
        }
    }
    async alive() {
        if (this.child)
            return !this.exited;
        const pid = this.pid();
        return pid !== undefined && ProcessControl.running(pid);
    }
}
export function appControl(kind, root, configFile) {
    return kind === 'systemd' ? new SystemdControl() : new ProcessControl(root, configFile);
}
export function hasSystemd() { return existsSync('/run/systemd/system'); }
//# sourceMappingURL=app-control.js.map