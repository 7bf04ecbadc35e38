// GnuPG in a throwaway home folder, for interoperability tests: an independent OpenPGP
// implementation reading what Postern writes and writing what Postern reads.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
export class Gpg {
    home;
    constructor() {
        // Short path: gpg-agent's socket path must fit in a sockaddr_un.
        this.home = mkdtempSync(join('/tmp', 'pgh-'));
    }
    run(args, input) {
        return new Promise((resolve, reject) => {
            const p = execFile('gpg', ['--homedir', this.home, '--batch', '--no-tty', '--yes', '--pinentry-mode', 'loopback', ...args], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024, timeout: 60_000 }, (err, stdout, stderr) => {
                const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
                if (err && err.code === 'ENOENT') {
                    reject(err);
                    return;
                }
                resolve({ code, stdout, stderr: stderr.toString() });
            });
            // gpg may exit before reading all of its input (an error); its exit code tells, not EPIPE.
            p.stdin.on('error', () => undefined);
            p.stdin.end(input ?? '');
        });
    }
    /** Fingerprints of the keys in the public (or secret) key ring, from --with-colons output. */
    async fingerprints(secret = false) {
        const r = await this.run([secret ? '--list-secret-keys' : '--list-keys', '--with-colons']);
        const lines = r.stdout.toString().split('\n');
        const out = [];
        for (let i = 0; i < lines.length; i++) {
            if (/^(pub|sec):/.test(lines[i]) && lines[i + 1]?.startsWith('fpr:'))
                out.push(lines[i + 1].split(':')[9]);
        }
        return out;
    }
    async close() {
        await new Promise((resolve) => execFile('gpgconf', ['--homedir', this.home, '--kill', 'all'], () => resolve()));
        rmSync(this.home, { recursive: true, force: true });
    }
}
//# sourceMappingURL=gpg.js.map