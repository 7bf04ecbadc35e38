// The LUKS storage lifecycle on this machine (no device-mapper here: the full cycle with a real
// volume runs in the QEMU test, test/vm/appliance.vmtest.ts):
// - the helper's wire protocol and recovery keys;
// - the real storage helper (as root, real cryptsetup on a file-backed "device"): socket permissions,
//   request validation, refusing to format an existing volume, rolling back a failed setup;
// - the appliance's locked/unlocked lifecycle driven through the real CLI (`postern storage setup`,
//   `lock`, `unlock`) over the control socket, with a stand-in helper, seen from real SMTP/IMAP
//   sockets (421 4.3.2 / BYE while locked).
import t from 'tap';
import fc from 'fast-check';
import { spawn, execFileSync } from 'node:child_process';
import { createServer, createConnection } from 'node:net';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync, existsSync, truncateSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRequest, formatRecoveryKey, normalizeRecoveryKey, ProtocolError } from '../appliance/storage-helper/protocol.js';
import { helperRequest, VolumeError, openVolume } from '../appliance/volume.js';
import { validateConfig } from '../appliance/config.js';
import { tempDir } from './harness/appliance.js';
import { freePorts } from './harness/ports.js';
import { postern, startPostern } from './harness/cli.js';
const HELPER = fileURLToPath(new URL('../appliance/storage-helper/main.js', import.meta.url));
t.test('helper protocol: exactly four requests, validated', async (t) => {
    t.same(parseRequest('{"op":"status"}'), { op: 'status' });
    t.same(parseRequest('{"op":"close"}'), { op: 'close' });
    t.same(parseRequest('{"op":"open","secret":"correct horse"}'), { op: 'open', secret: 'correct horse' });
    t.same(parseRequest('{"op":"create","passphrase":"correct horse"}'), { op: 'create', passphrase: 'correct horse' });
    const bad = [
        ['not json', /not JSON/],
        ['[1]', /object/],
        ['{"op":"format"}', /unknown request/],
        ['{"op":"status","device":"/dev/sda"}', /no arguments/],
        ['{"op":"open","secret":"correct horse","device":"/dev/sda"}', /exactly/],
        ['{"op":"create","passphrase":"short"}', /too short/],
        ['{"op":"create","passphrase":12345678}', /string/],
        ['{"op":"open","secret":"line one\\nline two"}', /control characters/],
        [JSON.stringify({ op: 'open', secret: 'x'.repeat(600) }), /too long/],
        [JSON.stringify({ op: 'open', secret: 'x'.repeat(5000) }), /too long/],
    ];
    for (const [line, re] of bad)
        t.throws(() => parseRequest(line), re, line.slice(0, 60));
    t.throws(() => parseRequest('{"op":"status","x":1}'), ProtocolError);
});
t.test('recovery keys: 40 base32 characters, typed back in any form', async (t) => {
    const key = formatRecoveryKey(new Uint8Array(25).fill(0xff));
    t.equal(key, 'ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ');
    t.equal(formatRecoveryKey(new Uint8Array(25)), '00000-00000-00000-00000-00000-00000-00000-00000');
    t.equal(normalizeRecoveryKey('ooooo ooooo-ooooo ooooo ooooo ooooo ooooo ooooo'), '00000-00000-00000-00000-00000-00000-00000-00000');
    t.equal(normalizeRecoveryKey('correct horse battery staple'), undefined);
    t.equal(normalizeRecoveryKey('ZZZZZ-ZZZZZ'), undefined);
    fc.assert(fc.property(fc.uint8Array({ minLength: 25, maxLength: 25 }), (bytes) => {
        const k = formatRecoveryKey(bytes);
        if (!/^([0-9A-HJKMNP-TV-Z]{5}-){7}[0-9A-HJKMNP-TV-Z]{5}$/.test(k))
            return false;
        if (normalizeRecoveryKey(k) !== k)
            return false;
        if (normalizeRecoveryKey(k.toLowerCase().replace(/-/g, '')) !== k)
            return false;
        // distinct inputs give distinct keys (200 bits, no truncation)
        const other = Uint8Array.from(bytes);
        other[24] = other[24] ^ 1;
        return formatRecoveryKey(other) !== k;
    }), { numRuns: 300 });
});
t.test('the volume client: clear errors when the helper is missing, and input checked before sending', async (t) => {
    const dir = tempDir('postern-vol-');
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const config = validateConfig({ dataDir: join(dir, 'data'), tor: { mode: 'off' }, storage: { mode: 'luks', helperSocket: join(dir, 'none.sock') } }, { baseDir: dir, torOnPath: false });
    await t.rejects(openVolume(config, 'correct horse'), { name: 'VolumeError', code: 'unavailable', message: /not running/ });
    await t.rejects(openVolume(config, 'short'), { code: 'invalid', message: /too short/ });
    const plain = validateConfig({ dataDir: join(dir, 'data'), tor: { mode: 'off' } }, { baseDir: dir, torOnPath: false });
    await openVolume(plain, 'anything at all'); // plain mode: nothing to open
    t.pass('plain mode opens nothing');
});
t.test('the helper refuses to run without root', async (t) => {
    // As root (CI), run it as nobody to see the refusal.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const r = spawn(process.execPath, [HELPER, '--device', '/dev/null', '--mount', '/tmp', '--user', 'root'], asNobody);
    let err = '';
    r.stderr.on('data', (d) => (err += d));
    t.equal(await new Promise((res) => r.on('exit', res)), 2);
    t.match(err, /must run as root/);
});
async function startHelper(args) {
    const child = spawn(process.execPath, [HELPER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`helper did not start: ${out}`)), 15_000);
        const check = () => { if (/ready on/.test(out)) {
            clearTimeout(timer);
            resolve();
        } };
        child.stdout.on('data', check);
        child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`helper exited ${code}: ${out}`)); });
    });
    return { child, output: () => out };
}
function rawRequest(path, line) {
    return new Promise((resolve, reject) => {
        const s = createConnection(path);
        let buf = '';
        s.setEncoding('utf8');
        s.on('connect', () => s.write(line));
        s.on('data', (d) => { buf += d; });
        s.on('end', () => { try {
            resolve(JSON.parse(buf));
        }
        catch (e) {
            reject(e);
        } });
        s.on('error', reject);
    });
}
t.test('the real storage helper (root, real cryptsetup on a file-backed device)', async (t) => {
    t.equal(process.getuid?.(), 0, 'this test runs as root (as CI does): the helper is a root program');
    const dir = tempDir('postern-helper-');
    const device = join(dir, 'data.img');
    const mount = join(dir, 'data');
    const socket = join(dir, 'run', 'helper.sock');
    mkdirSync(mount);
    closeSync(openSync(device, 'w'));
    truncateSync(device, 32 * 1024 * 1024);
    const helper = await startHelper(['--device', device, '--mount', mount, '--user', 'root', '--socket', socket, '--pbkdf-memory', '32768', '--iter-time', '100']);
    t.teardown(async () => {
        if (helper.child.exitCode === null) {
            helper.child.kill('SIGTERM');
            await new Promise((r) => helper.child.once('exit', r));
        }
        rmSync(dir, { recursive: true, force: true });
    });
    t.equal(statSync(socket).mode & 0o777, 0o660, 'the socket is 0660 (root and the postern group only)');
    t.equal(statSync(join(dir, 'run')).mode & 0o777, 0o750, 'its folder is 0750');
    const st = await helperRequest(socket, { op: 'status' });
    t.same(st, { ok: true, status: { luks: false, open: false, mounted: false } }, 'a blank device');
    t.match(await rawRequest(socket, '{"op":"format","device":"/dev/sda"}\n'), { ok: false, code: 'invalid', message: /unknown request/ });
    t.match(await rawRequest(socket, '{"op":"create","passphrase":"short"}\n'), { ok: false, code: 'invalid', message: /too short/ });
    t.match(await rawRequest(socket, JSON.stringify({ op: 'open', secret: 'y'.repeat(8000) })), { ok: false, code: 'invalid', message: /too long/ });
    // No device-mapper on this host: luksFormat and luksAddKey work on the file, opening cannot, and
    // the helper must undo the half-made volume so that setup can be tried again.
    const created = await helperRequest(socket, { op: 'create', passphrase: 'correct horse battery' });
    t.match(created, { ok: false, code: 'failed', message: /cryptsetup open|device-mapper|mapper/i }, 'create fails at open (after luksFormat and luksAddKey) without device-mapper');
    t.same(readdirSync(join(dir, 'run')).sort(), ['helper.sock'], 'the recovery key file is gone');
    t.same(await helperRequest(socket, { op: 'status' }), { ok: true, status: { luks: false, open: false, mounted: false } }, 'and was rolled back');
    t.match(helper.output(), /create failed/);
    // An existing volume is never formatted again (that would destroy the household's mail).
    execFileSync('cryptsetup', ['luksFormat', '--batch-mode', '--type', 'luks2', '--pbkdf', 'argon2id', '--pbkdf-memory', '32768', '--iter-time', '100', '--key-file', '-', device], { input: 'the household passphrase' });
    t.same(await helperRequest(socket, { op: 'status' }), { ok: true, status: { luks: true, open: false, mounted: false } });
    t.match(await helperRequest(socket, { op: 'create', passphrase: 'correct horse battery' }), { ok: false, code: 'exists' });
    const dump = execFileSync('cryptsetup', ['luksDump', device], { encoding: 'utf8' });
    t.match(dump, /0: luks2/, 'the household key slot is still there');
    t.notMatch(dump, /1: luks2/, 'and nothing was added');
    // Closing an unmounted, unopened volume is a no-op; SIGTERM closes and exits cleanly.
    t.same(await helperRequest(socket, { op: 'close' }), { ok: true });
    helper.child.kill('SIGTERM');
    const code = await new Promise((r) => helper.child.once('exit', r));
    t.equal(code, 0, 'SIGTERM: exits 0 after closing');
    t.match(helper.output(), /SIGTERM: volume closed/);
});
/** A stand-in for the root helper (the real one needs device-mapper): same protocol, keeps a
 *  passphrase and a recovery key, "mounts" by creating the data folder. */
function fakeHelper(path, dataDir) {
    let keys = [];
    let open = false;
    const log = [];
    const server = createServer((s) => {
        s.setEncoding('utf8');
        let buf = '';
        s.on('data', (d) => {
            buf += d;
            if (!buf.includes('\n'))
                return;
            let req;
            let reply;
            try {
                req = parseRequest(buf.slice(0, buf.indexOf('\n')));
                log.push(req.op);
                if (req.op === 'status')
                    reply = { ok: true, status: { luks: keys.length > 0, open, mounted: open } };
                else if (req.op === 'create') {
                    if (keys.length)
                        reply = { ok: false, code: 'exists', message: 'the encrypted volume already exists' };
                    else {
                        const rk = formatRecoveryKey(new Uint8Array(25).fill(7));
                        keys = [req.passphrase, rk];
                        open = true;
                        mkdirSync(dataDir, { recursive: true });
                        reply = { ok: true, recoveryKey: rk };
                    }
                }
                else if (req.op === 'open') {
                    if (!keys.length)
                        reply = { ok: false, code: 'absent', message: 'no volume' };
                    else if (!keys.includes(req.secret) && !keys.includes(normalizeRecoveryKey(req.secret) ?? ''))
                        reply = { ok: false, code: 'bad-secret', message: 'wrong passphrase or recovery key' };
                    else {
                        open = true;
                        reply = { ok: true };
                    }
                }
                else {
                    open = false;
                    reply = { ok: true };
                }
            }
            catch (e) {
                reply = { ok: false, code: 'invalid', message: e.message };
            }
            s.end(JSON.stringify(reply) + '\n');
        });
    });
    return { server, log, isOpen: () => open, listen: () => new Promise((r) => server.listen(path, r)) };
}
function greeting(port) {
    return new Promise((resolve, reject) => {
        const s = createConnection(port, '127.0.0.1');
        let buf = '';
        s.setEncoding('utf8');
        s.on('data', (d) => { buf += d; if (buf.includes('\r\n')) {
            s.destroy();
            resolve(buf.split('\r\n')[0]);
        } });
        s.on('error', reject);
        s.on('end', () => resolve(buf.split('\r\n')[0]));
    });
}
t.test('locked -> setup -> running -> lock -> unlock, through the CLI and the control socket', async (t) => {
    const root = tempDir('postern-lifecycle-');
    const dataDir = join(root, 'data');
    const helperSocket = join(root, 'helper.sock');
    const helper = fakeHelper(helperSocket, dataDir);
    await helper.listen();
    const [mx, imap, panel] = await freePorts(3);
    const configFile = join(root, 'config.json');
    writeFileSync(configFile, JSON.stringify({
        hostname: 'mail.example.test', domains: ['example.test'], dataDir,
        listen: { mx: `127.0.0.1:${mx}`, imap: `127.0.0.1:${imap}`, panel: `127.0.0.1:${panel}` },
        tor: { mode: 'off' }, storage: { mode: 'luks', helperSocket },
    }));
    const app = await startPostern(['--config', configFile]);
    t.teardown(async () => {
        if (app.child.exitCode === null) {
            app.child.kill('SIGTERM');
            await app.exited;
        }
        helper.server.close();
        rmSync(root, { recursive: true, force: true });
    });
    const cli = (args, input) => postern([...args, '--config', configFile], input === undefined ? {} : { input });
    t.ok(app.lines.some((l) => l.startsWith('postern: locked')), 'starts locked in LUKS mode');
    t.ok(existsSync(join(root, 'postern-system', 'control.sock')), 'the control socket lives outside the data folder');
    t.equal(statSync(join(root, 'postern-system', 'control.sock')).mode & 0o777, 0o600);
    t.match(await greeting(mx), /^421 4\.3\.2 /, 'SMTP: 421 4.3.2 while locked');
    t.match(await greeting(imap), /^\* BYE \[UNAVAILABLE\]/, 'IMAP: BYE while locked');
    let r = await cli(['storage', 'status']);
    t.equal(r.code, 0, r.stderr);
    t.match(r.stdout, /state: locked\nstorage: not set up yet/);
    r = await cli(['unlock'], 'correct horse battery\n');
    t.equal(r.code, 1, 'unlock before setup fails');
    t.match(r.stderr, /no volume/);
    r = await cli(['storage', 'setup'], 'short\n');
    t.equal(r.code, 1);
    t.match(r.stderr, /too short/);
    r = await cli(['storage', 'setup'], 'correct horse battery\n');
    t.equal(r.code, 0, r.stderr);
    const recovery = /recovery key: (\S+)/.exec(r.stdout)?.[1];
    t.match(recovery, /^([0-9A-Z]{5}-){7}[0-9A-Z]{5}$/, 'the recovery key is printed once');
    t.match(r.stdout, /postern: running/);
    t.match(await greeting(mx), /^220 /, 'SMTP greets after setup');
    r = await cli(['lock']);
    t.equal(r.code, 0, r.stderr);
    t.match(r.stdout, /postern: locked/);
    t.notOk(helper.isOpen(), 'the helper was asked to close the volume');
    t.match(await greeting(mx), /^421 4\.3\.2 /, 'SMTP: 421 again after lock');
    r = await cli(['unlock'], 'wrong horse battery\n');
    t.equal(r.code, 3, 'a wrong passphrase exits 3');
    t.match(r.stderr, /wrong passphrase/);
    t.match(await greeting(mx), /^421 /, 'still locked');
    r = await cli(['unlock'], 'correct horse battery\n');
    t.equal(r.code, 0, r.stderr);
    t.match(await greeting(mx), /^220 /, 'unlocked with the passphrase');
    r = await cli(['unlock'], 'correct horse battery\n');
    t.equal(r.code, 1, 'unlocking a running box is refused');
    t.match(r.stderr, /not locked/);
    t.equal((await cli(['lock'])).code, 0);
    r = await cli(['unlock'], recovery.toLowerCase().replace(/-/g, '') + '\n');
    t.equal(r.code, 0, `unlock with the recovery key as typed: ${r.stderr}`);
    t.match(await greeting(mx), /^220 /, 'SMTP greets after unlocking with the recovery key');
    t.same(helper.log.filter((op) => op !== 'status'), ['open', 'create', 'open', 'close', 'open', 'open', 'close', 'open']);
    app.child.kill('SIGTERM');
    t.equal(await app.exited, 0, 'stops cleanly');
    t.same(helper.log.at(-1), 'close', 'stopping closes the volume');
});
t.test('a second appliance on the same system folder is refused', async (t) => {
    const root = tempDir('postern-twice-');
    const path = join(root, 'postern-system');
    mkdirSync(path);
    const server = createServer(() => undefined);
    await new Promise((r) => server.listen(join(path, 'control.sock'), r));
    t.teardown(() => { server.close(); rmSync(root, { recursive: true, force: true }); });
    const { startControlSocket } = await import('../appliance/control/server.js');
    const config = validateConfig({ dataDir: join(root, 'data'), tor: { mode: 'off' }, storage: { mode: 'luks' } }, { baseDir: root, torOnPath: false });
    await t.rejects(startControlSocket({ config, tls: undefined, appliance: undefined }), /already running/);
    t.ok(VolumeError);
});
//# sourceMappingURL=appliance-storage.test.js.map