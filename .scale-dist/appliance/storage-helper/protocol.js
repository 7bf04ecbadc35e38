// The storage helper's wire protocol, shared by the helper (root) and its client (appliance/volume.ts).
// One request per connection: one JSON object on one line, answered by one JSON line. Exactly four
// requests exist; anything else is refused. Secrets are validated here on both sides, so a bad one
// never reaches cryptsetup.
export const MAX_REQUEST_BYTES = 4096;
export const MIN_PASSPHRASE_BYTES = 8;
export const MAX_PASSPHRASE_BYTES = 512;
export class ProtocolError extends Error {
    constructor(message) { super(message); this.name = 'ProtocolError'; }
}
/** A passphrase: 8-512 bytes of UTF-8 without control characters (so that typing it at a console
 *  gives the same bytes as sending it here). Returns an error sentence, or undefined when fine. */
export function passphraseProblem(p) {
    if (typeof p !== 'string')
        return 'the passphrase must be a string';
    const bytes = Buffer.byteLength(p, 'utf8');
    if (bytes < MIN_PASSPHRASE_BYTES)
        return `the passphrase is too short (at least ${MIN_PASSPHRASE_BYTES} characters)`;
    if (bytes > MAX_PASSPHRASE_BYTES)
        return `the passphrase is too long (at most ${MAX_PASSPHRASE_BYTES} bytes)`;
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(p))
        return 'the passphrase must not contain control characters (newlines, tabs, ...)';
    return undefined;
}
/** Parse and validate one request line. */
export function parseRequest(line) {
    if (Buffer.byteLength(line, 'utf8') > MAX_REQUEST_BYTES)
        throw new ProtocolError('request too long');
    let v;
    try {
        v = JSON.parse(line);
    }
    catch {
        throw new ProtocolError('request is not JSON');
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v))
        throw new ProtocolError('request must be a JSON object');
    const o = v;
    const keys = Object.keys(o).sort().join(',');
    switch (o.op) {
        case 'create': {
            if (keys !== 'op,passphrase')
                throw new ProtocolError('create takes exactly {op, passphrase}');
            const why = passphraseProblem(o.passphrase);
            if (why)
                throw new ProtocolError(why);
            return { op: 'create', passphrase: o.passphrase };
        }
        case 'open': {
            if (keys !== 'op,secret')
                throw new ProtocolError('open takes exactly {op, secret}');
            const why = passphraseProblem(o.secret);
            if (why)
                throw new ProtocolError(why);
            return { op: 'open', secret: o.secret };
        }
        case 'close':
        case 'status':
            if (keys !== 'op')
                throw new ProtocolError(`${o.op} takes no arguments`);
            return { op: o.op };
        default:
            throw new ProtocolError('unknown request (expected create, open, close or status)');
    }
}
// Recovery keys: 40 characters of Crockford's base32 (200 random bits) in 8 groups of 5, so they
// can be written down and typed back: "7KX2M-...". Input is normalized (case, dashes, spaces,
// the letters I/L -> 1 and O -> 0) before use.
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export function formatRecoveryKey(random) {
    if (random.length < 25)
        throw new Error('a recovery key needs 25 random bytes');
    let bits = 0;
    let acc = 0;
    let out = '';
    for (const b of random.subarray(0, 25)) {
        acc = (acc << 8) | b;
        bits += 8;
        while (bits >= 5) {
            out += CROCKFORD[(acc >> (bits - 5)) & 31];
            bits -= 5;
        }
        acc &= (1 << bits) - 1;
    }
    return out.match(/.{5}/g).join('-');
}
/** The canonical recovery key for what a person typed, or undefined if it cannot be one. */
export function normalizeRecoveryKey(typed) {
    const s = typed.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
    if (s.length !== 40 || ![...s].every((c) => CROCKFORD.includes(c)))
        return undefined;
    return s.match(/.{5}/g).join('-');
}
//# sourceMappingURL=protocol.js.map