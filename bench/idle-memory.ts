// Idle memory of the appliance (issue 20: under 80 MB): `postern start` with every listener of the
// default configuration but Tor (off here: no Tor network), one empty account, left alone for
// SETTLE seconds; then RSS/PSS from /proc and a heap snapshot (--heapsnapshot-signal) summarised
// by what holds the bytes: V8's node types (code, strings, arrays...) and the largest
// constructors, plus the JS modules loaded (the script names in the snapshot), so BENCHMARKS.md
// can explain the idle heap line by line.
// Usage: node dist/bench/idle-memory.js [SETTLE=10] [--keep DIR] (keeps the .heapsnapshot in DIR)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { freePorts } from '../test/harness/ports.js';

const BIN = fileURLToPath(new URL('../../bin/postern.js', import.meta.url));
const settle = Number(process.argv[2] ?? 10);
const keepAt = process.argv.indexOf('--keep');
const keep = keepAt > 0 ? process.argv[keepAt + 1] : undefined;

function field(pid: number, file: string, name: string): number {
  const m = new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'));
  return Math.round(Number(m?.[1] ?? 0) / 1024);
}

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** Self sizes by V8 node type, the largest "object" constructors, and the loaded scripts. */
export function summarise(path: string): { byType: Array<[string, number]>; byConstructor: Array<[string, number, number]>; scripts: string[]; total: number } {
  const snap = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
  const f = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const n = f.length;
  const iType = f.indexOf('type'), iName = f.indexOf('name'), iSize = f.indexOf('self_size');
  const byType = new Map<string, number>();
  const byCtor = new Map<string, [number, number]>();
  const scripts = new Set<string>();
  let total = 0;
  for (let i = 0; i < snap.nodes.length; i += n) {
    const type = types[snap.nodes[i + iType]!]!;
    const name = snap.strings[snap.nodes[i + iName]!]!;
    const size = snap.nodes[i + iSize]!;
    total += size;
    byType.set(type, (byType.get(type) ?? 0) + size);
    if (type === 'object' || type === 'closure' || type === 'array') {
      const k = `${type}:${name}`;
      const c = byCtor.get(k) ?? [0, 0];
      c[0] += size; c[1]++;
      byCtor.set(k, c);
    }
    if (type === 'code' && /^(file|node):/.test(name)) scripts.add(name);
    if (type === 'object' && name === 'system / Script') { /* names are on the edges; code names suffice */ }
  }
  return {
    byType: [...byType].sort((a, b) => b[1] - a[1]),
    byConstructor: [...byCtor].map(([k, [s, c]]) => [k, s, c] as [string, number, number]).sort((a, b) => b[1] - a[1]).slice(0, 40),
    scripts: [...scripts].sort(),
    total,
  };
}

/** RSS by mapping (file name, or [heap]/[stack]/anonymous), in MB, largest first. */
function mappings(pid: number): Array<[string, number, number]> {
  const by = new Map<string, [number, number]>();
  let name = '';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) { name = head[1] || '(anonymous: V8 heap, malloc arenas, thread stacks)'; name = name.replace(/.*node_modules\//, 'node_modules/'); continue; }
    const m = /^(Rss|Pss):\s+(\d+) kB/.exec(line);
    if (m) { const e = by.get(name) ?? [0, 0]; e[m[1] === 'Rss' ? 0 : 1] += Number(m[2]); by.set(name, e); }
  }
  return [...by].map(([k, [r, p]]) => [k, +(r / 1024).toFixed(1), +(p / 1024).toFixed(1)] as [string, number, number]).sort((a, b) => b[1] - a[1]);
}

const dir = mkdtempSync(join(tmpdir(), 'postern-idle-'));
try {
  const names = ['mx', 'submission', 'submissions', 'imap', 'imaps', 'panel'];
  const ports = await freePorts(names.length);
  const listen = Object.fromEntries(names.map((nm, i) => [nm, `127.0.0.1:${ports[i]}`]));
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ hostname: 'mail.example.test', domains: ['example.test'], dataDir: join(dir, 'data'), listen, tor: { mode: 'off' }, delivery: { dnsServers: ['127.0.0.1:9'] } }));
  const add = spawnSync(process.execPath, [BIN, 'user', 'add', 'alice@example.test', '--config', config], { input: 'benchmark password\n', encoding: 'utf8' });
  if (add.status !== 0) throw new Error(`user add: ${add.stderr}`);
  // As systemd/postern.service runs it: its node flags and Environment (IDLE_NODE_FLAGS overrides)
  const unit = readFileSync(fileURLToPath(new URL('../../systemd/postern.service', import.meta.url)), 'utf8');
  const unitFlags = /^ExecStart=\S*node((?: --\S+)*) /m.exec(unit)?.[1]?.trim() ?? '';
  const flags = (process.env.IDLE_NODE_FLAGS ?? unitFlags).split(' ').filter(Boolean);
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const m of unit.matchAll(/^Environment=(.*)$/gm)) for (const kv of m[1]!.split(' ')) { const [k, v] = kv.split('='); if (k === 'MALLOC_ARENA_MAX') env[k] = process.env.IDLE_NODE_FLAGS !== undefined ? process.env[k] : v; }
  console.error(`node flags: ${flags.join(' ') || '(none)'}, MALLOC_ARENA_MAX=${env.MALLOC_ARENA_MAX ?? '(unset)'}`);
  const child = spawn(process.execPath, [...flags, '--heapsnapshot-signal=SIGUSR2', BIN, 'start', '--config', config], { cwd: dir, env, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => { buf += d.toString(); if (buf.includes('postern: running')) resolve(); });
    child.once('exit', (c) => reject(new Error(`exited ${c}: ${buf}`)));
  });
  await new Promise((r) => setTimeout(r, settle * 1000));
  const pid = child.pid!;
  const rss = field(pid, 'status', 'VmRSS');
  const pss = field(pid, 'smaps_rollup', 'Pss');
  const anon = field(pid, 'smaps_rollup', 'Anonymous');
  const maps = mappings(pid);
  child.kill('SIGUSR2');
  let snapPath: string | undefined;
  for (let i = 0; i < 600 && !snapPath; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const f = readdirSync(dir).find((x) => x.endsWith('.heapsnapshot'));
    // written when the size stops changing
    if (f) { const a = readFileSync(join(dir, f)).length; await new Promise((r) => setTimeout(r, 500)); if (readFileSync(join(dir, f)).length === a && a > 0) snapPath = join(dir, f); }
  }
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  if (!snapPath) throw new Error('no heap snapshot written');
  if (keep) copyFileSync(snapPath, join(keep, 'idle.heapsnapshot'));
  const s = summarise(snapPath);
  const mb = (b: number) => +(b / 1048576).toFixed(2);
  console.log(JSON.stringify({ bench: 'idle-memory', settleSeconds: settle, rssMb: rss, pssMb: pss, anonymousMb: anon, heapSnapshotMb: mb(s.total) }));
  console.log('\n| mapping | RSS MB | PSS MB |\n|---|---:|---:|');
  for (const [k, r, p] of maps.filter((m) => m[1] >= 0.5)) console.log(`| ${k} | ${r} | ${p} |`);
  console.log('\n| V8 node type | MB |\n|---|---:|');
  for (const [t, b] of s.byType) console.log(`| ${t} | ${mb(b)} |`);
  console.log('\n| largest constructors (type:name) | MB | count |\n|---|---:|---:|');
  for (const [k, b, c] of s.byConstructor.slice(0, 25)) console.log(`| ${k.replace(/\|/g, '/')} | ${mb(b)} | ${c} |`);
  const pkgs = new Map<string, number>();
  for (const sc of s.scripts) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(sc);
    const k = m ? m[1]! : /\/dist\/([^/]+\/[^/]+)/.exec(sc)?.[1] ?? sc.replace(/^node:/, 'node:').split('/').slice(0, 1).join('/');
    pkgs.set(k, (pkgs.get(k) ?? 0) + 1);
  }
  console.log(`\nmodules with compiled code in the heap (${s.scripts.length} scripts): ${[...pkgs].sort((a, b) => b[1] - a[1]).map(([k, c]) => `${k} ${c}`).join(', ')}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
