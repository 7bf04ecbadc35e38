// Binary content (RFC 3516) that IMAP cannot send back as it is: a part stored with
// "Content-Transfer-Encoding: binary" may hold NUL bytes, which an IMAP4rev1 literal cannot carry
// (RFC 3501 9: CHAR8 excludes %x00) when a client fetches it with BODY[] instead of BINARY[].
// Such parts are converted to base64 when the message arrives by APPEND with a literal8, as
// Dovecot does: BINARY[] still gives the original octets back (RFC 3516 4.2), BODY[] gives 7-bit
// text, and every size stays consistent because the stored message is the converted one.
import { leaves, parseMime } from './mime.js';
/** Does any leaf part say "binary" and hold a NUL byte? */
function nulParts(raw, root) {
    return [...leaves(root)].filter((p) => p.encoding === 'binary' && raw.subarray(p.bodyStart, p.end).includes(0));
}
/** The part header with its Content-Transfer-Encoding field (folded lines included) replaced. */
function withBase64Header(header) {
    const text = header.toString('latin1');
    const lines = text.split(/(?<=\n)/);
    const out = [];
    let skipping = false;
    let replaced = false;
    for (const line of lines) {
        if (skipping && (line.startsWith(' ') || line.startsWith('\t')))
            continue;
        skipping = false;
        if (/^content-transfer-encoding\s*:/i.test(line)) {
            skipping = true;
            if (!replaced)
                out.push('Content-Transfer-Encoding: base64\r\n');
            replaced = true;
            continue;
        }
        out.push(line);
    }
    return Buffer.from(out.join(''), 'latin1');
}
function base64Lines(body) {
    const b64 = body.toString('base64');
    const lines = [];
    for (let i = 0; i < b64.length; i += 76)
        lines.push(b64.slice(i, i + 76));
    return Buffer.from(lines.join('\r\n') + '\r\n', 'latin1');
}
/** The message with every binary part that holds NUL bytes base64-encoded; the same buffer when
 *  there is none. */
export function base64NulParts(raw) {
    if (!raw.includes(0))
        return raw;
    const parts = nulParts(raw, parseMime(raw));
    if (parts.length === 0)
        return raw;
    const out = [];
    let pos = 0;
    for (const p of parts) {
        out.push(raw.subarray(pos, p.start), withBase64Header(raw.subarray(p.start, p.bodyStart)), base64Lines(raw.subarray(p.bodyStart, p.end)));
        pos = p.end;
    }
    out.push(raw.subarray(pos));
    return Buffer.concat(out);
}
//# sourceMappingURL=binary.js.map