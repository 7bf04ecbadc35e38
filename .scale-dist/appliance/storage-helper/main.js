// postern-storage-helper: the small privileged program behind postern-storage.service. It runs as
// root, listens on a unix socket only root and the postern group may use, and does exactly four
// things to exactly one device: create, open, close, status (see protocol.ts, luks.ts). Requests
// run one at a time. On SIGTERM (shutdown) it unmounts and closes the volume before exiting.
//
//   node dist/appliance/storage-helper/main.js --device DEV --mount DIR --user postern
//        [--socket /run/postern-storage/helper.sock] [--pbkdf-memory KiB] [--iter-time ms]
//        [--cipher auto|aes-xts|adiantum]   (auto: AES-XTS with AES instructions, else Adiantum)
import { createServer } from 'node:net';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, unlinkSync } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';
import { parseRequest, ProtocolError, MAX_REQUEST_BYTES } from './protocol.js';
import { create, open, close, status, VolumeOpError } from './luks.js';
import { isCipherChoice } from './cipher.js';
function say(line) { process.stdout.write(`postern-storage: ${line}\n`); }
function fail(message) {
    process.stderr.write(`postern-storage: ${message}\n`);
    process.exit(2);
}
function lookupUser(name) {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
        const f = line.split(':');
        if (f[0] === name && f.length >= 4)
            return { uid: Number(f[2]), gid: Number(f[3]) };
    }
    return fail(`no user "${name}" in /etc/passwd`);
}
function parseOptions(argv) {
    const v = {};
    for (let i = 0; i < argv.length; i += 2) {
        const k = argv[i];
        const val = argv[i + 1];
        if (!k.startsWith('--') || val === undefined)
            fail(`bad arguments near "${k}" (usage: --device DEV --mount DIR --user NAME)`);
        v[k.slice(2)] = val;
    }
    for (const k of Object.keys(v))
        if (!['device', 'mount', 'user', 'socket', 'pbkdf-memory', 'iter-time', 'name', 'cipher'].includes(k))
            fail(`unknown option --${k}`);
    const device = v.device ?? fail('--device is required');
    const mountPoint = v.mount ?? fail('--mount is required');
    if (!isAbsolute(device) || !isAbsolute(mountPoint))
        fail('--device and --mount must be absolute paths');
    const name = v.name ?? 'postern-data';
    if (!/^[a-z][a-z0-9-]{0,30}$/.test(name))
        fail('--name must be a short lowercase name');
    const { uid, gid } = lookupUser(v.user ?? fail('--user is required'));
    const num = (k, def, min, max) => {
        const n = v[k] === undefined ? def : Number(v[k]);
        if (!Number.isInteger(n) || n < min || n > max)
            fail(`--${k} must be a whole number from ${min} to ${max}`);
        return n;
    };
    const socket = v.socket ?? '/run/postern-storage/helper.sock';
    const cipher = v.cipher ?? 'auto';
    if (!isCipherChoice(cipher))
        fail('--cipher must be auto, aes-xts or adiantum');
    return {
        spec: { device, mountPoint, name, uid, gid, runtimeDir: dirname(socket), pbkdfMemoryKiB: num('pbkdf-memory', 262144, 32768, 4194304), iterTimeMs: num('iter-time', 2000, 100, 20000), cipher },
        socket,
    };
}
async function handle(spec, req) {
    switch (req.op) {
        case 'status': return { ok: true, status: await status(spec) };
        case 'create': {
            const { recoveryKey, cipher } = await create(spec, req.passphrase);
            say(`created the LUKS2 volume (${cipher.name}: ${cipher.why}) on ${spec.device} and mounted it at ${spec.mountPoint}`);
            return { ok: true, recoveryKey };
        }
        case 'open':
            await open(spec, req.secret);
            say(`opened ${spec.device} and mounted it at ${spec.mountPoint}`);
            return { ok: true };
        case 'close':
            await close(spec);
            say(`unmounted ${spec.mountPoint} and closed the volume`);
            return { ok: true };
    }
}
function main() {
    if (process.getuid?.() !== 0)
        fail('must run as root (it runs cryptsetup and mount)');
    const { spec, socket } = parseOptions(process.argv.slice(2));
    let queue = Promise.resolve();
    const serve = (sock) => {
        let buf = '';
        let done = false;
        sock.setEncoding('utf8');
        sock.setTimeout(30_000, () => sock.destroy());
        sock.on('error', () => sock.destroy());
        sock.on('data', (chunk) => {
            if (done)
                return;
            buf += chunk;
            const nl = buf.indexOf('\n');
            if (nl < 0 && buf.length <= MAX_REQUEST_BYTES)
                return;
            done = true;
            sock.setTimeout(0);
            const reply = (r) => { if (!sock.destroyed)
                sock.end(JSON.stringify(r) + '\n'); };
            let req;
            try {
                req = parseRequest(nl < 0 ? buf : buf.slice(0, nl));
            }
            catch (e) {
                reply({ ok: false, code: 'invalid', message: e instanceof ProtocolError ? e.message : 'bad request' });
                return;
            }
            buf = '';
            const job = queue.then(() => handle(spec, req)).then(reply, (e) => {
                const code = e instanceof VolumeOpError ? e.code : 'failed';
                const message = e.message ?? String(e);
                say(`${req.op} failed: ${message}`);
                reply({ ok: false, code, message });
            });
            queue = job;
        });
    };
    const server = createServer(serve);
    const gid = spec.gid;
    mkdirSync(dirname(socket), { recursive: true, mode: 0o750 });
    chownSync(dirname(socket), 0, gid);
    chmodSync(dirname(socket), 0o750);
    if (existsSync(socket))
        unlinkSync(socket);
    server.listen(socket, () => {
        chownSync(socket, 0, gid);
        chmodSync(socket, 0o660);
        say(`ready on ${socket} for ${spec.device} -> ${spec.mountPoint}`);
    });
    let stopping = false;
    const stop = (signal) => {
        if (stopping)
            return;
        stopping = true;
        server.close();
        queue.then(() => close(spec)).then(() => { say(`${signal}: volume closed`); process.exit(0); }, (e) => { say(`${signal}: could not close the volume: ${e.message}`); process.exit(1); });
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
}
main();
//# sourceMappingURL=main.js.map