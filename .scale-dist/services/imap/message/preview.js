// PREVIEW (RFC 8970): a short plain-text preview of a message, from its first text part that is
// not an attachment: white space collapsed, at most 200 characters and 256 octets.
import { leaves, partText } from '../../../appliance/mail/mime.js';
const MAX_CHARS = 200;
const MAX_OCTETS = 256;
export function preview(root, raw) {
    for (const leaf of leaves(root)) {
        if (leaf.type !== 'text' || (leaf.subtype !== 'plain' && leaf.subtype !== 'html'))
            continue;
        if (leaf.disposition?.type === 'attachment')
            continue;
        const text = partText(raw(), leaf).replace(/\s+/g, ' ').trim();
        if (!text)
            continue;
        let out = [...text].slice(0, MAX_CHARS).join('');
        while (Buffer.byteLength(out, 'utf8') > MAX_OCTETS)
            out = [...out].slice(0, -1).join('');
        return out;
    }
    return '';
}
//# sourceMappingURL=preview.js.map