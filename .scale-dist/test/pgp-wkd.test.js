// WKD with GnuPG's own client: `gpg --locate-keys` (dirmngr) finds a local account's key.
// - direct method, through the running panel (its WKD route and the box's own certificate);
// - advanced method (https://openpgpkey.DOMAIN/...), from a small https server in this test that
//   answers with wkdKey(), because the box's certificate does not name openpgpkey.DOMAIN.
// gpg needs names and port 443: it runs in a private mount namespace (unshare -m) where
// /etc/hosts maps the test names to a random 127/8 address and the system CA bundle is the test's
// CAs; a TCP relay on that address's port 443 leads to the panel. Nothing on the host changes.
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer, connect } from 'node:net';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import { startTestAppliance } from './harness/appliance.js';
import { Gpg } from './harness/gpg.js';
import { onAccountCreated, keyStatus } from '../services/pgp/account-keys.js';
import { wkdKey, wkdHash } from '../services/pgp/wkd.js';
const PASSWORD = 'correct horse battery';
let app;
let dir;
const servers = [];
function run(cmd, args, input) {
    return new Promise((resolve) => {
        const p = execFile(cmd, args, { timeout: 60_000 }, (err, stdout, stderr) => resolve({ code: err ? 1 : 0, out: stdout + stderr }));
        p.stdin.on('error', () => undefined);
        p.stdin.end(input ?? '');
    });
}
function listen(server, host, port) {
    return new Promise((resolve, reject) => { server.once('error', reject); server.listen(port, host, () => resolve()); });
}
/** A CA and a server certificate for `names`, made with openssl. */
async function testCertificate(names) {
    const f = (n) => join(dir, n);
    const steps = [
        ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.crt'), '-days', '2', '-subj', '/CN=Postern WKD test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign'],
        ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('srv.key'), '-out', f('srv.csr'), '-subj', `/CN=${names[0]}`],
        ['x509', '-req', '-in', f('srv.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('srv.crt'), '-days', '2', '-extfile', f('ext')],
    ];
    writeFileSync(f('ext'), `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}\nextendedKeyUsage=serverAuth\n`);
    for (const s of steps) {
        const r = await run('openssl', s);
        if (r.code !== 0)
            throw new Error(`openssl ${s[0]} failed: ${r.out}`);
    }
    return { ca: readFileSync(f('ca.crt'), 'utf8'), key: readFileSync(f('srv.key'), 'utf8'), cert: readFileSync(f('srv.crt'), 'utf8') };
}
/** `gpg --locate-keys` in a mount namespace with our /etc/hosts and CA bundle. */
async function locate(gpg, address, hosts, caBundle) {
    writeFileSync(join(dir, 'hosts'), hosts);
    writeFileSync(join(dir, 'ca-bundle.crt'), caBundle);
    writeFileSync(join(gpg.home, 'dirmngr.conf'), 'standard-resolver\n');
    const script = 'mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/ssl/certs/ca-certificates.crt && exec gpg --homedir "$3" --batch --no-tty --auto-key-locate clear,wkd,nodefault --locate-keys "$4"';
    return run('unshare', ['-m', 'sh', '-c', script, 'sh', join(dir, 'hosts'), join(dir, 'ca-bundle.crt'), gpg.home, address]);
}
/** A random loopback address with a free port 443 (tries a few). */
async function bind443(server) {
    for (let i = 0;; i++) {
        const ip = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
        try {
            await listen(server, ip, 443);
            servers.push(server);
            return ip;
        }
        catch (e) {
            if (i >= 5)
                throw e;
        }
    }
}
t.before(async () => {
    dir = mkdtempSync('/tmp/postern-wkd-');
    app = await startTestAppliance({ listeners: ['panel'] });
});
t.teardown(async () => {
    for (const s of servers)
        await new Promise((r) => s.close(r));
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
});
t.test('direct method through the panel: gpg --locate-keys finds the account key', async (t) => {
    const alice = await app.store.accounts.create('alice@example.test', PASSWORD);
    await onAccountCreated(app.store, alice, PASSWORD);
    const fpr = keyStatus(app.store, alice.id).fingerprint;
    // The panel answers the direct URL itself (Host: example.test).
    const relay = createTcpServer((c) => {
        const up = connect(app.port('panel'), '127.0.0.1');
        c.pipe(up).pipe(c);
        c.on('error', () => up.destroy());
        up.on('error', () => c.destroy());
    });
    const ip = await bind443(relay);
    const gpg = new Gpg();
    t.teardown(() => gpg.close());
    // Only example.test resolves: no openpgpkey.example.test, so gpg uses the direct method.
    const r = await locate(gpg, 'alice@example.test', `${ip} example.test\n`, readFileSync(join(app.dataDir, 'tls', 'ca.crt'), 'utf8'));
    t.equal(r.code, 0, r.out);
    t.match(r.out, /public key "<?alice@example\.test>?" imported/);
    t.same(await gpg.fingerprints(), [fpr], 'the key gpg found is the account key');
    // Unknown local parts are not found.
    const miss = await locate(gpg, 'nobody@example.test', `${ip} example.test\n`, readFileSync(join(app.dataDir, 'tls', 'ca.crt'), 'utf8'));
    t.match(miss.out, /error retrieving 'nobody@example\.test' via WKD: No data/);
    t.same(await gpg.fingerprints(), [fpr], 'nothing else imported');
});
t.test('advanced method (openpgpkey.DOMAIN) answered with wkdKey', async (t) => {
    const bob = await app.store.accounts.create('bob@example.test', PASSWORD);
    await onAccountCreated(app.store, bob, PASSWORD);
    const fpr = keyStatus(app.store, bob.id).fingerprint;
    const tls = await testCertificate(['openpgpkey.example.test']);
    const seen = [];
    const server = createHttpsServer({ key: tls.key, cert: tls.cert }, (req, res) => {
        const url = new URL(req.url ?? '/', 'https://openpgpkey.example.test');
        seen.push(url.pathname + url.search);
        const m = /^\/\.well-known\/openpgpkey\/([^/]+)\/hu\/([^/]+)$/.exec(url.pathname);
        const key = m ? wkdKey(app.store, decodeURIComponent(m[1]), m[2]) : undefined;
        if (key) {
            res.writeHead(200, { 'content-type': 'application/octet-stream' });
            res.end(key);
            return;
        }
        res.writeHead(url.pathname.endsWith('/policy') ? 200 : 404);
        res.end();
    });
    const ip = await bind443(server);
    const gpg = new Gpg();
    t.teardown(() => gpg.close());
    const r = await locate(gpg, 'bob@example.test', `${ip} openpgpkey.example.test\n`, tls.ca);
    t.equal(r.code, 0, r.out);
    t.same(await gpg.fingerprints(), [fpr]);
    t.ok(seen.includes(`/.well-known/openpgpkey/example.test/hu/${wkdHash('bob')}?l=bob`), `advanced URL requested: ${seen.join(' ')}`);
});
//# sourceMappingURL=pgp-wkd.test.js.map