// The searchable text of a message: decoded header fields and the decoded text of its text parts.
import { decodeWords, headerEnd, parseHeaderFields } from './header.js';
import { leaves, partText, type MimePart } from './mime.js';
import { addressSearchText } from './address.js';

const MAX_BODY_TEXT = 2 * 1024 * 1024; // index at most 2 MB of text per message

/** The header fields IMAP SEARCH names by key (FROM, TO, CC, BCC, SUBJECT): indexed on their own. */
export const SEARCH_FIELDS = ['from', 'to', 'cc', 'bcc', 'subject'] as const;
export type SearchField = typeof SEARCH_FIELDS[number];

/** Address fields: SEARCH looks in the value as written and in each address with comments and
 *  obsolete whitespace removed (address.ts addressSearchText). */
export const ADDRESS_FIELDS: ReadonlySet<string> = new Set(['from', 'to', 'cc', 'bcc', 'sender', 'reply-to']);

/** The text SEARCH FROM/TO/CC/BCC/SUBJECT or HEADER <field> looks in, for one field's raw value. */
export function fieldSearchText(key: string, decodedValue: string): string {
  return ADDRESS_FIELDS.has(key) ? addressSearchText(decodedValue) : decodedValue;
}

export interface SearchableText {
  /** every field as "Name: decoded value", one per line */
  headers: string;
  /** decoded text of the text parts (at most 2 MB) */
  body: string;
  /** decoded values of the fields SEARCH names by key, one per line when a field repeats */
  fields: Record<SearchField, string>;
}

export function searchableText(raw: Buffer, root: MimePart): SearchableText {
  const parsed = parseHeaderFields(raw.subarray(0, headerEnd(raw)));
  const fields: Record<SearchField, string> = { from: '', to: '', cc: '', bcc: '', subject: '' };
  const lines: string[] = [];
  for (const f of parsed) {
    const value = decodeWords(f.value);
    lines.push(`${f.name}: ${value}`);
    if ((SEARCH_FIELDS as readonly string[]).includes(f.key)) {
      const k = f.key as SearchField;
      const text = fieldSearchText(k, value);
      fields[k] = fields[k] ? `${fields[k]}\n${text}` : text;
    }
  }
  return { headers: lines.join('\n'), body: bodyText(raw, root), fields };
}

/** The decoded text of the message's text parts (what SEARCH BODY looks in). */
export function bodyText(raw: Buffer, root: MimePart): string {
  let body = '';
  for (const leaf of leaves(root)) {
    if (leaf.type !== 'text' || (leaf.subtype !== 'plain' && leaf.subtype !== 'html' && leaf.subtype !== 'enriched')) continue;
    // Text attachments are part of the body too (IMAP SEARCH BODY: "in the body of the message";
    // Dovecot searches them as well).
    // Encoded text is at most 3 times (quoted-printable) what it decodes to: that much of a part fills the index.
    body += partText(raw, leaf, 3 * MAX_BODY_TEXT) + '\n';
    if (body.length > MAX_BODY_TEXT) { body = body.slice(0, MAX_BODY_TEXT); break; }
  }
  return body;
}
