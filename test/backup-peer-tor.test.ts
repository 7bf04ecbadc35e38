// Issue 16's end-to-end run over Tor: box A (a real appliance: mail in three accounts and several
// mailboxes put there by real clients, PGP keys, an SMTorP peer) backs up to box B, its peer, over
// a private Tor network on loopback (each box launches its own tor; B holds the backup behind port
// 7425 of its SMTP onion, with A's TLS key pinned and a quota). B cannot read what it holds: its
// whole data folder is searched for A's message text, subjects, addresses, keys and recovery
// code. Then A is gone, and a new box C, with nothing but B's onion address and the recovery code,
// restores from B over Tor: every message byte-identical over IMAP, UIDVALIDITY/UIDs/flags equal,
// the same onion address, DKIM keys, PGP keys and peer; fsck clean.
// (The folder and IMAP-on-Dovecot runs of the same comparison are backup-folder and backup-imap.)
import t from 'tap';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestAppliance, tempDir, type TestAppliance } from './harness/appliance.js';
import { startTorNetwork, type TorNetwork } from './harness/tor-net.js';
import { waitFor } from './harness/smtorp-pair.js';
import { cli, fillBox, keysAndPeers, recoveryCodeOf, viewOverImap, PASSWORDS } from './harness/backup-box.js';
import { addPeerCard, makeOwnCard, PeerBook } from '../services/smtorp/index.js';
import { onionIdentity, onionKeyFile } from '../services/tor/keys.js';
import type { TorService } from '../services/tor/index.js';
import { dkimKeys } from '../services/smtp/dkim.js';
import { createAccountKey, keyStatus, unlockSecretKey } from '../services/pgp/account-keys.js';

function cliConfigFor(app: { config: TestAppliance['config'] }, dataDir: string, file: string, tor: Record<string, unknown>): string {
  writeFileSync(file, JSON.stringify({ hostname: app.config.hostname, domains: app.config.domains, dataDir, listen: {}, tor }));
  return file;
}

function everything(dir: string): string {
  const parts: Buffer[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, n.name);
      if (n.isDirectory()) walk(p); else if (n.isFile()) parts.push(readFileSync(p), Buffer.from(n.name + '\n'));
    }
  };
  walk(dir);
  return Buffer.concat(parts).toString('latin1');
}

let net: TorNetwork;
t.before(async () => {
  net = await startTorNetwork({ timeoutMs: 180_000 });
  t.comment(`private Tor network ready in ${net.readySeconds.toFixed(1)} s`);
});
t.teardown(async () => { await net?.stop(); });

t.test('A backs up to its peer B over Tor; B cannot read it; C restores from B and is A', async (t) => {
  const work = tempDir('postern-backup-tor-');
  t.teardown(() => rmSync(work, { recursive: true, force: true }));
  const tor = { mode: 'launch', torrcInclude: net.joinTorrc };
  const a = await startTestAppliance({ listeners: ['imaps', 'submissions', 'mxOnion'], config: { tor, delivery: { dnsServers: ['127.0.0.1:9'] } } });
  let aStopped = false;
  t.teardown(async () => { if (!aStopped) await a.stop(); });
  const b = await startTestAppliance({ listeners: ['mxOnion', 'backupOnion'], config: { hostname: 'mail.peer-b.test', domains: ['peer-b.test'], tor, delivery: { dnsServers: ['127.0.0.1:9'] } } });
  t.teardown(() => b.stop());
  const torOf = (x: TestAppliance) => x.appliance.service<TorService>('tor')!;

  // A: mail in three accounts and several mailboxes, a PGP key per account, B as SMTorP peer
  await fillBox(a, 0);
  for (const user of Object.keys(PASSWORDS)) {
    const acct = a.store.accounts.list().find((x) => x.address === user)!;
    if (!keyStatus(a.store, acct.id)) await createAccountKey(a.store, acct.id, PASSWORDS[user]!);
  }
  const pgpA = Object.fromEntries(Object.keys(PASSWORDS).map((u) => [u, keyStatus(a.store, a.store.accounts.list().find((x) => x.address === u)!.id)!.fingerprint]));
  addPeerCard(a.store, a.config, makeOwnCard(b.config, b.appliance.tls));
  addPeerCard(b.store, b.config, makeOwnCard(a.config, a.appliance.tls));
  const onionA = onionIdentity(a.config, 'smtp').address;
  const onionB = onionIdentity(b.config, 'smtp').address;
  t.equal(torOf(b).status().onions.find((o) => o.name === 'smtp')!.ports.join(','), '25,7425', "B's SMTP onion has the backup port");
  for (const x of [a, b]) await waitFor('tor to bootstrap', () => torOf(x).status().bootstrap === 100 && torOf(x).socks() ? true : undefined, 180_000);
  await waitFor("B's onion descriptor to be published", () => torOf(b).status().onions.find((o) => o.name === 'smtp')!.published || undefined, 180_000);

  const cfgA = cliConfigFor(a, a.dataDir, join(work, 'a.json'), tor);
  const cfgB = cliConfigFor(b, b.dataDir, join(work, 'b.json'), tor);
  const hold = await cli(cfgB, ['backup', 'hold', 'add', onionA, '--quota', '1G']);
  t.equal(hold.code, 0, hold.stderr);

  // A's tor may need a few tries before B's descriptor reaches it
  const add = await waitFor('A to reach B\'s backup port over Tor', async () => {
    const r = await cli(cfgA, ['backup', 'target', 'add', 'peer-b', 'peer', onionB]);
    if (r.code !== 0 && /cannot reach the peer box/.test(r.stderr)) return undefined;
    return r;
  }, 240_000, 3000);
  t.equal(add.code, 0, add.stderr);
  t.match(add.stdout, /added backup target peer-b: peer /);
  const code = recoveryCodeOf(add.stdout);
  const run1 = await cli(cfgA, ['backup', 'run', 'peer-b']);
  t.equal(run1.code, 0, run1.stderr);
  const first = /snapshot 1: (\d+) message file\(s\) \((\d+) new\)/.exec(run1.stdout);
  t.ok(first && first[1] === first[2], `the first run over Tor sends every message file (${run1.stdout.trim().split('\n').at(-1)})`);
  await fillBox(a, 1);
  const run2 = await cli(cfgA, ['backup', 'run', 'peer-b']);
  t.equal(run2.code, 0, run2.stderr);
  const second = /snapshot 2: (\d+) message file\(s\) \((\d+) new\)/.exec(run2.stdout);
  t.ok(second && Number(second[2]) > 0 && Number(second[2]) < Number(second[1]), `the second run sends only the new message files (${second?.[2]} of ${second?.[1]})`);
  const verify = await cli(cfgA, ['backup', 'verify', 'peer-b', '--decrypt'], code + '\n');
  t.equal(verify.code, 0, verify.stderr);
  t.match(verify.stdout, /snapshot 2 .* is intact: .* decrypted and checked/);

  // B cannot read what it holds: its whole data folder (store, WAL, held objects, its own keys)
  const views: Record<string, Awaited<ReturnType<typeof viewOverImap>>> = {};
  for (const user of Object.keys(PASSWORDS)) views[user] = await viewOverImap(a, user);
  const bAll = everything(b.dataDir);
  t.ok(bAll.length > 200_000, `B holds A's backup (${bAll.length} bytes in its data folder)`);
  const needles: Record<string, string> = {
    'a message body': 'Letter 0 of round 0',
    'an appended message': 'Note number 11 for',
    'a subject': 'round 1 letter 2',
    'an account address': 'carol@example.test',
    'a mailbox name': 'Projects/Kumquat',
    'the age identity': 'AGE-SECRET-KEY',
    'the recovery code': code,
    'the recovery code (bare)': code.replace(/-/g, ''),
    "A's TLS private key": readFileSync(join(a.dataDir, 'tls', 'server-ecdsa.key'), 'utf8').split('\n')[1]!,
    "A's IMAP onion key": readFileSync(onionKeyFile(a.config, 'imap')).toString('latin1'),
    "A's SMTP onion key": readFileSync(onionKeyFile(a.config, 'smtp')).toString('latin1'),
    "bob's PGP fingerprint": pgpA['bob@example.test']!,
    "a message's SHA-256": Object.values(views['bob@example.test']!).find((v) => v.messages.length)!.messages[0]!.sha256,
  };
  for (const [what, needle] of Object.entries(needles)) t.notOk(bAll.includes(needle), `B's data folder holds no ${what}`);

  const caA = a.appliance.tls.ca;
  const keysA = keysAndPeers(a);
  const dkimA = dkimKeys(a.store, 'example.test');
  await a.stop();
  aStopped = true;

  // C: a new box; B's onion address and the recovery code are all it has
  const cDir = join(work, 'c-data');
  const cfgC = cliConfigFor(a, cDir, join(work, 'c.json'), { mode: 'off' });
  const restore = await cli(cfgC, ['restore', '--from-peer', onionB, '--socks', `127.0.0.1:${net.client.socksPort}`], code + '\n');
  t.equal(restore.code, 0, restore.stderr);
  t.match(restore.stdout, /restored snapshot 2 .*: 3 account\(s\)/);
  const fsck = await cli(cfgC, ['fsck']);
  t.equal(fsck.code, 0, fsck.stdout + fsck.stderr);
  t.match(fsck.stdout, /no errors/);

  const c = await startTestAppliance({ listeners: ['imaps'], dataDir: cDir, config: { delivery: { dnsServers: ['127.0.0.1:9'] } } });
  t.teardown(() => c.stop());
  t.equal(c.appliance.tls.ca, caA, "C has A's local CA");
  for (const user of Object.keys(PASSWORDS)) {
    t.same(await viewOverImap(c, user), views[user], `${user}: every mailbox, UIDVALIDITY, UID, flag and message hash is the same on C`);
    const id = c.store.accounts.list().find((x) => x.address === user)!.id;
    t.equal(keyStatus(c.store, id)!.fingerprint, pgpA[user], `${user}: the same PGP key on C`);
    t.ok(await unlockSecretKey(c.store, id, PASSWORDS[user]!), `${user}: the password still opens it`);
  }
  t.equal(onionIdentity(c.config, 'smtp').address, onionA, "C's onion address is A's");
  t.same(dkimKeys(c.store, 'example.test'), dkimA, "C's DKIM keys are A's");
  t.equal(new PeerBook(c.store).list().find((p) => p.domain === 'peer-b.test')?.onion, onionB, "C knows B as its peer, as A did");
  t.same(keysAndPeers(c), keysA, "C has A's OpenPGP keys and A's whole peer book");
});
