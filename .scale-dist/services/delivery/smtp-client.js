import { connect as tlsConnect } from 'node:tls';
import { xtextEncode } from './xtext.js';
export function formatReply(r) {
    const text = r.lines.join(' ').replace(/[\r\n\t]+/g, ' ').slice(0, 900);
    return `${r.code} ${r.enhanced ? r.enhanced + ' ' : ''}${text}`.trim();
}
/** Why a session failed before it produced answers per recipient. `transient` says whether a later
 *  try (or another address) may work. */
export class SmtpSessionError extends Error {
    transient;
    reply;
    tlsFailure;
    constructor(message, transient, reply, tlsFailure = false) {
        super(message);
        this.transient = transient;
        this.reply = reply;
        this.tlsFailure = tlsFailure;
        this.name = 'SmtpSessionError';
    }
}
const ENHANCED_RE = /^([245]\.\d{1,3}\.\d{1,3})\s/;
export class SmtpClient {
    timeoutMs;
    socket;
    buffer = '';
    lines = [];
    waiter;
    failure;
    ready = [];
    extensions = new Map();
    secure;
    constructor(socket, timeoutMs) {
        this.timeoutMs = timeoutMs;
        this.socket = socket;
        this.secure = 'encrypted' in socket && socket.encrypted === true;
        this.attach(socket);
    }
    /** Wrap a connected socket and read the greeting (220). */
    static async open(socket, timeoutMs) {
        const c = new SmtpClient(socket, timeoutMs);
        const greeting = await c.read();
        if (greeting.code !== 220) {
            c.close();
            throw new SmtpSessionError(`greeting refused: ${formatReply(greeting)}`, greeting.code < 500, greeting);
        }
        return c;
    }
    onData = (chunk) => {
        this.buffer += chunk.toString('latin1');
        let i;
        while ((i = this.buffer.indexOf('\n')) >= 0) {
            const line = this.buffer.slice(0, i).replace(/\r$/, '');
            this.buffer = this.buffer.slice(i + 1);
            this.onLine(line);
        }
        if (this.buffer.length > 64 * 1024)
            this.fail(new SmtpSessionError('the server sent an over-long line', true));
    };
    onClose = () => { this.fail(new SmtpSessionError('the connection was closed by the server', true)); };
    onError = (e) => { this.fail(new SmtpSessionError(`connection error: ${e.message}`, true)); };
    attach(s) {
        s.on('data', this.onData);
        s.on('close', this.onClose);
        s.on('error', this.onError);
    }
    detach(s) {
        s.off('data', this.onData);
        s.off('close', this.onClose);
        s.off('error', this.onError);
    }
    onLine(line) {
        const m = /^(\d{3})([ -]?)(.*)$/.exec(line);
        if (!m) {
            this.fail(new SmtpSessionError(`the server sent a line that is not an SMTP reply`, true));
            return;
        }
        this.lines.push(m[3] ?? '');
        if (m[2] === '-')
            return;
        const code = Number(m[1]);
        const lines = this.lines;
        this.lines = [];
        const em = ENHANCED_RE.exec(lines[0] ?? '');
        const enhanced = em && em[1][0] === String(code)[0] ? em[1] : undefined;
        const reply = { code, enhanced, lines: enhanced ? lines.map((l) => l.replace(ENHANCED_RE, '')) : lines };
        if (this.waiter) {
            const w = this.waiter;
            this.waiter = undefined;
            clearTimeout(w.timer);
            w.resolve(reply);
        }
        else {
            this.ready.push(reply);
        }
    }
    fail(e) {
        if (this.failure)
            return;
        this.failure = e;
        if (this.waiter) {
            const w = this.waiter;
            this.waiter = undefined;
            clearTimeout(w.timer);
            w.reject(e);
        }
    }
    get alive() { return !this.failure && !this.socket.destroyed; }
    read(timeoutMs = this.timeoutMs) {
        const queued = this.ready.shift();
        if (queued)
            return Promise.resolve(queued);
        if (this.failure)
            return Promise.reject(this.failure);
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => {
                this.waiter = undefined;
                const e = new SmtpSessionError(`no answer from the server within ${Math.round(timeoutMs / 1000)} s`, true);
                this.fail(e);
                this.socket.destroy();
                reject(e);
            }, timeoutMs);
            this.waiter = { resolve, reject, timer };
        });
    }
    write(data) {
        if (this.failure)
            throw this.failure;
        this.socket.write(data);
    }
    async command(line, timeoutMs) {
        if (/[\r\n]/.test(line))
            throw new SmtpSessionError('refusing to send a command with a line break', false);
        this.write(line + '\r\n');
        return this.read(timeoutMs);
    }
    /** EHLO, falling back to HELO for servers that refuse it (RFC 5321 3.2). */
    async hello(name) {
        let r = await this.command(`EHLO ${name}`);
        this.extensions.clear();
        if (r.code === 250) {
            for (const l of r.lines.slice(1)) {
                const [kw, ...rest] = l.trim().split(/\s+/);
                if (kw)
                    this.extensions.set(kw.toUpperCase(), rest.join(' '));
            }
            return;
        }
        if (r.code >= 500 && r.code < 600 && r.code !== 554)
            r = await this.command(`HELO ${name}`);
        if (r.code !== 250)
            throw new SmtpSessionError(`EHLO refused: ${formatReply(r)}`, r.code < 500, r);
    }
    supports(ext) { return this.extensions.has(ext.toUpperCase()); }
    /** STARTTLS, then the TLS handshake on the same socket; `check` runs on the peer certificate
     *  before any further command is sent (pinning, PKIX). Throws a tlsFailure error on any problem. */
    async startTls(options, check) {
        const r = await this.command('STARTTLS');
        if (r.code !== 220)
            throw new SmtpSessionError(`STARTTLS refused: ${formatReply(r)}`, true, r, true);
        const plain = this.socket;
        this.detach(plain);
        const secure = await new Promise((resolve, reject) => {
            const s = tlsConnect({ ...options, socket: plain });
            const timer = setTimeout(() => { s.destroy(); reject(new SmtpSessionError('TLS handshake timed out', true, undefined, true)); }, this.timeoutMs);
            s.once('secureConnect', () => { clearTimeout(timer); resolve(s); });
            s.once('error', (e) => { clearTimeout(timer); s.destroy(); reject(new SmtpSessionError(`TLS handshake failed: ${e.message}`, true, undefined, true)); });
        });
        const problem = check?.(secure);
        if (problem) {
            secure.destroy();
            throw new SmtpSessionError(problem, true, undefined, true);
        }
        this.socket = secure;
        this.secure = true;
        this.buffer = ''; // anything sent before the handshake is discarded (RFC 3207 5, STARTTLS injection)
        this.ready = [];
        this.attach(secure);
    }
    get tlsSocket() { return this.secure ? this.socket : undefined; }
    /** AUTH PLAIN when offered, else AUTH LOGIN (RFC 4954, RFC 4616). Only over TLS. */
    async authenticate(user, password) {
        if (!this.secure)
            throw new SmtpSessionError('refusing to send a password without TLS', true, undefined, true);
        const mechs = (this.extensions.get('AUTH') ?? '').toUpperCase().split(/\s+/);
        let r;
        if (mechs.includes('PLAIN') || !mechs.includes('LOGIN')) {
            r = await this.command(`AUTH PLAIN ${Buffer.from(`\0${user}\0${password}`, 'utf8').toString('base64')}`);
        }
        else {
            r = await this.command('AUTH LOGIN');
            if (r.code === 334)
                r = await this.command(Buffer.from(user, 'utf8').toString('base64'));
            if (r.code === 334)
                r = await this.command(Buffer.from(password, 'utf8').toString('base64'));
        }
        if (r.code !== 235)
            throw new SmtpSessionError(`authentication failed: ${formatReply(r)}`, true, r);
    }
    /** One mail transaction. Recipients refused at RCPT keep that answer; the others get the answer
     *  to the end of DATA. A refused MAIL FROM throws (every recipient shares it). */
    async transaction(mailFrom, recipients, data, opts = {}) {
        const params = [];
        if (this.supports('SIZE'))
            params.push(`SIZE=${data.length}`);
        if (this.supports('8BITMIME') && hasHighBit(data))
            params.push('BODY=8BITMIME');
        // RFC 3461: the sender's requests go on only to a server that offers DSN; when it does not,
        // the caller reports success as "relayed" itself
        const dsn = this.supports('DSN');
        if (dsn && opts.ret)
            params.push(`RET=${opts.ret}`);
        if (dsn && opts.envid && opts.envid.length <= 100)
            params.push(`ENVID=${xtextEncode(opts.envid)}`);
        const mailCmd = `MAIL FROM:<${mailFrom}>${params.length ? ' ' + params.join(' ') : ''}`;
        const rcptCmd = (rcpt) => {
            const p = dsn ? opts.recipients?.get(rcpt) : undefined;
            const extra = [];
            if (p?.notify?.length)
                extra.push(`NOTIFY=${p.notify.join(',')}`);
            const orcpt = p?.orcpt ? /^([A-Za-z0-9-]{1,40});(.+)$/s.exec(p.orcpt) : null;
            if (orcpt)
                extra.push(`ORCPT=${orcpt[1]};${xtextEncode(orcpt[2])}`);
            return `RCPT TO:<${rcpt}>${extra.length ? ' ' + extra.join(' ') : ''}`;
        };
        for (const line of [mailCmd, ...recipients])
            if (/[\r\n]/.test(line))
                throw new SmtpSessionError('refusing to send a command with a line break', false);
        if (this.supports('PIPELINING'))
            return this.pipelined(mailCmd, recipients, rcptCmd, data, opts.dataTimeoutMs);
        const mail = await this.command(mailCmd);
        if (mail.code !== 250)
            throw new SmtpSessionError(`sender refused: ${formatReply(mail)}`, mail.code < 500, mail);
        const results = [];
        const accepted = [];
        for (const rcpt of recipients) {
            const r = await this.command(rcptCmd(rcpt));
            results.push({ address: rcpt, reply: r });
            if (r.code === 250 || r.code === 251)
                accepted.push(rcpt);
        }
        if (accepted.length === 0) {
            await this.command('RSET').catch(() => undefined);
            return { recipients: results };
        }
        const go = await this.command('DATA');
        if (go.code !== 354) {
            for (const r of results)
                if (accepted.includes(r.address))
                    r.reply = go;
            return { recipients: results };
        }
        this.write(dotStuff(data));
        const end = await this.read(opts.dataTimeoutMs ?? this.timeoutMs);
        for (const r of results)
            if (accepted.includes(r.address))
                r.reply = end;
        return { recipients: results };
    }
    /** RFC 2920: MAIL, every RCPT and DATA in one write, the answers read in order; the message
     *  only after a 354, and an empty message (just the ".") when DATA was accepted although no
     *  recipient was (2920 3.1). */
    async pipelined(mailCmd, recipients, rcptCmd, data, dataTimeoutMs) {
        this.write([mailCmd, ...recipients.map(rcptCmd), 'DATA'].join('\r\n') + '\r\n');
        const results = [];
        let mail;
        let go;
        try {
            mail = await this.read();
            for (const rcpt of recipients)
                results.push({ address: rcpt, reply: await this.read() });
            go = await this.read();
        }
        catch (e) {
            // a 421 closes the connection (RFC 5321 3.8): it is the answer for whatever is left
            const last = results.at(-1)?.reply ?? mail;
            if (!mail || !last || last.code !== 421)
                throw e;
            if (mail.code !== 250)
                throw new SmtpSessionError(`sender refused: ${formatReply(mail)}`, true, mail);
            for (const rcpt of recipients.slice(results.length))
                results.push({ address: rcpt, reply: last });
            return { recipients: results };
        }
        const accepted = mail.code === 250 ? results.filter((r) => r.reply.code === 250 || r.reply.code === 251).map((r) => r.address) : [];
        if (go.code === 354 && accepted.length === 0) {
            this.write('.\r\n');
            await this.read();
        }
        if (mail.code !== 250)
            throw new SmtpSessionError(`sender refused: ${formatReply(mail)}`, mail.code < 500, mail);
        if (accepted.length === 0)
            return { recipients: results };
        if (go.code !== 354) {
            for (const r of results)
                if (accepted.includes(r.address))
                    r.reply = go;
            return { recipients: results };
        }
        this.write(dotStuff(data));
        const end = await this.read(dataTimeoutMs ?? this.timeoutMs);
        for (const r of results)
            if (accepted.includes(r.address))
                r.reply = end;
        return { recipients: results };
    }
    /** Reset for the next transaction on the same connection. */
    async reset() {
        try {
            return (await this.command('RSET')).code === 250;
        }
        catch {
            return false;
        }
    }
    async quit() {
        try {
            if (this.alive)
                await this.command('QUIT', 5000);
        }
        catch { /* closing anyway */ }
        this.close();
    }
    close() {
        this.fail(new SmtpSessionError('the session was closed', true));
        this.socket.destroy();
    }
}
function hasHighBit(b) {
    for (let i = 0; i < b.length; i++)
        if (b[i] > 0x7f)
            return true;
    return false;
}
/** CRLF line ends, leading dots doubled (RFC 5321 4.5.2), and the final "." line. */
export function dotStuff(data) {
    let s = data.toString('latin1').replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
    if (!s.endsWith('\r\n'))
        s += '\r\n';
    return Buffer.from(s + '.\r\n', 'latin1');
}
//# sourceMappingURL=smtp-client.js.map