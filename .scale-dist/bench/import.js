// Moving in (issue 18): import over IMAP from a real Dovecot on loopback (implicit TLS, the
// certificate verified against its own CA file), and a large mbox file, each through the same
// code the CLI runs (runImapImport / runFileImport: the group commit, one record per message in
// the same savepoint). Reports messages per second, MB per second and the process's peak RSS
// (this process is the importer; Dovecot runs in its own processes).
// Usage: node dist/bench/import.js [imapMessages=10000] [mboxMB=1024]
import { mkdtempSync, rmSync, createWriteStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Store } from '../appliance/store/index.js';
import { MailPipeline } from '../appliance/pipeline.js';
import { setQuiet } from '../appliance/log.js';
import { runImapImport, runFileImport } from '../appliance/import/index.js';
import { mboxrdEntry } from '../appliance/import/mbox.js';
import { startDovecot } from '../test/harness/dovecot.js';
setQuiet(true);
const imapCount = Number(process.argv[2] ?? 10_000);
const mboxMB = Number(process.argv[3] ?? 1024);
const WORDS = 'The household mail appliance keeps every message safe on its own disk. ';
function message(i) {
    // sizes like real mail: mostly a few KB, every 20th one 100 KB
    const size = i % 20 === 0 ? 100_000 : 2_000 + (i * 997) % 6_000;
    let body = '';
    while (body.length < size)
        body += WORDS.replace('disk', `disk ${i}`) + '\r\n';
    return Buffer.from(`From: Sender <sender${i % 50}@example.org>\r\nTo: family@old.example\r\nSubject: benchmark message ${i}\r\nMessage-ID: <import-bench-${i}@example.org>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body.slice(0, size)}\r\n`);
}
const mb = (n) => (n / 1048576).toFixed(1);
async function freshStore() {
    const dir = mkdtempSync(join(tmpdir(), 'postern-bench-import-'));
    const store = Store.open(dir);
    store.domains.ensure('example.test');
    await store.accounts.create('alice@example.test', 'benchmark password');
    return { dir, store, pipeline: new MailPipeline(store), account: store.accounts.byAddress('alice@example.test') };
}
if (imapCount > 0) {
    const dovecot = await startDovecot({ tls: true });
    let bytes = 0;
    for (let i = 1; i <= imapCount; i++) {
        const m = message(i);
        bytes += m.length;
        dovecot.addMessage(m, i, i % 3 ? 'S' : '');
    }
    const { dir, store, pipeline, account } = await freshStore();
    try {
        const rssBefore = process.memoryUsage().rss;
        const t0 = performance.now();
        const r = await runImapImport(store, pipeline, account, {
            address: { user: dovecot.user, host: '127.0.0.1', port: dovecot.port, secure: true }, password: dovecot.password,
            caFile: join(dovecot.dir, 'cert.pem'), deleteAfter: false, summary: false,
        });
        const secs = (performance.now() - t0) / 1000;
        const peak = process.resourceUsage().maxRSS * 1024;
        console.log(r.line);
        console.log(`imap: ${imapCount} messages, ${mb(bytes)} MB in ${secs.toFixed(1)} s: ${(imapCount / secs).toFixed(0)} messages/s, ${(bytes / 1048576 / secs).toFixed(1)} MB/s; peak RSS ${mb(peak)} MB (RSS before the import ${mb(rssBefore)} MB)`);
    }
    finally {
        store.close();
        rmSync(dir, { recursive: true, force: true });
        await dovecot.stop();
    }
}
if (mboxMB > 0) {
    const { dir, store, pipeline, account } = await freshStore();
    const file = join(dir, 'big.mbox');
    try {
        const out = createWriteStream(file);
        let n = 0;
        for (let written = 0; written < mboxMB * 1048576; n++) {
            const parts = mboxrdEntry(message(n + 1), Date.UTC(2020, 0, 1) + n * 60_000);
            for (const p of parts)
                written += p.length;
            if (!out.write(Buffer.concat(parts)))
                await new Promise((res) => out.once('drain', () => res()));
        }
        await new Promise((res) => out.end(() => res()));
        const size = statSync(file).size;
        const t0 = performance.now();
        const r = await runFileImport(store, pipeline, account, { kind: 'mbox', path: file });
        const secs = (performance.now() - t0) / 1000;
        const peak = process.resourceUsage().maxRSS * 1024;
        console.log(r.line.replace(file, 'big.mbox'));
        console.log(`mbox: ${mb(size)} MB, ${n} messages in ${secs.toFixed(1)} s: ${(n / secs).toFixed(0)} messages/s, ${(size / 1048576 / secs).toFixed(1)} MB/s; peak RSS ${mb(peak)} MB`);
    }
    finally {
        store.close();
        rmSync(dir, { recursive: true, force: true });
    }
}
//# sourceMappingURL=import.js.map