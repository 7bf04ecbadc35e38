// A minimal raw IMAP client for tests and benchmarks: sends tagged commands and returns the exact
// response bytes (untagged lines with their literals, then the tagged line), so two servers'
// answers can be compared byte for byte. Handles {n} and ~{n} literals in responses.
import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
export class RawImapClient {
    socket;
    buf = Buffer.alloc(0);
    waiter = null;
    closed = false;
    seq = 0;
    greeting = '';
    constructor(socket) {
        this.socket = socket;
        socket.on('data', (d) => { this.buf = Buffer.concat([this.buf, d]); this.waiter?.(); });
        socket.on('close', () => { this.closed = true; this.waiter?.(); });
        socket.on('error', () => { this.closed = true; this.waiter?.(); });
    }
    /** Connect (implicit TLS with `tls`: loopback test servers with throwaway certificates, so the
     *  certificate is not verified) and read the greeting. */
    static async open(port, opts = {}) {
        const host = opts.host ?? '127.0.0.1';
        const socket = opts.tls ? tlsConnect({ port, host, rejectUnauthorized: false, minVersion: 'TLSv1.2' }) : connect(port, host);
        socket.setNoDelay(true);
        await new Promise((resolve, reject) => { socket.once(opts.tls ? 'secureConnect' : 'connect', () => resolve()); socket.once('error', reject); });
        const c = new RawImapClient(socket);
        c.greeting = (await c.readLine()).toString('latin1');
        return c;
    }
    async more() {
        if (this.closed)
            throw new Error('connection closed');
        await new Promise((resolve) => { this.waiter = () => { this.waiter = null; resolve(); }; });
    }
    async readLine() {
        for (;;) {
            const i = this.buf.indexOf('\r\n');
            if (i !== -1) {
                const line = this.buf.subarray(0, i + 2);
                this.buf = this.buf.subarray(i + 2);
                return line;
            }
            await this.more();
        }
    }
    async readBytes(n) {
        while (this.buf.length < n)
            await this.more();
        const out = this.buf.subarray(0, n);
        this.buf = this.buf.subarray(n);
        return out;
    }
    /** Read one response (a line and the literals it announces). */
    async readResponse() {
        const parts = [];
        for (;;) {
            const line = await this.readLine();
            parts.push(line);
            const m = /~?\{([0-9]+)\+?\}\r\n$/.exec(line.toString('latin1'));
            if (!m)
                return Buffer.concat(parts);
            parts.push(await this.readBytes(Number(m[1])));
        }
    }
    /** Send a command (without tag and CRLF) and collect everything until its tagged answer. */
    async command(text) {
        const tag = `T${++this.seq}`;
        this.socket.write(Buffer.concat([Buffer.from(`${tag} `), Buffer.isBuffer(text) ? text : Buffer.from(text), Buffer.from('\r\n')]));
        const parts = [];
        for (;;) {
            const r = await this.readResponse();
            parts.push(r);
            const s = r.toString('latin1');
            if (s.startsWith(tag + ' ')) {
                const m = /^\S+ (\S+) ?(.*)\r\n$/s.exec(s);
                return { bytes: Buffer.concat(parts), status: m?.[1] ?? '', text: m?.[2] ?? '' };
            }
        }
    }
    /** Start IDLE; resolves when the server sent "+ ...". */
    async idle() {
        const tag = `T${++this.seq}`;
        this.socket.write(`${tag} IDLE\r\n`);
        for (;;) {
            const r = await this.readResponse();
            if (r[0] === 0x2b)
                return { tag };
        }
    }
    /** Wait for an untagged response matching `re` (during IDLE). */
    async waitFor(re) {
        for (;;) {
            const r = (await this.readResponse()).toString('latin1');
            if (re.test(r))
                return r;
        }
    }
    /** End IDLE with DONE and wait for the tagged answer. */
    async done(tag) {
        this.socket.write('DONE\r\n');
        for (;;) {
            const r = (await this.readResponse()).toString('latin1');
            if (r.startsWith(tag + ' '))
                return;
        }
    }
    close() {
        this.socket.destroy();
    }
}
/** The data of "* n FETCH (...)" in a response: the bytes between "FETCH (" and the final ")". */
export function fetchData(bytes, seq) {
    const head = Buffer.from(`* ${seq} FETCH (`);
    const start = bytes.indexOf(head);
    if (start === -1)
        return undefined;
    // the FETCH response ends with ")\r\n" right before the next response line
    const tagLine = bytes.lastIndexOf('\r\nT');
    const end = bytes.lastIndexOf(')\r\n', tagLine === -1 ? bytes.length : tagLine + 2);
    return bytes.subarray(start + head.length, end);
}
//# sourceMappingURL=imap-raw.js.map