// OpenPGP costs: encryption at rest per message (10 KB and 1 MB), delivery throughput through
// pipeline.accept on a real store with and without it, and the key operations an account pays
// once (create: key + two argon2id seals; unlock; re-seal on a password change).
// Usage: node dist/bench/pgp.js [count10k] [count1m]
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Store } from '../appliance/store/index.js';
import { MailPipeline } from '../appliance/pipeline.js';
import { setQuiet } from '../appliance/log.js';
import { onAccountCreated, onPasswordChanged, setEncryptAtRest, unlockSecretKey } from '../services/pgp/account-keys.js';
import { encryptForStorage } from '../services/pgp/at-rest.js';
setQuiet(true);
const count10k = Number(process.argv[2] ?? 500);
const count1m = Number(process.argv[3] ?? 40);
function message(i, size) {
    const words = 'The household mail appliance keeps every message safe on its own disk. ';
    const body = words.repeat(Math.ceil(size / words.length)).slice(0, size).replace(/(.{76})/g, '$1\r\n');
    return Buffer.from(`From: Sender <sender@example.org>\r\nTo: alice@example.test\r\nSubject: benchmark message ${i}\r\nMessage-ID: <bench-${i}@example.org>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`);
}
function stats(ms) {
    const s = [...ms].sort((a, b) => a - b);
    return { mean: ms.reduce((a, b) => a + b, 0) / ms.length, p50: s[Math.floor(s.length / 2)], p95: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] };
}
const now = () => Number(process.hrtime.bigint()) / 1e6;
const f = (n) => n.toFixed(2);
const dir = mkdtempSync(join(tmpdir(), 'postern-bench-pgp-'));
try {
    const store = Store.open(dir);
    store.domains.ensure('example.test');
    // Key operations (once per account / per password change).
    const create = [];
    const unlock = [];
    const reseal = [];
    for (let i = 0; i < 10; i++) {
        const acc = await store.accounts.create(`user${i}@example.test`, 'benchmark password');
        let t0 = now();
        await onAccountCreated(store, acc, 'benchmark password');
        create.push(now() - t0);
        t0 = now();
        await unlockSecretKey(store, acc.id, 'benchmark password');
        unlock.push(now() - t0);
        t0 = now();
        await onPasswordChanged(store, acc.id, 'another password', 'benchmark password');
        reseal.push(now() - t0);
    }
    console.log('key operation | mean ms | p50 ms | p95 ms');
    for (const [name, ms] of [['create (key + 2 seals)', create], ['unlock (1 seal)', unlock], ['re-seal on password change', reseal]]) {
        const s = stats(ms);
        console.log(`${name} | ${f(s.mean)} | ${f(s.p50)} | ${f(s.p95)}`);
    }
    const alice = await store.accounts.create('alice@example.test', 'benchmark password');
    await onAccountCreated(store, alice, 'benchmark password');
    setEncryptAtRest(store, alice.id, true);
    // Encryption cost per message, alone (no store).
    console.log('\nencryption at rest per message | n | mean ms | p50 ms | p95 ms | CPU ms/msg | size in | size out');
    for (const [size, n] of [[10 * 1024, count10k], [1024 * 1024, count1m]]) {
        const ms = [];
        let out = 0;
        const cpu0 = process.cpuUsage();
        for (let i = 0; i < n; i++) {
            const raw = message(i, size);
            const t0 = now();
            const enc = await encryptForStorage(store, { accountId: alice.id, mailbox: 'INBOX', raw });
            ms.push(now() - t0);
            out = enc.length;
            if (enc === raw)
                throw new Error('not encrypted');
        }
        const cpu = process.cpuUsage(cpu0);
        const s = stats(ms);
        console.log(`${size >= 1024 * 1024 ? '1 MB' : '10 KB'} | ${n} | ${f(s.mean)} | ${f(s.p50)} | ${f(s.p95)} | ${f((cpu.user + cpu.system) / 1000 / n)} | ${message(0, size).length} | ${out}`);
    }
    // Delivery throughput through pipeline.accept (each message its own durable delivery). Off and
    // on alternate in ten rounds, so load from other work on the machine hits both alike.
    const pipeline = new MailPipeline(store);
    pipeline.onStorage((m) => encryptForStorage(store, m));
    console.log('\ndelivery via pipeline.accept | n each | at rest off msg/s | at rest on msg/s | on/off | CPU ms/msg off | CPU ms/msg on');
    let serial = 0;
    for (const [size, n] of [[10 * 1024, count10k], [1024 * 1024, count1m]]) {
        const elapsed = [0, 0];
        const cpuMs = [0, 0];
        const rounds = 10;
        for (let r = 0; r < rounds; r++) {
            for (const on of [false, true]) {
                setEncryptAtRest(store, alice.id, on);
                const batch = Array.from({ length: Math.ceil(n / rounds) }, () => message(++serial, size));
                const t0 = now();
                const c0 = process.cpuUsage();
                for (const m of batch)
                    await pipeline.accept([{ accountId: alice.id }], undefined, m);
                const c1 = process.cpuUsage(c0);
                elapsed[on ? 1 : 0] += now() - t0;
                cpuMs[on ? 1 : 0] += (c1.user + c1.system) / 1000;
            }
        }
        const per = Math.ceil(n / rounds) * rounds;
        const rate = elapsed.map((ms) => per / (ms / 1000));
        console.log(`${size >= 1024 * 1024 ? '1 MB' : '10 KB'} | ${per} | ${rate[0].toFixed(1)} | ${rate[1].toFixed(1)} | ${(rate[1] / rate[0]).toFixed(2)} | ${f(cpuMs[0] / per)} | ${f(cpuMs[1] / per)}`);
    }
    const ok = store.check().ok;
    store.close();
    console.log(`\nfsck ${ok ? 'clean' : 'NOT CLEAN'}; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
    if (!ok)
        process.exitCode = 1;
}
finally {
    rmSync(dir, { recursive: true, force: true });
}
//# sourceMappingURL=pgp.js.map