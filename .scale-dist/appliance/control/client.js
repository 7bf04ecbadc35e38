// The CLI side of the control socket.
import { createConnection } from 'node:net';
import { controlSocketPath } from './server.js';
export class ControlError extends Error {
    code;
    constructor(message, code) {
        super(message);
        this.code = code;
        this.name = 'ControlError';
    }
}
/** Send one request to the running appliance; rejects with ControlError on a refusal. */
export function controlRequest(config, req, timeoutMs = 300_000) {
    const path = controlSocketPath(config);
    return new Promise((resolve, reject) => {
        const sock = createConnection(path);
        let buf = '';
        let done = false;
        const finish = (f) => { if (!done) {
            done = true;
            sock.destroy();
            f();
        } };
        sock.setEncoding('utf8');
        sock.setTimeout(timeoutMs, () => finish(() => reject(new ControlError('the appliance did not answer in time', 'timeout'))));
        sock.on('connect', () => sock.write(JSON.stringify(req) + '\n'));
        sock.on('error', (e) => finish(() => reject(new ControlError(e.code === 'ENOENT' || e.code === 'ECONNREFUSED' ? `Postern is not running (no control socket at ${path})`
            : e.code === 'EACCES' ? `no permission to use ${path} (run as root or as the postern user)` : e.message, 'unavailable'))));
        sock.on('data', (d) => {
            buf += d;
            const nl = buf.indexOf('\n');
            if (nl < 0)
                return;
            finish(() => {
                let r;
                try {
                    r = JSON.parse(buf.slice(0, nl));
                }
                catch {
                    reject(new ControlError('bad answer from the appliance', 'failed'));
                    return;
                }
                if (r.ok)
                    resolve(r);
                else
                    reject(new ControlError(r.message, r.code));
            });
        });
        sock.on('end', () => finish(() => reject(new ControlError('the appliance closed the connection without an answer', 'failed'))));
    });
}
//# sourceMappingURL=client.js.map