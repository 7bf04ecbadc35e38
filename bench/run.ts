// npm run bench: every benchmark, one after another, each in its own process (so peak RSS is its
// own). `npm run bench -- NAME...` runs only those. Results go to stdout; copy them to BENCHMARKS.md.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface Bench { name: string; file: string; args?: string[] }

const BENCHES: Bench[] = [
  { name: 'store-drivers', file: 'store-drivers.js' },
  { name: 'local-delivery-4k', file: 'local-delivery.js', args: ['10000', '4096'] },
  { name: 'local-delivery-100k', file: 'local-delivery.js', args: ['10000', '102400'] },
  { name: 'local-delivery-4k-group', file: 'local-delivery.js', args: ['10000', '4096', '20'] },
  { name: 'panel-weight', file: 'panel-weight.js', args: ['200'] },
  { name: 'cli-startup', file: 'cli-startup.js', args: ['10'] },
  { name: 'smtp', file: 'smtp.js', args: ['5000', '20', '4096'] },
  { name: 'delivery', file: 'delivery.js' },
  { name: 'imap-parser', file: 'imap-parser.js', args: ['200000'] },
  { name: 'imap', file: 'imap.js', args: ['10000', '10', '10'] },
  { name: 'imaptest', file: 'imaptest.js', args: ['30', '10'] },
  { name: 'imap-namespace', file: 'imap-namespace.js', args: ['1000', '30'] },
  { name: 'imap-recent', file: 'imap-recent.js', args: ['100', '1000', '10'] },
  { name: 'tls-reissue', file: 'tls-reissue.js', args: ['8'] },
  { name: 'pgp', file: 'pgp.js', args: ['500', '40'] },
  { name: 'smtorp-latency', file: 'smtorp-latency.js', args: ['20'] },
  { name: 'mime-bomb', file: 'mime-bomb.js', args: ['5'] },
  { name: 'backup', file: 'backup.js', args: ['10000'] },
  { name: 'junk', file: 'junk.js' },
  { name: 'junk-e2e', file: 'junk-e2e.js' },
  { name: 'junk-timing', file: 'junk-timing.js' },
  { name: 'junk-compare', file: 'junk-tune.js', args: ['{}', '{"s":0.45,"minStrength":0.1}', '{"ftrl":1}', '{"ftrl":1,"l1":0.1,"alpha":0.2,"epochs":3}'] },
  { name: 'scale', file: 'scale.js', args: ['100000', '5'] },
  { name: 'idle-memory', file: 'idle-memory.js', args: ['10'] },
  { name: 'update', file: 'update.js' },
  { name: 'imap-sequence', file: 'imap-sequence.js', args: ['10000'] },
  { name: 'soak', file: 'soak.js', args: ['200', '60'] },
  { name: 'import-imap', file: 'import.js', args: ['10000', '0'] },
  { name: 'import-mbox', file: 'import.js', args: ['0', '1024'] },
];

const wanted = process.argv.slice(2);
let failed = 0;
for (const b of BENCHES) {
  if (wanted.length && !wanted.includes(b.name)) continue;
  const file = fileURLToPath(new URL(`./${b.file}`, import.meta.url));
  if (!existsSync(file)) { console.log(`# ${b.name}: ${b.file} is missing`); failed++; continue; }
  console.log(`# ${b.name}`);
  const r = spawnSync(process.execPath, [file, ...(b.args ?? [])], { stdio: 'inherit' });
  if (r.status !== 0) { console.log(`# ${b.name} failed (exit ${r.status})`); failed++; }
}
process.exit(failed ? 1 : 0);
