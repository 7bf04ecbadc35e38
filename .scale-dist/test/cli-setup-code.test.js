// The first-run setup code as the operator meets it (the real `postern` CLI): `postern start`
// prints it while no administrator exists, `postern setup-code` shows the same code from the box's
// system folder (mode 0600), and once an administrator exists there is none. Also: the CLI's
// command list loads each command's module lazily, and every entry matches its module's command.
import t from 'tap';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './harness/appliance.js';
import { freePorts } from './harness/ports.js';
import { postern, startPostern } from './harness/cli.js';
import { COMMANDS } from '../appliance/commands/index.js';
t.test('every lazy command entry names the command its module exports', async (t) => {
    const names = COMMANDS.map((c) => c.name);
    t.equal(new Set(names).size, names.length, 'no name twice');
    for (const entry of COMMANDS) {
        const real = await entry.load();
        t.same({ name: real.name, usage: real.usage, summary: real.summary }, { name: entry.name, usage: entry.usage, summary: entry.summary }, entry.name);
    }
});
t.test('postern start prints the setup code until an administrator exists', async (t) => {
    const dir = tempDir();
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const [mx, panel] = await freePorts(2);
    const file = join(dir, 'config.json');
    const dataDir = join(dir, 'data');
    writeFileSync(file, JSON.stringify({ hostname: 'mail.example.test', domains: ['example.test'], dataDir, listen: { mx: `127.0.0.1:${mx}`, panel: `127.0.0.1:${panel}` }, tor: { mode: 'off' } }));
    const none = await postern(['setup-code', '--config', file]);
    t.equal(none.code, 1, 'before the first start there is no code');
    t.match(none.stderr, /no setup code yet: start the appliance/);
    const first = await startPostern(['--config', file]);
    const line = first.lines.find((l) => l.startsWith('postern: first-run setup code: '));
    const printed = /setup code: ([A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}) /.exec(line ?? '')?.[1];
    t.ok(printed, `start prints the code (${first.lines.join(' | ')})`);
    const shown = await postern(['setup-code', '--config', file]);
    t.equal(shown.code, 0, shown.stderr);
    t.equal(shown.stdout.trim(), printed, 'postern setup-code shows the printed code');
    t.equal(statSync(join(dataDir, 'setup-code')).mode & 0o777, 0o600, 'readable by the service user only');
    first.child.kill('SIGTERM');
    t.equal(await first.exited, 0);
    const again = await startPostern(['--config', file]);
    t.ok(again.lines.includes(`postern: first-run setup code: ${printed} (the panel's setup asks for it; "postern setup-code" shows it again)`), 'the same code after a restart');
    again.child.kill('SIGTERM');
    t.equal(await again.exited, 0);
    const add = await postern(['user', 'add', 'anna@example.test', '--admin', '--config', file], { input: 'anna-password-1234\n' });
    t.equal(add.code, 0, add.stderr);
    const third = await startPostern(['--config', file]);
    t.notOk(third.lines.some((l) => l.includes('setup code')), 'with an administrator no code is printed');
    third.child.kill('SIGTERM');
    t.equal(await third.exited, 0);
    const done = await postern(['setup-code', '--config', file]);
    t.equal(done.code, 1);
    t.match(done.stderr, /this box is set up/);
});
//# sourceMappingURL=cli-setup-code.test.js.map