// A box for update tests: a release root and a data folder in a temporary folder, a signing key,
// loopback ports, a local DNS server, and helpers to make signed releases, run the current
// release's CLI (as /usr/local/bin/postern does on the box), keep an SMTP client sending, and read
// alice's INBOX over IMAP. The appliance runs as a real process (update.service "process").
import { spawn } from 'node:child_process';
import { readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import nodemailer from 'nodemailer';
import { ImapFlow } from 'imapflow';
import { tempDir } from './appliance.js';
import { freePorts } from './ports.js';
import { startDnsServer } from './dns-server.js';
import { releaseTree, REPO } from './release-tree.js';
import { formatPublicKey, generateKey } from '../../appliance/update/minisign.js';
import { writeBundle } from '../../appliance/update/bundle.js';
export { REPO };
export async function updateBox(prefix) {
    const dir = tempDir(prefix);
    const root = join(dir, 'opt');
    const data = join(dir, 'data');
    const key = generateKey();
    const pubFile = join(dir, 'update.pub');
    writeFileSync(pubFile, formatPublicKey(key));
    const dns = await startDnsServer({});
    const [mx, submission, imap, imaps, panel] = await freePorts(5);
    const cfgFile = join(dir, 'config.json');
    writeFileSync(cfgFile, JSON.stringify({
        hostname: 'mail.example.test', domains: ['example.test'], dataDir: data,
        listen: { mx: `127.0.0.1:${mx}`, submission: `127.0.0.1:${submission}`, imap: `127.0.0.1:${imap}`, imaps: `127.0.0.1:${imaps}`, panel: `127.0.0.1:${panel}` },
        tor: { mode: 'off' }, smtp: { messagesPerMinutePerClient: 100000, maxConnectionsPerClient: 100 },
        delivery: { dnsServers: [dns.address] },
        update: { root, publicKey: pubFile, healthSeconds: 25, service: 'process' },
    }, null, 1));
    async function close() {
        let pid = 0;
        try {
            pid = Number(readFileSync(join(root, 'state', 'app.pid'), 'utf8'));
            process.kill(pid, 'SIGKILL');
        }
        catch { /* not running */ }
        for (let i = 0; pid && i < 100; i++) {
            try {
                process.kill(pid, 0);
            }
            catch {
                break;
            }
            await new Promise((r) => setTimeout(r, 50));
        }
        await dns.close();
        if (!process.env.POSTERN_KEEP)
            rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
    }
    function run(cli, args, input = '') {
        return new Promise((resolve, reject) => {
            const p = spawn(process.execPath, [cli, ...args, '--config', cfgFile], { stdio: ['pipe', 'pipe', 'pipe'] });
            let stdout = '', stderr = '';
            p.stdout.on('data', (d) => (stdout += d));
            p.stderr.on('data', (d) => (stderr += d));
            p.on('error', reject);
            p.on('close', (code) => resolve({ code, stdout, stderr }));
            p.stdin.end(input);
        });
    }
    /** the box's CLI as /usr/local/bin/postern runs it: the current release's */
    const postern = (args, input) => run(join(root, 'current', 'bin', 'postern.js'), args, input);
    const current = () => readlinkSync(join(root, 'current'));
    const status = () => JSON.parse(readFileSync(join(root, 'state', 'status.json'), 'utf8'));
    const appPid = () => Number(readFileSync(join(root, 'state', 'app.pid'), 'utf8'));
    const tables = () => {
        const db = new Database(join(data, 'postern.db'), { readonly: true });
        try {
            return {
                tables: db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((r) => r.name),
                migrations: db.prepare('SELECT id FROM schema_migrations').all().map((r) => r.id),
            };
        }
        finally {
            db.close();
        }
    };
    async function bundle(version, migrations = [], signer = key) {
        const tree = releaseTree(dir, { version, migrations });
        const out = join(dir, `postern-${version}.tar.gz`);
        await writeBundle({ root: tree, version, arch: process.arch === 'arm64' ? 'arm64' : 'amd64', node: '', key: signer, out, gzipLevel: 1 });
        rmSync(tree, { recursive: true, force: true });
        return out;
    }
    /** An SMTP client that keeps sending to alice until stopped; it remembers every 250. */
    function sender(label) {
        const transport = nodemailer.createTransport({ host: '127.0.0.1', port: mx, secure: false, ignoreTLS: true, connectionTimeout: 3000, greetingTimeout: 3000, socketTimeout: 30_000 });
        const acked = [];
        let refused = 0;
        let stop = false;
        let lastOk = 0;
        let longestGap = 0;
        const done = (async () => {
            for (let i = 0; !stop; i++) {
                const id = `<${label}-${i}-${Date.now()}@example.org>`;
                try {
                    const info = await transport.sendMail({ from: 'sender@example.org', to: 'alice@example.test', subject: `${label} ${i}`, messageId: id, text: `message ${i} of ${label}\n` });
                    if (/^250/.test(info.response)) {
                        const now = Date.now();
                        if (lastOk)
                            longestGap = Math.max(longestGap, now - lastOk);
                        lastOk = now;
                        acked.push(id);
                    }
                }
                catch {
                    refused++;
                    await new Promise((r) => setTimeout(r, 100));
                }
                await new Promise((r) => setTimeout(r, 30));
            }
        })();
        return { acked, get refused() { return refused; }, get longestGap() { return longestGap; }, async stop() { stop = true; await done; transport.close(); } };
    }
    async function inboxIds() {
        const client = new ImapFlow({ host: '127.0.0.1', port: imaps, secure: true, tls: { ca: readFileSync(join(data, 'tls', 'ca.crt'), 'utf8'), servername: 'mail.example.test' }, auth: { user: 'alice@example.test', pass: 'alice password 1' }, logger: false });
        await client.connect();
        const ids = new Set();
        const subjects = [];
        try {
            // every folder: "readable" wherever the box filed it (the junk filter may file some in Junk)
            for (const mb of await client.list()) {
                if (mb.flags.has('\\Noselect'))
                    continue;
                const lock = await client.getMailboxLock(mb.path);
                try {
                    if (client.mailbox && client.mailbox.exists > 0) {
                        for await (const m of client.fetch('1:*', { envelope: true })) {
                            if (m.envelope?.messageId)
                                ids.add(m.envelope.messageId);
                            subjects.push(m.envelope?.subject ?? '');
                        }
                    }
                }
                finally {
                    lock.release();
                }
            }
        }
        finally {
            await client.logout();
        }
        return { ids, subjects };
    }
    const missing = (acked, ids) => acked.filter((id) => !ids.has(id));
    const waitFor = async (cond) => { while (!cond())
        await new Promise((r) => setTimeout(r, 50)); };
    return { dir, root, data, key, cfgFile, run, postern, current, status, appPid, tables, bundle, sender, inboxIds, missing, waitFor, close };
}
//# sourceMappingURL=update-box.js.map