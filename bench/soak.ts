// Hostile-client soak (issue #14): a real appliance (`postern start`, 256 MB V8 heap as on a 1 GB
// Pi) takes HOSTILE slow or never-reading connections, half on the MX and half on IMAP, while 10
// honest clients work (5 send 4 KB messages through the MX, 5 poll IMAP: SELECT, UID FETCH FLAGS,
// NOOP). Reports the honest operations' latency (p50, p99, max) and the process's peak RSS.
//   node dist/bench/soak.js [HOSTILE=200] [SECONDS=60]
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type Socket } from 'node:net';
import { loadavg } from 'node:os';
import { tempDir } from '../test/harness/appliance.js';
import { freePorts } from '../test/harness/ports.js';
import { postern, startPostern } from '../test/harness/cli.js';
import { RawSmtp } from '../test/smtp-fixture.js';
import { RawImapClient } from '../test/harness/imap-raw.js';

const hostile = Number(process.argv[2] ?? 200);
const seconds = Number(process.argv[3] ?? 60);
const dir = tempDir('postern-soak-');
const [mx, imap, imaps] = await freePorts(3);
const file = join(dir, 'config.json');
writeFileSync(file, JSON.stringify({
  hostname: 'mail.example.test', domains: ['example.test'], dataDir: join(dir, 'data'), tor: { mode: 'off' },
  listen: { mx: `127.0.0.1:${mx}`, imap: `127.0.0.1:${imap}`, imaps: `127.0.0.1:${imaps}` },
  delivery: { dnsServers: ['127.0.0.1:9'] },
  // Every hostile connection counts as its own client (as with per-circuit identities on the onion).
  smtp: { maxConnectionsPerClient: 1000, messagesPerMinutePerClient: 1_000_000 },
}));
for (const u of ['alice', 'bob']) await postern(['user', 'add', `${u}@example.test`, '--config', file], { input: 'correct horse battery\n' });
const { child, exited } = await startPostern(['--config', file], { env: { NODE_OPTIONS: '--max-old-space-size=256' } });
const peakRss = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024;
const rssAtStart = peakRss();

// ---- the hostile connections -------------------------------------------------------------
const sockets: Socket[] = [];
const trickles: NodeJS.Timeout[] = [];
function attacker(i: number): void {
  const smtp = i % 2 === 0;
  const s = connect(smtp ? mx! : imap!, '127.0.0.1');
  s.on('error', () => undefined);
  sockets.push(s);
  if (i % 4 < 2) {
    // never reads: pipelines commands whose answers pile up
    s.pause();
    s.once('connect', () => s.write(smtp ? 'EHLO x\r\n' + 'NOOP\r\n'.repeat(20_000) : 'a CAPABILITY\r\n'.repeat(10_000)));
  } else {
    // slow: a byte every second of a command (SMTP: of a message) that never ends
    s.on('data', () => undefined);
    s.once('connect', () => {
      if (smtp) s.write('EHLO x\r\nMAIL FROM:<x@example.org>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n');
      const t = setInterval(() => { if (!s.destroyed) s.write('x'); }, 1000);
      trickles.push(t);
    });
  }
}
for (let i = 0; i < hostile; i++) attacker(i);
await new Promise((r) => setTimeout(r, 2000));

// ---- the honest clients --------------------------------------------------------------------
const latencies: number[] = [];
let errors = 0;
const errorKinds = new Map<string, number>();
const failed = (what: string) => { errors++; const k = what.replace(/\d+/g, 'N').slice(0, 80); errorKinds.set(k, (errorKinds.get(k) ?? 0) + 1); };
const stopAt = Date.now() + seconds * 1000;
const timed = async <T>(fn: () => Promise<T>): Promise<T> => { const t0 = performance.now(); const r = await fn(); latencies.push(performance.now() - t0); return r; };
const body = 'x'.repeat(76) + '\r\n';
async function sender(n: number): Promise<void> {
  while (Date.now() < stopAt) {
    try {
      const c = await RawSmtp.open(mx!);
      await c.reply();
      await timed(() => c.cmd('EHLO honest.example.org'));
      await timed(() => c.cmd('MAIL FROM:<h@example.org>'));
      await timed(() => c.cmd('RCPT TO:<bob@example.test>'));
      await c.cmd('DATA');
      const reply = await timed(async () => { c.write(`From: h@example.org\r\nTo: bob@example.test\r\nSubject: soak ${n}\r\n\r\n${body.repeat(52)}.\r\n`); return c.reply(); });
      if (!reply.startsWith('250')) failed(`smtp DATA: ${reply}`);
      await c.cmd('QUIT').catch(() => '');
      c.close();
    } catch (e) { failed(`smtp: ${(e as Error).message}`); }
  }
}
async function reader(): Promise<void> {
  const c = await RawImapClient.open(imaps!, { tls: true });
  await c.command('LOGIN bob@example.test "correct horse battery"');
  while (Date.now() < stopAt) {
    for (const cmd of ['SELECT INBOX', 'UID FETCH 1:* (FLAGS)', 'NOOP']) {
      const r = await timed(() => c.command(cmd)).catch((e: Error) => { failed(`imap ${cmd}: ${e.message}`); return undefined; });
      if (r && r.status !== 'OK') failed(`imap ${cmd}: ${r.status}`);
    }
    await new Promise((res) => setTimeout(res, 100));
  }
  await c.command('LOGOUT').catch(() => undefined);
}
const load = loadavg()[0];
await Promise.all([...Array.from({ length: 5 }, (_, i) => sender(i)), ...Array.from({ length: 5 }, () => reader())]);
const openHostile = sockets.filter((s) => !s.destroyed).length;
const peak = peakRss();
for (const t of trickles) clearInterval(t);
for (const s of sockets) s.destroy();
latencies.sort((a, b) => a - b);
const q = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]! * 10) / 10;
console.log(JSON.stringify({
  hostile, seconds, honestOps: latencies.length, honestErrors: errors, p50Ms: q(0.5), p99Ms: q(0.99), maxMs: q(1),
  hostileStillOpen: openHostile, rssAtStartMB: Math.round(rssAtStart), peakRssMB: Math.round(peak), load1: Math.round(load * 10) / 10,
  processUp: child.exitCode === null, ...(errorKinds.size ? { errorKinds: Object.fromEntries(errorKinds) } : {}),
}));
child.kill('SIGTERM');
await exited;
rmSync(dir, { recursive: true, force: true });
process.exit(0);
