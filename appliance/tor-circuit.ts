// The PROXY header tor writes before the bytes of each onion connection when the onion service has
// `HiddenServiceExportCircuitID haproxy` (tor(1)): PROXY protocol v1,
//   PROXY TCP6 fc00:dead:beef:4dad::AABB:CCDD ::1 <source port> <virtual port>\r\n
// where the last 32 bits of the source address are tor's global circuit id. Every onion client
// arrives from 127.0.0.1; the circuit is what tells them apart, so per-client limits (connection
// caps, login throttles) key on `tor-circuit:<id>` instead. Only listeners that tor alone reaches
// (loopback, never the LAN) may read it: a LAN client could otherwise claim any identity.
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';

export interface TorCircuit {
  circuitId: number;
  /** the onion port the client connected to (143, 993, 80 ...) */
  virtualPort: number;
  /** the client identity for limits and logs (redacted like an address) */
  client: string;
}

const HEADER = /^PROXY TCP6 fc00:dead:beef:4dad::([0-9a-f]{1,4}):([0-9a-f]{1,4}) ::1 (\d{1,5}) (\d{1,5})\r\n$/i;
const MAX_HEADER = 107; // PROXY v1's limit, CRLF included

/** The circuit a PROXY header line names, or undefined when it is not tor's header. */
export function parseTorCircuitHeader(line: string): TorCircuit | undefined {
  const m = HEADER.exec(line);
  if (!m) return undefined;
  const circuitId = (parseInt(m[1]!, 16) * 0x10000 + parseInt(m[2]!, 16)) >>> 0;
  const virtualPort = Number(m[4]);
  if (virtualPort < 1 || virtualPort > 65535) return undefined;
  return { circuitId, virtualPort, client: `tor-circuit:${circuitId}` };
}

/** Read tor's header from a fresh connection; the bytes after it stay in the socket. Rejects on
 *  anything else, a header longer than the protocol allows, or silence past `timeoutMs`. */
export function readTorCircuitHeader(socket: Socket, timeoutMs = 10_000): Promise<TorCircuit> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const done = (err: Error | undefined, v?: TorCircuit, rest?: Buffer) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
      if (err) { reject(err); return; }
      socket.pause();
      if (rest?.length) socket.unshift(rest);
      resolve(v!);
    };
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n');
      if (end < 0) { if (buf.length > MAX_HEADER) done(new Error('no PROXY header (too long)')); return; }
      const h = parseTorCircuitHeader(buf.subarray(0, end + 2).toString('latin1'));
      if (!h) { done(new Error('not a tor PROXY header')); return; }
      done(undefined, h, buf.subarray(end + 2));
    };
    const onError = (e: Error) => done(e);
    const onClose = () => done(new Error('closed before the PROXY header'));
    const timer = setTimeout(() => done(new Error('no PROXY header in time')), timeoutMs);
    timer.unref();
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
  });
}

/** The connection after its header as a plain stream, for `new TLSSocket(...)`: a TLSSocket over
 *  a net.Socket reads the socket's handle directly and would miss the bytes that arrived with the
 *  header (the TLS ClientHello usually does). */
export function afterHeader(socket: Socket): Duplex {
  const d = new Duplex({
    read() { socket.resume(); },
    write(chunk: Buffer, _enc, cb) { socket.write(chunk, cb); },
    final(cb) { socket.end(); cb(); },
    destroy(err, cb) { socket.destroy(); cb(err); },
  });
  socket.on('data', (chunk: Buffer) => { if (!d.push(chunk)) socket.pause(); });
  socket.on('end', () => d.push(null));
  socket.on('close', () => d.destroy());
  socket.on('error', (e) => d.destroy(e));
  return d;
}
