// Backup benchmark (issue 16): a store with N messages (sizes 1-20 KB, mean about 10 KB), then
// `backup run` to a folder and to an IMAP account on a throwaway Dovecot (TLS), a second run after
// 1 % more mail (the incremental case), and a restore from each into an empty folder. Each
// operation runs in its own process (the real CLI) so its peak RSS is its own.
//   node dist/bench/backup.js [COUNT]
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store } from '../appliance/store/index.js';
import { tempDir } from '../test/harness/appliance.js';
import { startDovecot } from '../test/harness/dovecot.js';
import { cliConfig, message, recoveryCodeOf } from '../test/harness/backup-box.js';
const COUNT = Number(process.argv[2] ?? 10000);
const BIN = fileURLToPath(new URL('../../bin/postern.js', import.meta.url));
function size(i) {
    return 1000 + ((i * 7919) % 19000);
}
/** The CLI under /usr/bin/time: wall time and peak RSS of that process alone. */
function timed(args, input = '') {
    const t0 = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-f', 'MAXRSS %M', process.execPath, BIN, ...args], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0)
        throw new Error(`postern ${args.join(' ')} failed: ${r.stderr}`);
    const rss = Number(/MAXRSS (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024;
    return { ms, rssMiB: rss, out: r.stdout };
}
function fill(store, accountId, from, to) {
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
const work = tempDir('postern-bench-backup-');
const dovecot = await startDovecot({ tls: true });
try {
    const dataDir = join(work, 'a');
    const store = Store.open(dataDir);
    store.domains.ensure('example.test');
    const acc = await store.accounts.create('alice@example.test', 'correct horse battery');
    const mailBytes = fill(store, acc.id, 0, COUNT);
    store.close();
    const cfg = cliConfig(dataDir, join(work, 'a.json'));
    console.log(`${COUNT} messages, ${(mailBytes / 1048576).toFixed(1)} MiB of mail`);
    const url = `imaps://${dovecot.user}:${dovecot.password}@127.0.0.1:${dovecot.port}/Postern%20Backup?ca=${encodeURIComponent(join(dovecot.dir, 'cert.pem'))}&servername=localhost`;
    const code = recoveryCodeOf(timed(['backup', 'target', 'add', 'usb', 'folder', join(work, 'usb'), '--config', cfg]).out);
    timed(['backup', 'target', 'add', 'provider', 'imap', url, '--config', cfg]);
    const rows = [];
    const sent = (out) => { const m = /; (\d+) object\(s\), (\d+) bytes sent/.exec(out); return m ? `${m[1]} objects, ${(Number(m[2]) / 1048576).toFixed(1)} MiB` : '?'; };
    for (const target of ['usb', 'provider']) {
        const first = timed(['backup', 'run', target, '--config', cfg]);
        rows.push(`| ${target === 'usb' ? 'folder' : 'IMAP (Dovecot, TLS)'} | first backup | ${(first.ms / 1000).toFixed(1)} | ${sent(first.out)} | ${first.rssMiB.toFixed(0)} |`);
    }
    const s2 = Store.open(dataDir);
    fill(s2, acc.id, COUNT, COUNT + Math.ceil(COUNT / 100));
    s2.close();
    for (const target of ['usb', 'provider']) {
        const inc = timed(['backup', 'run', target, '--config', cfg]);
        rows.push(`| ${target === 'usb' ? 'folder' : 'IMAP (Dovecot, TLS)'} | incremental (+1 %) | ${(inc.ms / 1000).toFixed(1)} | ${sent(inc.out)} | ${inc.rssMiB.toFixed(0)} |`);
    }
    for (const [name, from] of [['folder', ['--from-folder', join(work, 'usb')]], ['IMAP (Dovecot, TLS)', ['--from-imap', url]]]) {
        const dir = join(work, `restore-${name.slice(0, 4)}`);
        const r = timed(['restore', ...from, '--data', dir], code + '\n');
        const m = /(\d+) message\(s\)/.exec(r.out);
        rows.push(`| ${name} | restore (${m?.[1] ?? '?'} messages, fsck included) | ${(r.ms / 1000).toFixed(1)} | - | ${r.rssMiB.toFixed(0)} |`);
        rmSync(dir, { recursive: true, force: true });
    }
    console.log('| target | operation | seconds | sent | peak RSS (MiB) |\n|---|---|---:|---|---:|');
    for (const r of rows)
        console.log(r);
}
finally {
    await dovecot.stop();
    rmSync(work, { recursive: true, force: true });
}
//# sourceMappingURL=backup.js.map