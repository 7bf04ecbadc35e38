// The searchable text of a message: decoded header fields and the decoded text of its text parts.
import { decodeWords, headerEnd, parseHeaderFields } from './header.js';
import { leaves, partText, type MimePart } from './mime.js';

const MAX_BODY_TEXT = 2 * 1024 * 1024; // index at most 2 MB of text per message

export function searchableText(raw: Buffer, root: MimePart): { headers: string; body: string } {
  const fields = parseHeaderFields(raw.subarray(0, headerEnd(raw)));
  const headers = fields.map((f) => `${f.name}: ${decodeWords(f.value)}`).join('\n');
  let body = '';
  for (const leaf of leaves(root)) {
    if (leaf.type !== 'text' || (leaf.subtype !== 'plain' && leaf.subtype !== 'html' && leaf.subtype !== 'enriched')) continue;
    // Text attachments are part of the body too (IMAP SEARCH BODY: "in the body of the message";
    // Dovecot searches them as well).
    // Encoded text is at most 3 times (quoted-printable) what it decodes to: that much of a part fills the index.
    body += partText(raw, leaf, 3 * MAX_BODY_TEXT) + '\n';
    if (body.length > MAX_BODY_TEXT) { body = body.slice(0, MAX_BODY_TEXT); break; }
  }
  return { headers, body };
}
