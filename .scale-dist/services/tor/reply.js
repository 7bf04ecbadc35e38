// Tor control protocol replies (control-spec section 2.3 and 4): lines "NNN-text" (more follows),
// "NNN+text" (a data block follows, ended by a lone "." line, with leading dots doubled), and
// "NNN text" (the last line). Replies with a 6xx code are asynchronous events; they never
// interleave inside another reply, but can arrive between a command and its reply.
import { StringDecoder } from 'node:string_decoder';
export class ControlProtocolError extends Error {
    constructor(message) { super(message); this.name = 'ControlProtocolError'; }
}
const MAX_LINE = 1 << 20;
const MAX_REPLY = 16 << 20;
/** Splits the byte stream from tor into complete replies. */
export class ReplyParser {
    onReply;
    decoder = new StringDecoder('utf8');
    pending = '';
    lines = [];
    data;
    size = 0;
    constructor(onReply) {
        this.onReply = onReply;
    }
    /** Feed bytes; calls onReply for each complete reply. Throws ControlProtocolError on garbage. */
    feed(chunk) {
        this.pending += this.decoder.write(chunk);
        let nl;
        while ((nl = this.pending.indexOf('\n')) >= 0) {
            let line = this.pending.slice(0, nl);
            this.pending = this.pending.slice(nl + 1);
            if (line.endsWith('\r'))
                line = line.slice(0, -1);
            this.line(line);
        }
        if (this.pending.length > MAX_LINE)
            throw new ControlProtocolError('a reply line is longer than 1 MiB');
    }
    line(line) {
        this.size += line.length;
        if (this.size > MAX_REPLY)
            throw new ControlProtocolError('a reply is larger than 16 MiB');
        if (this.data) {
            if (line === '.') {
                this.lines.push({ status: this.data.status, text: this.data.text, data: this.data.body.join('\n') });
                this.data = undefined;
            }
            else {
                this.data.body.push(line.startsWith('.') ? line.slice(1) : line);
            }
            return;
        }
        const m = /^(\d{3})([ +-])(.*)$/s.exec(line);
        if (!m)
            throw new ControlProtocolError(`malformed reply line ${JSON.stringify(line.slice(0, 80))}`);
        const status = Number(m[1]);
        const text = m[3];
        if (m[2] === '+') {
            this.data = { status, text, body: [] };
        }
        else if (m[2] === '-') {
            this.lines.push({ status, text });
        }
        else {
            this.lines.push({ status, text });
            const reply = { status, lines: this.lines };
            this.lines = [];
            this.size = 0;
            this.onReply(reply);
        }
    }
}
/** Parse `KEY=VALUE KEY2="quoted \"value\""` (control-spec 2.1 QuotedString). Words without "=" are
 *  returned under their position ("0", "1", ...). */
export function parseKeywords(text) {
    const out = new Map();
    let i = 0;
    let pos = 0;
    while (i < text.length) {
        while (text[i] === ' ')
            i++;
        if (i >= text.length)
            break;
        let key = '';
        while (i < text.length && text[i] !== ' ' && text[i] !== '=')
            key += text[i++];
        if (text[i] !== '=') {
            out.set(String(pos++), key);
            continue;
        }
        i++;
        let value = '';
        if (text[i] === '"') {
            const q = readQuoted(text, i);
            value = q.value;
            i = q.end;
        }
        else {
            while (i < text.length && text[i] !== ' ')
                value += text[i++];
        }
        out.set(key, value);
    }
    return out;
}
/** Read a QuotedString starting at text[start] === '"'; returns the value and the index after it. */
export function readQuoted(text, start) {
    let i = start + 1;
    let value = '';
    while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) {
            const c = text[i + 1];
            value += c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c;
            i += 2;
        }
        else {
            value += text[i++];
        }
    }
    if (text[i] !== '"')
        throw new ControlProtocolError('unterminated quoted string in a reply');
    return { value, end: i + 1 };
}
/** Quote a value for a command argument. */
export function quote(value) {
    return '"' + value.replace(/[\\"]/g, (c) => '\\' + c).replace(/\n/g, '\\n').replace(/\r/g, '\\r') + '"';
}
//# sourceMappingURL=reply.js.map