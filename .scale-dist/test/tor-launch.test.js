// Postern launching its own tor (Debian's, DisableNetwork 1: onion services are created but nothing
// leaves the box): the torrc, onion addresses from Postern's own keys (torrc HiddenServiceDir for
// SMTP, ADD_ONION for IMAP and the panel), recovery after tor is killed, the same addresses after
// an appliance restart, panel client authorization, and the status when tor is off or missing.
import t from 'tap';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestAppliance, tempDir } from './harness/appliance.js';
import { TorControl } from '../services/tor/control.js';
import { createClientAuth, listClientAuth, removeClientAuth } from '../services/tor/client-auth.js';
import { onionIdentity } from '../services/tor/keys.js';
import { startTor } from './harness/tor-net.js';
import { postern } from './harness/cli.js';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const torConfig = { tor: { mode: 'launch', torrcInclude: 'DisableNetwork 1' } };
function tor(a) {
    const s = a.appliance.service('tor');
    if (!s)
        throw new Error('no tor service');
    return s;
}
async function until(what, fn, ms = 30_000) {
    const end = Date.now() + ms;
    while (!fn()) {
        if (Date.now() > end)
            throw new Error(`timed out waiting for ${what}`);
        await sleep(100);
    }
}
/** From a second control connection: is this onion key already in use by tor? */
async function inUse(a, name) {
    const c = await TorControl.connect({ path: join(a.dataDir, 'tor', 'control.sock') });
    try {
        await c.authenticate({ cookieFile: join(a.dataDir, 'tor', 'control_auth_cookie') });
        const id = onionIdentity(a.config, name);
        try {
            await c.addOnion({ key: id.addOnionKey(), ports: [{ virtual: 1 }] });
            await c.delOnion(id.serviceId);
            return false;
        }
        catch (e) {
            if (e.status === 550)
                return true;
            throw e;
        }
    }
    finally {
        c.close();
    }
}
function alive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch {
        return false;
    }
}
t.test('launch: torrc, stable onion addresses, restart after tor dies, client auth', async (t) => {
    const dataDir = tempDir();
    let a = await startTestAppliance({ dataDir, config: torConfig });
    t.teardown(async () => { await a.stop(); rmSync(dataDir, { recursive: true, force: true }); });
    const s1 = tor(a).status();
    t.equal(s1.mode, 'launch');
    t.equal(s1.connected, true, s1.summary);
    t.match(s1.summary, /^Bootstrapped \d+%/);
    t.same(s1.onions.map((o) => o.name), ['smtp', 'imap', 'panel']);
    for (const o of s1.onions)
        t.match(o.address, /^[a-z2-7]{56}\.onion$/);
    t.same(s1.onions.find((o) => o.name === 'imap').ports, [143, 993]);
    const torrc = readFileSync(join(dataDir, 'tor', 'torrc'), 'utf8');
    t.match(torrc, new RegExp(`^__OwningControllerProcess ${process.pid}$`, 'm'));
    t.match(torrc, /^HiddenServiceExportCircuitID haproxy$/m);
    t.match(torrc, new RegExp(`^HiddenServicePort 25 127\\.0\\.0\\.1:${a.port('mxOnion')}$`, 'm'));
    t.match(torrc, /^DisableNetwork 1$/m, 'tor.torrcInclude appended');
    // tor read the key Postern wrote: its hostname file names our address
    await until('tor to write the SMTP hostname', () => existsSync(join(dataDir, 'tor', 'onion-smtp', 'hostname')));
    t.equal(readFileSync(join(dataDir, 'tor', 'onion-smtp', 'hostname'), 'utf8').trim(), s1.onions[0].address);
    t.equal(await inUse(a, 'imap'), true, 'the IMAP onion is published');
    // postern tor status, from another process
    const listen = {};
    for (const [k, v] of Object.entries(a.config.listen))
        listen[k] = `${v.host}:${v.port}`;
    const cfgFile = join(dataDir, 'cli-config.json');
    writeFileSync(cfgFile, JSON.stringify({ hostname: a.config.hostname, domains: a.config.domains, dataDir, listen, tor: torConfig.tor }));
    const cli = await postern(['tor', 'status', '--config', cfgFile]);
    t.equal(cli.code, 0, cli.stderr);
    t.match(cli.stdout, /^tor \(launch\): Bootstrapped \d+%/);
    for (const o of s1.onions)
        t.match(cli.stdout, new RegExp(`^${o.name}\\s+${o.address} ports ${o.ports.join(',')}`, 'm'), `CLI shows the ${o.name} onion`);
    const cliJson = JSON.parse((await postern(['tor', 'status', '--json', '--config', cfgFile])).stdout);
    t.equal(cliJson.pid, s1.pid, 'the CLI talks to the same tor');
    t.equal(await inUse(a, 'panel'), true, 'the panel onion is published');
    // kill tor: Postern starts it again, reconnects and publishes the same onions
    const pid = s1.pid;
    t.ok(alive(pid));
    process.kill(pid, 'SIGKILL');
    await until('tor to be restarted', () => { const s = tor(a).status(); return !!s.pid && s.pid !== pid && s.connected; });
    const s2 = tor(a).status();
    t.same(s2.onions.map((o) => o.address), s1.onions.map((o) => o.address), 'same addresses after tor restarted');
    t.equal(await inUse(a, 'imap'), true, 'IMAP onion re-added');
    t.equal(await inUse(a, 'panel'), true, 'panel onion re-added');
    t.ok(tor(a).socks() === undefined || tor(a).socks().port > 0);
    // a device for the panel onion
    const grant = await createClientAuth(a.config, 'Alice phone', tor(a));
    t.match(grant.authPrivate, new RegExp(`^${s1.onions[2].address.slice(0, 56)}:descriptor:x25519:[A-Z2-7]{52}$`));
    t.match(grant.publicKey, /^[A-Z2-7]{52}$/);
    t.match(grant.qrSvg, /^<svg/);
    t.equal(Buffer.from(grant.privateKeyBase64, 'base64').length, 32);
    t.equal(tor(a).status().onions[2].clientAuth, true);
    t.equal(await inUse(a, 'panel'), true, 'panel onion published again, now with client auth');
    await t.rejects(createClientAuth(a.config, 'alice PHONE'), /already authorized/);
    await t.rejects(createClientAuth(a.config, 'bad\nname'), /device name/);
    t.same(listClientAuth(a.config).map((c) => c.name), ['Alice phone']);
    t.equal(await removeClientAuth(a.config, 'Alice phone', tor(a)), true);
    t.equal(await removeClientAuth(a.config, 'Alice phone', tor(a)), false);
    t.equal(tor(a).status().onions[2].clientAuth, false);
    // the appliance stops: its tor goes with it; started again: same addresses
    const pid2 = tor(a).status().pid;
    await a.stop();
    t.notOk(alive(pid2), 'tor stopped with the appliance');
    a = await startTestAppliance({ dataDir, config: torConfig });
    t.same(tor(a).status().onions.map((o) => o.address), s1.onions.map((o) => o.address), 'same addresses after an appliance restart');
    t.equal(tor(a).status().connected, true);
});
t.test('off and missing tor: a clear status line', async (t) => {
    const off = await startTestAppliance({ config: { tor: { mode: 'off' } } });
    t.teardown(() => off.stop());
    const s = tor(off).status();
    t.equal(s.mode, 'off');
    t.match(s.summary, /^Tor is off/);
    t.same(s.onions, []);
    t.equal(tor(off).socks(), undefined);
    const missing = await startTestAppliance({ config: { tor: { mode: 'launch', binary: '/nonexistent/tor' } } });
    t.teardown(() => missing.stop());
    const m = tor(missing).status();
    t.equal(m.connected, false);
    t.match(m.summary, /cannot launch tor: no "\/nonexistent\/tor" program found/);
    t.equal(m.onions.length, 3, 'addresses are known (from the keys) even without tor');
    const broken = await startTestAppliance({ config: { tor: { mode: 'launch', torrcInclude: 'NoSuchTorOption 1' } } });
    t.teardown(() => broken.stop());
    await until('the failed start to be reported', () => /tor exited/.test(tor(broken).status().summary), 20_000);
    t.match(tor(broken).status().summary, /tor exited \(code 1\): .*NoSuchTorOption/, 'tor\'s own error in the status line');
    t.equal(tor(broken).status().connected, false);
});
t.test('attach: the system tor through its control port and cookie', async (t) => {
    const sys = await startTor(['DisableNetwork 1']);
    t.teardown(() => sys.stop());
    const a = await startTestAppliance({ config: { tor: { mode: 'attach', control: `127.0.0.1:${sys.controlPort}`, cookieFile: sys.cookieFile, socks: '127.0.0.1:9' } } });
    t.teardown(() => a.stop());
    const s = tor(a).status();
    t.equal(s.connected, true, s.summary);
    t.equal(s.mode, 'attach');
    t.same(s.onions.map((o) => o.name), ['smtp', 'imap', 'panel'], 'all three over ADD_ONION');
    t.same(tor(a).socks(), { host: '127.0.0.1', port: 9 }, 'tor.socks given in the config');
    const c = await TorControl.connect({ host: '127.0.0.1', port: sys.controlPort });
    t.teardown(() => c.close());
    await c.authenticate({ cookieFile: sys.cookieFile });
    const id = onionIdentity(a.config, 'smtp');
    await t.rejects(c.addOnion({ key: id.addOnionKey(), ports: [{ virtual: 25 }] }), /collision/i, 'the SMTP onion is published on the system tor');
    await a.stop();
    await t.resolves(c.addOnion({ key: id.addOnionKey(), ports: [{ virtual: 25 }] }), 'and gone when Postern stops');
});
//# sourceMappingURL=tor-launch.test.js.map