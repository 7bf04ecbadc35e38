// The privileged operations on the data volume: cryptsetup (LUKS2, argon2id), mkfs.ext4 and mount.
// Every program runs with a fixed argument list (spawn: no shell); secrets go through stdin, never
// through arguments. The one exception is luksAddKey, which needs two secrets at once: the new
// recovery key goes through a 0600 file in a fresh 0700 folder under the helper's runtime folder
// (tmpfs, so it never reaches the card), overwritten and removed right after. (Node's extra stdio
// fds are socketpairs, which cryptsetup cannot open as /dev/fd/N.)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, chownSync, chmodSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { formatRecoveryKey, normalizeRecoveryKey } from './protocol.js';
import { volumeCipher } from './cipher.js';
export class VolumeOpError extends Error {
    code;
    constructor(code, message) {
        super(message);
        this.code = code;
        this.name = 'VolumeOpError';
    }
}
const PATH = '/usr/sbin:/usr/bin:/sbin:/bin';
/** Run a program; `stdin` and `fd3` are written to pipes and closed. */
function run(file, args, opts = {}) {
    return new Promise((resolve, reject) => {
        const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { PATH, LC_ALL: 'C' } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => { stdout += d.toString(); });
        child.stderr.on('data', (d) => { stderr += d.toString(); });
        child.on('error', reject);
        child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
        child.stdin.on('error', () => undefined);
        child.stdin.end(opts.stdin ?? '');
    });
}
async function must(what, file, args, opts = {}) {
    const r = await run(file, args, opts);
    if (r.code !== 0)
        throw new VolumeOpError('failed', `${what} failed (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-2).join(' ')}`);
    return r;
}
function mapperPath(spec) { return `/dev/mapper/${spec.name}`; }
function unescapeMountinfo(s) {
    return s.replace(/\\([0-7]{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8)));
}
export function isMounted(mountPoint) {
    const lines = readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
    return lines.some((l) => unescapeMountinfo(l.split(' ')[4] ?? '') === mountPoint);
}
async function isLuks(spec) {
    if (!existsSync(spec.device))
        throw new VolumeOpError('failed', `the data device ${spec.device} does not exist`);
    return (await run('cryptsetup', ['isLuks', '--type', 'luks2', spec.device])).code === 0;
}
export async function status(spec) {
    return { luks: await isLuks(spec), open: existsSync(mapperPath(spec)), mounted: isMounted(spec.mountPoint) };
}
function pbkdfArgs(spec) {
    return ['--pbkdf', 'argon2id', '--pbkdf-memory', String(spec.pbkdfMemoryKiB), '--pbkdf-parallel', '2', '--iter-time', String(spec.iterTimeMs)];
}
/** cryptsetup exits 2 when no key slot matches the given secret. */
async function openWith(spec, secret, testOnly) {
    const args = testOnly
        ? ['open', '--test-passphrase', '--key-file', '-', spec.device]
        : ['open', '--type', 'luks2', '--key-file', '-', spec.device, spec.name];
    const r = await run('cryptsetup', args, { stdin: secret });
    if (r.code === 0)
        return true;
    if (r.code === 2)
        return false;
    throw new VolumeOpError('failed', `cryptsetup open failed (exit ${r.code}): ${r.stderr.trim()}`);
}
async function mount(spec) {
    if (isMounted(spec.mountPoint))
        return;
    // Repair what an unclean stop left (exit 1 = errors corrected).
    const fsck = await run('e2fsck', ['-p', mapperPath(spec)]);
    if (fsck.code > 1)
        throw new VolumeOpError('failed', `e2fsck found errors it cannot fix (exit ${fsck.code}): ${fsck.stdout.trim()} ${fsck.stderr.trim()}`);
    await must('mount', 'mount', ['-t', 'ext4', '-o', 'nodev,nosuid,noexec,noatime', mapperPath(spec), spec.mountPoint]);
}
/** First setup: LUKS2 with argon2id, the passphrase in slot 0 and a new recovery key in slot 1,
 *  ext4 inside, mounted at the data path and owned by postern. Refuses a device that is already
 *  LUKS (that would destroy the household's mail). */
export async function create(spec, passphrase) {
    if (await isLuks(spec))
        throw new VolumeOpError('exists', 'the encrypted volume already exists; unlock it instead');
    if (isMounted(spec.mountPoint))
        throw new VolumeOpError('busy', `something is already mounted at ${spec.mountPoint}`);
    const recoveryKey = formatRecoveryKey(randomBytes(25));
    let cpuinfo = '';
    try {
        cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
    }
    catch { /* no /proc: auto falls back to Adiantum */ }
    const cipher = volumeCipher(spec.cipher, cpuinfo);
    await must('cryptsetup luksFormat', 'cryptsetup', [
        'luksFormat', '--batch-mode', '--type', 'luks2', ...pbkdfArgs(spec),
        ...cipher.args, '--label', 'postern-data', '--key-file', '-', spec.device,
    ], { stdin: passphrase });
    try {
        const dir = mkdtempSync(join(spec.runtimeDir, 'key-'));
        const keyFile = join(dir, 'recovery');
        try {
            chmodSync(dir, 0o700);
            writeFileSync(keyFile, recoveryKey, { mode: 0o600 });
            await must('cryptsetup luksAddKey', 'cryptsetup', [
                'luksAddKey', '--batch-mode', ...pbkdfArgs(spec), ...cipher.keyslotArgs, '--key-file', '-', spec.device, keyFile,
            ], { stdin: passphrase });
        }
        finally {
            try {
                writeFileSync(keyFile, '0'.repeat(recoveryKey.length));
            }
            catch { /* not written */ }
            rmSync(dir, { recursive: true, force: true });
        }
        if (!(await openWith(spec, passphrase, false)))
            throw new VolumeOpError('failed', 'the new volume did not open with its passphrase');
        await must('mkfs.ext4', 'mkfs.ext4', ['-q', '-L', 'postern-mail', '-m', '0', '-E', `root_owner=${spec.uid}:${spec.gid}`, mapperPath(spec)]);
        await mount(spec);
        chownSync(spec.mountPoint, spec.uid, spec.gid);
        chmodSync(spec.mountPoint, 0o700);
        await must('sync', 'sync', ['-f', spec.mountPoint]);
    }
    catch (e) {
        // Nothing of value is on the device yet: undo, so that setup can be tried again.
        if (isMounted(spec.mountPoint))
            await run('umount', [spec.mountPoint]);
        if (existsSync(mapperPath(spec)))
            await run('cryptsetup', ['close', spec.name]);
        await run('wipefs', ['--all', '--quiet', spec.device]);
        throw e;
    }
    return { recoveryKey, cipher };
}
/** Open with the passphrase or the recovery key (as typed), then mount. When the volume is already
 *  open (the appliance restarted), the secret is still checked. */
export async function open(spec, secret) {
    if (!(await isLuks(spec)))
        throw new VolumeOpError('absent', 'there is no encrypted volume yet: set up the storage first');
    const already = existsSync(mapperPath(spec));
    const candidates = [secret];
    const recovery = normalizeRecoveryKey(secret);
    if (recovery && recovery !== secret)
        candidates.push(recovery);
    let ok = false;
    for (const c of candidates)
        if ((ok = await openWith(spec, c, already)))
            break;
    if (!ok)
        throw new VolumeOpError('bad-secret', 'wrong passphrase or recovery key');
    await mount(spec);
}
/** Unmount and close; a no-op when already closed. */
export async function close(spec) {
    if (isMounted(spec.mountPoint)) {
        const r = await run('umount', [spec.mountPoint]);
        if (r.code !== 0) {
            throw new VolumeOpError(/busy/i.test(r.stderr) ? 'busy' : 'failed', `umount ${spec.mountPoint} failed: ${r.stderr.trim()}`);
        }
    }
    if (existsSync(mapperPath(spec)))
        await must('cryptsetup close', 'cryptsetup', ['close', spec.name]);
}
//# sourceMappingURL=luks.js.map