// RFC 5322 header blocks: split, unfold, look up fields; decode RFC 2047 encoded words.
import libmime from 'libmime';
/** Offset of the first byte of the body: after the first empty line, or the end when there is none. */
export function headerEnd(raw, start = 0, end = raw.length) {
    // An empty header block: the part starts with an empty line.
    if (raw[start] === 0x0a)
        return start + 1;
    if (raw[start] === 0x0d && raw[start + 1] === 0x0a)
        return start + 2;
    for (let i = start; i < end - 1; i++) {
        if (raw[i] === 0x0a) {
            if (raw[i + 1] === 0x0a)
                return i + 2;
            if (raw[i + 1] === 0x0d && raw[i + 2] === 0x0a)
                return i + 3;
        }
    }
    return end;
}
/** How much of one header block is read into fields (every header block: the message's and each
 *  MIME part's). A real header has tens of fields and a few KB; the largest seen in real mail
 *  (long ARC/DKIM and Received chains) stay under 100 fields and 64 KB. Past either limit the rest
 *  of the block is not read into fields (it stays in the message: BODY[HEADER] still returns it),
 *  so a header of millions of fields costs at most this much memory, whoever parses it. */
export const HEADER_LIMITS = {
    /** bytes of one header block read */
    maxBytes: 256 * 1024,
    /** fields of one header block */
    maxFields: 1000,
};
export function parseHeaderFields(block) {
    let truncated = false;
    let text;
    if (typeof block === 'string') {
        text = block.length > HEADER_LIMITS.maxBytes ? (truncated = true, block.slice(0, HEADER_LIMITS.maxBytes)) : block;
    }
    else {
        text = block.subarray(0, HEADER_LIMITS.maxBytes).toString('latin1');
        if (block.length > HEADER_LIMITS.maxBytes)
            truncated = true;
    }
    // A cut block ends at its last complete line (a half field is not a field).
    if (truncated) {
        const lf = text.lastIndexOf('\n');
        text = lf >= 0 ? text.slice(0, lf + 1) : '';
    }
    const lines = text.split(/\r?\n/);
    const fields = [];
    let cur = null;
    const flush = () => {
        if (cur === null)
            return;
        const colon = cur.indexOf(':');
        if (colon > 0) {
            const name = cur.slice(0, colon).trim();
            if (name && !/\s/.test(name))
                fields.push({ name, key: name.toLowerCase(), value: cur.slice(colon + 1).replace(/^[ \t]+/, '') });
        }
        cur = null;
    };
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        if (line === '') {
            // The empty line ending the header (not the end of a cut block): everything was read.
            if (i < lines.length - 1)
                truncated = false;
            break;
        }
        if ((line[0] === ' ' || line[0] === '\t') && cur !== null)
            cur += line;
        else {
            flush();
            if (fields.length >= HEADER_LIMITS.maxFields) {
                cur = null;
                truncated = true;
                break;
            }
            cur = line;
        }
    }
    if (truncated)
        cur = null; // the last field may go on past the cut
    flush();
    if (truncated)
        fields.truncated = true;
    return fields;
}
/** Bytes read as latin1 back into a string decoded as UTF-8 (8-bit headers, RFC 6532). */
export function utf8FromLatin1(s) {
    if (!/[\x80-\xff]/.test(s))
        return s;
    return Buffer.from(s, 'latin1').toString('utf8');
}
export function decodeWords(value) {
    try {
        return libmime.decodeWords(utf8FromLatin1(value));
    }
    catch {
        return utf8FromLatin1(value);
    }
}
export function firstField(fields, key) {
    return fields.find((f) => f.key === key)?.value;
}
/** Parameters of one structured value kept: a real one has a few, a long file name split into
 *  RFC 2231 sections a few dozen; more would only make every stored MIME structure bigger. */
const MAX_PARAMS = 100;
/** Split a structured value like Content-Type into its value and parameters (quotes removed,
 *  names lower-cased, values as written: RFC 2231 sections are kept as their own parameters). */
export function parseStructured(input) {
    const s = input.replace(/\([^()]*\)/g, ' ');
    let i = 0;
    const readToken = (stops) => {
        let out = '';
        while (i < s.length && !stops.includes(s[i]))
            out += s[i++];
        return out.trim();
    };
    const value = readToken(';');
    const params = [];
    while (i < s.length && params.length < MAX_PARAMS) {
        if (s[i] === ';')
            i++;
        const name = readToken('=;').toLowerCase();
        if (s[i] !== '=') {
            if (name === '' && i >= s.length)
                break;
            if (name)
                continue;
            i++;
            continue;
        }
        i++;
        while (s[i] === ' ' || s[i] === '\t')
            i++;
        let val = '';
        if (s[i] === '"') {
            i++;
            while (i < s.length && s[i] !== '"') {
                if (s[i] === '\\' && i + 1 < s.length)
                    i++;
                val += s[i++];
            }
            i++;
            readToken(';');
        }
        else {
            val = readToken(';');
        }
        if (name)
            params.push([name, val]);
    }
    return { value, params };
}
/** Parameter value with RFC 2231 continuations and charsets resolved, and encoded words decoded. */
export function paramValue(params, name) {
    const direct = params.find(([k]) => k === name);
    if (direct)
        return decodeWords(direct[1]);
    const parts = params
        .map(([k, v]) => { const m = new RegExp(`^${name}\\*(\\d+)?(\\*)?$`).exec(k); return m ? { n: Number(m[1] ?? 0), enc: !!m[2], v } : null; })
        .filter((x) => x !== null)
        .sort((a, b) => a.n - b.n);
    if (parts.length === 0)
        return undefined;
    let charset = 'utf-8';
    const bytes = [];
    parts.forEach((p, idx) => {
        let v = p.v;
        if (p.enc && idx === 0) {
            const m = /^([^']*)'[^']*'(.*)$/.exec(v);
            if (m) {
                charset = m[1] || 'utf-8';
                v = m[2];
            }
        }
        if (p.enc) {
            for (let j = 0; j < v.length; j++) {
                if (v[j] === '%' && /^[0-9a-f]{2}$/i.test(v.slice(j + 1, j + 3))) {
                    bytes.push(parseInt(v.slice(j + 1, j + 3), 16));
                    j += 2;
                }
                else
                    bytes.push(v.charCodeAt(j) & 0xff);
            }
        }
        else {
            for (const b of Buffer.from(v, 'latin1'))
                bytes.push(b);
        }
    });
    try {
        return new TextDecoder(charset).decode(Uint8Array.from(bytes));
    }
    catch {
        return Buffer.from(bytes).toString('utf8');
    }
}
//# sourceMappingURL=header.js.map