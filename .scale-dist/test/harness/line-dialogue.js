// A line-oriented dialogue (SMTP or IMAP) from a chosen loopback source address (127.0.0.2 ...),
// over implicit TLS trusting the appliance's CA, optionally after a raw preamble sent in clear
// first (a PROXY protocol header, as tor writes one on onion ports). Attack tests use it to appear
// as many clients, or as one tor circuit.
import { connect as tlsConnect } from 'node:tls';
import { connect as netConnect } from 'node:net';
export class LineDialogue {
    s;
    buf = '';
    wake;
    closed = false;
    constructor(s) {
        this.s = s;
        s.setEncoding('latin1');
        s.on('data', (d) => { this.buf += d; this.wake?.(); });
        s.on('close', () => { this.closed = true; this.wake?.(); });
        s.on('error', () => { this.closed = true; this.wake?.(); });
    }
    static async open(port, opts = {}) {
        const plain = await new Promise((resolve, reject) => {
            const sock = netConnect({ host: '127.0.0.1', port, ...(opts.from ? { localAddress: opts.from } : {}) }, () => resolve(sock));
            sock.once('error', reject);
        });
        if (opts.preamble)
            plain.write(opts.preamble);
        if (!opts.ca)
            return new LineDialogue(plain);
        const s = await new Promise((resolve, reject) => {
            const sock = tlsConnect({ socket: plain, ca: opts.ca, servername: opts.servername ?? 'mail.example.test' }, () => resolve(sock));
            sock.once('error', reject);
        });
        return new LineDialogue(s);
    }
    /** Read until a line matches `end`; returns everything read up to it. */
    async until(end, timeoutMs = 30_000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            const lines = this.buf.split('\r\n');
            const i = lines.slice(0, -1).findIndex((l) => end.test(l));
            if (i >= 0) {
                const out = lines.slice(0, i + 1).join('\r\n');
                this.buf = lines.slice(i + 1).join('\r\n');
                return out;
            }
            if (this.closed || Date.now() > deadline)
                throw new Error(`no ${end} (have ${JSON.stringify(this.buf.slice(0, 500))})`);
            await new Promise((r) => { const tm = setTimeout(r, 100); this.wake = () => { clearTimeout(tm); r(); }; });
        }
    }
    /** The last line of `until`. */
    async line(end, timeoutMs) {
        return (await this.until(end, timeoutMs)).split('\r\n').at(-1);
    }
    send(line) { this.s.write(line + '\r\n'); }
    close() { this.s.destroy(); }
}
/** The PROXY header tor's `HiddenServiceExportCircuitID haproxy` writes before each onion
 *  connection's bytes (PROXY protocol v1, tor(1)): the circuit id is the last 32 bits of an
 *  fc00:dead:beef:4dad::/96 source address. */
export function torCircuitHeader(circuitId, virtualPort = 993) {
    const id = circuitId >>> 0;
    return Buffer.from(`PROXY TCP6 fc00:dead:beef:4dad::${(id >>> 16).toString(16)}:${(id & 0xffff).toString(16)} ::1 ${id & 0xffff || 1} ${virtualPort}\r\n`, 'latin1');
}
//# sourceMappingURL=line-dialogue.js.map