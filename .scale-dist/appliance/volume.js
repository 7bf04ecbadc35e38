// The encrypted data volume (LUKS2). The appliance process is unprivileged: it asks the privileged
// helper (appliance/storage-helper, run by systemd/postern-storage.service) to create, open, mount
// and close the volume, over the helper's unix socket. In plain mode there is no volume and open
// and close do nothing.
import { createConnection } from 'node:net';
import { passphraseProblem } from './storage-helper/protocol.js';
export const DEFAULT_HELPER_SOCKET = '/run/postern-storage/helper.sock';
export class VolumeError extends Error {
    code;
    /** `bad-secret`: wrong passphrase or recovery key; `exists`: already set up; `absent`: not set up
     *  yet; `invalid`: a refused input; `unavailable`: the helper is not running; others: `failed`, `busy`. */
    constructor(message, code = 'failed') {
        super(message);
        this.code = code;
        this.name = 'VolumeError';
    }
}
/** One request to the helper; long operations (argon2id, mkfs) may take a while. */
export function helperRequest(socketPath, req, timeoutMs = 180_000) {
    return new Promise((resolve, reject) => {
        const sock = createConnection(socketPath);
        let buf = '';
        let settled = false;
        const settle = (f) => { if (!settled) {
            settled = true;
            sock.destroy();
            f();
        } };
        sock.setEncoding('utf8');
        sock.setTimeout(timeoutMs, () => settle(() => reject(new VolumeError('the storage helper did not answer in time', 'failed'))));
        sock.on('connect', () => sock.write(JSON.stringify(req) + '\n'));
        sock.on('error', (e) => settle(() => reject(new VolumeError(e.code === 'ENOENT' || e.code === 'ECONNREFUSED' ? `the storage helper is not running (${socketPath}: ${e.code})`
            : e.code === 'EACCES' ? `no permission to use the storage helper at ${socketPath}` : `storage helper: ${e.message}`, 'unavailable'))));
        sock.on('data', (d) => {
            buf += d;
            const nl = buf.indexOf('\n');
            if (nl < 0)
                return;
            settle(() => {
                try {
                    resolve(JSON.parse(buf.slice(0, nl)));
                }
                catch {
                    reject(new VolumeError('the storage helper sent a bad answer'));
                }
            });
        });
        sock.on('end', () => settle(() => reject(new VolumeError('the storage helper closed the connection without an answer'))));
    });
}
async function ask(config, req, timeoutMs) {
    const r = await helperRequest(config.storage.helperSocket ?? DEFAULT_HELPER_SOCKET, req, timeoutMs);
    if (!r.ok)
        throw new VolumeError(r.message, r.code);
    return r;
}
function checkSecret(secret) {
    const why = passphraseProblem(secret);
    if (why)
        throw new VolumeError(why, 'invalid');
}
export async function openVolume(config, passphrase) {
    if (config.storage.mode === 'plain')
        return;
    checkSecret(passphrase);
    await ask(config, { op: 'open', secret: passphrase }, 600_000);
}
export async function closeVolume(config) {
    if (config.storage.mode === 'plain')
        return;
    await ask(config, { op: 'close' }, 60_000);
}
/** Create the LUKS2 volume with a passphrase and a recovery key (returned, shown once). */
export async function createVolume(config, passphrase) {
    if (config.storage.mode === 'plain')
        throw new VolumeError('storage is a plain folder: there is no volume to create', 'invalid');
    checkSecret(passphrase);
    // argon2id three times (format, add the recovery key, open) and mkfs: minutes on a slow box.
    const r = await ask(config, { op: 'create', passphrase }, 900_000);
    if (!r.recoveryKey)
        throw new VolumeError('the storage helper returned no recovery key');
    return { recoveryKey: r.recoveryKey };
}
/** Whether the volume exists, is open and mounted (plain mode: always "open"). */
export async function volumeStatus(config) {
    if (config.storage.mode === 'plain')
        return { luks: false, open: true, mounted: true };
    const r = await ask(config, { op: 'status' }, 20_000);
    if (!r.status)
        throw new VolumeError('the storage helper returned no status');
    return r.status;
}
//# sourceMappingURL=volume.js.map