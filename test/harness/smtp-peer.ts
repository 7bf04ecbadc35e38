// Scriptable SMTP servers on loopback (smtp-server) acting as a remote MX host or a relay in the
// delivery tests: they accept, answer 4xx/5xx per recipient, hang, drop the connection in DATA,
// offer no STARTTLS, present a chosen (possibly wrong) certificate, require AUTH, and record what
// they received (counted by Message-ID).
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createHash } from 'node:crypto';
import { serverTlsOptions, type ServerIdentity } from '../../appliance/tls/policy.js';

export interface Answer { code: number; message: string }

export interface PeerBehaviour {
  /** the answer to RCPT TO for an address; undefined accepts */
  rcpt?: (address: string) => Answer | undefined;
  mail?: (address: string) => Answer | undefined;
  /** what happens at the end of DATA: accept (default), an error answer, drop the connection
   *  while the message is being sent, or never answer */
  data?: 'accept' | 'drop' | 'hang' | Answer;
  /** wait this long before answering the end of DATA (a slow peer) */
  delayMs?: number;
}

export interface PeerOptions {
  host?: string;
  port?: number;
  /** offer STARTTLS with this identity; absent: no STARTTLS */
  tls?: ServerIdentity;
  /** implicit TLS (port 465 style); needs `tls` */
  secure?: boolean;
  /** require AUTH with this user and password */
  auth?: { user: string; password: string };
  /** ask for a client certificate (SMTorP peers present their box's) */
  requestClientCert?: boolean;
  behaviour?: PeerBehaviour;
  /** do not announce PIPELINING (RFC 2920): the client sends one command at a time */
  noPipelining?: boolean;
  /** offer STARTTLS but speak only TLS 1.0/1.1, which the box refuses: the handshake fails */
  oldTls?: boolean;
  /** announce DSN (RFC 3461) and record the parameters given (`mailArgs`, `rcptArgs`) */
  offerDsn?: boolean;
}

export interface ReceivedMessage {
  mailFrom: string;
  rcptTo: string[];
  raw: Buffer;
  messageId: string | undefined;
  secure: boolean;
  user: string | undefined;
  clientCertFingerprint: string | undefined;
  /** MAIL FROM parameters as smtp-server decoded them (xtext decoded) */
  mailArgs: Record<string, string | boolean>;
  /** RCPT TO parameters per recipient */
  rcptArgs: Array<Record<string, string | boolean>>;
}

export interface SmtpPeer {
  host: string;
  port: number;
  received: ReceivedMessage[];
  behaviour: PeerBehaviour;
  /** connections accepted so far */
  connections: number;
  /** Message-IDs received, each once */
  uniqueMessageIds(): Set<string>;
  close(): Promise<void>;
}

interface ConnectionLike { id: string; _socket: Socket | TLSSocket }

export async function startSmtpPeer(opts: PeerOptions = {}): Promise<SmtpPeer> {
  const host = opts.host ?? '127.0.0.1';
  const received: ReceivedMessage[] = [];
  const peer = { host, port: 0, received, behaviour: opts.behaviour ?? {}, connections: 0 } as SmtpPeer;
  const socketOf = (session: SMTPServerSession): Socket | TLSSocket | undefined => {
    const conns = (server as unknown as { connections: Set<ConnectionLike> }).connections;
    for (const c of conns) if (c.id === session.id) return c._socket;
    return undefined;
  };
  const options: SMTPServerOptions = {
    logger: false,
    name: 'peer.test',
    closeTimeout: 200,
    size: 64 * 1024 * 1024,
    secure: !!opts.secure,
    hideSTARTTLS: !opts.tls,
    hidePIPELINING: !!opts.noPipelining,
    hideDSN: !opts.offerDsn,
    ...(opts.tls ? serverTlsOptions(opts.tls) : {}),
    ...(opts.tls && opts.oldTls ? { minVersion: 'TLSv1' as const, maxVersion: 'TLSv1.1' as const, ciphers: 'DEFAULT:@SECLEVEL=0' } : {}),
    ...(opts.requestClientCert ? { requestCert: true, rejectUnauthorized: false } : {}),
    authOptional: !opts.auth,
    disabledCommands: opts.auth ? [] : ['AUTH'],
    authMethods: ['PLAIN', 'LOGIN'],
    onConnect(_session, cb) { peer.connections++; cb(); },
    onAuth(auth, _session, cb) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.password) cb(null, { user: auth.username });
      else cb(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
    },
    onMailFrom(address, _session, cb) {
      const a = peer.behaviour.mail?.(address.address);
      if (a) cb(Object.assign(new Error(a.message), { responseCode: a.code })); else cb();
    },
    onRcptTo(address, _session, cb) {
      const a = peer.behaviour.rcpt?.(address.address);
      if (a) cb(Object.assign(new Error(a.message), { responseCode: a.code })); else cb();
    },
    onData(stream, session, cb) {
      const mode = peer.behaviour.data ?? 'accept';
      const chunks: Buffer[] = [];
      if (mode === 'drop') {
        stream.once('data', () => { socketOf(session)?.destroy(); });
        stream.resume();
        return;
      }
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (mode === 'hang') return;
        const finish = () => {
          if (typeof mode === 'object') { cb(Object.assign(new Error(mode.message), { responseCode: mode.code })); return; }
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
        if (peer.behaviour.delayMs) setTimeout(finish, peer.behaviour.delayMs); else finish();
      });
    },
  };
  const server = new SMTPServer(options);
  server.on('error', () => { /* a client that went away */ });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  peer.port = (server.server.address() as { port: number }).port;
  peer.uniqueMessageIds = () => new Set(received.map((r) => r.messageId).filter((x): x is string => !!x));
  peer.close = () => new Promise((resolve) => server.close(() => resolve()));
  return peer;
}
