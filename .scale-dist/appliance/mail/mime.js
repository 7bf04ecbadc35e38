// The MIME structure of a message (RFC 2045, 2046, 2183): a tree of parts with byte offsets into
// the raw message, so that any part's header, body or text can be cut out without re-parsing.
// Protocol-neutral: IMAP derives BODYSTRUCTURE and sections from it, the store its search text.
import { firstField, headerEnd, parseHeaderFields, parseStructured } from './header.js';
/** What one message may cost the parser. Every caller shares them (the pipeline before the 250,
 *  the store's structure row, FETCH BODYSTRUCTURE and sections, SEARCH), so a hostile message costs
 *  the same bounded work wherever it is read. Past a limit the rest is an opaque body: the last
 *  part that fits runs to the end of its multipart, a part too deep or past the budget is not
 *  split; the message itself is stored whole either way.
 *  - maxParts: Dovecot allows 10,000 parts and 100 levels on a server; on a Pi whose V8 heap is
 *    256 MB, 5,000 parts keep one parsed tree under ~3 MB and its stored structure and
 *    BODYSTRUCTURE answer under ~1 MB, while the largest real messages (MIME digests of a few
 *    hundred messages) stay far below.
 *  - maxDepth: real mail nests under 10 levels (a forward of a forward of an alternative).
 *  - scanFactor: the bytes all levels together may scan (boundaries, line counts) as a multiple of
 *    the message: a real message is scanned 2-6 times (once per nesting level); deeply nested
 *    full-size parts would otherwise cost depth x size. */
export const MIME_LIMITS = {
    maxParts: 5000,
    maxDepth: 40,
    scanFactor: 16,
};
/** language tags of one part kept (a real part has one or two) */
const MAX_LANGUAGES = 64;
/** Lines of a body as IMAP reports them (body-fld-lines): its line ends. The CRLF before a
 *  boundary belongs to the boundary, so "text\r\n--b" is 0 lines, as Dovecot and Cyrus count. */
function countLines(raw, start, end) {
    let n = 0;
    for (let i = start; i < end; i++)
        if (raw[i] === 0x0a)
            n++;
    return n;
}
function describe(raw, start, end, fields, defaultType) {
    const ct = firstField(fields, 'content-type');
    let type = defaultType[0];
    let subtype = defaultType[1];
    let params = [];
    if (ct) {
        const parsed = parseStructured(ct);
        const m = /^([!#$%&'*+\-.^_`|~0-9a-z]+)\/([!#$%&'*+\-.^_`|~0-9a-z]+)$/i.exec(parsed.value);
        if (m) {
            type = m[1].toLowerCase();
            subtype = m[2].toLowerCase();
            params = parsed.params;
        }
        else {
            // An unparseable Content-Type is text/plain (RFC 2045 section 5.2).
            type = 'text';
            subtype = 'plain';
        }
    }
    if (type === 'multipart' && !params.some(([k, v]) => k === 'boundary' && v.length > 0)) {
        type = 'text';
        subtype = 'plain';
        params = [];
    }
    if (type === 'text' && !params.some(([k]) => k === 'charset'))
        params.push(['charset', 'us-ascii']);
    const out = {
        type, subtype, params,
        encoding: (firstField(fields, 'content-transfer-encoding') ?? '7bit').trim().toLowerCase() || '7bit',
    };
    const id = firstField(fields, 'content-id');
    if (id)
        out.id = id.trim();
    const desc = firstField(fields, 'content-description');
    if (desc)
        out.description = desc.trim();
    const md5 = firstField(fields, 'content-md5');
    if (md5)
        out.md5 = md5.trim();
    const loc = firstField(fields, 'content-location');
    if (loc)
        out.location = loc.replace(/\s+/g, '');
    const lang = firstField(fields, 'content-language');
    if (lang)
        out.language = lang.split(',', MAX_LANGUAGES).map((s) => s.trim()).filter(Boolean);
    const disp = firstField(fields, 'content-disposition');
    if (disp) {
        const p = parseStructured(disp);
        if (p.value)
            out.disposition = { type: p.value.toLowerCase(), params: p.params };
    }
    void raw;
    void start;
    void end;
    return out;
}
/** Find the boundary delimiter lines of a multipart body between start and end: at most `max`
 *  parts; past that, the last part runs on to the close delimiter (its further delimiter lines
 *  are then just body). */
function splitMultipart(raw, start, end, boundary, max) {
    const delim = Buffer.from('--' + boundary, 'latin1');
    const dl = delim.length;
    const parts = [];
    let partStart = -1;
    // One pass over the lines in plain JS: a native search per candidate costs more than the bytes.
    for (let at = start; at < end;) {
        let lineEnd = at;
        let isDelim = at + dl <= end;
        for (let k = 0; isDelim && k < dl; k++)
            if (raw[at + k] !== delim[k])
                isDelim = false;
        let close = false;
        if (isDelim) {
            // The delimiter, "--" when it closes, then only white space to the line end.
            let i = at + dl;
            close = i + 1 < end && raw[i] === 0x2d && raw[i + 1] === 0x2d;
            if (close)
                i += 2;
            while (i < end && (raw[i] === 0x20 || raw[i] === 0x09 || raw[i] === 0x0d))
                i++;
            if (i < end && raw[i] !== 0x0a)
                isDelim = false;
            lineEnd = i;
        }
        while (lineEnd < end && raw[lineEnd] !== 0x0a)
            lineEnd++;
        const next = lineEnd < end ? lineEnd + 1 : end;
        // Past `max` parts only the close delimiter counts: the last part runs on to it.
        if (isDelim && (close || partStart < 0 || parts.length < max - 1)) {
            if (partStart >= 0) {
                // The CRLF before the delimiter belongs to the delimiter (RFC 2046 section 5.1.1).
                let bodyEnd = at;
                if (bodyEnd > partStart && raw[bodyEnd - 1] === 0x0a)
                    bodyEnd--;
                if (bodyEnd > partStart && raw[bodyEnd - 1] === 0x0d)
                    bodyEnd--;
                parts.push([partStart, Math.max(partStart, bodyEnd)]);
            }
            if (close)
                return parts;
            partStart = next;
        }
        at = next;
    }
    if (partStart >= 0 && partStart < end)
        parts.push([partStart, end]);
    return parts;
}
function parsePart(raw, start, end, defaultType, depth, budget) {
    const bodyStart = Math.min(headerEnd(raw, start, end), end);
    const fields = parseHeaderFields(raw.subarray(start, bodyStart));
    const d = describe(raw, start, end, fields, defaultType);
    budget.scan -= end - bodyStart;
    const part = { start, bodyStart, end, lines: countLines(raw, bodyStart, end), ...d };
    if (depth >= MIME_LIMITS.maxDepth || budget.scan < end - bodyStart)
        return part;
    if (part.type === 'multipart') {
        if (budget.parts <= 0)
            return part;
        budget.scan -= end - bodyStart;
        const boundary = part.params.find(([k]) => k === 'boundary')[1];
        const childDefault = part.subtype === 'digest' ? ['message', 'rfc822'] : ['text', 'plain'];
        const ranges = splitMultipart(raw, bodyStart, end, boundary, budget.parts);
        budget.parts -= ranges.length;
        part.parts = ranges.map(([s, e]) => parsePart(raw, s, e, childDefault, depth + 1, budget));
    }
    else if (part.type === 'message' && (part.subtype === 'rfc822' || part.subtype === 'global') && !['base64', 'quoted-printable'].includes(part.encoding)) {
        if (budget.parts <= 0)
            return part;
        budget.parts -= 1;
        part.message = parsePart(raw, bodyStart, end, ['text', 'plain'], depth + 1, budget);
    }
    return part;
}
export function parseMime(raw) {
    const budget = { parts: MIME_LIMITS.maxParts - 1, scan: MIME_LIMITS.scanFactor * raw.length + 1024 * 1024 };
    return parsePart(raw, 0, raw.length, ['text', 'plain'], 0, budget);
}
/** The part at an IMAP-style section path ([] is the message itself); a message/rfc822 part's
 *  children are those of its encapsulated message. */
/** The part a section path names (RFC 3501 6.4.5 / RFC 9051 6.4.5 part numbering). Numbers index into
 *  a message: a multipart message's parts, or part 1 for the single body of a non-multipart message
 *  (so for a message whose type is message/rfc822, [1] is that part and its body is the whole
 *  encapsulated message). Below a message/rfc822 part the numbers index into the encapsulated
 *  message the same way; below a multipart part, into its parts. */
export function partAt(root, path) {
    let cur;
    for (const n of path) {
        const container = cur === undefined ? root : cur.message;
        let next;
        if (container)
            next = container.parts ? container.parts[n - 1] : n === 1 ? container : undefined;
        else
            next = cur?.parts ? cur.parts[n - 1] : undefined;
        if (!next)
            return undefined;
        cur = next;
    }
    return cur ?? root;
}
/** Every leaf part, depth first. */
export function* leaves(part) {
    if (part.parts)
        for (const p of part.parts)
            yield* leaves(p);
    else if (part.message)
        yield* leaves(part.message);
    else
        yield part;
}
export function decodeTransfer(body, encoding) {
    if (encoding === 'base64')
        return Buffer.from(body.toString('latin1').replace(/[^A-Za-z0-9+/]/g, ''), 'base64');
    if (encoding === 'quoted-printable') {
        // RFC 2045 6.7: trailing white space on a line is removed when decoding ("= " before the line
        // break is then a soft line break like "=").
        const s = body.toString('latin1').replace(/[ \t]+(?=\r?\n|$)/g, '').replace(/=\r?\n/g, '');
        const out = [];
        for (let i = 0; i < s.length; i++) {
            if (s[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
                out.push(parseInt(s.slice(i + 1, i + 3), 16));
                i += 2;
            }
            else
                out.push(s.charCodeAt(i) & 0xff);
        }
        return Buffer.from(out);
    }
    return body;
}
export function decodeCharset(bytes, charset) {
    const cs = (charset ?? 'utf-8').toLowerCase();
    try {
        return new TextDecoder(cs === 'us-ascii' ? 'utf-8' : cs).decode(bytes);
    }
    catch {
        return bytes.toString('utf8');
    }
}
/** The decoded text of a text/* leaf (HTML reduced to its text); with `maxBytes`, of at most that
 *  many bytes of its encoded body (an index needs only the start of a huge part). */
export function partText(raw, part, maxBytes = Infinity) {
    const bytes = decodeTransfer(raw.subarray(part.bodyStart, Math.min(part.end, part.bodyStart + maxBytes)), part.encoding);
    const text = decodeCharset(bytes, part.params.find(([k]) => k === 'charset')?.[1]);
    if (part.subtype === 'html') {
        return text.replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ')
            .replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    }
    return text;
}
//# sourceMappingURL=mime.js.map