// Updates: time from `postern update apply` to serving again, and the downtime an SMTP client sees,
// for a successful update (N -> N+1 with a migration) and an automatic rollback (N+1 -> N+2 that
// exits at start), with real processes (test/harness/update-box.ts: releases from this checkout
// without the bundled runtime). Bundle sizes per architecture come from `npm run bundle` (its last
// line), see BENCHMARKS.md.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { updateBox, REPO } from '../test/harness/update-box.js';
const box = await updateBox('postern-bench-update-');
try {
    const probe = { id: '920-update-probe', sql: 'CREATE TABLE update_probe (id INTEGER PRIMARY KEY);' };
    const first = await box.run(join(REPO, 'bin', 'postern.js'), ['update', 'apply', await box.bundle('1.0.0')]);
    if (first.code !== 0)
        throw new Error(first.stderr);
    await box.postern(['user', 'add', 'alice@example.test'], 'alice password 1\n');
    const rows = [];
    for (const [version, migrations, label] of [['1.1.0', [probe], 'update N -> N+1 (one migration)'], ['1.2.0', [probe, { id: '921-broken', sql: 'ALTER TABLE nope ADD COLUMN x;' }], 'N+1 -> broken N+2, rolled back']]) {
        const b = await box.bundle(version, [...migrations]);
        const size = statSync(b).size;
        const s = box.sender(version);
        await box.waitFor(() => s.acked.length >= 3);
        const t0 = Date.now();
        const r = await box.postern(['update', 'apply', b]);
        const applyMs = Date.now() - t0;
        const after = s.acked.length;
        await box.waitFor(() => s.acked.length >= after + 3);
        await s.stop();
        const missing = box.missing(s.acked, (await box.inboxIds()).ids).length;
        const last = box.status().last;
        rows.push(`| ${label} | ${(size / 1048576).toFixed(1)} | ${r.code === 0 ? 'installed' : last.result} | ${(applyMs / 1000).toFixed(1)} | ${last.downtimeMs !== undefined ? (last.downtimeMs / 1000).toFixed(1) : '-'} | ${(s.longestGap / 1000).toFixed(1)} | ${s.refused} | ${s.acked.length} | ${missing} |`);
    }
    console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log('| step | bundle MiB (no runtime) | result | apply -> serving again (s) | SMTP down, updater clock (s) | longest gap between two 250s, client (s) | connections refused | messages acknowledged | acknowledged but missing |');
    console.log('|---|---:|---|---:|---:|---:|---:|---:|---:|');
    for (const r of rows)
        console.log(r);
}
finally {
    await box.close();
}
//# sourceMappingURL=update.js.map