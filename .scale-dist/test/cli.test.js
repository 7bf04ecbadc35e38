// The CLI as a household's operator meets it: start, signals, bind errors, accounts, fsck.
import t from 'tap';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { connect, createServer } from 'node:net';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tempDir } from './harness/appliance.js';
import { freePorts } from './harness/ports.js';
import { postern, startPostern } from './harness/cli.js';
const LISTENERS = ['mx', 'submission', 'submissions', 'imap', 'imaps', 'panel', 'mxOnion'];
async function configFile(dir, extra = {}) {
    const nums = await freePorts(LISTENERS.length);
    const ports = {};
    const listen = {};
    LISTENERS.forEach((n, i) => { ports[n] = nums[i]; listen[n] = `127.0.0.1:${nums[i]}`; });
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ hostname: 'mail.example.test', domains: ['example.test'], dataDir: join(dir, 'data'), listen, tor: { mode: 'off' }, ...extra }));
    return { file, ports };
}
function accepts(port) {
    return new Promise((resolve) => {
        const s = connect(port, '127.0.0.1');
        s.once('connect', () => { s.destroy(); resolve(true); });
        s.once('error', () => resolve(false));
    });
}
t.test('start prints a line per listener, serves, and stops cleanly on SIGTERM', async (t) => {
    const dir = tempDir();
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const { file, ports } = await configFile(dir);
    const { child, lines, exited } = await startPostern(['--config', file]);
    for (const name of LISTENERS) {
        t.ok(lines.includes(`postern: ${name} listening on 127.0.0.1:${ports[name]}`), `a line for ${name}`);
        t.ok(await accepts(ports[name]), `${name} accepts connections`);
    }
    child.kill('SIGTERM');
    t.equal(await exited, 0, 'exit code 0 after SIGTERM');
    for (const name of LISTENERS)
        t.notOk(await accepts(ports[name]), `${name} closed`);
});
t.test('started through npm (the quick start), the appliance stops when npm is stopped (npm does not pass SIGTERM on)', async (t) => {
    const dir = tempDir();
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const { file, ports } = await configFile(dir);
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const npm = spawn('npm', ['start', '--', '--config', file], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    t.teardown(() => { if (npm.exitCode === null)
        npm.kill('SIGKILL'); });
    let out = '';
    npm.stdout.on('data', (d) => (out += d));
    const running = await new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), 180_000);
        npm.stdout.on('data', () => { if (out.includes('postern: running')) {
            clearTimeout(timer);
            resolve(true);
        } });
        npm.on('exit', () => { clearTimeout(timer); resolve(false); });
    });
    t.ok(running, `running under npm start${running ? '' : `: ${out.slice(-400)}`}`);
    t.ok(await accepts(ports.imap), 'IMAP accepts connections');
    npm.kill('SIGTERM');
    let closed = false;
    for (let i = 0; i < 300 && !closed; i++) {
        await new Promise((r) => setTimeout(r, 100));
        closed = !(await accepts(ports.imap)) && !(await accepts(ports.mx));
    }
    t.ok(closed, 'the appliance released its ports after npm was stopped');
});
t.test('a port in use is a one-sentence error and exit code 1', async (t) => {
    const dir = tempDir();
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const { file, ports } = await configFile(dir);
    const blocker = createServer().listen(ports.imap, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    t.teardown(() => blocker.close());
    const r = await postern(['start', '--config', file]);
    t.equal(r.code, 1);
    t.match(r.stderr, new RegExp(`cannot listen for imap on 127\\.0\\.0\\.1:${ports.imap}: the address is already in use`));
    t.notMatch(r.stderr, /\n\s+at /, 'no stack trace');
});
t.test('config errors name the key and exit 1', async (t) => {
    const dir = tempDir();
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ listen: { imap: 'localhost' } }));
    const r = await postern(['start', '--config', file]);
    t.equal(r.code, 1);
    t.match(r.stderr, 'listen.imap');
    writeFileSync(file, '{ not json');
    const r2 = await postern(['user', 'list', '--config', file]);
    t.equal(r2.code, 1);
    t.match(r2.stderr, 'is not valid JSON');
});
t.test('user add, list, passwd, remove; fsck; with --data', async (t) => {
    const dir = tempDir();
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const data = ['--data', join(dir, 'var')];
    const add = await postern(['user', 'add', 'alice@home.arpa', '--admin', ...data], { input: 'a long password\n' });
    t.equal(add.code, 0, add.stderr);
    t.match(add.stdout, 'created alice@home.arpa (admin)');
    const dup = await postern(['user', 'add', 'alice@home.arpa', ...data], { input: 'a long password\n' });
    t.equal(dup.code, 1);
    t.match(dup.stderr, 'already exists');
    const short = await postern(['user', 'add', 'bob@home.arpa', ...data], { input: 'short\n' });
    t.equal(short.code, 1);
    t.match(short.stderr, 'at least 8 characters');
    const list = await postern(['user', 'list', ...data]);
    t.match(list.stdout, /alice@home\.arpa\tadmin/);
    t.equal((await postern(['user', 'passwd', 'alice@home.arpa', ...data], { input: 'another long one\n' })).code, 0);
    const fsck = await postern(['fsck', ...data]);
    t.equal(fsck.code, 0, fsck.stderr);
    t.match(fsck.stdout, 'no errors');
    t.equal((await postern(['user', 'remove', 'alice@home.arpa', ...data])).code, 0);
    const gone = await postern(['user', 'remove', 'alice@home.arpa', ...data]);
    t.equal(gone.code, 1);
    t.match(gone.stderr, 'there is no account');
    const unknown = await postern(['frobnicate', ...data]);
    t.equal(unknown.code, 2);
    t.match(unknown.stderr, 'unknown command');
});
//# sourceMappingURL=cli.test.js.map