// Run the real `postern` CLI (bin/postern.js over dist/) as a child process.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
export const POSTERN_BIN = fileURLToPath(new URL('../../../bin/postern.js', import.meta.url));
export function postern(args, opts = {}) {
    return new Promise((resolve, reject) => {
        const p = spawn(process.execPath, [POSTERN_BIN, ...args], { env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        p.stdout.on('data', (d) => (stdout += d));
        p.stderr.on('data', (d) => (stderr += d));
        const timer = setTimeout(() => p.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
        p.on('error', reject);
        p.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
        p.stdin.end(opts.input ?? '');
    });
}
/** Start `postern start ...` and wait until it printed `postern: running` (or exited). */
export function startPostern(args, opts = {}) {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [POSTERN_BIN, 'start', ...args], { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
        const lines = [];
        let buf = '';
        let stderr = '';
        const exited = new Promise((r) => child.on('exit', (code) => r(code)));
        const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`postern did not start in time; output:\n${lines.join('\n')}\n${stderr}`)); }, opts.timeoutMs ?? 60_000);
        child.stderr.on('data', (d) => (stderr += d));
        child.stdout.on('data', (d) => {
            buf += d.toString();
            let i;
            while ((i = buf.indexOf('\n')) >= 0) {
                const line = buf.slice(0, i);
                buf = buf.slice(i + 1);
                lines.push(line);
                if (line === 'postern: running' || line.startsWith('postern: locked')) {
                    clearTimeout(timer);
                    resolve({ child, lines, exited });
                }
            }
        });
        void exited.then((code) => { clearTimeout(timer); reject(new Error(`postern exited with ${code} before running: ${stderr.trim()}`)); });
    });
}
//# sourceMappingURL=cli.js.map