// The release feed over HTTPS, against a real TLS server on loopback with its own CA: the index and
// the bundle come through when update.ca names that CA (the project's TLS policy, certificates
// always verified); without it the certificate is refused with a sentence saying what to set; a
// server that offers only TLS 1.0/1.1 is refused too. Also through Tor's SOCKS port: TLS inside
// the proxied connection (the name goes to the proxy unresolved).
import t from 'tap';
import { createServer } from 'node:https';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './harness/appliance.js';
import { startSocksServer } from './harness/socks-server.js';
import { postern } from './harness/cli.js';
import { validateConfig } from '../appliance/config.js';
import { ensureTls } from '../appliance/tls/authority.js';
import { serverTlsOptions } from '../appliance/tls/policy.js';
import { formatPublicKey, formatSecretKey, generateKey } from '../appliance/update/minisign.js';
import { readBundle, writeBundle } from '../appliance/update/bundle.js';
import { checkFeed, fetchNewest } from '../appliance/update/feed.js';
import { boxArch } from '../appliance/update/releases.js';
import { makeIndex } from '../provisioning/feed-index.js';

const dir = tempDir('postern-update-feed-https-');
const root = join(dir, 'opt');
const site = join(dir, 'site');
mkdirSync(site);
const key = generateKey();
writeFileSync(join(dir, 'k.key'), formatSecretKey(key));
writeFileSync(join(dir, 'k.pub'), formatPublicKey(key));
mkdirSync(join(root, 'releases', '1.0.0', 'bin'), { recursive: true });
writeFileSync(join(root, 'releases', '1.0.0', 'bin', 'postern.js'), '');
symlinkSync('releases/1.0.0', join(root, 'current'));
const tree = join(dir, 'tree');
mkdirSync(join(tree, 'bin'), { recursive: true });
writeFileSync(join(tree, 'bin', 'postern.js'), 'console.log("1.1.0")\n');
const arch = boxArch()!;
const bundleFile = join(site, `postern-1.1.0-${arch}.tar.gz`);
await writeBundle({ root: tree, version: '1.1.0', arch, node: '', key, out: bundleFile });
await makeIndex({ key: join(dir, 'k.key'), out: site, bundles: [bundleFile], notes: 'over https', published: '2026-12-01T00:00:00.000Z' });

// the mirror's own CA and certificate (for 127.0.0.1 and feed.example.test)
const tls = await ensureTls(join(dir, 'tls'), 'feed.example.test', []);
const caFile = join(dir, 'tls', 'ca.crt');
const requests: string[] = [];
const serve = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
  requests.push(req.url ?? '');
  try { res.end(readFileSync(join(site, decodeURIComponent((req.url ?? '/').slice(1))))); } catch { res.statusCode = 404; res.end(); }
};
const https = createServer(serverTlsOptions(tls), serve);
await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
const port = (https.address() as { port: number }).port;
// an old server: TLS 1.0/1.1 only (Node's client refuses below 1.2 with the project's policy)
const old = createServer({ key: tls.keys[0]!.key, cert: `${tls.keys[0]!.cert}\n${tls.ca}`, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0' }, serve);
await new Promise<void>((r) => old.listen(0, '127.0.0.1', r));
const oldPort = (old.address() as { port: number }).port;
const socks = await startSocksServer({ 'feed.example.test': { host: '127.0.0.1', port } });
t.teardown(async () => { https.close(); old.close(); await socks.close(); rmSync(dir, { recursive: true, force: true }); });

const config = (update: Record<string, unknown>) => validateConfig({ dataDir: join(dir, 'data'), tor: { mode: 'off' }, update: { root, publicKey: join(dir, 'k.pub'), ...update } }, { baseDir: dir, torOnPath: false });

t.test('with the mirror CA in update.ca: the index and the bundle come over verified TLS', async (t) => {
  const c = config({ feed: `https://127.0.0.1:${port}/index.json`, ca: caFile });
  const r = await checkFeed(c);
  t.equal(r.newest?.version, '1.1.0');
  t.equal(r.newest?.notes, 'over https');
  t.ok(r.newer);
  const file = await fetchNewest(c);
  t.ok(file, 'downloaded');
  const m = await readBundle(file!, { publicKey: { keyId: key.keyId, key: key.key } });
  t.equal(m.version, '1.1.0', 'and the bundle verifies');
  t.ok(requests.includes(`/postern-1.1.0-${arch}.tar.gz`), 'the bundle came from the HTTPS server');
  const cfg = join(dir, 'cli.json');
  writeFileSync(cfg, JSON.stringify({ dataDir: join(dir, 'data'), tor: { mode: 'off' }, update: { root, publicKey: join(dir, 'k.pub'), feed: `https://127.0.0.1:${port}/index.json`, ca: caFile } }));
  const cli = await postern(['update', 'check'], { env: { POSTERN_CONFIG: cfg } });
  t.equal(cli.code, 0, cli.stderr);
  t.match(cli.stdout, /postern 1\.1\.0 is available \(running 1\.0\.0\): over https/);
});

t.test('without the CA the certificate is refused, with a sentence', async (t) => {
  const before = requests.length;
  await t.rejects(checkFeed(config({ feed: `https://127.0.0.1:${port}/index.json` })),
    { message: /cannot fetch https:\/\/127\.0\.0\.1:\d+\/index\.json: its TLS certificate is not trusted \(.*\); a feed with its own CA needs update\.ca/ });
  t.equal(requests.length, before, 'no request was sent over the unverified connection');
  const other = await ensureTls(join(dir, 'other-tls'), 'other.example.test', []);
  t.ok(other.ca, 'another CA');
  await t.rejects(checkFeed(config({ feed: `https://127.0.0.1:${port}/index.json`, ca: join(dir, 'other-tls', 'ca.crt') })),
    { message: /its TLS certificate is not trusted/ }, 'a different CA in update.ca does not vouch for it');
  await t.rejects(checkFeed(config({ feed: `https://127.0.0.1:${port}/index.json`, ca: join(dir, 'missing.crt') })),
    { message: /cannot read the feed's CA certificate .*missing\.crt: ENOENT/ });
});

t.test('a server that speaks only TLS 1.0/1.1 is refused', async (t) => {
  await t.rejects(checkFeed(config({ feed: `https://127.0.0.1:${oldPort}/index.json`, ca: caFile })), { message: /cannot fetch https:\/\/127\.0\.0\.1:\d+\/index\.json: .*(protocol|version|alert)/i });
});

t.test("through a SOCKS proxy (Tor's): TLS inside the proxied connection, the name unresolved", async (t) => {
  const c = config({ feed: 'https://feed.example.test/index.json', socks: `127.0.0.1:${socks.port}`, ca: caFile });
  const r = await checkFeed(c);
  t.equal(r.newest?.version, '1.1.0');
  t.ok(socks.requests.some((q) => q.startsWith('feed.example.test')), `the proxy was asked for the name: ${socks.requests.join(', ')}`);
});
