// Holding other boxes' backups (issue 16): the listener behind port 7425 of this box's SMTP onion
// (listen.backupOnion, loopback: only the local tor reaches it; in "launch" mode tor writes its
// PROXY header first). HTTP/2 over TLS (peer-protocol.ts). A connection is the owner of a hold
// when its TLS client certificate has the public key pinned for that hold (`postern backup hold
// add ONION` took it from the peer's card); a restoring box proves the owner's retrieval key over
// this connection's TLS exporter and may only read. Anyone else gets 403 and nothing. Objects are
// stored as opaque files (FolderTarget: temporary file, fsync, rename), within the hold's quota.
import { createServer as createNetServer, type Socket } from 'node:net';
import { createSecureServer, constants as h2, type Http2SecureServer, type ServerHttp2Stream, type IncomingHttpHeaders } from 'node:http2';
import type { TLSSocket } from 'node:tls';
import type { ServiceStarter } from '../../appliance/service.js';
import { serverTlsOptions } from '../../appliance/tls/policy.js';
import { spkiFingerprint } from '../../appliance/tls/authority.js';
import { listen, closeServer, ConnectionTracker } from '../../appliance/listen.js';
import { afterHeader, readTorCircuitHeader } from '../../appliance/tor-circuit.js';
import { log } from '../../appliance/log.js';
import { HoldBook, usedBytes, type Hold } from '../../appliance/backup/holds.js';
import { FolderTarget } from '../../appliance/backup/folder-target.js';
import { checkRetrieval, EXPORTER_LABEL, formatBytes, HOLD_PATH, LIST_PATH, MAX_OBJECT_BYTES, OBJECT_PATH, RETRIEVAL_KEY_PATH, RETRIEVE_HEADER, validObjectName } from '../../appliance/backup/peer-protocol.js';

interface Access { hold: Hold; owner: boolean }

/** Per hold: its folder and the bytes in it (counted once, then kept up to date). */
class HoldSpace {
  private used: number | undefined;
  private target: Promise<FolderTarget> | undefined;
  constructor(readonly dir: string) {}
  folder(): Promise<FolderTarget> { return (this.target ??= FolderTarget.open(this.dir, { createParents: true })); }
  bytes(): number { return (this.used ??= usedBytes(this.dir)); }
  add(n: number): void { this.used = this.bytes() + n; }
}

export const startPeerBackup: ServiceStarter = async (ctx) => {
  const endpoint = ctx.config.listen.backupOnion;
  if (!endpoint) return undefined;
  const holds = new HoldBook(ctx.store);
  const spaces = new Map<string, HoldSpace>();
  const space = (h: Hold): HoldSpace => {
    let s = spaces.get(h.onion);
    if (!s) spaces.set(h.onion, (s = new HoldSpace(holds.folder(h))));
    return s;
  };

  const server: Http2SecureServer = createSecureServer({
    ...serverTlsOptions(ctx.tls),
    requestCert: true,
    rejectUnauthorized: false, // the pin is checked per request against the hold book
    allowHTTP1: false,
    settings: { maxConcurrentStreams: 8 },
  });
  server.on('stream', (stream, headers) => {
    handle(stream, headers).catch((e: Error) => {
      log.warn('peer-backup.failed', { error: e.message });
      reply(stream, 500, 'the holding box failed to do that; try again later');
    });
  });
  server.on('sessionError', () => undefined);
  server.on('tlsClientError', () => undefined);

  const access = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders): Access | undefined => {
    const socket = stream.session?.socket as TLSSocket | undefined;
    if (!socket) return undefined;
    const cert = socket.getPeerCertificate();
    if (cert?.raw) {
      const hold = holds.bySpki(spkiFingerprint(cert.raw));
      if (hold) return { hold, owner: true };
    }
    const claim = headers[RETRIEVE_HEADER];
    if (typeof claim === 'string') {
      const pub = checkRetrieval(claim, socket.exportKeyingMaterial(32, EXPORTER_LABEL, Buffer.alloc(0)));
      const hold = pub ? holds.byRetrievalKey(pub) : undefined;
      if (hold) return { hold, owner: false };
    }
    return undefined;
  };

  async function handle(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): Promise<void> {
    const method = String(headers[h2.HTTP2_HEADER_METHOD]);
    const url = new URL(String(headers[h2.HTTP2_HEADER_PATH]), 'https://hold.invalid');
    const a = access(stream, headers);
    if (!a) {
      log.info('peer-backup.refused', {});
      reply(stream, 403, 'this box holds no backup for you: its household adds your box with "postern backup hold add ONION"');
      return;
    }
    const sp = space(a.hold);
    if (url.pathname === HOLD_PATH && method === 'GET') {
      reply(stream, 200, JSON.stringify({ quota: a.hold.quota, used: sp.bytes() }), 'application/json');
      return;
    }
    if (url.pathname === LIST_PATH && method === 'GET') {
      const prefix = url.searchParams.get('prefix') ?? '';
      if (!/^[a-z]+\/$/.test(prefix)) { reply(stream, 400, 'a listing takes a prefix like "data/"'); return; }
      reply(stream, 200, JSON.stringify(await (await sp.folder()).list(prefix)), 'application/json');
      return;
    }
    if (url.pathname === RETRIEVAL_KEY_PATH && method === 'PUT') {
      if (!a.owner) { reply(stream, 403, 'only the box whose backup this is may do that'); return; }
      const body = await readBody(stream, headers, 4096);
      if (!body) return;
      const pub = body.toString('utf8').trim();
      if (!/^[A-Za-z0-9+/=]{40,100}$/.test(pub)) { reply(stream, 400, 'not a retrieval key'); return; }
      if (a.hold.retrievalKey !== pub) holds.setRetrievalKey(a.hold.onion, pub);
      reply(stream, 204);
      return;
    }
    if (!url.pathname.startsWith(OBJECT_PATH)) { reply(stream, 404, 'no such request'); return; }
    const name = decodeURIComponent(url.pathname.slice(OBJECT_PATH.length));
    if (!validObjectName(name)) { reply(stream, 400, 'not an object name of the backup format'); return; }
    const folder = await sp.folder();
    if (method === 'GET') {
      const data = await folder.get(name);
      if (!data) { reply(stream, 404, 'no such object'); return; }
      stream.respond({ [h2.HTTP2_HEADER_STATUS]: 200, [h2.HTTP2_HEADER_CONTENT_LENGTH]: data.length, [h2.HTTP2_HEADER_CONTENT_TYPE]: 'application/octet-stream' });
      stream.end(data);
      return;
    }
    if (!a.owner) { reply(stream, 403, 'a restoring box may only read'); return; }
    if (method === 'PUT') {
      const length = Number(headers[h2.HTTP2_HEADER_CONTENT_LENGTH]);
      const before = (await folder.size(name)) ?? 0;
      if (Number.isSafeInteger(length) && sp.bytes() - before + length > a.hold.quota) {
        reply(stream, 507, `the quota this box gives yours (${formatBytes(a.hold.quota)}) would be exceeded: ${formatBytes(sp.bytes())} held, ${formatBytes(length)} more asked; prune old snapshots or ask its household for more room`);
        return;
      }
      sp.add(length - before); // reserved now: parallel uploads count against the same quota
      let stored = false;
      try {
        const body = await readBody(stream, headers, MAX_OBJECT_BYTES);
        if (!body) return;
        await folder.put(name, body);
        stored = true;
        reply(stream, 204);
      } finally {
        if (!stored) sp.add(before - length);
      }
      return;
    }
    if (method === 'DELETE') {
      const size = await folder.size(name);
      if (size === undefined) { reply(stream, 404, 'no such object'); return; }
      await folder.remove(name);
      sp.add(-size);
      reply(stream, 204);
      return;
    }
    reply(stream, 405, 'not a request of the backup protocol');
  }

  // tor's PROXY header (launch mode) comes before TLS; then the TLS server takes the connection
  const tracker = new ConnectionTracker();
  const raw = createNetServer((s: Socket) => {
    tracker.add(s);
    s.on('error', () => s.destroy());
    if (ctx.config.tor.mode !== 'launch') { server.emit('connection', s); return; }
    readTorCircuitHeader(s).then(() => { server.emit('connection', afterHeader(s)); }, () => s.destroy());
  });
  await listen(raw, 'backupOnion', endpoint);
  return {
    name: 'peer-backup',
    listeners: [{ name: 'backupOnion', endpoint }],
    reloadTls(tls) { server.setSecureContext(serverTlsOptions(tls)); },
    async close(graceMs) {
      await Promise.all([closeServer(raw), tracker.drain(Math.min(graceMs, 2000))]);
      server.close();
    },
  };
};

function reply(stream: ServerHttp2Stream, status: number, text?: string, type = 'text/plain; charset=utf-8'): void {
  if (stream.destroyed || stream.closed) return;
  if (stream.headersSent) { stream.close(h2.NGHTTP2_INTERNAL_ERROR); return; }
  const body = text === undefined ? undefined : Buffer.from(text);
  stream.respond({ [h2.HTTP2_HEADER_STATUS]: status, ...(body ? { [h2.HTTP2_HEADER_CONTENT_TYPE]: type, [h2.HTTP2_HEADER_CONTENT_LENGTH]: body.length } : {}) });
  stream.end(body);
}

/** The request body, at most `max` bytes and exactly its content-length; undefined after an
 *  answer was sent. */
function readBody(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, max: number): Promise<Buffer | undefined> {
  const length = Number(headers[h2.HTTP2_HEADER_CONTENT_LENGTH]);
  if (!Number.isSafeInteger(length) || length < 0) { reply(stream, 411, 'a content-length is required'); return Promise.resolve(undefined); }
  if (length > max) { reply(stream, 413, `an object may have at most ${formatBytes(max)}`); return Promise.resolve(undefined); }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let got = 0;
    stream.on('data', (c: Buffer) => {
      got += c.length;
      if (got > length) { reply(stream, 400, 'more bytes than the content-length'); stream.close(h2.NGHTTP2_CANCEL); resolve(undefined); return; }
      chunks.push(c);
    });
    stream.on('end', () => {
      if (got !== length) { reply(stream, 400, `the body has ${got} bytes, not ${length}`); resolve(undefined); return; }
      resolve(Buffer.concat(chunks));
    });
    stream.on('error', reject);
    stream.on('aborted', () => resolve(undefined));
  });
}
