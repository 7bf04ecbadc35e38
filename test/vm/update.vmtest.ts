// Updates and backups on the real image, from outside (issue 17's VM test and issue 16's VM step).
// The amd64 image (or POSTERN_VM_ARCH=arm64's: provisioning/build-image.sh, with the test
// maintainer's public update key) boots at release N under QEMU; everything reaches it over
// forwarded loopback ports, and the only way out of the guest is the feed address below, carried
// to a server on the host's 127.0.0.1.
//   1. N with mail in it; N+1 built here by the bundle command (provisioning/bundle.ts through
//      build-app.sh, as `npm run bundle` runs it) and verified with `postern update verify`;
//      served from a local HTTP feed; postern-update.service installs it while an SMTP client keeps
//      sending: every acknowledged message is readable afterwards.
//   2. A locked box: the update waits for the unlock (no self-test failure, no rollback).
//   3. A broken N+2 (its migration fails, so it exits at start) is rolled back by itself; mail
//      still flows and nothing acknowledged is lost.
//   4. A bundle with a bad signature, one with a modified file, and a validly signed older
//      release are refused before anything changes.
//   5. Backup of the LUKS box to a folder (`postern backup`), a fresh image booted, restored into
//      (`postern restore`), and the household logs in over IMAP and finds its mail.
// Timings (apply -> serving, the SMTP client's longest gap, bundle size) go to
// test-artifacts/vm-update-timings.json for BENCHMARKS.md; nothing is asserted on time.
//
// Slow (it boots two VMs and builds a release): not part of `npm test`. `npm run test:vm`.
import t from 'tap';
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from '../harness/ports.js';
import { repack } from '../harness/bundle-tamper.js';
import { bootVm, ensureImage, kvmUsable, ssh, sshCopy, waitFor, ARCH, REPO, UPDATE_KEY, UPDATE_PUB, type Forward, type Vm } from './qemu.js';
import { Panel, allMessageIds, firstRunSetup, greeting, steadySender, PASSPHRASE, PASSWORD, USER } from './box.js';
import { readBundle, writeBundle } from '../../appliance/update/bundle.js';
import { generateKey, parsePublicKey, parseSecretKey } from '../../appliance/update/minisign.js';
import { makeIndex } from '../../provisioning/feed-index.js';

const FEED_ADDRESS = '10.0.2.100';
const FEED_PORT = 8080;

function bump(version: string, patch: number): string {
  const [a, b, c] = version.split('-')[0]!.split('.').map(Number);
  return `${a}.${b}.${c! + patch}`;
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number | null; out: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd: opts.cwd ?? REPO, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, out, ms: Date.now() - started }));
  });
}

t.test('updates and backup on the image in QEMU', { timeout: 3_600_000 }, async (t) => {
  const image = ensureImage((l) => t.comment(l));
  t.comment(`image ${image.image} (${image.built ? 'built now' : 'from the cache'}); accelerator: ${kvmUsable(image) ? 'kvm' : 'tcg'}`);
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
  const N = pkg.version;
  const N1 = bump(N, 1);
  const N2 = bump(N, 2);
  const work = mkdtempSync(join(tmpdir(), 'postern-vm-update-'));
  const bundles = join(work, 'bundles');
  const site = join(work, 'site');
  mkdirSync(bundles);
  mkdirSync(site);
  const artifacts = join(REPO, 'test-artifacts');
  mkdirSync(artifacts, { recursive: true });
  const timings: Record<string, unknown> = { machine: `${execFileSync('nproc').toString().trim()} cores, load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} at the start`, accelerator: kvmUsable(image) ? 'kvm' : 'tcg' };

  // ---- N+1 is built while the VM boots: the bundle command, as `npm run bundle` runs it ---------
  const bundleBuild = run(process.execPath, [join(REPO, 'dist', 'provisioning', 'bundle.js'), '--arch', ARCH, '--key', UPDATE_KEY, '--version', N1, '--out', bundles]);

  // ---- the feed: a local HTTP server the guest reaches as FEED_ADDRESS:FEED_PORT -----------------
  const served: string[] = [];
  const feed = createServer((req, res) => {
    served.push(req.url ?? '');
    try {
      const body = readFileSync(join(site, decodeURIComponent((req.url ?? '/').slice(1)).replace(/\.\./g, '')));
      res.setHeader('content-length', body.length);
      res.end(body);
    } catch { res.statusCode = 404; res.end(); }
  });
  await new Promise<void>((r) => feed.listen(0, '127.0.0.1', r));
  const feedPort = (feed.address() as { port: number }).port;

  const [pSsh, pMx, pImap, pPanel] = await freePorts(4);
  const forwards: Forward[] = [
    { name: 'ssh', guest: 22, host: pSsh! }, { name: 'mx', guest: 25, host: pMx! }, { name: 'imap', guest: 143, host: pImap! }, { name: 'panel', guest: 443, host: pPanel! },
  ];
  let vm: Vm | undefined;
  t.teardown(async () => {
    if (vm) {
      writeFileSync(join(artifacts, 'vm-update-serial.log'), vm.serial());
      if (vm.child.exitCode === null) {
        const j = await ssh(pSsh!, 'journalctl -b --no-pager -u postern -u postern-update -u postern-storage | tail -n 400').catch(() => undefined);
        if (j) writeFileSync(join(artifacts, 'vm-update-journal.log'), j.stdout + j.stderr);
      }
      await vm.kill();
    }
    feed.close();
    rmSync(work, { recursive: true, force: true });
  });
  const boot = async (disk: string) => {
    const v = bootVm({ image, disk, workDir: work, forwards, guestForwards: [{ guestAddress: FEED_ADDRESS, guestPort: FEED_PORT, hostPort: feedPort }] });
    vm = v;
    const ready = waitFor('the panel', async () => ((await new Panel(pPanel!).request('GET', '/health')).status === 200 ? true : undefined), 900_000, () => v.serial());
    const died = v.exited.then((code) => { throw new Error(`QEMU exited (${code}) before the panel answered:\n${v.serial().slice(-3000)}`); });
    died.catch(() => undefined);
    await Promise.race([ready, died]);
  };
  const newDisk = (name: string) => {
    const disk = join(work, name);
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'raw', '-b', image.image, disk, '4G']);
    return disk;
  };
  // (an update waits up to its 10-minute self-test deadline, twice when it rolls back)
  const sh = async (command: string, input?: string) => {
    const r = await ssh(pSsh!, command, input, 1_800_000);
    return { ...r, all: r.stdout + r.stderr };
  };
  const statusJson = async () => JSON.parse((await sh('postern update status --json')).stdout) as {
    current?: string; installed: string[]; last?: { result: string; from?: string; to: string; reason?: string; downtimeMs?: number; totalMs?: number; redelivered?: number };
  };
  /** what must not change when a bundle is refused: the releases, the link, the running process */
  const fingerprint = async () => (await sh('ls -A /opt/postern/releases; readlink /opt/postern/current; systemctl show -p MainPID -p NRestarts postern; sha256sum /opt/postern/current/dist/appliance/cli.js')).stdout;
  const readable = async (acked: readonly string[]) => {
    const { ids } = await allMessageIds(pImap!);
    return acked.filter((id) => !ids.has(id));
  };

  // ==== 1. release N with mail in it ================================================================
  await boot(newDisk('a.qcow2'));
  // The guest has no DNS (restrict=on): the MX's SPF/DMARC lookups go to a closed local port and
  // fail at once (temperror) instead of waiting on a server that never answers. The feed, and a
  // 10-minute self-test deadline instead of 2 (an emulated CPU on a shared machine starts Node
  // slowly; a release that exits is caught at once either way). Set before the storage exists.
  const cfg = await sh(`node -e '
    const f = "/etc/postern/config.json"; const c = JSON.parse(require("fs").readFileSync(f, "utf8"));
    c.delivery = { ...(c.delivery || {}), dnsServers: ["127.0.0.1:53"] };
    c.update = { ...(c.update || {}), feed: "http://${FEED_ADDRESS}:${FEED_PORT}/index.json", window: "00:00-23:59", healthSeconds: 600 };
    require("fs").writeFileSync(f, JSON.stringify(c, null, 1));' && systemctl restart postern`);
  t.equal(cfg.code, 0, `box configured: ${cfg.all}`);
  await waitFor('the panel after the restart', async () => ((await new Panel(pPanel!).request('GET', '/health')).status === 200 ? true : undefined), 600_000);
  const { recoveryKey } = await firstRunSetup(pSsh!, pPanel!);
  t.ok(recoveryKey, 'box A set up: LUKS2 storage, first account');
  let st = await statusJson();
  t.equal(st.current, N, `the image runs release N = ${N}`);
  const pubOnBox = await sh('cat /etc/postern/update-key.pub');
  t.same(parsePublicKey(pubOnBox.stdout).key, parsePublicKey(readFileSync(UPDATE_PUB, 'utf8')).key, "the image carries the maintainer's public key (never the secret one)");
  const secretLine = readFileSync(UPDATE_KEY, 'utf8').split('\n')[1]!.trim();
  const secretInImage = await sh(`grep -rlF -- '${secretLine}' /etc /opt /root /var/lib 2>/dev/null | head -3`);
  t.equal(secretInImage.stdout.trim(), '', 'no secret key anywhere in the image');
  const early = steadySender(pMx!, 'before-update');
  await waitFor('mail in release N', async () => (early.acked.length >= 5 ? true : undefined), 300_000);
  await early.stop();
  t.same(await readable(early.acked), [], `${early.acked.length} messages in N, readable over IMAP`);

  // ==== the bundle command's N+1, verified like a maintainer would ==================================
  const built = await bundleBuild;
  t.equal(built.code, 0, `bundle command for ${N1} (${ARCH}): ${built.out.split('\n').filter((l) => l.startsWith('bundle:')).join(' ') || built.out.slice(-2000)}`);
  const b1 = join(bundles, `postern-${N1}-${ARCH}.tar.gz`);
  const verified = await run(process.execPath, [join(REPO, 'bin', 'postern.js'), 'update', 'verify', b1, '--public-key', UPDATE_PUB], { env: { POSTERN_CONFIG: '' } });
  t.equal(verified.code, 0, `postern update verify: ${verified.out.trim()}`);
  t.match(verified.out, new RegExp(`bundle postern ${N1.replace(/\./g, '\\.')} \\(${ARCH}, Node\\.js \\d+\\.\\d+\\.\\d+\\) verified: \\d+ files`));
  const minisig = await run('minisign', ['-V', '-p', UPDATE_PUB, '-m', b1]);
  t.equal(minisig.code, 0, `minisign -V checks the detached signature: ${minisig.out.trim()}`);
  timings[`bundle-${ARCH}`] = { bytes: statSync(b1).size, buildMs: built.ms, line: built.out.split('\n').find((l) => l.startsWith('bundle: /')) };

  // ==== 2. N+1 from the feed, installed by postern-update.service while mail keeps coming ============
  execFileSync('cp', [b1, site]);
  await makeIndex({ key: UPDATE_KEY, out: site, bundles: [join(site, `postern-${N1}-${ARCH}.tar.gz`)], notes: 'the VM test release' });
  const check = await sh('postern update check');
  t.match(check.stdout, new RegExp(`postern ${N1.replace(/\./g, '\\.')} is available \\(running ${N.replace(/\./g, '\\.')}\\): the VM test release`), `update check sees N+1 on the feed: ${check.all}`);

  const during = steadySender(pMx!, 'during-update');
  await waitFor('mail flowing before the update', async () => (during.acked.length >= 3 ? true : undefined), 300_000);
  const applyStarted = Date.now();
  const svc = await sh('systemctl start postern-update.service; echo "result=$(systemctl show -p Result --value postern-update.service)"; journalctl -b --no-pager -u postern-update.service | tail -n 30');
  const applyMs = Date.now() - applyStarted;
  t.match(svc.stdout, /result=success/, `postern-update.service (the timer's job) installed it:\n${svc.all.slice(-2500)}`);
  const mark = during.acked.length;
  await waitFor('mail after the update', async () => (during.acked.length >= mark + 3 ? true : undefined), 300_000);
  await during.stop();
  st = await statusJson();
  t.equal(st.current, N1, `N+1 = ${N1} runs`);
  t.equal(st.last?.result, 'installed');
  t.ok(served.some((u) => u.endsWith(`postern-${N1}-${ARCH}.tar.gz`)), 'the bundle came from the local feed');
  const missing1 = await readable([...early.acked, ...during.acked]);
  t.same(missing1, [], `every acknowledged message is readable after the update (${early.acked.length + during.acked.length}; ${during.refused} attempts refused while it switched)`);
  timings.applyN1 = { serviceMs: applyMs, updaterDowntimeMs: st.last?.downtimeMs, updaterTotalMs: st.last?.totalMs, smtpLongestGapMs: during.longestGap, smtpRefusedAttempts: during.refused, acked: during.acked.length };
  t.comment(`apply ${N} -> ${N1}: ${JSON.stringify(timings.applyN1)}`);
  const storage = await sh('postern storage status');
  t.match(storage.stdout, /storage: encrypted, open and mounted/, 'the LUKS volume stayed open across the update (no passphrase needed)');

  // ---- the other bundles, made from N+1's signed tree ---------------------------------------------
  const key = parseSecretKey(readFileSync(UPDATE_KEY, 'utf8'));
  const pub = parsePublicKey(readFileSync(UPDATE_PUB, 'utf8'));
  const tree = join(work, 'tree');
  const m1 = await readBundle(b1, { publicKey: pub, extractTo: tree });
  const migrationsIndex = join(tree, 'dist', 'appliance', 'store', 'migrations', 'index.js');
  const original = readFileSync(migrationsIndex, 'utf8');
  const sign = async (version: string, out: string, signer = key) => {
    writeFileSync(join(tree, 'release.json'), JSON.stringify({ version, arch: ARCH, node: m1.node }) + '\n');
    await writeBundle({ root: tree, version, arch: ARCH, node: m1.node, key: signer, out, gzipLevel: 1 });
    return out;
  };
  // N+2: a migration that fails, so the release exits at start
  writeFileSync(migrationsIndex, `${original}\nMIGRATIONS.push(${JSON.stringify({ id: '930-vm-broken', sql: 'ALTER TABLE no_such_table ADD COLUMN x;' })});\n`);
  const b2 = await sign(N2, join(bundles, `postern-${N2}-${ARCH}.tar.gz`));
  writeFileSync(migrationsIndex, original);
  const badSig = await sign(bump(N, 3), join(bundles, 'bad-signature.tar.gz'), generateKey());
  const older = await sign(N, join(bundles, 'older.tar.gz'));
  const modified = join(bundles, 'modified.tar.gz');
  // (a newer version than the running one, so that its files are read: the running version itself
  // is refused at its manifest)
  await repack(b2, modified, (entries) => entries.map((e) => (e.header.name === 'app/dist/appliance/cli.js' ? { ...e, body: Buffer.concat([e.body, Buffer.from('\n// changed after signing\n')]) } : e)));
  // one bundle at a time in the guest: its 1.7 GiB root holds two releases and the downloads, not
  // four more 60 MiB bundles (the first run ran out of space copying them all at once)
  const applyIn = async (f: string) => {
    const remote = `/var/tmp/bundles/${f.split('/').pop()}`;
    await sshCopy(pSsh!, f, remote);
    return sh(`postern update apply ${remote}; rc=$?; rm -f ${remote}; exit $rc`);
  };
  // the feed offers N+2 too (the timer's job would pick it up)
  execFileSync('cp', [b2, site]);
  await makeIndex({ key: UPDATE_KEY, out: site, bundles: [join(site, `postern-${N1}-${ARCH}.tar.gz`), join(site, `postern-${N2}-${ARCH}.tar.gz`)] });

  // ==== 3. a locked box: the update waits for the unlock, nothing rolls back ========================
  const lock = await sh('postern lock');
  t.equal(lock.code, 0, `postern lock: ${lock.all}`);
  t.match(await greeting(pMx!), /^421 4\.3\.2 /, 'locked: SMTP says 421 4.3.2');
  const beforeLocked = await fingerprint();
  const locked = await applyIn(b2);
  t.equal(locked.code, 1, 'apply on a locked box does not install');
  t.match(locked.stderr, /the box is locked \(its storage waits for the passphrase\): the update waits until it is unlocked; nothing changed/, locked.all);
  t.equal(await fingerprint(), beforeLocked, 'nothing changed: same releases, same running process, no restart');
  st = await statusJson();
  t.equal(st.last?.result, 'postponed', 'status: postponed (not rolled back)');
  t.equal(st.current, N1);
  const auto = await sh('systemctl start postern-update.service; journalctl -b --no-pager -u postern-update.service -n 5 -o cat');
  t.match(auto.stdout, new RegExp(`postern ${N2.replace(/\./g, '\\.')} is available; the box is locked \\(its storage waits for the passphrase\\), so it will be installed after the unlock`), `the timer's job on a locked box waits too: ${auto.all.slice(-600)}`);
  const unlocked = await new Panel(pPanel!).submit('/unlock', '/unlock', { passphrase: PASSPHRASE });
  t.equal(unlocked.headers['x-location'], '/', 'unlocked with the passphrase in the panel');
  await waitFor('SMTP after unlocking', async () => ((await greeting(pMx!)).startsWith('220') ? true : undefined), 300_000);

  // ==== 4. a broken N+2 rolls back by itself; mail keeps flowing =====================================
  const broken = steadySender(pMx!, 'during-broken');
  await waitFor('mail before N+2', async () => (broken.acked.length >= 3 ? true : undefined), 300_000);
  const applied2 = await applyIn(b2);
  const mark2 = broken.acked.length;
  await waitFor('mail after the rollback', async () => (broken.acked.length >= mark2 + 3 ? true : undefined), 300_000);
  await broken.stop();
  t.equal(applied2.code, 1, 'the broken release is not kept');
  t.match(applied2.stderr, new RegExp(`postern ${N2.replace(/\./g, '\\.')} failed its self-test: .*rolled back to ${N1.replace(/\./g, '\\.')}`), applied2.all.slice(-1500));
  st = await statusJson();
  t.equal(st.current, N1, 'N+1 runs again');
  t.equal(st.last?.result, 'rolled-back');
  const schema = await sh("setpriv --reuid=postern --regid=postern --init-groups /opt/postern/current/runtime/bin/node -e \"const D=require('/opt/postern/current/node_modules/better-sqlite3');const d=new D('/var/lib/postern/data/postern.db',{readonly:true});console.log(d.prepare('select id from schema_migrations').all().map(r=>r.id).join(' '))\"");
  t.notMatch(schema.stdout, /930-vm-broken/, "N+2's migration is not in the database");
  t.match(schema.stdout, /\d{3}-/, `the database answers (${schema.stdout.trim().split(' ').length} migrations) ${schema.stderr}`);
  const after2 = await allMessageIds(pImap!);
  t.same(broken.acked.filter((id) => !after2.ids.has(id)), [], `every acknowledged message is readable after the rollback (${broken.acked.length}; ${broken.refused} attempts refused)`);
  t.ok(after2.subjects.includes('Postern: an update was rolled back'), 'the admin was told by mail');
  timings.rollbackN2 = { smtpLongestGapMs: broken.longestGap, smtpRefusedAttempts: broken.refused };
  t.comment(`broken ${N2}: ${JSON.stringify(timings.rollbackN2)}`);

  // ==== 5. refused before anything changes ===========================================================
  const before = await fingerprint();
  const sig = await applyIn(badSig);
  t.equal(sig.code, 1);
  t.match(sig.stderr, /the bundle was refused, nothing changed: the bundle's signature is not valid: .*key/, `bad signature: ${sig.all}`);
  const mod = await applyIn(modified);
  t.equal(mod.code, 1);
  t.match(mod.stderr, /the bundle was refused, nothing changed: the file app\/dist\/appliance\/cli\.js in the bundle (does not match its SHA-256|has more bytes than) .*changed after signing/, `modified file: ${mod.all}`);
  const down = await applyIn(older);
  t.equal(down.code, 1);
  t.match(down.stderr, new RegExp(`postern ${N.replace(/\./g, '\\.')} is older than the running ${N1.replace(/\./g, '\\.')}: a downgrade is refused \\(postern update rollback goes back`), `a validly signed older release: ${down.all}`);
  t.equal(await fingerprint(), before, 'nothing changed: same releases, same link, same running process');
  const leftovers = await sh('ls -A /opt/postern/releases | grep -c incoming || true');
  t.equal(leftovers.stdout.trim(), '0', 'no half-unpacked release left behind');
  const flows = steadySender(pMx!, 'after-refusals');
  await waitFor('mail after the refusals', async () => (flows.acked.length >= 2 ? true : undefined), 300_000);
  await flows.stop();
  t.same(await readable(flows.acked), [], 'mail flows');

  // ==== 6. issue 16's VM step: back up the LUKS box, restore on a fresh image, log in over IMAP =====
  const add = await sh('install -d -o postern -g postern -m 0700 /var/tmp/postern-backup && postern backup target add usb folder /var/tmp/postern-backup');
  t.equal(add.code, 0, `backup target: ${add.all}`);
  const code = /recovery code: (\S[^\n]*)/.exec(add.stdout)?.[1]?.trim();
  t.ok(code, 'the backup key was made; its recovery code is shown once');
  const ran = await sh('postern backup run usb');
  t.equal(ran.code, 0, `postern backup run: ${ran.all.slice(-800)}`);
  const onA = await allMessageIds(pImap!);
  const packed = await sh('tar -C /var/tmp -cf - postern-backup | base64 -w0');
  t.equal(packed.code, 0);
  writeFileSync(join(work, 'backup.tar'), Buffer.from(packed.stdout.trim(), 'base64'));
  t.ok(await vm!.powerOff(), 'box A powered off');
  vm = undefined;

  await boot(newDisk('b.qcow2'));
  const panelB = new Panel(pPanel!);
  const codeB = /^([A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5})$/m.exec((await sh('postern setup-code')).stdout)?.[1];
  const setupB = await panelB.submit('/unlock', '/unlock/setup', { code: codeB ?? '', passphrase: PASSPHRASE, passphrase2: PASSPHRASE });
  t.match(setupB.body, /id="secret-value">/, 'box B: a new LUKS2 volume from the panel (a fresh box)');
  await sshCopy(pSsh!, join(work, 'backup.tar'), '/var/tmp/backup.tar');
  // The appliance is stopped with its volume left open (the updater's handover note), the fresh
  // box's empty store removed, the snapshot restored as the postern user, and the appliance started.
  const restored = await sh(`set -e
    tar -C /var/tmp -xf /var/tmp/backup.tar && chown -R postern:postern /var/tmp/postern-backup
    mkdir -p /run/postern-update && echo "{\\"version\\":\\"restore\\",\\"until\\":$(( $(date +%s) * 1000 + 600000 ))}" > /run/postern-update/handover
    systemctl stop postern
    findmnt -n -o SOURCE /var/lib/postern/data
    find /var/lib/postern/data -mindepth 1 -maxdepth 1 ! -name lost+found -exec rm -rf {} +
    postern restore --from-folder /var/tmp/postern-backup
    systemctl start postern`, `${code}\n`);
  t.equal(restored.code, 0, `postern restore on box B: ${restored.all.slice(-1500)}`);
  t.match(restored.stdout, /\/dev\/mapper\/postern-data/, 'the restore went into the open LUKS volume');
  t.match(restored.stdout, /restored snapshot \d+ .*: \d+ account\(s\), \d+ message\(s\).*the store checks clean/);
  await waitFor('SMTP on box B', async () => ((await greeting(pMx!)).startsWith('220') ? true : undefined), 300_000);
  await sh('rm -f /run/postern-update/handover');
  const onB = await waitFor('IMAP login on box B', async () => allMessageIds(pImap!, USER, PASSWORD), 300_000);
  t.same([...onA.ids].filter((id) => !onB.ids.has(id)), [], `box B: ${USER} logs in over IMAP with the old password and every message of box A is there (${onA.ids.size})`);
  const volumeB = await sh('postern storage status');
  t.match(volumeB.stdout, /state: running\nstorage: encrypted, open and mounted/, 'box B runs on its LUKS volume');

  writeFileSync(join(artifacts, 'vm-update-timings.json'), JSON.stringify(timings, null, 1) + '\n');
  const last = vm!;
  vm = undefined;
  writeFileSync(join(artifacts, 'vm-update-serial.log'), last.serial());
  await last.kill();
});
