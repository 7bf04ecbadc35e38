// Scriptable SMTP servers on loopback (smtp-server) acting as a remote MX host or a relay in the
// delivery tests: they accept, answer 4xx/5xx per recipient, hang, drop the connection in DATA,
// offer no STARTTLS, present a chosen (possibly wrong) certificate, require AUTH, and record what
// they received (counted by Message-ID).
import { SMTPServer } from 'smtp-server';
import { createHash } from 'node:crypto';
import { serverTlsOptions } from '../../appliance/tls/policy.js';
export async function startSmtpPeer(opts = {}) {
    const host = opts.host ?? '127.0.0.1';
    const received = [];
    const peer = { host, port: 0, received, behaviour: opts.behaviour ?? {}, connections: 0 };
    const socketOf = (session) => {
        const conns = server.connections;
        for (const c of conns)
            if (c.id === session.id)
                return c._socket;
        return undefined;
    };
    const options = {
        logger: false,
        name: 'peer.test',
        closeTimeout: 200,
        size: 64 * 1024 * 1024,
        secure: !!opts.secure,
        hideSTARTTLS: !opts.tls,
        hidePIPELINING: !!opts.noPipelining,
        hideDSN: !opts.offerDsn,
        ...(opts.tls ? serverTlsOptions(opts.tls) : {}),
        ...(opts.tls && opts.oldTls ? { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0' } : {}),
        ...(opts.requestClientCert ? { requestCert: true, rejectUnauthorized: false } : {}),
        authOptional: !opts.auth,
        disabledCommands: opts.auth ? [] : ['AUTH'],
        authMethods: ['PLAIN', 'LOGIN'],
        onConnect(_session, cb) { peer.connections++; cb(); },
        onAuth(auth, _session, cb) {
            if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.password)
                cb(null, { user: auth.username });
            else
                cb(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
        },
        onMailFrom(address, _session, cb) {
            const a = peer.behaviour.mail?.(address.address);
            if (a)
                cb(Object.assign(new Error(a.message), { responseCode: a.code }));
            else
                cb();
        },
        onRcptTo(address, _session, cb) {
            const a = peer.behaviour.rcpt?.(address.address);
            if (a)
                cb(Object.assign(new Error(a.message), { responseCode: a.code }));
            else
                cb();
        },
        onData(stream, session, cb) {
            const mode = peer.behaviour.data ?? 'accept';
            const chunks = [];
            if (mode === 'drop') {
                stream.once('data', () => { socketOf(session)?.destroy(); });
                stream.resume();
                return;
            }
            stream.on('data', (c) => chunks.push(c));
            stream.on('end', () => {
                if (mode === 'hang')
                    return;
                const finish = () => {
                    if (typeof mode === 'object') {
                        cb(Object.assign(new Error(mode.message), { responseCode: mode.code }));
                        return;
                    }
                    const raw = Buffer.concat(chunks);
                    const m = /^message-id:\s*(<[^>\r\n]*>)/im.exec(raw.subarray(0, 16384).toString('latin1'));
                    const sock = socketOf(session);
                    const cert = sock && 'getPeerCertificate' in sock ? sock.getPeerCertificate() : undefined;
                    received.push({
                        mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                        rcptTo: session.envelope.rcptTo.map((r) => r.address),
                        raw, messageId: m?.[1], secure: !!session.secure, user: typeof session.user === 'string' ? session.user : undefined,
                        clientCertFingerprint: cert && cert.raw ? createHash('sha256').update(cert.raw).digest('hex') : undefined,
                        mailArgs: { ...(session.envelope.mailFrom && session.envelope.mailFrom.args ? session.envelope.mailFrom.args : {}) },
                        rcptArgs: session.envelope.rcptTo.map((r) => ({ ...(r.args || {}) })),
                    });
                    cb(null, 'Ok: queued');
                };
                if (peer.behaviour.delayMs)
                    setTimeout(finish, peer.behaviour.delayMs);
                else
                    finish();
            });
        },
    };
    const server = new SMTPServer(options);
    server.on('error', () => { });
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(opts.port ?? 0, host, () => resolve());
    });
    peer.port = server.server.address().port;
    peer.uniqueMessageIds = () => new Set(received.map((r) => r.messageId).filter((x) => !!x));
    peer.close = () => new Promise((resolve) => server.close(() => resolve()));
    return peer;
}
//# sourceMappingURL=smtp-peer.js.map