// A tiny SOCKS5 server on loopback (RFC 1928, no authentication, CONNECT only) standing in for
// Tor's SOCKS port: it connects names (e.g. a .onion) to local ports from a table and records the
// names it was asked for, so a test can check that the client never resolved them itself.
import { createServer, connect } from 'node:net';
export async function startSocksServer(routes) {
    const requests = [];
    const sockets = new Set();
    const server = createServer((client) => {
        sockets.add(client);
        client.on('close', () => sockets.delete(client));
        client.on('error', () => client.destroy());
        let buf = Buffer.alloc(0);
        let stage = 'hello';
        const onData = (chunk) => {
            buf = Buffer.concat([buf, chunk]);
            if (stage === 'hello') {
                if (buf.length < 2 || buf.length < 2 + buf[1])
                    return;
                if (buf[0] !== 5) {
                    client.destroy();
                    return;
                }
                const methods = buf.subarray(2, 2 + buf[1]);
                buf = buf.subarray(2 + buf[1]);
                if (!methods.includes(0)) {
                    client.end(Buffer.from([5, 0xff]));
                    return;
                }
                client.write(Buffer.from([5, 0]));
                stage = 'request';
            }
            if (stage === 'request') {
                if (buf.length < 5)
                    return;
                const atyp = buf[3];
                let name;
                let end;
                if (atyp === 3) {
                    end = 5 + buf[4];
                    if (buf.length < end + 2)
                        return;
                    name = buf.subarray(5, end).toString('latin1');
                }
                else if (atyp === 1) {
                    end = 8;
                    if (buf.length < end + 2)
                        return;
                    name = [...buf.subarray(4, 8)].join('.');
                }
                else {
                    client.end(Buffer.from([5, 8, 0, 1, 0, 0, 0, 0, 0, 0]));
                    return;
                }
                const port = buf.readUInt16BE(end);
                const rest = buf.subarray(end + 2);
                requests.push(`${name}:${port}`);
                const target = routes[`${name}:${port}`] ?? routes[name];
                if (buf[1] !== 1 || !target) {
                    client.end(Buffer.from([5, 4, 0, 1, 0, 0, 0, 0, 0, 0]));
                    return;
                } // host unreachable
                stage = 'piped';
                client.off('data', onData);
                const upstream = connect(target.port, target.host);
                sockets.add(upstream);
                upstream.on('close', () => { sockets.delete(upstream); client.destroy(); });
                upstream.on('error', () => { client.end(Buffer.from([5, 5, 0, 1, 0, 0, 0, 0, 0, 0])); });
                upstream.once('connect', () => {
                    client.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]));
                    if (rest.length)
                        upstream.write(rest);
                    client.pipe(upstream);
                    upstream.pipe(client);
                    client.on('close', () => upstream.destroy());
                });
            }
        };
        client.on('data', onData);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
        host: '127.0.0.1',
        port: server.address().port,
        requests,
        close: () => new Promise((resolve) => { for (const s of sockets)
            s.destroy(); server.close(() => resolve()); }),
    };
}
//# sourceMappingURL=socks-server.js.map