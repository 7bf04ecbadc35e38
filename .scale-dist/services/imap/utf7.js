// Modified UTF-7 for mailbox names (RFC 3501 section 5.1.3): printable ASCII stands for itself
// except "&", which is "&-"; other characters are UTF-16 in modified base64 ("," for "/") between
// "&" and "-". The store keeps names in UTF-8; sessions without UTF8=ACCEPT see this form.
import { bad, no } from './errors.js';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,';
function encodeRun(run) {
    const units = Buffer.alloc(run.length * 2);
    for (let i = 0; i < run.length; i++)
        units.writeUInt16BE(run.charCodeAt(i), i * 2);
    return '&' + units.toString('base64').replace(/=+$/, '').replace(/\//g, ',') + '-';
}
/** UTF-8 (a JS string) to modified UTF-7. */
export function encodeMailboxName(name) {
    let out = '';
    let run = '';
    for (const ch of name) {
        const c = ch.codePointAt(0);
        if (c >= 0x20 && c <= 0x7e) {
            if (run) {
                out += encodeRun(run);
                run = '';
            }
            out += ch === '&' ? '&-' : ch;
        }
        else
            run += ch;
    }
    if (run)
        out += encodeRun(run);
    return out;
}
/** Modified UTF-7 to UTF-8. A malformed name is a valid astring naming no mailbox that can exist:
 *  NO [CANNOT] (as Dovecot), not BAD (RFC 3501 5.1.3 is strict about the encoding). */
export function decodeMailboxName(text) {
    let out = '';
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        const c = ch.charCodeAt(0);
        if (c > 0x7e)
            throw bad('the mailbox name has 8-bit characters: use modified UTF-7 or ENABLE UTF8=ACCEPT');
        if (ch !== '&') {
            out += ch;
            continue;
        }
        const end = text.indexOf('-', i + 1);
        if (end < 0)
            throw no('malformed modified UTF-7 in the mailbox name (missing "-")', 'CANNOT');
        const b64 = text.slice(i + 1, end);
        i = end;
        if (b64 === '') {
            out += '&';
            continue;
        }
        for (const x of b64)
            if (!B64.includes(x))
                throw no('malformed modified UTF-7 in the mailbox name', 'CANNOT');
        const buf = Buffer.from(b64.replace(/,/g, '/'), 'base64');
        if (buf.length % 2 !== 0 || buf.length === 0)
            throw no('malformed modified UTF-7 in the mailbox name', 'CANNOT');
        let s = '';
        for (let j = 0; j < buf.length; j += 2)
            s += String.fromCharCode(buf.readUInt16BE(j));
        if (/[\x20-\x7e]/.test(s))
            throw no('malformed modified UTF-7 in the mailbox name (ASCII encoded)', 'CANNOT');
        if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s))
            throw no('malformed modified UTF-7 in the mailbox name (broken surrogate)', 'CANNOT');
        out += s;
    }
    return out;
}
//# sourceMappingURL=utf7.js.map