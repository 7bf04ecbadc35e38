// Opening an SMTP session to one hop with the hop's TLS rules: plain TCP, implicit TLS, or a
// SOCKS5 stream through Tor (the .onion name goes to the proxy unresolved); then EHLO, STARTTLS
// when offered or required, the certificate check (pinned SHA-256 of the certificate or of its
// SubjectPublicKeyInfo, or PKIX with the
// host name) before any mail is sent, and AUTH for a relay. Never a silent fall back to plaintext
// when TLS is required.
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, checkServerIdentity, type TLSSocket, type ConnectionOptions } from 'node:tls';
import { clientTlsOptions } from '../../appliance/tls/policy.js';
import { fingerprintOfDer, spkiFingerprint } from '../../appliance/tls/authority.js';
import { SmtpClient, SmtpSessionError } from './smtp-client.js';

/** `plaintext`: only after an opportunistic STARTTLS handshake failed with this very host
 *  (RFC 7435: opportunistic security falls back rather than not delivering at all). */
export type TlsMode = 'implicit' | 'required' | 'opportunistic' | 'plaintext';
/** `pin`: the certificate passes when its SHA-256 is one of `fingerprints` or the SHA-256 of its
 *  SubjectPublicKeyInfo is one of `spki` (RFC 7469 2.4; survives re-issues with the same key). */
export type Verification = { kind: 'none' } | { kind: 'pkix' } | { kind: 'pin'; fingerprints: readonly string[]; spki?: readonly string[] };

export interface Hop {
  /** the host name as the route knows it (MX name, relay name, onion): for DSNs and SNI */
  name: string;
  /** where to connect: an IP address, or a name the SOCKS proxy resolves */
  address: string;
  port: number;
  tls: TlsMode;
  verify: Verification;
  socks?: { host: string; port: number };
  clientCert?: { key: string; cert: string };
  auth?: { user: string; password: string };
}

export interface TransportOptions {
  heloName: string;
  timeoutMs: number;
  connectTimeoutMs: number;
  /** extra trust anchors for PKIX checks (tests); the system's CAs when absent */
  trustAnchors?: readonly string[];
}

/** A key under which an idle session to this hop may be reused. */
export function hopKey(h: Hop): string {
  const v = h.verify.kind === 'pin' ? `pin:${[...h.verify.fingerprints].sort().join(',')}|spki:${[...(h.verify.spki ?? [])].sort().join(',')}` : h.verify.kind;
  return [h.name, h.address, h.port, h.tls, v, h.socks ? `${h.socks.host}:${h.socks.port}` : '', h.auth?.user ?? ''].join('|');
}

function tcp(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = netConnect({ host, port });
    const timer = setTimeout(() => { s.destroy(); reject(new SmtpSessionError(`connecting to ${host}:${port} timed out`, true)); }, timeoutMs);
    s.once('connect', () => { clearTimeout(timer); resolve(s); });
    s.once('error', (e: NodeJS.ErrnoException) => { clearTimeout(timer); reject(new SmtpSessionError(`cannot connect to ${host}:${port} (${e.code ?? e.message})`, true)); });
  });
}

async function viaSocks(proxy: { host: string; port: number }, host: string, port: number, timeoutMs: number): Promise<Socket> {
  try {
    const { SocksClient } = await import('socks'); // only for Tor hops (idle memory)
    const { socket } = await SocksClient.createConnection({ proxy: { host: proxy.host, port: proxy.port, type: 5 }, command: 'connect', destination: { host, port }, timeout: timeoutMs });
    return socket;
  } catch (e) {
    throw new SmtpSessionError(`the Tor SOCKS proxy could not reach the peer (${(e as Error).message})`, true);
  }
}

function tlsOptions(hop: Hop, o: TransportOptions): ConnectionOptions {
  const servername = /^[\d.]+$|:/.test(hop.name) ? undefined : hop.name;
  return clientTlsOptions({
    rejectUnauthorized: false, // checked by `certificateProblem` with a specific message
    ...(servername ? { servername } : {}),
    ...(o.trustAnchors && hop.verify.kind === 'pkix' ? { ca: [...o.trustAnchors] } : {}),
    ...(hop.clientCert ? { key: hop.clientCert.key, cert: hop.clientCert.cert } : {}),
  });
}

/** What is wrong with the peer's certificate under the hop's rule, or undefined. */
export function certificateProblem(s: TLSSocket, hop: Hop): string | undefined {
  if (hop.verify.kind === 'none') return undefined;
  const cert = s.getPeerCertificate();
  if (!cert || !cert.raw) return 'the server presented no certificate';
  if (hop.verify.kind === 'pin') {
    const fp = fingerprintOfDer(cert.raw);
    if (hop.verify.fingerprints.includes(fp)) return undefined;
    const spki = hop.verify.spki?.length ? spkiFingerprint(cert.raw) : undefined;
    if (spki && hop.verify.spki!.includes(spki)) return undefined;
    return spki
      ? `the server's public key (SPKI SHA-256 ${spki}) does not match the pinned key: the peer may have a new key and must send a new card`
      : `the server's certificate (SHA-256 ${fp}) does not match the pinned fingerprint`;
  }
  if (checkServerIdentity(hop.name, cert)) return `the server's certificate does not name ${hop.name}`;
  return s.authorized ? undefined : `the server's certificate is not trusted (${String(s.authorizationError)})`;
}

/** Connect, greet, secure and authenticate: a session ready for MAIL FROM. */
export async function openSession(hop: Hop, o: TransportOptions): Promise<SmtpClient> {
  let socket: Socket | TLSSocket;
  if (hop.socks) socket = await viaSocks(hop.socks, hop.address, hop.port, o.connectTimeoutMs);
  else socket = await tcp(hop.address, hop.port, o.connectTimeoutMs);
  if (hop.tls === 'implicit') {
    const plain = socket;
    socket = await new Promise<TLSSocket>((resolve, reject) => {
      const s = tlsConnect({ ...tlsOptions(hop, o), socket: plain });
      const timer = setTimeout(() => { s.destroy(); reject(new SmtpSessionError('TLS handshake timed out', true, undefined, true)); }, o.timeoutMs);
      s.once('secureConnect', () => { clearTimeout(timer); resolve(s); });
      s.once('error', (e) => { clearTimeout(timer); s.destroy(); reject(new SmtpSessionError(`TLS handshake failed: ${e.message}`, true, undefined, true)); });
    });
    const problem = certificateProblem(socket as TLSSocket, hop);
    if (problem) { socket.destroy(); throw new SmtpSessionError(problem, true, undefined, true); }
  }
  const client = await SmtpClient.open(socket, o.timeoutMs);
  try {
    await client.hello(o.heloName);
    if (hop.tls === 'required' || hop.tls === 'opportunistic') {
      if (client.supports('STARTTLS')) {
        await client.startTls(tlsOptions(hop, o), (s) => certificateProblem(s, hop));
        await client.hello(o.heloName); // RFC 3207 4.2: forget what we knew, ask again
      } else if (hop.tls === 'required') {
        throw new SmtpSessionError(`TLS is required for ${hop.name} but the server does not offer STARTTLS`, true, undefined, true);
      }
    }
    if (hop.auth) await client.authenticate(hop.auth.user, hop.auth.password);
    return client;
  } catch (e) {
    client.close();
    throw e;
  }
}
