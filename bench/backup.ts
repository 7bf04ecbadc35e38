// Backup benchmark (issue 16): a store with N messages (sizes 1-20 KB, mean about 10 KB), then
// `backup run` to a folder, to an IMAP account on a throwaway Dovecot (TLS) and to a peer box over
// a private Tor network on loopback (box B, a real appliance with its own tor, holding A's backup
// behind its SMTP onion), a second run after 1 % more mail (the incremental case), and a restore
// from each into an empty folder. Each operation runs in its own process (the real CLI) so its
// peak RSS is its own.
//   node dist/bench/backup.js [COUNT] [TARGETS]    (TARGETS: folder,imap,peer by default)
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store } from '../appliance/store/index.js';
import { tempDir } from '../test/harness/appliance.js';
import { startDovecot } from '../test/harness/dovecot.js';
import { message, recoveryCodeOf } from '../test/harness/backup-box.js';
import { startTestAppliance, type TestAppliance } from '../test/harness/appliance.js';
import { startTorNetwork, type TorNetwork } from '../test/harness/tor-net.js';
import { waitFor } from '../test/harness/smtorp-pair.js';
import { validateConfig } from '../appliance/config.js';
import { ensureTls } from '../appliance/tls/authority.js';
import { addPeerCard, makeOwnCard } from '../services/smtorp/index.js';
import { onionIdentity } from '../services/tor/keys.js';
import type { TorService } from '../services/tor/index.js';
import { HoldBook } from '../appliance/backup/holds.js';
import { writeFileSync } from 'node:fs';

const COUNT = Number(process.argv[2] ?? 10000);
const TARGETS = (process.argv[3] ?? 'folder,imap,peer').split(',');
const BIN = fileURLToPath(new URL('../../bin/postern.js', import.meta.url));

function size(i: number): number {
  return 1000 + ((i * 7919) % 19000);
}

/** The CLI under /usr/bin/time: wall time and peak RSS of that process alone. Not spawnSync: box B
 *  runs in this process and must go on answering while the CLI talks to it. */
function timed(args: string[], input = '', mayFail = false): Promise<{ ms: number; rssMiB: number; out: string; code: number | null; err: string }> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const p = spawn('/usr/bin/time', ['-f', 'MAXRSS %M', process.execPath, BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    p.on('error', reject);
    p.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0 && !mayFail) { reject(new Error(`postern ${args.join(' ')} failed: ${err}`)); return; }
      resolve({ ms, rssMiB: Number(/MAXRSS (\d+)/.exec(err)?.[1] ?? NaN) / 1024, out, code, err });
    });
    p.stdin.end(input);
  });
}

function fill(store: Store, accountId: number, from: number, to: number): number {
  let bytes = 0;
  store.transaction(() => {
    for (let i = from; i < to; i++) {
      const raw = message(i, 'alice@example.test', size(i));
      bytes += raw.length;
      store.deliver([{ accountId }], raw);
    }
  });
  return bytes;
}

const LABEL: Record<string, string> = { folder: 'folder', imap: 'IMAP (Dovecot, TLS)', peer: 'peer box over Tor' };
const work = tempDir('postern-bench-backup-');
const dovecot = TARGETS.includes('imap') ? await startDovecot({ tls: true }) : undefined;
let net: TorNetwork | undefined;
let b: TestAppliance | undefined;
try {
  const dataDir = join(work, 'a');
  const store = Store.open(dataDir);
  store.domains.ensure('example.test');
  const acc = await store.accounts.create('alice@example.test', 'correct horse battery');
  const mailBytes = fill(store, acc.id, 0, COUNT);
  let tor: Record<string, unknown> = { mode: 'off' };
  let onionB = '';
  if (TARGETS.includes('peer')) {
    // B: a real appliance with its own tor on the private network; A: the TLS and onion keys a
    // started box has, and each box the other's peer card; B holds A's backups
    net = await startTorNetwork({ timeoutMs: 300_000 });
    b = await startTestAppliance({ listeners: ['mxOnion', 'backupOnion'], config: { hostname: 'mail.peer-b.test', domains: ['peer-b.test'], tor: { mode: 'launch', torrcInclude: net.joinTorrc }, delivery: { dnsServers: ['127.0.0.1:9'] } } });
    const cfgA = validateConfig({ hostname: 'mail.example.test', domains: ['example.test'], dataDir, listen: {}, tor: { mode: 'off' } }, { baseDir: process.cwd(), torOnPath: false });
    const tlsA = await ensureTls(join(dataDir, 'tls'), cfgA.hostname, cfgA.domains);
    addPeerCard(store, cfgA, makeOwnCard(b.config, b.appliance.tls));
    addPeerCard(b.store, b.config, makeOwnCard(cfgA, tlsA));
    new HoldBook(b.store).add(onionIdentity(cfgA, 'smtp').address, tlsA.serverSpki[0]!, 10 * 1024 ** 3);
    onionB = onionIdentity(b.config, 'smtp').address;
    const torB = b.appliance.service<TorService>('tor')!;
    await waitFor("B's onion to be published", () => torB.status().onions.find((o) => o.name === 'smtp')!.published || undefined, 300_000, 1000);
    // A's CLI uses the network's client tor (as a box on a system tor would: "attach")
    tor = { mode: 'attach', control: `127.0.0.1:${net.client.controlPort}`, cookieFile: net.client.cookieFile, socks: `127.0.0.1:${net.client.socksPort}` };
  }
  store.close();
  const cfg = join(work, 'a.json');
  writeFileSync(cfg, JSON.stringify({ hostname: 'mail.example.test', domains: ['example.test'], dataDir, listen: {}, tor }));
  console.log(`${COUNT} messages, ${(mailBytes / 1048576).toFixed(1)} MiB of mail`);
  const url = dovecot ? `imaps://${dovecot.user}:${dovecot.password}@127.0.0.1:${dovecot.port}/Postern%20Backup?ca=${encodeURIComponent(join(dovecot.dir, 'cert.pem'))}&servername=localhost` : '';
  const code = recoveryCodeOf((await timed(['backup', 'key', 'init', '--config', cfg])).out);
  if (TARGETS.includes('folder')) await timed(['backup', 'target', 'add', 'folder', 'folder', join(work, 'usb'), '--config', cfg]);
  if (TARGETS.includes('imap')) await timed(['backup', 'target', 'add', 'imap', 'imap', url, '--config', cfg]);
  if (TARGETS.includes('peer')) {
    await waitFor("A to reach B's backup port over Tor", async () => {
      const r = await timed(['backup', 'target', 'add', 'peer', 'peer', onionB, '--config', cfg], '', true);
      if (r.code === 0) return true;
      if (/cannot reach the peer box/.test(r.err)) return undefined;
      throw new Error(r.err);
    }, 300_000, 3000);
  }

  const rows: string[] = [];
  const sent = (out: string): string => { const m = /; (\d+) object\(s\), (\d+) bytes sent/.exec(out); return m ? `${m[1]} objects, ${(Number(m[2]) / 1048576).toFixed(1)} MiB` : '?'; };
  for (const target of TARGETS) {
    const first = await timed(['backup', 'run', target, '--config', cfg]);
    rows.push(`| ${LABEL[target]} | first backup | ${(first.ms / 1000).toFixed(1)} | ${sent(first.out)} | ${first.rssMiB.toFixed(0)} |`);
    console.error(rows.at(-1));
  }
  const s2 = Store.open(dataDir);
  fill(s2, acc.id, COUNT, COUNT + Math.ceil(COUNT / 100));
  s2.close();
  for (const target of TARGETS) {
    const inc = await timed(['backup', 'run', target, '--config', cfg]);
    rows.push(`| ${LABEL[target]} | incremental (+1 %) | ${(inc.ms / 1000).toFixed(1)} | ${sent(inc.out)} | ${inc.rssMiB.toFixed(0)} |`);
    console.error(rows.at(-1));
  }
  const from: Record<string, string[]> = { folder: ['--from-folder', join(work, 'usb')], imap: ['--from-imap', url], peer: ['--from-peer', onionB, '--socks', `127.0.0.1:${net?.client.socksPort}`] };
  for (const target of TARGETS) {
    const dir = join(work, `restore-${target}`);
    const r = await timed(['restore', ...from[target]!, '--data', dir], code + '\n');
    const m = /(\d+) message\(s\)/.exec(r.out);
    rows.push(`| ${LABEL[target]} | restore (${m?.[1] ?? '?'} messages, fsck included) | ${(r.ms / 1000).toFixed(1)} | - | ${r.rssMiB.toFixed(0)} |`);
    console.error(rows.at(-1));
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('| target | operation | seconds | sent | peak RSS (MiB) |\n|---|---|---:|---|---:|');
  for (const r of rows) console.log(r);
} finally {
  await b?.stop();
  await net?.stop();
  await dovecot?.stop();
  rmSync(work, { recursive: true, force: true });
}
