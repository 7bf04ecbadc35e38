// The addresses in a message's From header field (RFC 5322 3.6.2), for the submission check that
// an account sends only as itself.
import { headerEnd, parseHeaderFields } from '../../appliance/mail/header.js';
/** Split a mailbox-list at top-level commas (not inside quotes, comments or angle brackets). */
function splitList(value) {
    const out = [];
    let cur = '';
    let quote = false;
    let depth = 0;
    let angle = false;
    for (let i = 0; i < value.length; i++) {
        const c = value[i];
        if (quote) {
            cur += c;
            if (c === '\\')
                cur += value[++i] ?? '';
            else if (c === '"')
                quote = false;
            continue;
        }
        if (c === '"')
            quote = true;
        else if (c === '(')
            depth++;
        else if (c === ')')
            depth = Math.max(0, depth - 1);
        else if (c === '<')
            angle = true;
        else if (c === '>')
            angle = false;
        else if (c === ',' && depth === 0 && !angle) {
            out.push(cur);
            cur = '';
            continue;
        }
        cur += c;
    }
    out.push(cur);
    return out.map((s) => s.trim()).filter(Boolean);
}
function mailboxAddress(mailbox) {
    const angle = /<([^<>]*)>\s*(\([^)]*\)\s*)*$/.exec(mailbox);
    const addr = (angle ? angle[1] : mailbox.replace(/\([^)]*\)/g, '')).trim();
    return /^[^\s@]+@[^\s@]+$/.test(addr) ? addr.toLowerCase() : undefined;
}
/** Every address of every From field; `undefined` in the list marks a mailbox that could not be read. */
export function fromAddresses(raw) {
    const fields = parseHeaderFields(raw.subarray(0, headerEnd(raw)));
    const found = fields.filter((f) => f.key === 'from').flatMap((f) => splitList(f.value).map(mailboxAddress));
    // A header too large to read whole may hide another From field past the limit.
    return fields.truncated ? [...found, undefined] : found;
}
//# sourceMappingURL=header-from.js.map