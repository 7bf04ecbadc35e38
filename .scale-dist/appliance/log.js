// Structured, redacted logging to stdout (journald keeps it in memory on the box), plus an
// in-memory ring buffer the panel shows. No IP address, mail address or subject is ever written
// in clear: callers pass them through `redact`, which keeps a short keyed hash so that lines about
// the same client or address can still be correlated during one boot.
// A second line of defence below the callers: every string a log line carries (error texts
// included, at any depth) is scrubbed of mail addresses before it is written or kept for the
// panel's log page, so an error message that names an account (a quota error, a remote server's
// reply quoting the recipient) cannot leak it. Errors may carry their own `logText`: `errorText`.
import { createHmac, randomBytes } from 'node:crypto';
import { isIPv6 } from 'node:net';
const RING_SIZE = 500;
const ring = [];
const bootKey = randomBytes(16);
let verbose = false;
let quiet = false;
let sink = (line) => process.stdout.write(line + '\n');
export function setVerbose(v) { verbose = v; }
/** Send log lines elsewhere (the CLI sends them to stderr so its own output stays clean). */
export function setLogSink(fn) { sink = fn; }
export function setQuiet(q) { quiet = q; }
/** A keyed, per-boot hash of an identifying value: `kind#1a2b3c4d`. */
export function redact(kind, value) {
    if (!value)
        return `${kind}#-`;
    const h = createHmac('sha256', bootKey).update(value.toLowerCase()).digest('hex').slice(0, 8);
    return `${kind}#${h}`;
}
/** The domain part of an address is not identifying for a household's own domains or big providers;
 *  still, we keep only a hash for the local part. */
export function redactAddress(address) {
    return redact('addr', address ?? '');
}
// anything@anything: a mail address (with or without a dot, IDN or UTF-8 local parts included)
const ADDRESS_IN_TEXT = /(?:"[^"\r\n]{0,64}"|[^\s@<>()[\]\\,;:"'`{}=/]{1,64})@[^\s@<>()[\]\\,;:"'`{}=/]{1,253}/gu;
/** `text` with every mail address in it replaced by its keyed hash. */
export function scrubAddresses(text) {
    return text.includes('@') ? text.replace(ADDRESS_IN_TEXT, (a) => redact('addr', a.replace(/[.>]+$/, ''))) : text;
}
const IPV4_IN_TEXT = /\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b/g;
const IPV6_IN_TEXT = /(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![\w:])/gi;
/** `text` with every IPv4 and IPv6 address in it replaced by its keyed hash: for texts that come
 *  from elsewhere (a remote server's reply names our address, or a client's), logged whole. */
export function scrubIpAddresses(text) {
    return text
        .replace(IPV4_IN_TEXT, (ip) => redact('ip', ip))
        .replace(IPV6_IN_TEXT, (ip) => (isIPv6(ip) ? redact('ip', ip) : ip));
}
function scrub(value, depth = 0) {
    if (typeof value === 'string')
        return scrubAddresses(value);
    if (depth > 4 || value === null || typeof value !== 'object')
        return value;
    if (Array.isArray(value))
        return value.map((v) => scrub(v, depth + 1));
    if (Object.getPrototypeOf(value) !== Object.prototype)
        return value;
    const out = {};
    for (const [k, v] of Object.entries(value))
        out[k] = scrub(v, depth + 1);
    return out;
}
/** The text of an error fit for a log line: its `logText` when it has one, else its message
 *  (scrubbed of addresses like every logged string). */
export function errorText(e) {
    if (e instanceof Error)
        return e.logText ?? e.message;
    return String(e);
}
function write(level, event, fields) {
    if (level === 'debug' && !verbose)
        return;
    const line = { time: new Date().toISOString(), level, event, ...scrub(fields) };
    ring.push(line);
    if (ring.length > RING_SIZE)
        ring.shift();
    if (!quiet)
        sink(JSON.stringify(line));
}
export const log = {
    debug: (event, fields = {}) => write('debug', event, fields),
    info: (event, fields = {}) => write('info', event, fields),
    warn: (event, fields = {}) => write('warn', event, fields),
    error: (event, fields = {}) => write('error', event, fields),
};
export function recentLogLines() {
    return ring;
}
//# sourceMappingURL=log.js.map