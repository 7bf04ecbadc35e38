// Certificate re-issue cost: the appliance re-issues its two server certificates (ECDSA P-256 and
// RSA-2048) when a domain is added; keeping the key pairs (what peers pin) skips generating keys,
// RSA-2048 above all. RUNS re-issues with a new name each time (keys kept) against RUNS with
// rotateKey (new keys, `postern cert rotate-key`), alternating, on a temporary folder.
//   node dist/bench/tls-reissue.js [RUNS=8]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTls } from '../appliance/tls/authority.js';
const RUNS = Number(process.argv[2] ?? 8);
const dir = mkdtempSync(join(tmpdir(), 'postern-bench-tls-'));
const kept = [];
const rotated = [];
const names = ['example.test'];
try {
    await ensureTls(dir, 'mail.example.test', names);
    for (let i = 0; i < RUNS; i++) {
        names.push(`d${i}.test`);
        let t0 = performance.now();
        await ensureTls(dir, 'mail.example.test', names);
        kept.push(performance.now() - t0);
        t0 = performance.now();
        await ensureTls(dir, 'mail.example.test', names, { rotateKey: true });
        rotated.push(performance.now() - t0);
    }
}
finally {
    rmSync(dir, { recursive: true, force: true });
}
const stat = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return `median ${s[Math.floor(s.length / 2)].toFixed(0)} ms, min ${s[0].toFixed(0)} ms, max ${s[s.length - 1].toFixed(0)} ms`;
};
console.log(`re-issue keeping the keys (${RUNS} runs): ${stat(kept)}`);
console.log(`re-issue with new keys    (${RUNS} runs): ${stat(rotated)}`);
//# sourceMappingURL=tls-reissue.js.map