// The whole box, from outside: boot the amd64 image built by provisioning/build-image.sh under QEMU
// (KVM when usable) and, over forwarded loopback ports only:
//   first-run setup in the panel (HTTPS: storage passphrase -> LUKS2 volume + recovery key, then the
//   household's first account), the volume really is LUKS2/argon2id with two key slots and mounted,
//   a message delivered over SMTP (MX, port 25) and read over IMAP, a clean power-off and boot,
//   the box locked (SMTP 421 4.3.2, IMAP BYE), unlocked with the passphrase in the panel, the message
//   still there, `postern lock`, unlocked with the recovery key, the message again.
// Also records `systemd-analyze security` for the units, measured inside the VM.
//
// Slow (the first run builds the image: several minutes), so it is not part of `npm test`:
//   npm run test:vm
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from '../harness/ports.js';
import { bootVm, ensureImage, kvmUsable, ssh, waitFor, REPO, type Forward, type Vm } from './qemu.js';
import { Panel, findMessage, greeting, swaks, DOMAIN, PASSPHRASE, PASSWORD, USER } from './box.js';


t.test('the appliance in QEMU, from outside', { timeout: 3_600_000 }, async (t) => {
  const image = ensureImage((l) => t.comment(l));
  t.comment(`image ${image.image} (${image.built ? 'built now' : 'from the cache'}); accelerator: ${kvmUsable(image) ? 'kvm' : 'tcg (KVM does not boot a guest here)'}`);
  const work = mkdtempSync(join(tmpdir(), 'postern-vm-'));
  const disk = join(work, 'disk.qcow2');
  // A copy-on-write disk over the cached image, larger than it: the first boot grows the data partition.
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'raw', '-b', image.image, disk, '4G']);
  const [pSsh, pMx, pImap, pPanel, pSub] = await freePorts(5);
  const forwards: Forward[] = [
    { name: 'ssh', guest: 22, host: pSsh! }, { name: 'mx', guest: 25, host: pMx! }, { name: 'imap', guest: 143, host: pImap! },
    { name: 'panel', guest: 443, host: pPanel! }, { name: 'submission', guest: 587, host: pSub! },
  ];
  let vm: Vm | undefined;
  const artifacts = join(REPO, 'test-artifacts');
  mkdirSync(artifacts, { recursive: true });
  t.teardown(async () => {
    if (vm) {
      writeFileSync(join(artifacts, 'vm-serial.log'), vm.serial());
      if (vm.child.exitCode === null) {
        const j = await ssh(pSsh!, 'journalctl -b --no-pager -u postern -u postern-storage -u postern-grow-data | tail -n 300').catch(() => undefined);
        if (j) writeFileSync(join(artifacts, 'vm-journal.log'), j.stdout + j.stderr);
      }
      await vm.kill();
    }
    rmSync(work, { recursive: true, force: true });
  });
  const boot = async () => {
    vm = bootVm({ image, disk, workDir: work, forwards });
    const v = vm;
    const ready = waitFor('the panel', async () => {
      const r = await new Panel(pPanel!).request('GET', '/health');
      return r.status === 200 ? true : undefined;
    }, 900_000, () => v.serial());
    const died = v.exited.then((code) => { throw new Error(`QEMU exited (${code}) before the panel answered:\n${v.serial().slice(-3000)}`); });
    died.catch(() => undefined); // it also settles at the planned power-offs
    await Promise.race([ready, died]);
  };

  // ---- first boot: locked, first-run setup in the panel -----------------------------------------
  await boot();
  t.pass('booted; the panel answers');
  const grown = await ssh(pSsh!, 'cat /sys/class/block/vda3/size');
  t.ok(Number(grown.stdout) * 512 > 1024 ** 3, `first boot grew the data partition to the end of the 4 GiB disk (${Number(grown.stdout) * 512} bytes)`);
  t.match(await greeting(pMx!), /^421 4\.3\.2 /, 'before setup, SMTP answers 421 4.3.2 (locked)');

  const panel = new Panel(pPanel!);
  const caRes = await panel.request('GET', '/ca.crt');
  t.equal(caRes.status, 200, 'the box CA certificate is public');
  panel.ca = caRes.body.includes('BEGIN CERTIFICATE') ? caRes.body : new X509Certificate(Buffer.from(caRes.body, 'binary')).toString();

  const unlockPage = await panel.request('GET', '/unlock');
  t.equal(unlockPage.status, 200);
  t.match(unlockPage.body, /Create the encrypted storage/);
  // The one-time setup code: only someone at the box reads it (the console/journal, or the CLI).
  const codeOut = await ssh(pSsh!, 'postern setup-code; journalctl -b --no-pager -u postern | grep -c "first-run setup code"');
  const setupCode = /^([A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5})$/m.exec(codeOut.stdout)?.[1];
  t.ok(setupCode, `postern setup-code shows the first-run code (${codeOut.stdout.trim()} ${codeOut.stderr.trim()})`);
  t.match(codeOut.stdout, /^[1-9]\d*$/m, 'the journal has the setup code line');
  const refused = await panel.submit('/unlock', '/unlock/setup', { passphrase: PASSPHRASE, passphrase2: PASSPHRASE });
  t.match(refused.body, /Enter the setup code/, 'without the code the storage is not created');
  const setup = await panel.submit('/unlock', '/unlock/setup', { code: setupCode ?? '', passphrase: PASSPHRASE, passphrase2: PASSPHRASE });
  const recoveryKey = /id="secret-value">([^<]+)</.exec(setup.body)?.[1]?.trim();
  const note = (body: string) => body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 600);
  t.match(recoveryKey, /^([0-9A-Z]{5}-){7}[0-9A-Z]{5}$/, `storage setup shows the recovery key once (${setup.status} ${String(setup.headers['x-location'])}: ${recoveryKey ? '' : note(setup.body)})`);

  const luks = await ssh(pSsh!, 'cryptsetup luksDump /dev/vda3; findmnt -no SOURCE,FSTYPE,OPTIONS /var/lib/postern/data; stat -c %U:%a /var/lib/postern/data; grep -qE "^(flags|Features)\\s*:.*\\baes\\b" /proc/cpuinfo && echo cpu:aes || echo cpu:no-aes');
  t.match(luks.stdout, /Version:\s+2/, 'the data partition is LUKS2');
  t.match(luks.stdout, /0: luks2[\s\S]*PBKDF:\s+argon2id[\s\S]*1: luks2[\s\S]*PBKDF:\s+argon2id/, 'two key slots (passphrase, recovery key), both argon2id');
  t.match(luks.stdout, /\/dev\/mapper\/postern-data\s+ext4\s+rw,nosuid,nodev,noexec/, 'mounted at the data path, nosuid,nodev,noexec');
  t.match(luks.stdout, /postern:700/, 'owned by postern, 0700');
  // The cipher follows the guest CPU: QEMU's x86 TCG CPU has no AES-NI (Adiantum, like a Pi 3/4),
  // its cortex-a72 model has the ARMv8 crypto extensions (AES-XTS).
  const cpuAes = /cpu:aes/.test(luks.stdout);
  t.match(luks.stdout, cpuAes ? /cipher:\s+aes-xts-plain64/ : /cipher:\s+xchacha12,aes-adiantum-plain64/,
    `the volume's cipher fits the CPU (${cpuAes ? 'AES instructions: aes-xts' : 'no AES instructions: Adiantum'})`);

  const first = await panel.submit('/setup', '/setup', { code: setupCode ?? '', domain: DOMAIN, hostname: 'postern.home.arpa', name: 'anna', password: PASSWORD, password2: PASSWORD });
  t.match(first.headers['x-location'], /welcome|\/$/, `first-run setup created the household account (${first.status})`);

  // ---- mail in, mail out ----------------------------------------------------------------------------
  const subject = `Hello from outside ${Date.now()}`;
  const sent = await swaks(['--server', '127.0.0.1', '--port', String(pMx), '--from', 'grandma@example.org', '--to', USER,
    '--helo', 'mail.example.org', '--header', `Subject: ${subject}`, '--body', 'The cake recipe is in the attic.', '--timeout', '120']);
  t.match(sent.out, /->\s+\.\s*\n\s*<[-~]\s+250 /, `SMTP accepted the message\n${sent.out.slice(-600)}`);
  const source = await waitFor('the message over IMAP', () => findMessage(pImap!, subject), 300_000);
  t.match(source, /The cake recipe is in the attic/, 'read back over IMAP');

  // ---- reboot: locked -------------------------------------------------------------------------------
  t.ok(await vm!.powerOff(), 'ACPI power-off: the guest shut down cleanly');
  t.match(vm!.serial(), /postern-storage: SIGTERM: volume closed|unmounted .* and closed the volume/, 'the volume was closed at shutdown');
  // serial lines end in \r and carry emoji: keep plain text only (a \r in a TAP comment breaks the stream)
  const security = vm!.serial().split('\n').filter((l) => l.includes('postern-report:')).map((l) => l.replace(/[^\x20-\x7e]/g, '').trim());
  await boot();
  t.match(await greeting(pMx!), /^421 4\.3\.2 /, 'after the reboot SMTP answers 421 4.3.2');
  t.match(await greeting(pImap!), /^\* BYE \[UNAVAILABLE\]/, 'and IMAP says BYE');
  const mapped = await ssh(pSsh!, 'test -e /dev/mapper/postern-data && echo open || echo closed; findmnt /var/lib/postern/data >/dev/null && echo mounted || echo unmounted');
  t.match(mapped.stdout, /closed\s+unmounted/, 'the volume is closed while locked');

  // ---- unlock with the passphrase (panel) -----------------------------------------------------------
  const wrong = await new Panel(pPanel!).submit('/unlock', '/unlock', { passphrase: 'not the passphrase at all' });
  t.match(wrong.body, /did not open the storage/, 'a wrong passphrase is refused');
  const unlock = await new Panel(pPanel!).submit('/unlock', '/unlock', { passphrase: PASSPHRASE });
  t.equal(unlock.headers['x-location'], '/', 'unlocked with the passphrase in the panel');
  t.match(await waitFor('SMTP after unlocking', async () => { const g = await greeting(pMx!); return g.startsWith("220") ? g : undefined; }, 300_000), /^220 /);
  t.match(await findMessage(pImap!, subject), /cake recipe/, 'the message survived the reboot');

  // ---- postern lock; unlock with the recovery key ---------------------------------------------------
  const lock = await ssh(pSsh!, 'postern lock');
  t.equal(lock.code, 0, `postern lock: ${lock.stdout}${lock.stderr}`);
  t.match(await greeting(pMx!), /^421 4\.3\.2 /, 'locked again: 421');
  const closed = await ssh(pSsh!, 'test -e /dev/mapper/postern-data && echo open || echo closed');
  t.match(closed.stdout, /closed/, 'and the volume is closed');
  const byRecovery = await new Panel(pPanel!).submit('/unlock', '/unlock', { passphrase: recoveryKey!.toLowerCase() });
  t.equal(byRecovery.headers['x-location'], '/', 'unlocked with the recovery key (typed in lower case)');
  t.match(await findMessage(pImap!, subject), /cake recipe/, 'the message is there');

  // ---- the exposure score measured inside the box ---------------------------------------------------
  const status = await ssh(pSsh!, 'postern storage status; systemd-analyze security --no-pager postern.service | tail -1; systemctl is-active postern postern-storage; swapon --show --noheadings | wc -l; grep -h Storage /etc/systemd/journald.conf.d/*.conf; uname -m; systemctl show -p MemoryCurrent -p MemoryPeak postern.service; free -m | sed -n 2p');
  t.match(status.stdout, /state: running\nstorage: encrypted, open and mounted/);
  t.match(status.stdout, /Overall exposure level for postern\.service: [0-9.]+ (OK|SAFE)/, 'postern.service exposure: OK or better');
  t.match(status.stdout, /active\nactive\n0\nStorage=volatile/, 'units active, no swap, volatile journal');
  const score = /Overall exposure level for postern\.service: ([0-9.]+ \w+)/.exec(status.stdout)?.[1];
  writeFileSync(join(artifacts, 'vm-security.txt'), [...security, `postern.service (running, unlocked): ${score}`].join('\n') + '\n');
  t.comment(`systemd-analyze security: ${[...security, `postern.service: ${score}`].join(' | ')}`);
  // Memory on the box itself (the arm64 run has the 1 GB of the smallest supported Pi).
  const machine = /Storage=volatile\n(\S+)\n/.exec(status.stdout)?.[1];
  const current = Number(/MemoryCurrent=(\d+)/.exec(status.stdout)?.[1]);
  const peak = Number(/MemoryPeak=(\d+)/.exec(status.stdout)?.[1]);
  const mem = /^Mem:\s+(\d+)\s+(\d+)\s+\d+\s+\d+\s+\d+\s+(\d+)/m.exec(status.stdout);
  t.ok(current > 0 && mem, `memory measured inside the box (${machine})`);
  const memLine = `${machine}: postern.service memory ${(current / 2 ** 20).toFixed(0)} MiB now${peak ? `, peak ${(peak / 2 ** 20).toFixed(0)} MiB` : ''}; machine ${mem?.[1]} MiB total, ${mem?.[2]} MiB used, ${mem?.[3]} MiB available`;
  writeFileSync(join(artifacts, 'vm-security.txt'), [...security, `postern.service (running, unlocked): ${score}`, memLine].join('\n') + '\n');
  t.comment(memLine);
  // (the clean power-off was checked after the first boot)
  const last = vm!;
  vm = undefined;
  writeFileSync(join(artifacts, 'vm-serial.log'), last.serial());
  await last.kill();
  t.equal(last.child.exitCode === null && last.child.signalCode === null, false, 'the VM is stopped');
});
