// Backup to an IMAP account on a real Dovecot (issue 16): box A's snapshots go as encrypted
// messages into a dedicated folder through imapflow over verified TLS; a second run sends only new
// message files; the provider holds nothing readable; box C is restored from the account with the
// recovery code and is A as a client sees it (message hashes, UIDVALIDITY, UIDs, flags, onion
// address, CA), fsck clean.
import t from 'tap';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startTestAppliance, tempDir } from './harness/appliance.js';
import { startDovecot } from './harness/dovecot.js';
import { cli, cliConfig, fillBox, keysAndPeers, recoveryCodeOf, viewOverImap, PASSWORDS } from './harness/backup-box.js';
import { onionIdentity } from '../services/tor/keys.js';

t.test('back up to an IMAP account on Dovecot and restore a new box from it', async (t) => {
  const work = tempDir('postern-backup-imap-');
  t.teardown(() => rmSync(work, { recursive: true, force: true }));
  const dovecot = await startDovecot({ tls: true });
  t.teardown(() => dovecot.stop());
  const url = `imaps://${dovecot.user}:${dovecot.password}@127.0.0.1:${dovecot.port}/Postern%20Backup?ca=${encodeURIComponent(join(dovecot.dir, 'cert.pem'))}&servername=localhost`;

  const a = await startTestAppliance({ listeners: ['imaps', 'submissions'], config: { delivery: { dnsServers: ['127.0.0.1:9'] } } });
  let aStopped = false;
  t.teardown(async () => { if (!aStopped) await a.stop(); });
  await fillBox(a, 0);
  const onionA = onionIdentity(a.config, 'smtp').address;
  const cfgA = cliConfig(a.dataDir, join(work, 'a.json'));

  // an unverifiable certificate is refused: the password never goes to an unknown server
  const unverified = await cli(cfgA, ['backup', 'target', 'add', 'bad', 'imap', `imaps://${dovecot.user}:${dovecot.password}@127.0.0.1:${dovecot.port}/X`]);
  t.equal(unverified.code, 1);
  t.match(unverified.stderr, /cannot sign in .*(self.signed|certificate)/i);

  const add = await cli(cfgA, ['backup', 'target', 'add', 'provider', 'imap', url]);
  t.equal(add.code, 0, add.stderr);
  t.notMatch(add.stdout, dovecot.password, 'the password is not printed');
  const code = recoveryCodeOf(add.stdout);
  const targets = await cli(cfgA, ['backup', 'target', 'list']);
  t.match(targets.stdout, /provider\timap\timaps:\/\/bench:\*\*\*@127\.0\.0\.1/);

  const run1 = await cli(cfgA, ['backup', 'run', 'provider']);
  t.equal(run1.code, 0, run1.stderr);
  await fillBox(a, 1);
  const run2 = await cli(cfgA, ['backup', 'run', 'provider']);
  t.equal(run2.code, 0, run2.stderr);
  const second = /snapshot 2: (\d+) message file\(s\) \((\d+) new\)/.exec(run2.stdout);
  t.ok(second && Number(second[2]) > 0 && Number(second[2]) < Number(second[1]), `only new message files travel: ${run2.stdout}`);
  const verify = await cli(cfgA, ['backup', 'verify', 'provider', '--decrypt'], code + '\n');
  t.equal(verify.code, 0, verify.stderr);
  t.match(verify.stdout, /snapshot 2 .* is intact/);

  // what the provider holds: messages in one folder, nothing of the mail readable
  const folder = readdirSync(join(dovecot.inbox)).find((n) => n.includes('Postern Backup'));
  t.ok(folder, 'a dedicated folder at the provider');
  const files = ['cur', 'new'].flatMap((d) => { try { return readdirSync(join(dovecot.inbox, folder!, d)).map((f) => join(dovecot.inbox, folder!, d, f)); } catch { return []; } });
  t.ok(files.length >= 5, `the snapshots are messages there (${files.length})`);
  const held = files.map((f) => readFileSync(f, 'latin1')).join('\n');
  t.notOk(held.includes('Letter 0 of round') || held.includes('bob@example.test') || held.includes(onionA.slice(0, 56)), 'the provider cannot read the mail, addresses or onion address');

  const views: Record<string, Awaited<ReturnType<typeof viewOverImap>>> = {};
  for (const user of Object.keys(PASSWORDS)) views[user] = await viewOverImap(a, user);
  const caA = a.appliance.tls.ca;
  const keysA = keysAndPeers(a);
  t.equal(Object.values(keysA.pgp).filter(Boolean).length, 3, 'every account of A has an OpenPGP key');
  t.equal(keysA.peers.length, 1, 'A has an SMTorP peer');
  await a.stop();
  aStopped = true;

  const cDir = join(work, 'c-data');
  const cfgC = cliConfig(cDir, join(work, 'c.json'));
  const restore = await cli(cfgC, ['restore', '--from-imap', url], code + '\n');
  t.equal(restore.code, 0, restore.stderr);
  t.match(restore.stdout, /restored snapshot 2 .*3 account\(s\)/);
  const fsck = await cli(cfgC, ['fsck']);
  t.equal(fsck.code, 0, fsck.stdout + fsck.stderr);
  t.match(fsck.stdout, /no errors/, 'fsck clean');
  const c = await startTestAppliance({ listeners: ['imaps'], dataDir: cDir });
  t.teardown(() => c.stop());
  t.equal(c.appliance.tls.ca, caA, "C has A's CA");
  for (const user of Object.keys(PASSWORDS)) t.same(await viewOverImap(c, user), views[user], `${user}: the same mailboxes, UIDs, flags and bytes on C`);
  t.equal(onionIdentity(c.config, 'smtp').address, onionA, "C's onion address is A's");
  t.same(keysAndPeers(c), keysA, "C has A's OpenPGP keys and A's peer");
});
