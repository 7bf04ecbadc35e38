// Free loopback ports for tests (bind to 0, read the port, close).
import { createServer } from 'node:net';
export async function freePort() {
    return new Promise((resolve, reject) => {
        const s = createServer();
        s.once('error', reject);
        s.listen(0, '127.0.0.1', () => {
            const port = s.address().port;
            s.close(() => resolve(port));
        });
    });
}
export async function freePorts(n) {
    const out = [];
    while (out.length < n) {
        const p = await freePort();
        if (!out.includes(p))
            out.push(p);
    }
    return out;
}
//# sourceMappingURL=ports.js.map