// Backup to a folder and restore onto a new box (issue 16): box A gets mail in several accounts
// and mailboxes through real clients, backs up twice (the second run sends only the new message
// files), and box C is restored from the folder with the recovery code alone. C must be A as a
// client sees it: every message byte-identical (SHA-256 over IMAP), the same UIDVALIDITY, UIDs and
// flags, the same passwords, onion address, DKIM keys and CA; fsck clean. Then the folder is
// attacked: an altered object, a truncated one, a truncated manifest, an older snapshot put in
// place of the newest (replay), a wrong recovery code and a non-empty data folder are each refused
// with a sentence that says so.
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestAppliance, tempDir } from './harness/appliance.js';
import { cli, cliConfig, fillBox, keysAndPeers, recoveryCodeOf, viewOverImap, PASSWORDS } from './harness/backup-box.js';
import { onionIdentity } from '../services/tor/keys.js';
import { dkimKeys } from '../services/smtp/dkim.js';

const LISTENERS = ['imaps', 'submissions'] as const;

t.test('back up box A to a folder, restore box C from it, and refuse altered backups', async (t) => {
  const work = tempDir('postern-backup-');
  t.teardown(() => rmSync(work, { recursive: true, force: true }));
  const usb = join(work, 'usb');
  const a = await startTestAppliance({ listeners: [...LISTENERS], config: { delivery: { dnsServers: ['127.0.0.1:9'] } } });
  let aStopped = false;
  t.teardown(async () => { if (!aStopped) await a.stop(); });
  await fillBox(a, 0);
  const onionA = onionIdentity(a.config, 'smtp').address;
  const dkimA = dkimKeys(a.store, 'example.test');
  t.ok(dkimA.length >= 2, 'A signed its submissions with DKIM keys of its own');

  const cfgA = cliConfig(a.dataDir, join(work, 'a.json'));
  const add = await cli(cfgA, ['backup', 'target', 'add', 'usb', 'folder', usb]);
  t.equal(add.code, 0, add.stderr);
  const code = recoveryCodeOf(add.stdout);
  t.notOk(JSON.stringify(readdirSync(a.dataDir)).includes(code), 'the recovery code is not kept on the box');

  // a LUKS box keeps its CA's key on the encrypted volume (<data>/tls-ca, appliance/tls/ca-custody.ts),
  // outside the store: it must travel too (this plain-mode box keeps its own in memory, so a key
  // file is put where a LUKS box has it)
  mkdirSync(join(a.dataDir, 'tls-ca'), { mode: 0o700 });
  const caKeyFile = `-----BEGIN PRIVATE KEY-----\n${randomBytes(90).toString('base64')}\n-----END PRIVATE KEY-----\n`;
  writeFileSync(join(a.dataDir, 'tls-ca', 'ca.key'), caKeyFile, { mode: 0o600 });
  const run1 = await cli(cfgA, ['backup', 'run', 'usb']);
  t.equal(run1.code, 0, run1.stderr);
  const first = /snapshot 1: (\d+) message file\(s\) \((\d+) new\)/.exec(run1.stdout);
  t.ok(first, run1.stdout);
  t.equal(first![1], first![2], 'the first run sends every message file');

  await fillBox(a, 1);
  const run2 = await cli(cfgA, ['backup', 'run', 'usb']);
  t.equal(run2.code, 0, run2.stderr);
  const second = /snapshot 2: (\d+) message file\(s\) \((\d+) new\)/.exec(run2.stdout);
  t.ok(second, run2.stdout);
  t.ok(Number(second![2]) > 0 && Number(second![2]) < Number(second![1]), `the second run sends only the new message files (${second![2]} of ${second![1]})`);

  const list = await cli(cfgA, ['backup', 'list', 'usb']);
  t.equal(list.code, 0, list.stderr);
  t.match(list.stdout, /^1\t.*\n2\t/m, 'two snapshots listed');
  const verify = await cli(cfgA, ['backup', 'verify', 'usb', '--decrypt'], code + '\n');
  t.equal(verify.code, 0, verify.stderr);
  t.match(verify.stdout, /snapshot 2 .* is intact: .* message file\(s\) and the database decrypted and checked/);

  // the folder holds nothing readable: no message text, no addresses, no content hashes as names
  const views: Record<string, Awaited<ReturnType<typeof viewOverImap>>> = {};
  for (const user of Object.keys(PASSWORDS)) views[user] = await viewOverImap(a, user);
  const everything: Buffer[] = [];
  const walk = (d: string): void => { for (const n of readdirSync(d, { withFileTypes: true })) n.isDirectory() ? walk(join(d, n.name)) : everything.push(readFileSync(join(d, n.name)), Buffer.from(n.name)); };
  walk(usb);
  const all = Buffer.concat(everything).toString('latin1');
  t.notOk(all.includes('Letter 0 of round'), 'no message text on the target');
  t.notOk(all.includes('bob@example.test'), 'no address on the target');
  const someHash = Object.values(views['bob@example.test']!)[0]!.messages[0]?.sha256 ?? Object.values(views['bob@example.test']!).find((v) => v.messages.length)!.messages[0]!.sha256;
  t.notOk(all.includes(someHash), "no message file's SHA-256 on the target");
  t.notOk(all.includes(onionA.slice(0, 56)), 'no onion address on the target');

  const caA = a.appliance.tls.ca;
  const keysA = keysAndPeers(a);
  t.equal(Object.values(keysA.pgp).filter(Boolean).length, 3, 'every account of A has an OpenPGP key');
  t.equal(keysA.peers.length, 1, 'A has an SMTorP peer');
  const msgCount = Object.values(views).flatMap((v) => Object.values(v)).reduce((n, b) => n + b.messages.length, 0);
  await a.stop();
  aStopped = true;

  // C: a new box, an empty data folder, the recovery code on standard input
  const cDir = join(work, 'c-data');
  const cfgC = cliConfig(cDir, join(work, 'c.json'));
  const restore = await cli(cfgC, ['restore', '--from-folder', usb], code + '\n');
  t.equal(restore.code, 0, restore.stderr);
  t.match(restore.stdout, new RegExp(`restored snapshot 2 .*: 3 account\\(s\\), ${msgCount} message\\(s\\)`));
  const fsck = await cli(cfgC, ['fsck']);
  t.equal(fsck.code, 0, fsck.stdout + fsck.stderr);
  t.match(fsck.stdout, /no errors/);

  const c = await startTestAppliance({ listeners: [...LISTENERS], dataDir: cDir, config: { delivery: { dnsServers: ['127.0.0.1:9'] } } });
  t.teardown(() => c.stop());
  t.equal(c.appliance.tls.ca, caA, "C has A's local CA (and the IMAP clients below trust C through it)");
  for (const user of Object.keys(PASSWORDS)) {
    // the same password signs in; every mailbox, UID, flag and byte is the same
    t.same(await viewOverImap(c, user), views[user], `${user}: every mailbox, UIDVALIDITY, UID, flag and message hash is the same on C`);
  }
  t.equal(onionIdentity(c.config, 'smtp').address, onionA, "C's onion address is A's");
  t.same(dkimKeys(c.store, 'example.test'), dkimA, "C's DKIM keys are A's");
  t.same(keysAndPeers(c), keysA, "C has A's OpenPGP keys and A's peer");
  t.equal(readFileSync(join(cDir, 'tls-ca', 'ca.key'), 'utf8'), caKeyFile, "the CA's key from A's data volume is on C's");
  t.notOk(all.includes(caKeyFile.split('\n')[1]!), "the CA's key is not readable on the target");
  t.equal(c.setupCode(), undefined, 'C does not ask for first-run setup again');

  // --- attacks on the folder: each refused with a clear sentence, exit code 3 ---
  const snap = (n: number) => join(usb, 'snapshots', `${String(n).padStart(10, '0')}.json`);
  // objects of the newest snapshot (snapshot 1's own objects would not matter to a restore)
  const newest = JSON.parse(JSON.parse(readFileSync(snap(2), 'utf8')).manifest as string) as { objects: [string, number, string][] };
  const objects = (): string[] => newest.objects.map((o) => join(usb, 'data', o[0].slice(0, 2), o[0]));
  const fresh = (name: string): string => cliConfig(join(work, name), join(work, `${name}.json`));
  const attack = async (what: string, damage: () => () => void, expect: RegExp): Promise<void> => {
    const undo = damage();
    try {
      const r = await cli(fresh(`restore-${what}`), ['restore', '--from-folder', usb], code + '\n');
      t.equal(r.code, 3, `${what}: restore refused (${r.stderr.trim()})`);
      t.match(r.stderr, expect, `${what}: the message says why`);
      // whatever was written before the damage was found is never served: the store refuses the folder
      t.notOk(existsSync(join(work, `restore-${what}`, 'postern.db')) && !existsSync(join(work, `restore-${what}`, 'restore-in-progress')), `${what}: no finished-looking database`);
      if (existsSync(join(work, `restore-${what}`, 'restore-in-progress'))) {
        const f = await cli(join(work, `restore-${what}.json`), ['fsck']);
        t.equal(f.code, 1, `${what}: the half-restored folder is not opened`);
        t.match(f.stderr, /restore .* did not finish/);
      } else {
        t.pass(`${what}: nothing was written`);
      }
    } finally {
      undo();
    }
  };
  const backupOf = (f: string): (() => void) => { const saved = readFileSync(f); return () => writeFileSync(f, saved); };

  await attack('altered-object', () => {
    const f = objects()[0]!;
    const undo = backupOf(f);
    const b = readFileSync(f);
    b[b.length - 5] ^= 0x40;
    writeFileSync(f, b);
    return undo;
  }, /altered|checksum/);
  await attack('truncated-object', () => {
    const f = objects()[1]!;
    const undo = backupOf(f);
    truncateSync(f, 100);
    return undo;
  }, /truncated/);
  await attack('missing-object', () => {
    const f = objects()[2]!;
    const undo = backupOf(f);
    rmSync(f);
    return undo;
  }, /missing/);
  await attack('truncated-manifest', () => {
    const undo = backupOf(snap(2));
    truncateSync(snap(2), 200);
    return undo;
  }, /damaged or truncated/);
  await attack('altered-manifest', () => {
    const undo = backupOf(snap(2));
    const signed = JSON.parse(readFileSync(snap(2), 'utf8')) as { manifest: string; signature: string };
    signed.manifest = signed.manifest.replace(/"createdAt":\d+/, '"createdAt":1');
    writeFileSync(snap(2), JSON.stringify(signed));
    return undo;
  }, /signature does not verify/);
  await attack('replayed-under-newer-name', () => {
    const undo = backupOf(snap(2));
    cpSync(snap(1), snap(2));
    return undo;
  }, /replay/);

  // the newest snapshot withheld: the box that wrote it notices; a new box told the last number too
  const hidden = join(work, 'hidden.json');
  renameSync(snap(2), hidden);
  try {
    const v = await cli(cfgC, ['backup', 'verify', 'usb']);
    t.equal(v.code, 3, 'verify on the restored box refuses a target whose newest snapshot went missing');
    t.match(v.stderr, /newest snapshot there is 1, but .* 2 .*replay/);
    const r = await cli(fresh('restore-rolled-back'), ['restore', '--from-folder', usb, '--min-seq', '2'], code + '\n');
    t.equal(r.code, 3, r.stderr);
    t.match(r.stderr, /newest snapshot there is 1/);
  } finally {
    renameSync(hidden, snap(2));
  }

  const wrong = await cli(fresh('restore-wrong-code'), ['restore', '--from-folder', usb], 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH\n');
  t.equal(wrong.code, 1);
  t.match(wrong.stderr, /neither the recovery code nor the passphrase opens/);
  const busy = join(work, 'busy');
  mkdirSync(busy);
  writeFileSync(join(busy, 'postern.db'), 'mail');
  const overMail = await cli(cliConfig(busy, join(work, 'busy.json')), ['restore', '--from-folder', usb], code + '\n');
  t.equal(overMail.code, 1);
  t.match(overMail.stderr, /not empty/);
  t.equal(readFileSync(join(busy, 'postern.db'), 'utf8'), 'mail', 'nothing in a non-empty data folder was touched');
});
