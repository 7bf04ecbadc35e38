// ENVELOPE (RFC 9051 7.5.2): date, subject, from, sender, reply-to, to, cc, bcc, in-reply-to and
// message-id from a header block. Strings are the raw header values (encoded words stay encoded);
// addresses are (name adl mailbox host), groups (NIL NIL name NIL) ... (NIL NIL NIL NIL).
import { parseHeaderFields, firstField } from '../../../appliance/mail/header.js';
import { Raw, serialize } from '../wire.js';
import { parseAddressList } from '../../../appliance/mail/address.js';
export { parseAddressList };
/** A header string for the wire: 8-bit bytes (RFC 6532 headers) go as a literal of the exact bytes. */
export function headerString(latin1) {
    return /[\x80-\xff]/.test(latin1) ? Buffer.from(latin1, 'latin1') : latin1;
}
/** A parenthesized list whose elements are not separated by spaces (RFC 9051 "1*address", "1*body"). */
export function tightList(items) {
    const out = [Buffer.from('(')];
    for (const v of items)
        serialize(v, {}, out);
    out.push(Buffer.from(')'));
    return new Raw(Buffer.concat(out));
}
function addressValue(a) {
    const s = (v) => (v === null ? null : headerString(v));
    return [s(a.name), s(a.adl), s(a.mailbox), s(a.host)];
}
function addresses(fields, key) {
    const v = firstField(fields, key);
    if (v === undefined)
        return null;
    const list = parseAddressList(v);
    if (list.length === 0)
        return null;
    return tightList(list.map(addressValue));
}
function text(fields, key) {
    const v = firstField(fields, key);
    if (v === undefined)
        return null;
    // the raw value: leading white space is not part of it, trailing is kept (as Dovecot does)
    const t = v.replace(/^[ \t]+/, '');
    return t.trim() === '' ? null : headerString(t);
}
/** The ENVELOPE of a message (or of a message/rfc822 part) from its header block. */
export function envelope(headerBlock) {
    const fields = parseHeaderFields(headerBlock);
    const from = addresses(fields, 'from');
    const sender = addresses(fields, 'sender');
    const replyTo = addresses(fields, 'reply-to');
    return [
        text(fields, 'date'),
        text(fields, 'subject'),
        from,
        sender ?? from,
        replyTo ?? from,
        addresses(fields, 'to'),
        addresses(fields, 'cc'),
        addresses(fields, 'bcc'),
        text(fields, 'in-reply-to'),
        text(fields, 'message-id'),
    ];
}
//# sourceMappingURL=envelope.js.map