// The release feed: a signed index over HTTP(S), through Tor's SOCKS port (names unresolved), or
// from a folder (file:///, a USB mirror); a changed index, a replayed older one and a download
// that does not match the index are refused; the maintenance window.
import t from 'tap';
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempDir } from './harness/appliance.js';
import { startSocksServer } from './harness/socks-server.js';
import { postern } from './harness/cli.js';
import { validateConfig } from '../appliance/config.js';
import { formatPublicKey, formatSecretKey, generateKey } from '../appliance/update/minisign.js';
import { readBundle, writeBundle } from '../appliance/update/bundle.js';
import { checkFeed, fetchIndex, fetchNewest } from '../appliance/update/feed.js';
import { boxArch } from '../appliance/update/releases.js';
import { inWindow } from '../appliance/commands/update.js';
import { makeIndex } from '../provisioning/feed-index.js';
const dir = tempDir('postern-update-feed-');
const root = join(dir, 'opt');
const site = join(dir, 'site');
mkdirSync(site);
const key = generateKey();
writeFileSync(join(dir, 'k.key'), formatSecretKey(key));
writeFileSync(join(dir, 'k.pub'), formatPublicKey(key));
// a box running 1.0.0
mkdirSync(join(root, 'releases', '1.0.0', 'bin'), { recursive: true });
writeFileSync(join(root, 'releases', '1.0.0', 'bin', 'postern.js'), '');
symlinkSync('releases/1.0.0', join(root, 'current'));
// release 1.1.0
const tree = join(dir, 'tree');
mkdirSync(join(tree, 'bin'), { recursive: true });
writeFileSync(join(tree, 'bin', 'postern.js'), 'console.log("1.1.0")\n');
const arch = boxArch();
const bundleFile = join(site, `postern-1.1.0-${arch}.tar.gz`);
await writeBundle({ root: tree, version: '1.1.0', arch, node: '', key, out: bundleFile });
await makeIndex({ key: join(dir, 'k.key'), out: site, bundles: [bundleFile], notes: 'faster search', published: '2026-12-01T00:00:00.000Z' });
const requests = [];
const http = createServer((req, res) => {
    requests.push(req.url ?? '');
    try {
        res.end(readFileSync(join(site, decodeURIComponent((req.url ?? '/').slice(1)))));
    }
    catch {
        res.statusCode = 404;
        res.end();
    }
});
await new Promise((r) => http.listen(0, '127.0.0.1', r));
const port = http.address().port;
const onion = 'a'.repeat(56) + '.onion';
const socks = await startSocksServer({ [onion]: { host: '127.0.0.1', port } });
t.teardown(async () => { http.close(); await socks.close(); rmSync(dir, { recursive: true, force: true }); });
const config = (update) => validateConfig({ dataDir: join(dir, 'data'), tor: { mode: 'off' }, update: { root, publicKey: join(dir, 'k.pub'), ...update } }, { baseDir: dir, torOnPath: false });
t.test('over HTTP: the newest release is offered, downloaded and its bundle verifies', async (t) => {
    const c = config({ feed: `http://127.0.0.1:${port}/index.json` });
    const r = await checkFeed(c);
    t.equal(r.current, '1.0.0');
    t.equal(r.newest?.version, '1.1.0');
    t.equal(r.newest?.notes, 'faster search');
    t.ok(r.newer);
    const file = await fetchNewest(c);
    t.ok(file);
    const m = await readBundle(file, { publicKey: { keyId: key.keyId, key: key.key } });
    t.equal(m.version, '1.1.0');
    const cli = await postern(['update', 'check'], { env: { POSTERN_CONFIG: writeCliConfig(`http://127.0.0.1:${port}/index.json`) } });
    t.equal(cli.code, 0, cli.stderr);
    t.match(cli.stdout, /postern 1\.1\.0 is available \(running 1\.0\.0\): faster search/);
});
function writeCliConfig(feed) {
    const f = join(dir, 'cli.json');
    writeFileSync(f, JSON.stringify({ dataDir: join(dir, 'data'), tor: { mode: 'off' }, update: { root, publicKey: join(dir, 'k.pub'), feed } }));
    return f;
}
t.test("through Tor's SOCKS port: the .onion name goes to the proxy unresolved", async (t) => {
    const before = requests.length;
    const r = await checkFeed(config({ feed: `http://${onion}/index.json`, socks: `127.0.0.1:${socks.port}` }));
    t.equal(r.newest?.version, '1.1.0');
    t.ok(socks.requests.some((q) => q.startsWith(onion)), `the proxy was asked for ${onion}: ${socks.requests.join(', ')}`);
    t.ok(requests.length > before, 'the index came through the proxy');
    await t.rejects(checkFeed(config({ feed: `http://${onion}/index.json` })), { message: /a \.onion feed needs Tor: set update\.socks/ });
});
t.test('from a folder (a USB mirror)', async (t) => {
    const c = config({ feed: pathToFileURL(join(site, 'index.json')).href });
    const file = await fetchNewest(c);
    t.match(file, /postern-1\.1\.0-/);
});
t.test('a changed index, an older index and a download that does not match are refused', async (t) => {
    const c = config({ feed: `http://127.0.0.1:${port}/index.json` });
    const good = readFileSync(join(site, 'index.json'), 'utf8');
    writeFileSync(join(site, 'index.json'), good.replace('faster search', 'evil notes'));
    await t.rejects(fetchIndex(c), { message: /the feed's index is not signed by the trusted key: the signature does not match the data/ });
    writeFileSync(join(site, 'index.json'), good);
    await makeIndex({ key: join(dir, 'k.key'), out: site, bundles: [bundleFile], published: '2026-11-01T00:00:00.000Z' });
    await t.rejects(fetchIndex(c), { message: /the feed's index \(published 2026-11-01T00:00:00\.000Z\) is older than one already seen \(2026-12-01T00:00:00\.000Z\): refused/ });
    await makeIndex({ key: join(dir, 'k.key'), out: site, bundles: [bundleFile], published: '2026-12-02T00:00:00.000Z' });
    writeFileSync(bundleFile, Buffer.concat([readFileSync(bundleFile), Buffer.from('x')]));
    await t.rejects(fetchNewest(c), { message: /the download is larger than the index says|does not match the feed's index/ });
    const other = generateKey();
    writeFileSync(join(dir, 'other.pub'), formatPublicKey(other));
    await t.rejects(checkFeed(config({ feed: `http://127.0.0.1:${port}/index.json`, publicKey: join(dir, 'other.pub') })), { message: /not signed by the trusted key: the signature was made with key/ });
});
t.test('the maintenance window', async (t) => {
    const at = (h, m) => { const d = new Date(2026, 11, 4, h, m); return d; };
    t.ok(inWindow('03:00-05:00', at(3, 0)));
    t.ok(inWindow('03:00-05:00', at(4, 59)));
    t.notOk(inWindow('03:00-05:00', at(5, 0)));
    t.notOk(inWindow('03:00-05:00', at(2, 59)));
    t.ok(inWindow('23:30-01:00', at(0, 15)), 'a window across midnight');
    t.notOk(inWindow('23:30-01:00', at(12, 0)));
});
//# sourceMappingURL=update-feed.test.js.map