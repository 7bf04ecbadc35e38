// IMAP wire values (RFC 9051 section 4): what command handlers produce and what the parser gives.
// Shared contract between the protocol core (parser, session, commands) and the message renderers
// (ENVELOPE, BODYSTRUCTURE, sections, SEARCH).
export class Atom {
    value;
    constructor(value) {
        this.value = value;
    }
}
export const atom = (v) => new Atom(v);
/** Bytes already in wire form, sent as they are: lists without spaces between elements (ENVELOPE
 *  address lists, BODYSTRUCTURE multiparts: RFC 9051 "1*address", "1*body") and literal8 ~{n}. */
export class Raw {
    bytes;
    constructor(bytes) {
        this.bytes = bytes;
    }
}
function needsLiteral(s) {
    // Quoted strings cannot carry CR, LF, NUL or (without UTF8=ACCEPT) 8-bit characters.
    return /[\r\n\0]/.test(s) || s.length > 1024 || /[^\x00-\x7f]/.test(s);
}
/** Serialize a value to wire bytes. Lists get parentheses; a top-level array is space-joined. */
export function serialize(value, opts = {}, out = []) {
    if (value === null)
        out.push(Buffer.from('NIL'));
    else if (typeof value === 'number' || typeof value === 'bigint')
        out.push(Buffer.from(String(value)));
    else if (value instanceof Atom)
        out.push(Buffer.from(value.value));
    else if (value instanceof Raw)
        out.push(value.bytes);
    else if (Buffer.isBuffer(value)) {
        out.push(Buffer.from(`{${value.length}}\r\n`));
        out.push(value);
    }
    else if (typeof value === 'string') {
        const literal = needsLiteral(value) && !(opts.utf8 && !/[\r\n\0]/.test(value) && value.length <= 1024);
        if (literal) {
            const b = Buffer.from(value, 'utf8');
            out.push(Buffer.from(`{${b.length}}\r\n`));
            out.push(b);
        }
        else
            out.push(Buffer.from('"' + value.replace(/(["\\])/g, '\\$1') + '"', 'utf8'));
    }
    else {
        out.push(Buffer.from('('));
        value.forEach((v, i) => { if (i)
            out.push(Buffer.from(' ')); serialize(v, opts, out); });
        out.push(Buffer.from(')'));
    }
    return out;
}
export function toWire(value, opts = {}) {
    return Buffer.concat(serialize(value, opts));
}
//# sourceMappingURL=wire.js.map