// Crash tests: run a Node child that prints READY and then one line per acknowledged message, and
// SIGKILL it a given time after READY. Every line it printed reaches `onLine` before the promise
// settles; the promise fails if the child ended any other way than by the kill.
import { spawn } from 'node:child_process';
export function runUntilKilled(args, killAfterMs, onLine) {
    return new Promise((resolve, reject) => {
        const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
        let buf = '';
        p.stdout.on('data', (d) => {
            buf += d.toString();
            let i;
            while ((i = buf.indexOf('\n')) >= 0) {
                const line = buf.slice(0, i);
                buf = buf.slice(i + 1);
                if (line === 'READY')
                    setTimeout(() => p.kill('SIGKILL'), killAfterMs);
                else
                    onLine(line);
            }
        });
        p.on('error', reject);
        p.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child ended without being killed (${signal ?? code})`))));
    });
}
//# sourceMappingURL=killed-child.js.map