export const MAX_CONTROL_REQUEST = 4096;
export function parseControlRequest(line) {
    if (line.length > MAX_CONTROL_REQUEST)
        throw new Error('request too long');
    const v = JSON.parse(line);
    if (typeof v !== 'object' || v === null || Array.isArray(v))
        throw new Error('request must be a JSON object');
    const o = v;
    const keys = Object.keys(o).sort().join(',');
    if ((o.op === 'status' || o.op === 'lock') && keys === 'op')
        return { op: o.op };
    if (o.op === 'unlock' && keys === 'op,secret' && typeof o.secret === 'string')
        return { op: 'unlock', secret: o.secret };
    if (o.op === 'setup' && keys === 'op,passphrase' && typeof o.passphrase === 'string')
        return { op: 'setup', passphrase: o.passphrase };
    throw new Error('unknown request (expected status, lock, unlock or setup with their arguments)');
}
/** The socket lives next to the keys that must be readable while locked (config.ts systemDir). */
export const CONTROL_SOCKET_NAME = 'control.sock';
//# sourceMappingURL=protocol.js.map