import { Duplex } from 'node:stream';
const HEADER = /^PROXY TCP6 fc00:dead:beef:4dad::([0-9a-f]{1,4}):([0-9a-f]{1,4}) ::1 (\d{1,5}) (\d{1,5})\r\n$/i;
const MAX_HEADER = 107; // PROXY v1's limit, CRLF included
/** The circuit a PROXY header line names, or undefined when it is not tor's header. */
export function parseTorCircuitHeader(line) {
    const m = HEADER.exec(line);
    if (!m)
        return undefined;
    const circuitId = (parseInt(m[1], 16) * 0x10000 + parseInt(m[2], 16)) >>> 0;
    const virtualPort = Number(m[4]);
    if (virtualPort < 1 || virtualPort > 65535)
        return undefined;
    return { circuitId, virtualPort, client: `tor-circuit:${circuitId}` };
}
/** Read tor's header from a fresh connection; the bytes after it stay in the socket. Rejects on
 *  anything else, a header longer than the protocol allows, or silence past `timeoutMs`. */
export function readTorCircuitHeader(socket, timeoutMs = 10_000) {
    return new Promise((resolve, reject) => {
        let buf = Buffer.alloc(0);
        const done = (err, v, rest) => {
            clearTimeout(timer);
            socket.off('data', onData);
            socket.off('error', onError);
            socket.off('close', onClose);
            if (err) {
                reject(err);
                return;
            }
            socket.pause();
            if (rest?.length)
                socket.unshift(rest);
            resolve(v);
        };
        const onData = (chunk) => {
            buf = Buffer.concat([buf, chunk]);
            const end = buf.indexOf('\r\n');
            if (end < 0) {
                if (buf.length > MAX_HEADER)
                    done(new Error('no PROXY header (too long)'));
                return;
            }
            const h = parseTorCircuitHeader(buf.subarray(0, end + 2).toString('latin1'));
            if (!h) {
                done(new Error('not a tor PROXY header'));
                return;
            }
            done(undefined, h, buf.subarray(end + 2));
        };
        const onError = (e) => done(e);
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
export function afterHeader(socket) {
    const d = new Duplex({
        read() { socket.resume(); },
        write(chunk, _enc, cb) { socket.write(chunk, cb); },
        final(cb) { socket.end(); cb(); },
        destroy(err, cb) { socket.destroy(); cb(err); },
    });
    socket.on('data', (chunk) => { if (!d.push(chunk))
        socket.pause(); });
    socket.on('end', () => d.push(null));
    socket.on('close', () => d.destroy());
    socket.on('error', (e) => d.destroy(e));
    return d;
}
//# sourceMappingURL=tor-circuit.js.map