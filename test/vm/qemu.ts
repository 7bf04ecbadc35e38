// The QEMU side of the appliance test: find or build the image (cached outside the repository,
// keyed by a hash of everything that goes into it), boot it with forwarded loopback ports, talk to
// QEMU's monitor (QMP) for a clean power-off, and run commands inside over ssh (the test variant
// only: build-image.sh --authorized-key).
// POSTERN_VM_ARCH=arm64 tests the Raspberry Pi image instead: the same root file system, kernel and
// initrd, booted in QEMU's generic arm64 "virt" machine (TCG: a foreign CPU is always emulated)
// with the memory of a 1 GB Pi. The Pi's firmware, device trees and its own SoC drivers are the
// part this cannot test.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, openSync, readdirSync, readFileSync, statSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatPublicKey, formatSecretKey, generateKey } from '../../appliance/update/minisign.js';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const CACHE = process.env.POSTERN_VM_CACHE ?? '/var/cache/postern-vm';
export const SSH_KEY = join(CACHE, 'test_ed25519');
export const ARCH: 'amd64' | 'arm64' = process.env.POSTERN_VM_ARCH === 'arm64' ? 'arm64' : 'amd64';
/** The test maintainer's update signing key: its public half goes into the image
 *  (build-image.sh --update-key), the secret signs the bundles the VM tests install. */
export const UPDATE_KEY = join(CACHE, 'update-key', 'postern-update.key');
export const UPDATE_PUB = join(CACHE, 'update-key', 'postern-update.pub');

function ensureUpdateKey(): void {
  if (existsSync(UPDATE_KEY) && existsSync(UPDATE_PUB)) return;
  mkdirSync(join(CACHE, 'update-key'), { recursive: true, mode: 0o700 });
  const k = generateKey();
  writeFileSync(UPDATE_KEY, formatSecretKey(k), { mode: 0o600 });
  writeFileSync(UPDATE_PUB, formatPublicKey(k), { mode: 0o644 });
}

function hashTree(h: ReturnType<typeof createHash>, dir: string, skip: (p: string) => boolean = () => false): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (skip(p)) continue;
    const st = statSync(p);
    if (st.isDirectory()) hashTree(h, p, skip);
    else { h.update(relative(REPO, p)); h.update(readFileSync(p)); }
  }
}

/** The cache key: the build script, the units, the compiled app and the lock file. */
export function imageKey(): string {
  const h = createHash('sha256');
  hashTree(h, join(REPO, 'provisioning'));
  hashTree(h, join(REPO, 'systemd'));
  hashTree(h, join(REPO, 'web', 'static'));
  for (const d of ['appliance', 'services', 'web']) hashTree(h, join(REPO, 'dist', d), (p) => p.endsWith('.map'));
  h.update(readFileSync(join(REPO, 'package-lock.json')));
  if (existsSync(SSH_KEY + '.pub')) h.update(readFileSync(SSH_KEY + '.pub'));
  if (existsSync(UPDATE_PUB)) h.update(readFileSync(UPDATE_PUB));
  return h.digest('hex').slice(0, 16);
}

export interface Image { dir: string; image: string; kernel: string; initrd: string; cmdline: string; built: boolean }

/** The cached test image for ARCH, built with provisioning/build-image.sh when missing (minutes). */
export function ensureImage(log: (line: string) => void): Image {
  mkdirSync(CACHE, { recursive: true });
  if (!existsSync(SSH_KEY)) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'postern-vm-test', '-f', SSH_KEY]);
  ensureUpdateKey();
  // POSTERN_VM_IMAGE: a folder already made by build-image.sh --arch ARCH (skips the cache key).
  const dir = process.env.POSTERN_VM_IMAGE ?? join(CACHE, `${ARCH}-${imageKey()}`);
  const image = join(dir, `postern-${ARCH}.img`);
  let built = false;
  if (!existsSync(image)) {
    log(`building the ${ARCH} test image in ${dir} (several minutes; the base system is cached in ${CACHE}/base)`);
    rmSync(dir, { recursive: true, force: true });
    execFileSync('nice', [join(REPO, 'provisioning', 'build-image.sh'), '--arch', ARCH, '--out', dir + '.tmp', '--cache', join(CACHE, 'base'),
      '--tor', 'off', '--authorized-key', SSH_KEY + '.pub', '--update-key', UPDATE_PUB], { stdio: ['ignore', 'inherit', 'inherit'] });
    execFileSync('mv', [dir + '.tmp', dir]);
    built = true;
  }
  return { dir, image, kernel: join(dir, 'vmlinuz'), initrd: join(dir, 'initrd.img'), cmdline: readFileSync(join(dir, 'cmdline.txt'), 'utf8').trim(), built };
}

let kvmVerdict: boolean | undefined;
/** /dev/kvm is usable when it is there AND a guest kernel really prints under it: on this machine
 *  (nested virtualization) KVM starts but the guest hangs in early boot with every CPU model tried
 *  (`-cpu host`/`max` abort on MSR 0x10a). POSTERN_VM_ACCEL=kvm|tcg overrides the probe. */
export function kvmUsable(image?: Image): boolean {
  if (ARCH !== 'amd64') return false; // no KVM for a foreign CPU
  if (process.env.POSTERN_VM_ACCEL) return process.env.POSTERN_VM_ACCEL === 'kvm';
  if (kvmVerdict !== undefined) return kvmVerdict;
  try { accessSync('/dev/kvm', constants.R_OK | constants.W_OK); } catch { return (kvmVerdict = false); }
  if (!image) return true;
  const log = join(image.dir, `.kvm-probe-${process.pid}.log`);
  try {
    execFileSync('timeout', ['25', 'qemu-system-x86_64', '-accel', 'kvm', '-m', '512', '-nodefaults', '-no-reboot', '-display', 'none',
      '-kernel', image.kernel, '-append', 'console=ttyS0 panic=-1', '-serial', `file:${log}`], { stdio: 'ignore' });
  } catch { /* timeout or panic: the log decides */ }
  try { kvmVerdict = /Linux version/.test(readFileSync(log, 'utf8')); } catch { kvmVerdict = false; }
  rmSync(log, { force: true });
  return kvmVerdict;
}

export interface Forward { name: string; guest: number; host: number }

export interface Vm {
  child: ChildProcess;
  serial: () => string;
  /** ACPI power button, then wait for QEMU to exit (the guest shut down cleanly) */
  powerOff(timeoutMs?: number): Promise<boolean>;
  kill(): Promise<void>;
  exited: Promise<number | null>;
}

/** A guest address the VM may connect to, carried to a server on the host's loopback (QEMU runs
 *  `nc 127.0.0.1 PORT` for each connection: the guest reaches nothing else). */
export interface GuestForward { guestAddress: string; guestPort: number; hostPort: number }

export function bootVm(opts: { image: Image; disk: string; workDir: string; forwards: Forward[]; guestForwards?: GuestForward[]; memoryMiB?: number }): Vm {
  // restrict=on: the guest reaches neither the host nor any other address (its NTP and DNS tries
  // go nowhere); only the forwards below exist, all to and from 127.0.0.1.
  const fwd = ['restrict=on',
    ...opts.forwards.map((f) => `hostfwd=tcp:127.0.0.1:${f.host}-:${f.guest}`),
    ...(opts.guestForwards ?? []).map((g) => `guestfwd=tcp:${g.guestAddress}:${g.guestPort}-cmd:nc 127.0.0.1 ${g.hostPort}`)].join(',');
  const qmp = join(opts.workDir, 'qmp.sock');
  const serialLog = join(opts.workDir, `serial-${Date.now()}.log`);
  // arm64: the "virt" machine has no ACPI without firmware; QMP's system_powerdown presses its GPIO
  // power key instead, which logind turns into a clean shutdown like the ACPI button on amd64.
  const machine = ARCH === 'arm64' ? ['-M', 'virt', '-cpu', 'cortex-a72'] : [];
  const args = [
    ...machine,
    ...(kvmUsable(opts.image) ? ['-accel', 'kvm'] : ['-accel', 'tcg,thread=multi']),
    '-m', String(opts.memoryMiB ?? (ARCH === 'arm64' ? 1024 : 1536)), '-smp', '2', '-nodefaults', '-no-reboot',
    '-kernel', opts.image.kernel, '-initrd', opts.image.initrd, '-append', `${opts.image.cmdline} postern.report=1`,
    '-drive', `file=${opts.disk},if=virtio,format=qcow2,cache=unsafe`,
    '-netdev', `user,id=n0,${fwd}`, '-device', 'virtio-net-pci,netdev=n0',
    '-device', 'virtio-rng-pci',
    '-display', 'none', '-serial', `file:${serialLog}`, '-qmp', `unix:${qmp},server=on,wait=off`,
  ];
  const child = spawn(ARCH === 'arm64' ? 'qemu-system-aarch64' : 'qemu-system-x86_64', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const serial = () => { try { return readFileSync(serialLog, 'utf8') + (stderr ? `\n[qemu stderr] ${stderr}` : ''); } catch { return stderr; } };
  const qmpCommand = (cmd: string) => new Promise<void>((resolve, reject) => {
    const s = createConnection(qmp);
    let buf = '';
    let sent = 0;
    s.setEncoding('utf8');
    s.on('data', (d: string) => {
      buf += d;
      if (sent === 0 && buf.includes('"QMP"')) { sent = 1; s.write('{"execute":"qmp_capabilities"}\n'); }
      else if (sent === 1 && buf.includes('"return"')) { sent = 2; buf = ''; s.write(JSON.stringify({ execute: cmd }) + '\n'); }
      else if (sent === 2 && buf.includes('"return"')) { s.end(); resolve(); }
    });
    s.on('error', reject);
    s.on('close', () => resolve());
  });
  return {
    child, serial, exited,
    async powerOff(timeoutMs = 400_000) {
      if (child.exitCode !== null) return true;
      // A ref'd timer: it keeps the event loop alive while the guest shuts down.
      let timer: NodeJS.Timeout | undefined;
      const t = new Promise<'timeout'>((r) => { timer = setTimeout(() => r('timeout'), timeoutMs); });
      await qmpCommand('system_powerdown');
      const outcome = await Promise.race([exited, t]);
      clearTimeout(timer);
      if (outcome === 'timeout') { child.kill('SIGKILL'); await exited; return false; }
      return true;
    },
    async kill() { if (child.exitCode === null) { child.kill('SIGKILL'); await exited; } },
  };
}

/** Run a command inside the VM as root over ssh (test images only). */
export function ssh(port: number, command: string, input?: string, timeoutMs = 400_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('ssh', ['-i', SSH_KEY, '-p', String(port), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
      '-o', 'LogLevel=ERROR', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', 'root@127.0.0.1', command], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => p.kill("SIGKILL"), timeoutMs);
    p.on('error', reject);
    p.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
    p.stdin.end(input ?? '');
  });
}

/** Poll `probe` until it returns a value (not undefined) or the time is up. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, detail: () => string = () => ''): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, 2000));
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}\n${detail().slice(-4000)}`);
}

/** Copy a host file into the VM over ssh (as root; test images only). */
export function sshCopy(port: number, localFile: string, remotePath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('ssh', ['-i', SSH_KEY, '-p', String(port), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
      '-o', 'LogLevel=ERROR', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', 'root@127.0.0.1', `mkdir -p "$(dirname '${remotePath}')" && cat > '${remotePath}'`],
    { stdio: [openSync(localFile, 'r'), 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr!.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`copying ${localFile} into the VM failed (${code}): ${stderr}`))));
  });
}
