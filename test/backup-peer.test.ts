// The peer backup protocol between two real appliances, without Tor (a SOCKS stand-in routes B's
// onion name to B's backupOnion listener; the Tor run is test/backup-peer-tor.test.ts): B holds
// A's backup only after its household pinned A (from A's card), within the quota it set; a box
// that is not pinned, a restoring box with a wrong recovery code, a restoring box that tries to
// write, and an upload past the quota are each refused with a sentence. B cannot read what it
// holds; C restores from B with the recovery code alone.
import t from 'tap';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestAppliance, tempDir, type TestAppliance } from './harness/appliance.js';
import { startSocksServer } from './harness/socks-server.js';
import { cli, fillBox, recoveryCodeOf, viewOverImap, PASSWORDS } from './harness/backup-box.js';
import { addPeerCard, makeOwnCard } from '../services/smtorp/index.js';
import { onionIdentity } from '../services/tor/keys.js';
import { PeerTarget } from '../appliance/backup/peer-target.js';
import { retrievalKey } from '../appliance/backup/keys.js';
import { HoldBook } from '../appliance/backup/holds.js';

function peerConfig(app: TestAppliance, file: string, socksPort: number, dataDir = app.dataDir): string {
  // tor "attach" with its SOCKS port: how a box on a system tor is configured (no tor needed here)
  writeFileSync(file, JSON.stringify({ hostname: app.config.hostname, domains: app.config.domains, dataDir, listen: {}, tor: { mode: 'attach', control: '127.0.0.1:9', socks: `127.0.0.1:${socksPort}` } }));
  return file;
}

function filesUnder(dir: string): Buffer {
  const parts: Buffer[] = [];
  const walk = (d: string): void => { for (const n of readdirSync(d, { withFileTypes: true })) { const p = join(d, n.name); if (n.isDirectory()) walk(p); else if (n.isFile()) parts.push(readFileSync(p), Buffer.from(n.name)); } };
  walk(dir);
  return Buffer.concat(parts);
}

t.test('a peer box holds a backup it cannot read; only the pinned owner writes, the recovery code reads', async (t) => {
  const work = tempDir('postern-peer-backup-');
  t.teardown(() => rmSync(work, { recursive: true, force: true }));
  const a = await startTestAppliance({ listeners: ['imaps', 'submissions'], config: { delivery: { dnsServers: ['127.0.0.1:9'] } } });
  t.teardown(() => a.stop());
  const b = await startTestAppliance({ listeners: ['backupOnion'], config: { hostname: 'mail.peer-b.test', domains: ['peer-b.test'], delivery: { dnsServers: ['127.0.0.1:9'] } } });
  t.teardown(() => b.stop());
  const onionA = onionIdentity(a.config, 'smtp').address;
  const onionB = onionIdentity(b.config, 'smtp').address;
  const socks = await startSocksServer({ [`${onionB}:7425`]: { host: '127.0.0.1', port: b.port('backupOnion') } });
  t.teardown(() => socks.close());
  addPeerCard(a.store, a.config, makeOwnCard(b.config, b.appliance.tls));
  await fillBox(a, 0);
  const cfgA = peerConfig(a, join(work, 'a.json'), socks.port);
  const cfgB = peerConfig(b, join(work, 'b.json'), socks.port);

  // B has not agreed: A's target add is refused with B's sentence, and no key is made
  const early = await cli(cfgA, ['backup', 'target', 'add', 'peer-b', 'peer', onionB]);
  t.equal(early.code, 1, 'refused before B holds anything for A');
  t.match(early.stderr, /holds no backup for you/);
  t.notMatch(early.stdout, /recovery code/, 'no backup key made for a target that refused');

  // B's household pins A (from A's card) with a quota
  const notPeer = await cli(cfgB, ['backup', 'hold', 'add', onionA, '--quota', '10M']);
  t.equal(notPeer.code, 1, 'a box that is not a peer cannot be held for');
  t.match(notPeer.stderr, /not a peer of this box: add its peer card first/);
  addPeerCard(b.store, b.config, makeOwnCard(a.config, a.appliance.tls));
  const hold = await cli(cfgB, ['backup', 'hold', 'add', onionA, '--quota', '10M']);
  t.equal(hold.code, 0, hold.stderr);
  t.match(hold.stdout, /holding backups for .* up to 10\.0 MiB/);

  const add = await cli(cfgA, ['backup', 'target', 'add', 'peer-b', 'peer', onionB]);
  t.equal(add.code, 0, add.stderr);
  const code = recoveryCodeOf(add.stdout);
  const run = await cli(cfgA, ['backup', 'run', 'peer-b']);
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, /snapshot 1: \d+ message file\(s\)/);
  const verify = await cli(cfgA, ['backup', 'verify', 'peer-b', '--decrypt'], code + '\n');
  t.equal(verify.code, 0, verify.stderr);
  t.match(verify.stdout, /is intact: .* decrypted and checked/);
  const held = await cli(cfgB, ['backup', 'hold', 'list']);
  t.match(held.stdout, new RegExp(`^${onionA}\\t[\\d.]+ (KiB|MiB) of 10\\.0 MiB\\trestorable with its recovery code`, 'm'));

  // what B holds: no message text, no address, no subject, no key material of A's
  const views: Record<string, Awaited<ReturnType<typeof viewOverImap>>> = {};
  for (const user of Object.keys(PASSWORDS)) views[user] = await viewOverImap(a, user);
  const bAll = filesUnder(b.dataDir).toString('latin1');
  t.ok(bAll.length > 100_000, 'B holds the backup');
  for (const needle of ['Letter 0 of round 0', 'round 0 letter 1', 'Note number 1 for', 'bob@example.test', 'carol@example.test', 'AGE-SECRET-KEY', code, code.replace(/-/g, '')]) {
    t.notOk(bAll.includes(needle), `B holds no ${JSON.stringify(needle.slice(0, 24))}`);
  }
  const aKey = readFileSync(join(a.dataDir, 'tls', 'server-ecdsa.key'), 'utf8').split('\n')[1]!;
  t.notOk(bAll.includes(aKey), "B holds none of A's TLS key");
  t.notOk(bAll.includes(readFileSync(join(a.dataDir, 'tor', 'keys', 'smtp.key')).toString('latin1')), "B holds none of A's onion key");

  // a box B has not pinned (B itself, as a client) gets nothing
  const stranger = await PeerTarget.open(onionB, { socks, owner: { key: b.appliance.tls.keys[0]!.key, cert: b.appliance.tls.keys[0]!.cert, peerSpki: b.appliance.tls.serverSpki[0]! } }).then(() => 'opened', (e: Error) => e.message);
  t.match(stranger, /holds no backup for you/, 'an unpinned certificate is refused');
  // a wrong recovery code proves nothing
  const wrong = await PeerTarget.open(onionB, { socks, retrieval: retrievalKey('ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345-6789') }).then(() => 'opened', (e: Error) => e.message);
  t.match(wrong, /holds no backup for you/, 'a wrong recovery code is refused');
  // the right one reads, and only reads
  const reader = await PeerTarget.open(onionB, { socks, retrieval: retrievalKey(code) });
  t.ok((await reader.list('snapshots/')).length === 1, 'the recovery code lists the snapshots');
  const put = await reader.put('data/' + 'ab'.repeat(32), Buffer.from('x')).then(() => 'stored', (e: Error) => e.message);
  t.match(put, /may only read/, 'a restoring box cannot write');
  await reader.close();

  // past the quota: refused with the numbers, nothing stored
  new HoldBook(b.store).add(onionA, a.appliance.tls.serverSpki[0]!, 200_000);
  await fillBox(a, 1);
  const over = await cli(cfgA, ['backup', 'run', 'peer-b']);
  t.equal(over.code, 1, 'over the quota');
  t.match(over.stderr, /the quota this box gives yours \(195\.3 KiB\) would be exceeded/);
  new HoldBook(b.store).add(onionA, a.appliance.tls.serverSpki[0]!, 50 * 1024 * 1024);
  const again = await cli(cfgA, ['backup', 'run', 'peer-b']);
  t.equal(again.code, 0, again.stderr);
  for (const user of Object.keys(PASSWORDS)) views[user] = await viewOverImap(a, user);

  // C: a new box restores from B with the recovery code alone
  const cDir = join(work, 'c-data');
  const cfgC = peerConfig(a, join(work, 'c.json'), socks.port, cDir);
  const restore = await cli(cfgC, ['restore', '--from-peer', onionB], code + '\n');
  t.equal(restore.code, 0, restore.stderr);
  t.match(restore.stdout, /restored snapshot 2 .*: 3 account\(s\)/);
  const c = await startTestAppliance({ listeners: ['imaps'], dataDir: cDir, config: { delivery: { dnsServers: ['127.0.0.1:9'] } } });
  t.teardown(() => c.stop());
  for (const user of Object.keys(PASSWORDS)) t.same(await viewOverImap(c, user), views[user], `${user}: the same on C`);
  t.equal(onionIdentity(c.config, 'smtp').address, onionA, "C's onion address is A's");

  // a holder that plays tricks is caught: an older snapshot put under the newer name, a cut object
  const heldDir = new HoldBook(b.store).folder({ onion: onionA });
  const snap = (n: number) => join(heldDir, 'snapshots', `${String(n).padStart(10, '0')}.json`);
  const saved = readFileSync(snap(2));
  writeFileSync(snap(2), readFileSync(snap(1)));
  const replay = await cli(peerConfig(a, join(work, 'r1.json'), socks.port, join(work, 'r1')), ['restore', '--from-peer', onionB], code + '\n');
  t.equal(replay.code, 3, 'a replayed snapshot is refused');
  t.match(replay.stderr, /replay/);
  writeFileSync(snap(2), saved);
  const manifest = JSON.parse(JSON.parse(saved.toString('utf8')).manifest as string) as { body: string };
  const bodyFile = join(heldDir, 'data', manifest.body.slice(0, 2), manifest.body);
  const body = readFileSync(bodyFile);
  writeFileSync(bodyFile, body.subarray(0, 100));
  const cut = await cli(peerConfig(a, join(work, 'r2.json'), socks.port, join(work, 'r2')), ['restore', '--from-peer', onionB], code + '\n');
  t.equal(cut.code, 3, 'a truncated object is refused');
  t.match(cut.stderr, /truncated/);
  writeFileSync(bodyFile, body);
});
