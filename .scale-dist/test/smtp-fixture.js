// A real SMTP service for the SMTP tests: a store on disk in a temp folder, the box's TLS material,
// real listeners on free loopback ports, an in-process DNS map for mailauth (no real DNS), and small
// clients: a raw SMTP dialogue over a socket (plain or TLS) and swaks.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { execFile } from 'node:child_process';
import { validateConfig } from '../appliance/config.js';
import { Store } from '../appliance/store/index.js';
import { ensureTls } from '../appliance/tls/authority.js';
import { MailPipeline } from '../appliance/pipeline.js';
import { setQuiet } from '../appliance/log.js';
import { startSmtpService } from '../services/smtp/index.js';
import { tempDir } from './harness/appliance.js';
import { freePorts } from './harness/ports.js';
export const PASSWORD = 'correct horse battery';
export function fakeResolver(map) {
    return async (name, type) => {
        const v = map[`${name.toLowerCase()} ${type.toUpperCase()}`];
        if (v)
            return v;
        const e = new Error(`queryTxt ENOTFOUND ${name}`);
        e.code = 'ENOTFOUND';
        throw e;
    };
}
export async function startSmtpFixture(opts = {}) {
    setQuiet(!process.env.POSTERN_TEST_LOGS);
    const dir = tempDir('postern-smtp-');
    const kinds = opts.listeners ?? ['mx', 'mxOnion', 'submission', 'submissions'];
    const ports = await freePorts(kinds.length);
    const listen = {};
    kinds.forEach((k, i) => { listen[k] = `127.0.0.1:${ports[i]}`; });
    const config = validateConfig({ hostname: 'mail.example.test', domains: ['example.test'], dataDir: join(dir, 'data'), listen, tor: { mode: 'off' }, smtp: opts.smtp ?? {} }, { baseDir: dir, torOnPath: false });
    const tls = await ensureTls(join(dir, 'tls'), config.hostname, config.domains);
    const store = Store.open(config.dataDir);
    store.domains.ensure('example.test');
    const a = await store.accounts.create('alice@example.test', PASSWORD);
    const b = await store.accounts.create('bob@example.test', PASSWORD);
    const pipeline = new MailPipeline(store);
    const dns = {};
    const ctx = { config, tls, store, pipeline, appliance: {} };
    const service = await startSmtpService(ctx, { resolver: fakeResolver(dns), authFailureDelayMs: 10, ...opts.tuning });
    if (!service)
        throw new Error('no SMTP listener started');
    return {
        dir, store, config, tls, pipeline, service, dns,
        alice: { id: a.id, address: a.address },
        bob: { id: b.id, address: b.address },
        port: (kind) => service.port(kind) ?? (() => { throw new Error(`no ${kind} listener`); })(),
        async close() {
            await service.close(500);
            store.close();
            rmSync(dir, { recursive: true, force: true });
        },
    };
}
/** A line-oriented SMTP client for raw dialogues: send lines, read full replies. */
export class RawSmtp {
    socket;
    buf = '';
    waiters = [];
    closed = false;
    constructor(socket) {
        this.socket = socket;
        this.attach(socket);
    }
    attach(s) {
        s.setEncoding('latin1');
        s.on('data', (d) => { this.buf += d; this.wake(); });
        s.on('close', () => { this.closed = true; this.wake(); });
        s.on('error', () => { this.closed = true; this.wake(); });
    }
    wake() { const w = this.waiters; this.waiters = []; for (const f of w)
        f(); }
    static async open(port, opts = {}) {
        const sock = await new Promise((resolve, reject) => {
            const s = opts.tls
                ? tlsConnect({ host: '127.0.0.1', port, ...opts.tls }, () => resolve(s))
                : netConnect({ host: '127.0.0.1', port }, () => resolve(s));
            s.once('error', reject);
        });
        if (opts.proxy)
            sock.write(opts.proxy);
        return new RawSmtp(sock);
    }
    /** Read one complete reply (all continuation lines). */
    async reply(timeoutMs = 10_000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            const m = /^((?:\d{3}-[^\n]*\n)*\d{3}(?: [^\n]*)?\n)/.exec(this.buf);
            if (m) {
                this.buf = this.buf.slice(m[1].length);
                return m[1].replace(/\r?\n$/, '');
            }
            if (this.closed)
                return this.buf ? this.buf.trim() : '(closed)';
            const left = deadline - Date.now();
            if (left <= 0)
                throw new Error(`no SMTP reply within ${timeoutMs} ms (have ${JSON.stringify(this.buf)})`);
            await new Promise((r) => { const t = setTimeout(r, left); this.waiters.push(() => { clearTimeout(t); r(); }); });
        }
    }
    write(data) { this.socket.write(data); }
    async cmd(line) { this.write(line + '\r\n'); return this.reply(); }
    async starttls(opts = {}) {
        const r = await this.cmd('STARTTLS');
        if (!r.startsWith('220'))
            throw new Error(`STARTTLS refused: ${r}`);
        this.socket.removeAllListeners('data');
        this.socket.removeAllListeners('close');
        this.socket.removeAllListeners('error');
        const t = await new Promise((resolve, reject) => {
            const s = tlsConnect({ socket: this.socket, servername: 'mail.example.test', ...opts }, () => resolve(s));
            s.once('error', reject);
        });
        this.socket = t;
        this.attach(t);
        return t;
    }
    close() { this.socket.destroy(); }
}
export function tlsTo(fx, extra = {}) {
    return { ca: fx.tls.ca, servername: 'mail.example.test', ...extra };
}
/** A simple message with CRLF line ends. */
export function message(opts) {
    return `From: ${opts.from}\r\nTo: ${opts.to}\r\nSubject: ${opts.subject}\r\nDate: Mon, 23 Nov 2026 12:00:00 +0000\r\nMessage-ID: <${opts.subject.replace(/\W/g, '')}.${Date.now()}@example.org>\r\n${opts.extraHeaders ?? ''}\r\n${opts.body ?? 'Hello.'}\r\n`;
}
/** Run swaks; resolves with its exit code and its whole transcript. */
export function swaks(args, timeoutMs = 30_000) {
    return new Promise((resolve) => {
        execFile('swaks', ['--server', '127.0.0.1', '--helo', 'client.example.org', '--timeout', '15', ...args], { timeout: timeoutMs }, (err, stdout, stderr) => {
            const code = err ? (typeof err.code === 'number' ? err.code : 99) : 0;
            resolve({ code, out: `${stdout}\n${stderr}` });
        });
    });
}
/** Messages in a mailbox with their raw text. */
export function mailbox(store, accountId, name = 'INBOX') {
    const mb = store.mailboxes.get(accountId, name);
    if (!mb)
        return [];
    return store.messages.list(mb.id).map((m) => store.readMessage(store.messages.blob(m.blobId).hash).toString('latin1'));
}
//# sourceMappingURL=smtp-fixture.js.map