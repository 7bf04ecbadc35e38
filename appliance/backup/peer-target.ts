// A peer target: another Postern box over Tor that agreed to hold this box's backup (services/
// peer-backup). One TLS connection through tor's SOCKS port to port 7425 of the peer's SMTP onion,
// HTTP/2 inside (requests share it; a pack's bytes flow with HTTP/2's flow control). As the owner
// the box presents its TLS certificate (the one SMTorP peers pin) and checks the peer's against
// the public key its card pinned; as a restoring box it has no certificate yet and proves the
// recovery code instead (peer-protocol.ts), trusting the onion address (tor checks that the far
// end holds its key). Everything it sends is already age-encrypted: the peer learns sizes only.
import { connect as http2Connect, constants as h2, type ClientHttp2Session } from 'node:http2';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { KeyObject } from 'node:crypto';
import { SocksClient } from 'socks';
import { clientTlsOptions } from '../tls/policy.js';
import { spkiFingerprint } from '../tls/authority.js';
import { PEER_BACKUP_PORT } from '../../services/tor/torrc.js';
import { EXPORTER_LABEL, HOLD_PATH, LIST_PATH, OBJECT_PATH, PEER_BACKUP_ALPN, RETRIEVAL_KEY_PATH, RETRIEVE_HEADER, signRetrieval, validObjectName, type HoldInfo } from './peer-protocol.js';
import { TargetError, type BackupTarget, type TargetEntry } from './target.js';

export interface PeerTargetOptions {
  /** tor's SOCKS port */
  socks: { host: string; port: number };
  /** the owner: its TLS key and certificate, and the peer's pinned SPKI */
  owner?: { key: string; cert: string; peerSpki: string };
  /** a restoring box: the retrieval key derived from the recovery code */
  retrieval?: KeyObject;
  /** a port other than 7425 (tests of the listener without tor) */
  port?: number;
  timeoutMs?: number;
}

interface Reply { status: number; body: Buffer }

export class PeerTarget implements BackupTarget {
  readonly description: string;
  private authHeader: string | undefined;

  private constructor(private readonly session: ClientHttp2Session, private readonly socket: TLSSocket, onion: string, private readonly timeoutMs: number) {
    this.description = `peer box ${onion.slice(0, 16)}….onion`;
  }

  static async open(onion: string, o: PeerTargetOptions): Promise<PeerTarget> {
    const timeoutMs = o.timeoutMs ?? 120_000;
    const host = onion.toLowerCase();
    let raw;
    try {
      ({ socket: raw } = await SocksClient.createConnection({ proxy: { host: o.socks.host, port: o.socks.port, type: 5 }, command: 'connect', destination: { host, port: o.port ?? PEER_BACKUP_PORT }, timeout: timeoutMs }));
    } catch (e) {
      throw new TargetError(`cannot reach the peer box ${host.slice(0, 16)}….onion over Tor (${(e as Error).message}): is it running and does it hold backups for this box?`);
    }
    const socket = tlsConnect({
      socket: raw,
      ...clientTlsOptions({
        rejectUnauthorized: false, // the pin below, or the onion address itself
        ALPNProtocols: [PEER_BACKUP_ALPN],
        ...(o.owner ? { key: o.owner.key, cert: o.owner.cert } : {}),
      }),
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new TargetError('the peer box did not complete the TLS handshake in time')), timeoutMs);
        socket.once('secureConnect', () => { clearTimeout(timer); resolve(); });
        socket.once('error', (e) => { clearTimeout(timer); reject(new TargetError(`TLS with the peer box failed: ${e.message}`)); });
      });
      if (o.owner) {
        const cert = socket.getPeerCertificate();
        const spki = cert?.raw ? spkiFingerprint(cert.raw) : undefined;
        if (spki !== o.owner.peerSpki) throw new TargetError(`the peer box presented a TLS key (SPKI SHA-256 ${spki ?? 'none'}) that is not the one its card pins: refusing to send it anything`);
      }
      if (socket.alpnProtocol !== PEER_BACKUP_ALPN) throw new TargetError('the peer box does not speak the backup protocol on that port (is it a Postern box holding backups?)');
    } catch (e) {
      socket.destroy();
      throw e;
    }
    const session = http2Connect(`https://${host}`, { createConnection: () => socket });
    session.on('error', () => undefined); // surfaced by the failing request
    const target = new PeerTarget(session, socket, host, timeoutMs);
    if (o.retrieval) target.authHeader = signRetrieval(o.retrieval, socket.exportKeyingMaterial(32, EXPORTER_LABEL, Buffer.alloc(0)));
    try {
      await target.hold(); // refused here, with the holder's sentence, when it holds nothing for us
    } catch (e) {
      await target.close();
      throw e;
    }
    return target;
  }

  private request(method: string, path: string, body?: Buffer): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { [h2.HTTP2_HEADER_METHOD]: method, [h2.HTTP2_HEADER_PATH]: path };
      if (this.authHeader) headers[RETRIEVE_HEADER] = this.authHeader;
      if (body) headers[h2.HTTP2_HEADER_CONTENT_LENGTH] = body.length;
      let req;
      try {
        req = this.session.request(headers, { endStream: !body });
      } catch (e) {
        reject(new TargetError(`the connection to the peer box is gone (${(e as Error).message})`));
        return;
      }
      const chunks: Buffer[] = [];
      let status = 0;
      req.setTimeout(this.timeoutMs, () => req.close(h2.NGHTTP2_CANCEL));
      req.on('response', (h) => { status = Number(h[h2.HTTP2_HEADER_STATUS]); });
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve({ status, body: Buffer.concat(chunks) }));
      req.on('error', (e) => reject(new TargetError(`the peer box did not answer ${method} (${e.message})`)));
      req.on('close', () => { if (!status) reject(new TargetError(`the peer box closed the request (${method}) without an answer${req.rstCode ? ` (code ${req.rstCode})` : ''}`)); });
      if (body) req.end(body);
    });
  }

  private async expect(r: Reply, ok: number[], what: string): Promise<Reply> {
    if (ok.includes(r.status)) return r;
    const text = r.body.toString('utf8').trim().slice(0, 300);
    throw new TargetError(`the peer box refused ${what}: ${text || `status ${r.status}`}`);
  }

  async hold(): Promise<HoldInfo> {
    return JSON.parse((await this.expect(await this.request('GET', HOLD_PATH), [200], 'to say what it holds')).body.toString('utf8')) as HoldInfo;
  }

  async registerRetrievalKey(publicKey: string): Promise<void> {
    await this.expect(await this.request('PUT', RETRIEVAL_KEY_PATH, Buffer.from(publicKey)), [204], 'to keep the retrieval key');
  }

  async put(name: string, data: Buffer): Promise<void> {
    if (!validObjectName(name)) throw new TargetError(`bad object name ${name}`);
    await this.expect(await this.request('PUT', OBJECT_PATH + name, data), [204], `to store ${data.length} bytes`);
  }

  async get(name: string): Promise<Buffer | undefined> {
    if (!validObjectName(name)) throw new TargetError(`bad object name ${name}`);
    const r = await this.request('GET', OBJECT_PATH + name);
    if (r.status === 404) return undefined;
    return (await this.expect(r, [200], 'a download')).body;
  }

  async list(prefix: string): Promise<TargetEntry[]> {
    const p = prefix.endsWith('/') ? prefix : `${prefix}/`;
    const r = await this.expect(await this.request('GET', `${LIST_PATH}?prefix=${encodeURIComponent(p)}`), [200], 'a listing');
    return JSON.parse(r.body.toString('utf8')) as TargetEntry[];
  }

  async remove(name: string): Promise<void> {
    if (!validObjectName(name)) throw new TargetError(`bad object name ${name}`);
    await this.expect(await this.request('DELETE', OBJECT_PATH + name), [204, 404], 'a removal');
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000);
      this.session.close(() => { clearTimeout(timer); resolve(); });
    });
    this.socket.destroy();
  }
}
