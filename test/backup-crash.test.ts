// Kill -9 during a backup and during a restore (issue 16): the killed backup leaves no snapshot
// (the manifest is written last), the next run completes and sends only what the killed one had
// not; the killed restore leaves a folder the store refuses to open, and the next restore
// completes it into a box whose every message file checks against its hash.
import t from 'tap';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../appliance/store/index.js';
import { tempDir } from './harness/appliance.js';
import { POSTERN_BIN } from './harness/cli.js';
import { writeFileSync } from 'node:fs';
import { cli, cliConfig, message, recoveryCodeOf } from './harness/backup-box.js';
import { startTestAppliance } from './harness/appliance.js';
import { startSocksServer } from './harness/socks-server.js';
import { validateConfig } from '../appliance/config.js';
import { ensureTls } from '../appliance/tls/authority.js';
import { addPeerCard, makeOwnCard } from '../services/smtorp/index.js';
import { onionIdentity } from '../services/tor/keys.js';
import { HoldBook } from '../appliance/backup/holds.js';

/** Run the CLI and SIGKILL it when a line matches. Resolves with what it printed. */
function killOnLine(args: string[], input: string, when: RegExp): Promise<{ killed: boolean; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [POSTERN_BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let killed = false;
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!killed && when.test(out)) { killed = true; p.kill('SIGKILL'); }
    });
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('exit', (_code, signal) => resolve({ killed: killed && signal === 'SIGKILL', out }));
    p.stdin.end(input);
  });
}

t.test('kill -9 during a backup and during a restore: the next run completes, nothing half-restored is served', async (t) => {
  const work = tempDir('postern-backup-crash-');
  t.teardown(() => rmSync(work, { recursive: true, force: true }));
  const aDir = join(work, 'a-data');
  const usb = join(work, 'usb');
  // about 14 MB of mail: several packs, so there is a moment between the first and the last
  const store = Store.open(aDir);
  store.domains.ensure('example.test');
  const acc = await store.accounts.create('alice@example.test', 'correct horse battery');
  const COUNT = 70;
  for (let i = 0; i < COUNT; i++) store.deliver([{ accountId: acc.id }], message(i, 'alice@example.test', 200_000));
  store.close();

  const cfgA = cliConfig(aDir, join(work, 'a.json'));
  const add = await cli(cfgA, ['backup', 'target', 'add', 'usb', 'folder', usb]);
  t.equal(add.code, 0, add.stderr);
  const code = recoveryCodeOf(add.stdout);

  const killedRun = await killOnLine(['backup', 'run', 'usb', '--config', cfgA], '', /new message file\(s\) sent/);
  t.ok(killedRun.killed, `the backup was killed midway:\n${killedRun.out}`);
  t.same(existsSync(join(usb, 'snapshots')) ? readdirSync(join(usb, 'snapshots')) : [], [], 'no snapshot exists after the kill');
  const list = await cli(cfgA, ['backup', 'list', 'usb']);
  t.match(list.stdout, /no snapshots yet/);

  const run = await cli(cfgA, ['backup', 'run', 'usb']);
  t.equal(run.code, 0, run.stderr);
  const m = /snapshot 1: (\d+) message file\(s\) \((\d+) new\)/.exec(run.stdout);
  t.ok(m, run.stdout);
  t.equal(Number(m![1]), COUNT, 'the snapshot has every message file');
  t.ok(Number(m![2]) < COUNT, `what the killed run had sent is not sent again (${m![2]} of ${COUNT} sent now)`);
  const verify = await cli(cfgA, ['backup', 'verify', 'usb', '--decrypt'], code + '\n');
  t.equal(verify.code, 0, verify.stderr);
  t.match(verify.stdout, new RegExp(`${COUNT} message file\\(s\\) and the database decrypted and checked`));

  const cDir = join(work, 'c-data');
  const cfgC = cliConfig(cDir, join(work, 'c.json'));
  const killedRestore = await killOnLine(['restore', '--from-folder', usb, '--config', cfgC], code + '\n', /\d+\/\d+ message file\(s\) restored/);
  t.ok(killedRestore.killed, `the restore was killed midway:\n${killedRestore.out}`);
  t.ok(existsSync(join(cDir, 'restore-in-progress')) && readdirSync(join(cDir, 'blobs')).length > 1, 'the killed restore had placed message files and left its marker');
  const fsck = await cli(cfgC, ['fsck']);
  t.equal(fsck.code, 1, 'the half-restored folder is not opened');
  t.match(fsck.stderr, /restore into .* did not finish: run "postern restore" again/);
  t.throws(() => Store.open(cDir), /did not finish/, 'the store refuses it in-process too (the appliance opens it so)');

  const again = await cli(cfgC, ['restore', '--from-folder', usb], code + '\n');
  t.equal(again.code, 0, again.stderr);
  t.match(again.stdout, new RegExp(`1 account\\(s\\), ${COUNT} message\\(s\\)`));
  const c = Store.open(cDir);
  try {
    const report = c.check();
    t.ok(report.ok, JSON.stringify(report.problems));
    t.equal(report.messages, COUNT);
    t.equal(report.blobs, COUNT);
  } finally {
    c.close();
  }
});

t.test('kill -9 during a backup to a peer box and during a restore from it', async (t) => {
  const work = tempDir('postern-backup-crash-peer-');
  t.teardown(() => rmSync(work, { recursive: true, force: true }));
  const aDir = join(work, 'a-data');
  const store = Store.open(aDir);
  store.domains.ensure('example.test');
  const acc = await store.accounts.create('alice@example.test', 'correct horse battery');
  const COUNT = 70;
  for (let i = 0; i < COUNT; i++) store.deliver([{ accountId: acc.id }], message(i, 'alice@example.test', 200_000));
  // B holds A's backups (each the other's peer); a SOCKS stand-in routes B's onion to its listener
  const b = await startTestAppliance({ listeners: ['backupOnion'], config: { hostname: 'mail.peer-b.test', domains: ['peer-b.test'], delivery: { dnsServers: ['127.0.0.1:9'] } } });
  t.teardown(() => b.stop());
  const cfgAObj = validateConfig({ hostname: 'mail.example.test', domains: ['example.test'], dataDir: aDir, listen: {}, tor: { mode: 'off' } }, { baseDir: process.cwd(), torOnPath: false });
  const tlsA = await ensureTls(join(aDir, 'tls'), cfgAObj.hostname, cfgAObj.domains);
  addPeerCard(store, cfgAObj, makeOwnCard(b.config, b.appliance.tls));
  addPeerCard(b.store, b.config, makeOwnCard(cfgAObj, tlsA));
  const onionA = onionIdentity(cfgAObj, 'smtp').address;
  const onionB = onionIdentity(b.config, 'smtp').address;
  new HoldBook(b.store).add(onionA, tlsA.serverSpki[0]!, 1024 ** 3);
  store.close();
  const socks = await startSocksServer({ [`${onionB}:7425`]: { host: '127.0.0.1', port: b.port('backupOnion') } });
  t.teardown(() => socks.close());
  const cfg = (dir: string, file: string): string => {
    writeFileSync(file, JSON.stringify({ hostname: 'mail.example.test', domains: ['example.test'], dataDir: dir, listen: {}, tor: { mode: 'attach', control: '127.0.0.1:9', socks: `127.0.0.1:${socks.port}` } }));
    return file;
  };
  const cfgA = cfg(aDir, join(work, 'a.json'));
  const add = await cli(cfgA, ['backup', 'target', 'add', 'friend', 'peer', onionB]);
  t.equal(add.code, 0, add.stderr);
  const code = recoveryCodeOf(add.stdout);
  const held = new HoldBook(b.store).folder({ onion: onionA });

  const killedRun = await killOnLine(['backup', 'run', 'friend', '--config', cfgA], '', /new message file\(s\) sent/);
  t.ok(killedRun.killed, `the backup was killed midway:\n${killedRun.out}`);
  t.same(existsSync(join(held, 'snapshots')) ? readdirSync(join(held, 'snapshots')) : [], [], 'B holds no snapshot after the kill');
  const run = await cli(cfgA, ['backup', 'run', 'friend']);
  t.equal(run.code, 0, run.stderr);
  const m = /snapshot 1: (\d+) message file\(s\) \((\d+) new\)/.exec(run.stdout);
  t.ok(m && Number(m[1]) === COUNT && Number(m[2]) < COUNT, `the next run completes and sends only what the killed one had not (${m?.[2]} of ${COUNT})`);

  const cDir = join(work, 'c-data');
  const cfgC = cfg(cDir, join(work, 'c.json'));
  const killedRestore = await killOnLine(['restore', '--from-peer', onionB, '--config', cfgC], code + '\n', /\d+\/\d+ message file\(s\) restored/);
  t.ok(killedRestore.killed, `the restore was killed midway:\n${killedRestore.out}`);
  const fsck = await cli(cfgC, ['fsck']);
  t.equal(fsck.code, 1, 'the half-restored folder is not opened');
  t.match(fsck.stderr, /did not finish/);
  const again = await cli(cfgC, ['restore', '--from-peer', onionB], code + '\n');
  t.equal(again.code, 0, again.stderr);
  t.match(again.stdout, new RegExp(`1 account\\(s\\), ${COUNT} message\\(s\\)`));
  const c = Store.open(cDir);
  try {
    const report = c.check();
    t.ok(report.ok, JSON.stringify(report.problems));
    t.equal(report.messages, COUNT);
  } finally {
    c.close();
  }
});
