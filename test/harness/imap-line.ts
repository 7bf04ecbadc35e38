// A line-level IMAP client for protocol tests of Postern's own server: implicit TLS (trusting the
// appliance's CA) or plain with STARTTLS, raw bytes in, every response line (with its literals)
// out. Tests use it to send exactly the bytes a real client or an attacker would.
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export class ImapLineClient {
  private buf = Buffer.alloc(0);
  private waiter: (() => void) | null = null;
  closed = false;
  private seq = 0;
  greeting = '';

  private constructor(private socket: Socket) { this.attach(socket); }

  private attach(socket: Socket): void {
    this.socket = socket;
    socket.on('data', (d: Buffer) => { this.buf = Buffer.concat([this.buf, d]); this.waiter?.(); });
    socket.on('close', () => { this.closed = true; this.waiter?.(); });
    socket.on('error', () => { this.closed = true; this.waiter?.(); });
  }

  static caOf(dataDir: string): string { return readFileSync(join(dataDir, 'tls', 'ca.crt'), 'utf8'); }

  static async tls(port: number, ca: string): Promise<ImapLineClient> {
    const socket = tlsConnect({ host: '127.0.0.1', port, ca, servername: 'localhost' });
    await new Promise<void>((resolve, reject) => { socket.once('secureConnect', resolve); socket.once('error', reject); });
    const c = new ImapLineClient(socket);
    c.greeting = await c.line();
    return c;
  }

  static async plain(port: number): Promise<ImapLineClient> {
    const socket = netConnect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
    const c = new ImapLineClient(socket);
    c.greeting = await c.line();
    return c;
  }

  /** Upgrade after a successful STARTTLS. */
  async startTls(ca: string): Promise<void> {
    const plain = this.socket;
    plain.removeAllListeners('data');
    const secure: TLSSocket = tlsConnect({ socket: plain, ca, servername: 'localhost' });
    await new Promise<void>((resolve, reject) => { secure.once('secureConnect', resolve); secure.once('error', reject); });
    this.buf = Buffer.alloc(0);
    this.attach(secure);
  }

  private async more(timeoutMs: number): Promise<void> {
    if (this.closed) throw new Error('connection closed');
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => { this.waiter = null; reject(new Error(`no answer within ${timeoutMs} ms; have: ${JSON.stringify(this.buf.toString('latin1').slice(-300))}`)); }, timeoutMs);
      this.waiter = () => { clearTimeout(t); this.waiter = null; resolve(); };
    });
  }

  /** One response line (CRLF stripped), with the literals it announces appended raw. */
  async line(timeoutMs = 10_000): Promise<string> {
    const parts: string[] = [];
    for (;;) {
      let i: number;
      while ((i = this.buf.indexOf('\r\n')) < 0) await this.more(timeoutMs);
      const l = this.buf.subarray(0, i).toString('latin1');
      this.buf = this.buf.subarray(i + 2);
      parts.push(l);
      const m = /~?\{([0-9]+)\}$/.exec(l);
      if (!m || l.startsWith('+ ')) return parts.join('\r\n');
      const n = Number(m[1]);
      while (this.buf.length < n) await this.more(timeoutMs);
      parts.push(this.buf.subarray(0, n).toString('latin1'));
      this.buf = this.buf.subarray(n);
    }
  }

  write(data: string | Buffer): void { this.socket.write(data); }

  nextTag(): string { return `t${++this.seq}`; }

  /** Send a command (text without tag and CRLF); collect responses up to the tagged one. */
  async command(text: string | Buffer, timeoutMs = 10_000): Promise<{ lines: string[]; status: string; tagged: string }> {
    const tag = this.nextTag();
    this.socket.write(Buffer.concat([Buffer.from(`${tag} `), Buffer.isBuffer(text) ? text : Buffer.from(text), Buffer.from('\r\n')]));
    return this.until(tag, timeoutMs);
  }

  async until(tag: string, timeoutMs = 10_000): Promise<{ lines: string[]; status: string; tagged: string }> {
    const lines: string[] = [];
    for (;;) {
      const l = await this.line(timeoutMs);
      if (l.startsWith(tag + ' ')) return { lines, status: l.split(' ')[1] ?? '', tagged: l };
      lines.push(l);
    }
  }

  close(): void { this.socket.destroy(); }
}
