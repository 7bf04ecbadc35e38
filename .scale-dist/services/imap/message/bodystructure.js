import { Raw, serialize } from '../wire.js';
import { envelope, headerString } from './envelope.js';
/** Parameters as (name value ...), RFC 2231 continuations joined as Dovecot and Cyrus do:
 *  name*0*=a; name*1*=b becomes "name*" "ab" (still encoded, for the client to decode). */
export function parameterList(params) {
    const plain = [];
    const joined = new Map();
    for (const [k, v] of params) {
        const m = /^(.+?)\*(?:([0-9]+)(\*)?|)$/.exec(k);
        if (!m) {
            plain.push(headerString(k), headerString(v));
            continue;
        }
        const base = m[1];
        const n = m[2] === undefined ? 0 : Number(m[2]);
        const encoded = m[2] === undefined || m[3] === '*';
        const e = joined.get(base) ?? { encoded: false, pieces: [] };
        e.encoded ||= encoded;
        e.pieces.push([n, v]);
        joined.set(base, e);
    }
    for (const [base, e] of joined) {
        const value = e.pieces.sort((a, b) => a[0] - b[0]).map((p) => p[1]).join('');
        plain.push(headerString(e.encoded ? `${base}*` : base), headerString(value));
    }
    return plain.length ? plain : null;
}
function disposition(part) {
    if (!part.disposition)
        return null;
    return [headerString(part.disposition.type), parameterList(part.disposition.params)];
}
function language(part) {
    return part.language && part.language.length ? part.language.map(headerString) : null;
}
const str = (v) => (v === undefined ? null : headerString(v));
function wire(values) {
    const out = [];
    values.forEach((v, i) => { if (i)
        out.push(Buffer.from(' ')); serialize(v, {}, out); });
    return Buffer.concat(out);
}
/** Render BODY (extended = false) or BODYSTRUCTURE (extended = true) for a part. `raw` is called
 *  only when a message/rfc822 part needs its encapsulated header. */
export function bodyStructure(part, extended, raw) {
    if (part.parts && part.parts.length > 0) {
        const children = Buffer.concat(part.parts.map((p) => bodyStructure(p, extended, raw).bytes));
        const rest = [headerString(part.subtype)];
        if (extended)
            rest.push(parameterList(part.params), disposition(part), language(part), str(part.location));
        return new Raw(Buffer.concat([Buffer.from('('), children, Buffer.from(' '), wire(rest), Buffer.from(')')]));
    }
    // A multipart without any part (no boundary line found) has no valid "1*body": like Dovecot,
    // describe it as an empty text/plain part.
    const isEmptyMultipart = part.type === 'multipart';
    const type = isEmptyMultipart ? 'text' : part.type;
    const subtype = isEmptyMultipart ? 'plain' : part.subtype;
    const params = isEmptyMultipart ? [['charset', 'us-ascii']] : part.params;
    const fields = [
        headerString(type), headerString(subtype), parameterList(params), str(part.id), str(part.description),
        headerString(part.encoding), part.end - part.bodyStart,
    ];
    if (type === 'message' && (subtype === 'rfc822' || subtype === 'global')) {
        const inner = part.message;
        if (inner) {
            const bytes = raw();
            fields.push(envelope(bytes.subarray(inner.start, inner.bodyStart)), bodyStructure(inner, extended, raw), part.lines);
        }
        else {
            // An encoded message/rfc822 (not allowed by RFC 2046, seen in the wild): an empty envelope.
            fields.push(envelope(''), new Raw(Buffer.from('("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)')), part.lines);
        }
    }
    else if (type === 'text') {
        fields.push(part.lines);
    }
    if (extended)
        fields.push(str(part.md5), disposition(part), language(part), str(part.location));
    return new Raw(Buffer.concat([Buffer.from('('), wire(fields), Buffer.from(')')]));
}
//# sourceMappingURL=bodystructure.js.map