// A real SMTP service for the SMTP tests: a store on disk in a temp folder, the box's TLS material,
// real listeners on free loopback ports, an in-process DNS map for mailauth (no real DNS), and small
// clients: a raw SMTP dialogue over a socket (plain or TLS) and swaks.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket, type ConnectionOptions } from 'node:tls';
import { execFile } from 'node:child_process';
import { validateConfig, type Config } from '../appliance/config.js';
import { Store } from '../appliance/store/index.js';
import { ensureTls, type TlsMaterial } from '../appliance/tls/authority.js';
import { MailPipeline } from '../appliance/pipeline.js';
import type { ApplianceHandle, ServiceContext } from '../appliance/service.js';
import { setQuiet } from '../appliance/log.js';
import { startSmtpService, type SmtpService, type SmtpTuning } from '../services/smtp/index.js';
import type { SmtpListenerKind } from '../services/smtp/transaction.js';
import type { DNSResolver } from '../services/smtp/authentication.js';
import { tempDir } from './harness/appliance.js';
import { freePorts } from './harness/ports.js';

export const PASSWORD = 'correct horse battery';

/** DNS answers by "name TYPE"; TXT answers are arrays of strings (one record = one array). */
export type DnsMap = Record<string, string[][] | string[]>;

export function fakeResolver(map: DnsMap): DNSResolver {
  return async (name: string, type: string) => {
    const v = map[`${name.toLowerCase()} ${type.toUpperCase()}`];
    if (v) return v;
    const e = new Error(`queryTxt ENOTFOUND ${name}`) as NodeJS.ErrnoException;
    e.code = 'ENOTFOUND';
    throw e;
  };
}

export interface SmtpFixture {
  dir: string;
  store: Store;
  config: Config;
  tls: TlsMaterial;
  pipeline: MailPipeline;
  service: SmtpService;
  dns: DnsMap;
  alice: { id: number; address: string };
  bob: { id: number; address: string };
  port(kind: SmtpListenerKind): number;
  close(): Promise<void>;
}

export async function startSmtpFixture(opts: { smtp?: Record<string, unknown>; tuning?: SmtpTuning; listeners?: SmtpListenerKind[] } = {}): Promise<SmtpFixture> {
  setQuiet(!process.env.POSTERN_TEST_LOGS);
  const dir = tempDir('postern-smtp-');
  const kinds = opts.listeners ?? ['mx', 'mxOnion', 'submission', 'submissions'];
  const ports = await freePorts(kinds.length);
  const listen: Record<string, string> = {};
  kinds.forEach((k, i) => { listen[k] = `127.0.0.1:${ports[i]}`; });
  const config = validateConfig({ hostname: 'mail.example.test', domains: ['example.test'], dataDir: join(dir, 'data'), listen, tor: { mode: 'off' }, smtp: opts.smtp ?? {} }, { baseDir: dir, torOnPath: false });
  const tls = await ensureTls(join(dir, 'tls'), config.hostname, config.domains);
  const store = Store.open(config.dataDir);
  store.domains.ensure('example.test');
  const a = await store.accounts.create('alice@example.test', PASSWORD);
  const b = await store.accounts.create('bob@example.test', PASSWORD);
  const pipeline = new MailPipeline(store);
  const dns: DnsMap = {};
  const ctx: ServiceContext = { config, tls, store, pipeline, appliance: {} as ApplianceHandle };
  const service = await startSmtpService(ctx, { resolver: fakeResolver(dns), authFailureDelayMs: 10, ...opts.tuning });
  if (!service) throw new Error('no SMTP listener started');
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
  private buf = '';
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(public socket: Socket | TLSSocket) { this.attach(socket); }

  private attach(s: Socket | TLSSocket): void {
    s.setEncoding('latin1');
    s.on('data', (d: string) => { this.buf += d; this.wake(); });
    s.on('close', () => { this.closed = true; this.wake(); });
    s.on('error', () => { this.closed = true; this.wake(); });
  }

  private wake(): void { const w = this.waiters; this.waiters = []; for (const f of w) f(); }

  static async open(port: number, opts: { tls?: ConnectionOptions; proxy?: string } = {}): Promise<RawSmtp> {
    const sock = await new Promise<Socket | TLSSocket>((resolve, reject) => {
      const s: Socket | TLSSocket = opts.tls
        ? tlsConnect({ host: '127.0.0.1', port, ...opts.tls }, () => resolve(s))
        : netConnect({ host: '127.0.0.1', port }, () => resolve(s));
      s.once('error', reject);
    });
    if (opts.proxy) sock.write(opts.proxy);
    return new RawSmtp(sock);
  }

  /** Read one complete reply (all continuation lines). */
  async reply(timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = /^((?:\d{3}-[^\n]*\n)*\d{3}(?: [^\n]*)?\n)/.exec(this.buf);
      if (m) { this.buf = this.buf.slice(m[1]!.length); return m[1]!.replace(/\r?\n$/, ''); }
      if (this.closed) return this.buf ? this.buf.trim() : '(closed)';
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no SMTP reply within ${timeoutMs} ms (have ${JSON.stringify(this.buf)})`);
      await new Promise<void>((r) => { const t = setTimeout(r, left); this.waiters.push(() => { clearTimeout(t); r(); }); });
    }
  }

  write(data: string | Buffer): void { this.socket.write(data); }

  async cmd(line: string): Promise<string> { this.write(line + '\r\n'); return this.reply(); }

  async starttls(opts: ConnectionOptions = {}): Promise<TLSSocket> {
    const r = await this.cmd('STARTTLS');
    if (!r.startsWith('220')) throw new Error(`STARTTLS refused: ${r}`);
    this.socket.removeAllListeners('data');
    this.socket.removeAllListeners('close');
    this.socket.removeAllListeners('error');
    const t = await new Promise<TLSSocket>((resolve, reject) => {
      const s = tlsConnect({ socket: this.socket, servername: 'mail.example.test', ...opts }, () => resolve(s));
      s.once('error', reject);
    });
    this.socket = t;
    this.attach(t);
    return t;
  }

  close(): void { this.socket.destroy(); }
}

export function tlsTo(fx: SmtpFixture, extra: ConnectionOptions = {}): ConnectionOptions {
  return { ca: fx.tls.ca, servername: 'mail.example.test', ...extra };
}

/** A simple message with CRLF line ends. */
export function message(opts: { from: string; to: string; subject: string; body?: string; extraHeaders?: string }): string {
  return `From: ${opts.from}\r\nTo: ${opts.to}\r\nSubject: ${opts.subject}\r\nDate: Mon, 23 Nov 2026 12:00:00 +0000\r\nMessage-ID: <${opts.subject.replace(/\W/g, '')}.${Date.now()}@example.org>\r\n${opts.extraHeaders ?? ''}\r\n${opts.body ?? 'Hello.'}\r\n`;
}

export interface SwaksResult { code: number; out: string }

/** Run swaks; resolves with its exit code and its whole transcript. */
export function swaks(args: string[], timeoutMs = 30_000): Promise<SwaksResult> {
  return new Promise((resolve) => {
    execFile('swaks', ['--server', '127.0.0.1', '--helo', 'client.example.org', '--timeout', '15', ...args], { timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 99) : 0;
      resolve({ code, out: `${stdout}\n${stderr}` });
    });
  });
}

/** Messages in a mailbox with their raw text. */
export function mailbox(store: Store, accountId: number, name = 'INBOX'): string[] {
  const mb = store.mailboxes.get(accountId, name);
  if (!mb) return [];
  return store.messages.list(mb.id).map((m) => store.readMessage(store.messages.blob(m.blobId).hash).toString('latin1'));
}
