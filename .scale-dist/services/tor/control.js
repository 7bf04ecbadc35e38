// A typed client for tor's control port (control-spec): one long-lived connection (onion services
// added without Flags=Detach live as long as it does), commands answered in order, asynchronous
// 650 events delivered to listeners even when they arrive between a command and its reply.
import { EventEmitter } from 'node:events';
import { connect } from 'node:net';
import { readFile } from 'node:fs/promises';
import { ReplyParser, parseKeywords, quote } from './reply.js';
import { clientHash, clientNonce, verifyServerHash, COOKIE_LENGTH, NONCE_LENGTH } from './auth.js';
export class TorControlError extends Error {
    status;
    constructor(message, status) {
        super(message);
        this.status = status;
        this.name = 'TorControlError';
    }
}
const SAFE_ARG = /^[^\r\n\0]*$/;
function checkArg(value, what) {
    if (!SAFE_ARG.test(value) || value.length === 0)
        throw new TorControlError(`${what} must be one line`);
    return value;
}
/** "key=value" lines of a GETINFO-style reply, with data blocks as values. */
export function keyValues(reply) {
    const out = new Map();
    for (const l of reply.lines) {
        const eq = l.text.indexOf('=');
        if (eq < 0)
            continue;
        out.set(l.text.slice(0, eq), l.data ?? l.text.slice(eq + 1));
    }
    return out;
}
export function parseBootstrap(text) {
    const kw = parseKeywords(text);
    const progress = Number(kw.get('PROGRESS') ?? 0);
    const b = { progress: Number.isFinite(progress) ? progress : 0, tag: kw.get('TAG') ?? '', summary: kw.get('SUMMARY') ?? '' };
    const w = kw.get('WARNING');
    if (w)
        b.warning = w;
    return b;
}
export class TorControl extends EventEmitter {
    socket;
    timeoutMs;
    pending = [];
    parser;
    closedWith;
    closed = false;
    constructor(socket, timeoutMs) {
        super();
        this.socket = socket;
        this.timeoutMs = timeoutMs;
        this.parser = new ReplyParser((r) => this.reply(r));
        socket.on('data', (chunk) => {
            try {
                this.parser.feed(chunk);
            }
            catch (e) {
                this.fail(e);
            }
        });
        socket.on('error', (e) => this.fail(e));
        socket.on('close', () => this.fail(new TorControlError('the control connection closed')));
    }
    /** Connect to a control port or socket (not yet authenticated). */
    static connect(target, opts = {}) {
        const timeoutMs = opts.timeoutMs ?? 30_000;
        return new Promise((resolve, reject) => {
            const socket = 'path' in target ? connect({ path: target.path }) : connect({ host: target.host, port: target.port });
            const timer = setTimeout(() => { socket.destroy(); reject(new TorControlError(`no answer from the control port within ${timeoutMs} ms`)); }, timeoutMs);
            socket.once('error', (e) => { clearTimeout(timer); reject(e); });
            socket.once('connect', () => {
                clearTimeout(timer);
                socket.removeAllListeners('error');
                socket.setNoDelay(true);
                resolve(new TorControl(socket, timeoutMs));
            });
        });
    }
    get isClosed() { return this.closed; }
    reply(r) {
        if (r.status >= 600 && r.status < 700) {
            const first = r.lines[0]?.text ?? '';
            const sp = first.indexOf(' ');
            const ev = { type: sp < 0 ? first : first.slice(0, sp), text: sp < 0 ? '' : first.slice(sp + 1), lines: r.lines };
            this.emit('event', ev);
            return;
        }
        const p = this.pending.shift();
        if (!p) {
            this.fail(new TorControlError(`an unexpected reply from tor: ${r.status}`));
            return;
        }
        clearTimeout(p.timer);
        p.resolve(r);
    }
    fail(e) {
        if (this.closed)
            return;
        this.closed = true;
        this.closedWith = e;
        for (const p of this.pending.splice(0)) {
            clearTimeout(p.timer);
            p.reject(e);
        }
        this.socket.destroy();
        this.emit('close', e instanceof TorControlError && e.message === 'the control connection closed' ? undefined : e);
    }
    /** Send one command line and wait for its reply (any status). */
    raw(line) {
        if (this.closed)
            return Promise.reject(this.closedWith ?? new TorControlError('the control connection is closed'));
        if (!SAFE_ARG.test(line))
            return Promise.reject(new TorControlError('a control command must be one line'));
        return new Promise((resolve, reject) => {
            const verb = line.split(' ')[0];
            const timer = setTimeout(() => this.fail(new TorControlError(`tor did not answer ${verb} within ${this.timeoutMs} ms`)), this.timeoutMs);
            this.pending.push({ resolve, reject, command: verb, timer });
            this.socket.write(line + '\r\n');
        });
    }
    /** Send a command; a reply other than 2xx becomes a TorControlError with tor's text. */
    async command(line) {
        const r = await this.raw(line);
        if (r.status < 200 || r.status > 299) {
            const verb = line.split(' ')[0];
            throw new TorControlError(`${verb}: ${r.status} ${r.lines.map((l) => l.text).join('; ')}`, r.status);
        }
        return r;
    }
    async protocolInfo() {
        const r = await this.command('PROTOCOLINFO 1');
        const info = { protocolVersion: 0, methods: [] };
        for (const l of r.lines) {
            if (l.text.startsWith('PROTOCOLINFO '))
                info.protocolVersion = Number(l.text.slice(13));
            else if (l.text.startsWith('AUTH ')) {
                const kw = parseKeywords(l.text.slice(5));
                info.methods = (kw.get('METHODS') ?? '').split(',').filter(Boolean);
                const cf = kw.get('COOKIEFILE');
                if (cf)
                    info.cookieFile = cf;
            }
            else if (l.text.startsWith('VERSION ')) {
                const v = parseKeywords(l.text.slice(8)).get('Tor');
                if (v)
                    info.torVersion = v;
            }
        }
        return info;
    }
    /** SAFECOOKIE: AUTHCHALLENGE, check tor's SERVERHASH, then AUTHENTICATE with our hash. */
    async authenticateSafeCookie(cookie) {
        if (cookie.length !== COOKIE_LENGTH)
            throw new TorControlError(`the control cookie must be ${COOKIE_LENGTH} bytes, got ${cookie.length}`);
        const nonce = clientNonce();
        const r = await this.command(`AUTHCHALLENGE SAFECOOKIE ${nonce.toString('hex')}`);
        const text = r.lines[r.lines.length - 1].text;
        if (!text.startsWith('AUTHCHALLENGE '))
            throw new TorControlError('AUTHCHALLENGE: unexpected reply');
        const kw = parseKeywords(text.slice(14));
        const sh = kw.get('SERVERHASH') ?? '';
        const sn = kw.get('SERVERNONCE') ?? '';
        if (!/^[0-9a-fA-F]{64}$/.test(sh) || !/^[0-9a-fA-F]+$/.test(sn) || sn.length !== NONCE_LENGTH * 2)
            throw new TorControlError('AUTHCHALLENGE: malformed SERVERHASH or SERVERNONCE');
        const serverNonce = Buffer.from(sn, 'hex');
        if (!verifyServerHash(cookie, nonce, serverNonce, Buffer.from(sh, 'hex'))) {
            this.close();
            throw new TorControlError('SAFECOOKIE: the server hash is wrong (the cookie does not belong to this tor, or this is not tor)');
        }
        await this.command(`AUTHENTICATE ${clientHash(cookie, nonce, serverNonce).toString('hex')}`);
    }
    async authenticateCookie(cookie) {
        await this.command(`AUTHENTICATE ${cookie.toString('hex')}`);
    }
    /** Authenticate with the best method tor offers: SAFECOOKIE, COOKIE, password, none. */
    async authenticate(opts = {}) {
        const info = await this.protocolInfo();
        const has = (m) => info.methods.includes(m);
        const cookieFile = opts.cookieFile ?? info.cookieFile;
        if ((has('SAFECOOKIE') || has('COOKIE')) && cookieFile) {
            let cookie;
            try {
                cookie = await readFile(cookieFile);
            }
            catch (e) {
                throw new TorControlError(`cannot read tor's control cookie ${cookieFile}: ${e.code ?? e.message}`);
            }
            if (has('SAFECOOKIE')) {
                await this.authenticateSafeCookie(cookie);
                return 'SAFECOOKIE';
            }
            await this.authenticateCookie(cookie);
            return 'COOKIE';
        }
        if (has('HASHEDPASSWORD') && opts.password !== undefined) {
            await this.command(`AUTHENTICATE ${quote(opts.password)}`);
            return 'HASHEDPASSWORD';
        }
        if (has('NULL')) {
            await this.command('AUTHENTICATE');
            return 'NULL';
        }
        throw new TorControlError(`no usable authentication method (tor offers ${info.methods.join(', ') || 'none'})`);
    }
    async getInfo(...keys) {
        for (const k of keys)
            if (!/^[A-Za-z0-9/_.:-]+$/.test(k))
                throw new TorControlError(`GETINFO: bad key ${JSON.stringify(k)}`);
        return keyValues(await this.command(`GETINFO ${keys.join(' ')}`));
    }
    async bootstrap() {
        const v = (await this.getInfo('status/bootstrap-phase')).get('status/bootstrap-phase') ?? '';
        return parseBootstrap(v.replace(/^\S+ BOOTSTRAP /, ''));
    }
    /** The first SOCKS listener ("127.0.0.1:9050"), if any. */
    async socksListener() {
        const v = (await this.getInfo('net/listeners/socks')).get('net/listeners/socks') ?? '';
        const first = parseKeywords(v).get('0');
        const m = first ? /^"?(?:\[([^\]]+)\]|([^:"]+)):(\d+)"?$/.exec(first) : null;
        return m ? { host: m[1] ?? m[2], port: Number(m[3]) } : undefined;
    }
    async setEvents(events) {
        for (const e of events)
            if (!/^[A-Z_]+$/.test(e))
                throw new TorControlError(`SETEVENTS: bad event ${JSON.stringify(e)}`);
        await this.command(`SETEVENTS ${events.join(' ')}`.trimEnd());
    }
    async setConf(values) {
        const parts = values.map(([k, v]) => { checkArg(k, 'a config key'); return `${k}=${quote(v)}`; });
        await this.command(`SETCONF ${parts.join(' ')}`);
    }
    async signal(name) {
        await this.command(`SIGNAL ${name}`);
    }
    async addOnion(opts) {
        if (!/^(NEW:(BEST|ED25519-V3)|ED25519-V3:[A-Za-z0-9+/=]{86,88})$/.test(opts.key))
            throw new TorControlError('ADD_ONION: the key must be NEW:ED25519-V3 or ED25519-V3:<base64>');
        if (opts.ports.length === 0)
            throw new TorControlError('ADD_ONION: at least one port');
        const parts = ['ADD_ONION', opts.key];
        // tor requires the V3Auth flag with ClientAuthV3 keys
        const flags = new Set(opts.flags ?? []);
        if (opts.clientAuthV3?.length)
            flags.add('V3Auth');
        if (flags.size)
            parts.push(`Flags=${[...flags].join(',')}`);
        if (opts.maxStreams !== undefined)
            parts.push(`MaxStreams=${Math.floor(opts.maxStreams)}`);
        for (const p of opts.ports) {
            if (!Number.isInteger(p.virtual) || p.virtual < 1 || p.virtual > 65535)
                throw new TorControlError(`ADD_ONION: bad virtual port ${p.virtual}`);
            if (p.target !== undefined && !/^(unix:\S+|[A-Za-z0-9.:[\]-]+)$/.test(p.target))
                throw new TorControlError(`ADD_ONION: bad target ${JSON.stringify(p.target)}`);
            parts.push(`Port=${p.virtual}${p.target ? ',' + p.target : ''}`);
        }
        for (const c of opts.clientAuthV3 ?? []) {
            if (!/^[A-Za-z2-7]{52}$/.test(c))
                throw new TorControlError('ADD_ONION: a ClientAuthV3 key is 52 base32 characters');
            parts.push(`ClientAuthV3=${c}`);
        }
        const kv = keyValues(await this.command(parts.join(' ')));
        const serviceId = kv.get('ServiceID');
        if (!serviceId)
            throw new TorControlError('ADD_ONION: no ServiceID in the reply');
        const out = { serviceId };
        const pk = kv.get('PrivateKey');
        if (pk)
            out.privateKey = pk;
        return out;
    }
    async delOnion(serviceId) {
        if (!/^[a-z2-7]{56}$/.test(serviceId))
            throw new TorControlError('DEL_ONION: a v3 service id is 56 base32 characters');
        await this.command(`DEL_ONION ${serviceId}`);
    }
    /** Client side of v3 client authorization: let this tor reach an onion that requires it. */
    async onionClientAuthAdd(serviceId, x25519PrivateKeyBase64, opts = {}) {
        if (!/^[a-z2-7]{56}$/.test(serviceId))
            throw new TorControlError('ONION_CLIENT_AUTH_ADD: a v3 service id is 56 base32 characters');
        if (!/^[A-Za-z0-9+/]{43}=$/.test(x25519PrivateKeyBase64))
            throw new TorControlError('ONION_CLIENT_AUTH_ADD: the key is 32 bytes in base64');
        const parts = ['ONION_CLIENT_AUTH_ADD', serviceId, `x25519:${x25519PrivateKeyBase64}`];
        if (opts.nickname) {
            if (!/^[A-Za-z0-9_-]{1,16}$/.test(opts.nickname))
                throw new TorControlError('ONION_CLIENT_AUTH_ADD: a nickname is 1-16 letters, digits, - or _');
            parts.push(`ClientName=${opts.nickname}`);
        }
        if (opts.permanent)
            parts.push('Flags=Permanent');
        await this.command(parts.join(' '));
    }
    async onionClientAuthRemove(serviceId) {
        if (!/^[a-z2-7]{56}$/.test(serviceId))
            throw new TorControlError('ONION_CLIENT_AUTH_REMOVE: a v3 service id is 56 base32 characters');
        await this.command(`ONION_CLIENT_AUTH_REMOVE ${serviceId}`);
    }
    /** The client authorization keys this tor holds: service id -> base64 x25519 private key. */
    async onionClientAuthView(serviceId) {
        if (serviceId !== undefined && !/^[a-z2-7]{56}$/.test(serviceId))
            throw new TorControlError('ONION_CLIENT_AUTH_VIEW: a v3 service id is 56 base32 characters');
        const r = await this.command(`ONION_CLIENT_AUTH_VIEW${serviceId ? ' ' + serviceId : ''}`);
        const out = new Map();
        for (const l of r.lines) {
            const m = /^CLIENT ([a-z2-7]{56}) x25519:(\S+)/.exec(l.text);
            if (m)
                out.set(m[1], m[2]);
        }
        return out;
    }
    /** QUIT politely (tor closes the connection; non-detached onions go with it). */
    async quit() {
        if (this.closed)
            return;
        await this.raw('QUIT').catch(() => undefined);
        this.close();
    }
    close() {
        this.fail(new TorControlError('the control connection closed'));
    }
}
//# sourceMappingURL=control.js.map