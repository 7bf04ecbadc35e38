// The searchable text of a message: decoded header fields and the decoded text of its text parts.
import { decodeWords, headerEnd, parseHeaderFields } from './header.js';
import { leaves, partText } from './mime.js';
import { addressSearchText } from './address.js';
const MAX_BODY_TEXT = 2 * 1024 * 1024; // index at most 2 MB of text per message
/** The header fields IMAP SEARCH names by key (FROM, TO, CC, BCC, SUBJECT): indexed on their own. */
export const SEARCH_FIELDS = ['from', 'to', 'cc', 'bcc', 'subject'];
/** Address fields: SEARCH looks in the value as written and in each address with comments and
 *  obsolete whitespace removed (address.ts addressSearchText). */
export const ADDRESS_FIELDS = new Set(['from', 'to', 'cc', 'bcc', 'sender', 'reply-to']);
/** The text SEARCH FROM/TO/CC/BCC/SUBJECT or HEADER <field> looks in, for one field's raw value. */
export function fieldSearchText(key, decodedValue) {
    return ADDRESS_FIELDS.has(key) ? addressSearchText(decodedValue) : decodedValue;
}
export function searchableText(raw, root) {
    const parsed = parseHeaderFields(raw.subarray(0, headerEnd(raw)));
    const fields = { from: '', to: '', cc: '', bcc: '', subject: '' };
    const lines = [];
    for (const f of parsed) {
        const value = decodeWords(f.value);
        lines.push(`${f.name}: ${value}`);
        if (SEARCH_FIELDS.includes(f.key)) {
            const k = f.key;
            const text = fieldSearchText(k, value);
            fields[k] = fields[k] ? `${fields[k]}\n${text}` : text;
        }
    }
    return { headers: lines.join('\n'), body: bodyText(raw, root), fields };
}
/** The decoded text of the message's text parts (what SEARCH BODY looks in). */
export function bodyText(raw, root) {
    let body = '';
    for (const leaf of leaves(root)) {
        if (leaf.type !== 'text' || (leaf.subtype !== 'plain' && leaf.subtype !== 'html' && leaf.subtype !== 'enriched'))
            continue;
        // Text attachments are part of the body too (IMAP SEARCH BODY: "in the body of the message";
        // Dovecot searches them as well).
        // Encoded text is at most 3 times (quoted-printable) what it decodes to: that much of a part fills the index.
        body += partText(raw, leaf, 3 * MAX_BODY_TEXT) + '\n';
        if (body.length > MAX_BODY_TEXT) {
            body = body.slice(0, MAX_BODY_TEXT);
            break;
        }
    }
    return body;
}
//# sourceMappingURL=text.js.map