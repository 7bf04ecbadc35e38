// Body sections (RFC 9051 6.4.5 "BODY[<section>]<<partial>>", RFC 3516 BINARY): parse a section
// spec, cut the bytes it names out of a message with the MIME tree's offsets, and decode a part's
// content transfer encoding for BINARY.
import { bad, no } from '../errors.js';
import { decodeTransfer, partAt } from '../../../appliance/mail/mime.js';
const MAX_NUMBER = 4294967295;
function number(s, what, allowZero) {
    if (!(allowZero ? /^[0-9]{1,10}$/ : /^[1-9][0-9]{0,9}$/).test(s) || Number(s) > MAX_NUMBER)
        throw bad(`invalid ${what}: ${s}`);
    return Number(s);
}
/** Header field names of a HEADER.FIELDS list: "(From To "X-Y")" (atoms or quoted strings). */
function parseFieldList(text) {
    const m = /^\((.*)\)$/s.exec(text.trim());
    if (!m)
        throw bad('HEADER.FIELDS needs a parenthesized list of field names');
    const out = [];
    const s = m[1];
    let i = 0;
    while (i < s.length) {
        if (s[i] === ' ') {
            i++;
            continue;
        }
        let name = '';
        if (s[i] === '"') {
            i++;
            while (i < s.length && s[i] !== '"') {
                if (s[i] === '\\')
                    i++;
                name += s[i++] ?? '';
            }
            if (s[i] !== '"')
                throw bad('unterminated quoted field name');
            i++;
        }
        else {
            while (i < s.length && s[i] !== ' ')
                name += s[i++];
        }
        // RFC 5322 field names: printable ASCII except colon.
        if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name))
            throw bad(`invalid header field name: ${name}`);
        out.push(name);
    }
    if (out.length === 0)
        throw bad('HEADER.FIELDS needs at least one field name');
    return out;
}
/** Parse the text between the brackets of BODY[...]. */
export function parseSection(spec) {
    if (spec === '')
        return { path: [] };
    const path = [];
    let rest = spec;
    const m = /^([0-9]+(?:\.[0-9]+)*)(?:\.(.*))?$/s.exec(spec);
    if (m) {
        for (const n of m[1].split('.'))
            path.push(number(n, 'section part number', false));
        rest = m[2] ?? '';
        if (rest === '') {
            if (spec.endsWith('.'))
                throw bad(`invalid section: ${spec}`);
            return { path };
        }
    }
    const upper = rest.toUpperCase();
    if (upper === 'HEADER' || upper === 'TEXT')
        return { path, text: upper };
    if (upper === 'MIME') {
        if (path.length === 0)
            throw bad('MIME needs a part number (e.g. 1.MIME)');
        return { path, text: 'MIME' };
    }
    const f = /^(HEADER\.FIELDS(?:\.NOT)?)\s+(\(.*\))$/is.exec(rest);
    if (f)
        return { path, text: f[1].toUpperCase(), fields: parseFieldList(f[2]) };
    throw bad(`invalid section: ${spec}`);
}
/** The section as echoed in the response: BODY[1.HEADER.FIELDS (FROM TO)]. */
export function formatSection(s) {
    const parts = [];
    if (s.path.length)
        parts.push(s.path.join('.'));
    if (s.text)
        parts.push(s.text + (s.fields ? ` (${s.fields.map((f) => (/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(f) ? f.toUpperCase() : `"${f.toUpperCase().replace(/(["\\])/g, '\\$1')}"`)).join(' ')})` : ''));
    return parts.join('.');
}
/** Parse "<o.n>" (BODY) into an offset and a length. */
export function parsePartial(text) {
    const m = /^<([0-9]+)\.([0-9]+)>$/.exec(text);
    if (!m)
        throw bad(`invalid partial range: ${text} (expected <offset.length>)`);
    const offset = number(m[1], 'partial offset', true);
    const length = number(m[2], 'partial length', false);
    return { offset, length };
}
export function applyPartial(data, p) {
    if (!p)
        return data;
    if (p.offset >= data.length)
        return Buffer.alloc(0);
    return data.subarray(p.offset, Math.min(data.length, p.offset + p.length));
}
/** A header block's fields as raw lines (folding kept), each with its lower-cased name; with
 *  `keep`, only the fields it keeps (a header of a million fields costs no million objects). */
export function rawHeaderLines(block, keep) {
    const out = [];
    let pos = 0;
    let cur = null;
    const push = (end) => {
        if (cur && cur.key && (!keep || keep(cur.key)))
            out.push({ key: cur.key, bytes: block.subarray(cur.start, end) });
        cur = null;
    };
    while (pos < block.length) {
        const nl = block.indexOf(0x0a, pos);
        const lineEnd = nl === -1 ? block.length : nl + 1;
        const first = block[pos];
        const isEmpty = first === 0x0a || (first === 0x0d && block[pos + 1] === 0x0a);
        if (isEmpty) {
            push(pos);
            break;
        }
        if ((first === 0x20 || first === 0x09) && cur) {
            pos = lineEnd;
            continue;
        }
        push(pos);
        const line = block.subarray(pos, lineEnd).toString('latin1');
        const colon = line.indexOf(':');
        const name = colon > 0 ? line.slice(0, colon).trimEnd() : '';
        cur = { key: name && !/[\s]/.test(name) ? name.toLowerCase() : '', start: pos };
        pos = lineEnd;
    }
    push(pos >= block.length ? block.length : pos);
    return out;
}
const CRLF = Buffer.from('\r\n');
function withCrlf(line) {
    // A last header line without a line ending (a message that is only a header) gets one.
    return line.length && line[line.length - 1] === 0x0a ? line : Buffer.concat([line, CRLF]);
}
/** HEADER.FIELDS / HEADER.FIELDS.NOT: the selected lines as written, then the empty line. */
export function selectHeaderFields(block, fields, not) {
    const wanted = new Set(fields.map((f) => f.toLowerCase()));
    const lines = rawHeaderLines(block, (key) => wanted.has(key) !== not).map((l) => withCrlf(l.bytes));
    // RFC 3501 6.4.5: the blank line is included in all header fetches, except in the case of a
    // message which has no body and no blank line.
    return Buffer.concat(hasBlankLine(block) ? [...lines, CRLF] : lines);
}
function hasBlankLine(block) {
    const n = block.length;
    return (n >= 2 && block[n - 1] === 0x0a && block[n - 2] === 0x0a) || (n >= 4 && block.subarray(n - 4).equals(Buffer.from('\r\n\r\n'))) || (n === 2 && block[0] === 0x0d) || (n === 1 && block[0] === 0x0a);
}
/** Where the bytes of a section come from: the cached header block alone, or the message file. */
export function needsRaw(s) {
    if (s.path.length === 0 && (s.text === 'HEADER' || s.text === 'HEADER.FIELDS' || s.text === 'HEADER.FIELDS.NOT'))
        return false;
    return true;
}
/** The message whose HEADER/TEXT a section names: the message itself, or a message/rfc822 part. */
function messageAt(root, path) {
    if (path.length === 0)
        return root;
    const p = partAt(root, path);
    return p?.message;
}
/** The bytes of a section. `headers` is the top-level header block (cached); `raw` reads the file.
 *  A part that does not exist gives an empty string (RFC 9051 does not make this an error). */
export function sectionBytes(s, root, headers, raw) {
    if (s.text === 'HEADER' || s.text === 'HEADER.FIELDS' || s.text === 'HEADER.FIELDS.NOT') {
        let block;
        if (s.path.length === 0)
            block = headers();
        else {
            const m = messageAt(root, s.path);
            if (!m)
                return Buffer.alloc(0);
            block = raw().subarray(m.start, m.bodyStart);
        }
        if (s.text === 'HEADER')
            return block;
        return selectHeaderFields(block, s.fields ?? [], s.text === 'HEADER.FIELDS.NOT');
    }
    if (s.text === 'TEXT') {
        const m = messageAt(root, s.path);
        if (!m)
            return Buffer.alloc(0);
        return raw().subarray(m.bodyStart, m.end);
    }
    if (s.path.length === 0)
        return raw();
    const part = partAt(root, s.path);
    if (!part)
        return Buffer.alloc(0);
    if (s.text === 'MIME') {
        // The MIME header of a part; for the single part of a non-multipart message, the message header.
        return raw().subarray(part.start, part.bodyStart);
    }
    return raw().subarray(part.bodyStart, part.end);
}
/** Does the section path name an existing part? */
export function partExists(root, path) {
    return path.length === 0 || partAt(root, path) !== undefined;
}
const KNOWN_CTE = new Set(['7bit', '8bit', 'binary', 'base64', 'quoted-printable']);
function checkCte(part) {
    const cte = part.encoding.toLowerCase();
    if (!KNOWN_CTE.has(cte))
        throw no(`a part has an unknown content transfer encoding: ${cte}`, 'UNKNOWN-CTE');
    return cte;
}
/** Leaf parts whose content is transfer-encoded (base64, quoted-printable), depth first. */
function encodedLeaves(part, out = []) {
    if (part.parts)
        for (const p of part.parts)
            encodedLeaves(p, out);
    else if (part.message)
        encodedLeaves(part.message, out);
    else if (part.type !== 'multipart') {
        const cte = checkCte(part);
        if (cte === 'base64' || cte === 'quoted-printable')
            out.push(part);
    }
    return out;
}
/** BINARY[] of a whole message or a multipart (RFC 3516): every encoded part decoded, its header saying
 *  "Content-Transfer-Encoding: binary" (the field moved to the end of the part header, as Dovecot
 *  does). Unknown encodings anywhere fail with [UNKNOWN-CTE]. */
function binaryContainer(root, raw, from, to) {
    const leavesToDecode = encodedLeaves(root);
    if (leavesToDecode.length === 0)
        return raw.subarray(from, to);
    const out = [];
    let pos = from;
    for (const part of leavesToDecode) {
        out.push(raw.subarray(pos, part.start));
        const header = raw.subarray(part.start, part.bodyStart);
        const kept = rawHeaderLines(header, (key) => key !== 'content-transfer-encoding').map((l) => withCrlf(l.bytes));
        out.push(...kept, Buffer.from('Content-Transfer-Encoding: binary\r\n\r\n'));
        out.push(decodeTransfer(raw.subarray(part.bodyStart, part.end), part.encoding));
        pos = part.end;
    }
    out.push(raw.subarray(pos, to));
    return Buffer.concat(out);
}
/** BINARY[path]: the part's content with its transfer encoding removed (RFC 3516). */
export function binaryBytes(path, root, raw) {
    if (path.length === 0) {
        const r = raw();
        return binaryContainer(root, r, 0, r.length);
    }
    const part = partAt(root, path);
    if (!part)
        return undefined;
    // A multipart or message/rfc822 part: its content with every part inside decoded (as Dovecot).
    if (part.parts || part.message)
        return binaryContainer(part, raw(), part.bodyStart, part.end);
    const cte = checkCte(part);
    return decodeTransfer(raw().subarray(part.bodyStart, part.end), cte);
}
//# sourceMappingURL=section.js.map