// A line-level IMAP client for protocol tests of Postern's own server: implicit TLS (trusting the
// appliance's CA) or plain with STARTTLS, raw bytes in, every response line (with its literals)
// out. Tests use it to send exactly the bytes a real client or an attacker would.
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
export class ImapLineClient {
    socket;
    buf = Buffer.alloc(0);
    waiter = null;
    closed = false;
    seq = 0;
    greeting = '';
    constructor(socket) {
        this.socket = socket;
        this.attach(socket);
    }
    attach(socket) {
        this.socket = socket;
        socket.on('data', (d) => { this.buf = Buffer.concat([this.buf, d]); this.waiter?.(); });
        socket.on('close', () => { this.closed = true; this.waiter?.(); });
        socket.on('error', () => { this.closed = true; this.waiter?.(); });
    }
    static caOf(dataDir) { return readFileSync(join(dataDir, 'tls', 'ca.crt'), 'utf8'); }
    static async tls(port, ca) {
        const socket = tlsConnect({ host: '127.0.0.1', port, ca, servername: 'localhost' });
        await new Promise((resolve, reject) => { socket.once('secureConnect', resolve); socket.once('error', reject); });
        const c = new ImapLineClient(socket);
        c.greeting = await c.line();
        return c;
    }
    static async plain(port) {
        const socket = netConnect(port, '127.0.0.1');
        await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
        const c = new ImapLineClient(socket);
        c.greeting = await c.line();
        return c;
    }
    /** Upgrade after a successful STARTTLS. */
    async startTls(ca) {
        const plain = this.socket;
        plain.removeAllListeners('data');
        const secure = tlsConnect({ socket: plain, ca, servername: 'localhost' });
        await new Promise((resolve, reject) => { secure.once('secureConnect', resolve); secure.once('error', reject); });
        this.buf = Buffer.alloc(0);
        this.attach(secure);
    }
    async more(timeoutMs) {
        if (this.closed)
            throw new Error('connection closed');
        await new Promise((resolve, reject) => {
            const t = setTimeout(() => { this.waiter = null; reject(new Error(`no answer within ${timeoutMs} ms; have: ${JSON.stringify(this.buf.toString('latin1').slice(-300))}`)); }, timeoutMs);
            this.waiter = () => { clearTimeout(t); this.waiter = null; resolve(); };
        });
    }
    /** One response line (CRLF stripped), with the literals it announces appended raw. */
    async line(timeoutMs = 10_000) {
        const parts = [];
        for (;;) {
            let i;
            while ((i = this.buf.indexOf('\r\n')) < 0)
                await this.more(timeoutMs);
            const l = this.buf.subarray(0, i).toString('latin1');
            this.buf = this.buf.subarray(i + 2);
            parts.push(l);
            const m = /~?\{([0-9]+)\}$/.exec(l);
            if (!m || l.startsWith('+ '))
                return parts.join('\r\n');
            const n = Number(m[1]);
            while (this.buf.length < n)
                await this.more(timeoutMs);
            parts.push(this.buf.subarray(0, n).toString('latin1'));
            this.buf = this.buf.subarray(n);
        }
    }
    write(data) { this.socket.write(data); }
    nextTag() { return `t${++this.seq}`; }
    /** Send a command (text without tag and CRLF); collect responses up to the tagged one. */
    async command(text, timeoutMs = 10_000) {
        const tag = this.nextTag();
        this.socket.write(Buffer.concat([Buffer.from(`${tag} `), Buffer.isBuffer(text) ? text : Buffer.from(text), Buffer.from('\r\n')]));
        return this.until(tag, timeoutMs);
    }
    async until(tag, timeoutMs = 10_000) {
        const lines = [];
        for (;;) {
            const l = await this.line(timeoutMs);
            if (l.startsWith(tag + ' '))
                return { lines, status: l.split(' ')[1] ?? '', tagged: l };
            lines.push(l);
        }
    }
    close() { this.socket.destroy(); }
}
//# sourceMappingURL=imap-line.js.map