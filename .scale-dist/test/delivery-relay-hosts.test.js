// A relay named by an /etc/hosts entry (a LAN name), as a household configures one: the delivery
// runs in a private mount namespace (unshare -m) whose /etc/hosts has the entry, so the machine's
// own file is never touched. The test body is test/namespaced/relay-hosts.ts.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './harness/appliance.js';
t.test('relay found through /etc/hosts (system resolver), inside a mount namespace', async (t) => {
    const dir = tempDir('postern-hosts-');
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const hosts = join(dir, 'hosts');
    writeFileSync(hosts, `127.0.0.7 relay.lan\n${readFileSync('/etc/hosts', 'utf8')}`);
    const child = fileURLToPath(new URL('./namespaced/relay-hosts.js', import.meta.url));
    const r = spawnSync('unshare', ['--mount', 'sh', '-c', 'mount --bind "$1" /etc/hosts && exec "$2" "$3"', 'sh', hosts, process.execPath, child], { encoding: 'utf8', timeout: 120_000 });
    t.equal(r.error, undefined, 'unshare ran');
    t.equal(r.status, 0, `the delivery through relay.lan passed:\n${r.stdout}\n${r.stderr}`);
    t.match(r.stdout, /# \{ total: 3, pass: 3 \}|^ok 1 - a relay named in \/etc\/hosts/m, 'its three assertions ran');
    t.notMatch(readFileSync('/etc/hosts', 'utf8'), /relay\.lan/, 'the machine\'s /etc/hosts is unchanged');
});
//# sourceMappingURL=delivery-relay-hosts.test.js.map