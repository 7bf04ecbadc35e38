// The MIME structure of a message (RFC 2045, 2046, 2183): a tree of parts with byte offsets into
// the raw message, so that any part's header, body or text can be cut out without re-parsing.
// Protocol-neutral: IMAP derives BODYSTRUCTURE and sections from it, the store its search text.
import { firstField, headerEnd, parseHeaderFields, parseStructured, type HeaderField } from './header.js';

export interface MimePart {
  /** offset of the part's first header byte */
  start: number;
  /** offset of the body's first byte (after the empty line ending the header) */
  bodyStart: number;
  /** offset after the body's last byte */
  end: number;
  type: string;
  subtype: string;
  params: Array<[string, string]>;
  id?: string;
  description?: string;
  encoding: string;
  md5?: string;
  disposition?: { type: string; params: Array<[string, string]> };
  language?: string[];
  location?: string;
  /** number of lines in the body */
  lines: number;
  /** children of a multipart */
  parts?: MimePart[];
  /** the encapsulated message of a message/rfc822 (or message/global) part */
  message?: MimePart;
}

const MAX_DEPTH = 40;

/** Lines of a body as IMAP reports them (body-fld-lines): its line ends. The CRLF before a
 *  boundary belongs to the boundary, so "text\r\n--b" is 0 lines, as Dovecot and Cyrus count. */
function countLines(raw: Buffer, start: number, end: number): number {
  let n = 0;
  for (let i = raw.indexOf(0x0a, start); i !== -1 && i < end; i = raw.indexOf(0x0a, i + 1)) n++;
  return n;
}

function describe(raw: Buffer, start: number, end: number, fields: HeaderField[], defaultType: [string, string]): Omit<MimePart, 'start' | 'bodyStart' | 'end' | 'lines'> {
  const ct = firstField(fields, 'content-type');
  let type = defaultType[0];
  let subtype = defaultType[1];
  let params: Array<[string, string]> = [];
  if (ct) {
    const parsed = parseStructured(ct);
    const m = /^([!#$%&'*+\-.^_`|~0-9a-z]+)\/([!#$%&'*+\-.^_`|~0-9a-z]+)$/i.exec(parsed.value);
    if (m) {
      type = m[1]!.toLowerCase();
      subtype = m[2]!.toLowerCase();
      params = parsed.params;
    } else {
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
  if (type === 'text' && !params.some(([k]) => k === 'charset')) params.push(['charset', 'us-ascii']);
  const out: Omit<MimePart, 'start' | 'bodyStart' | 'end' | 'lines'> = {
    type, subtype, params,
    encoding: (firstField(fields, 'content-transfer-encoding') ?? '7bit').trim().toLowerCase() || '7bit',
  };
  const id = firstField(fields, 'content-id'); if (id) out.id = id.trim();
  const desc = firstField(fields, 'content-description'); if (desc) out.description = desc.trim();
  const md5 = firstField(fields, 'content-md5'); if (md5) out.md5 = md5.trim();
  const loc = firstField(fields, 'content-location'); if (loc) out.location = loc.replace(/\s+/g, '');
  const lang = firstField(fields, 'content-language');
  if (lang) out.language = lang.split(',').map((s) => s.trim()).filter(Boolean);
  const disp = firstField(fields, 'content-disposition');
  if (disp) {
    const p = parseStructured(disp);
    if (p.value) out.disposition = { type: p.value.toLowerCase(), params: p.params };
  }
  void raw; void start; void end;
  return out;
}

/** Find the boundary delimiter lines of a multipart body between start and end. */
function splitMultipart(raw: Buffer, start: number, end: number, boundary: string): Array<[number, number]> {
  const delim = Buffer.from('--' + boundary, 'latin1');
  const parts: Array<[number, number]> = [];
  let partStart = -1;
  let pos = start;
  while (pos < end) {
    let lineEnd = raw.indexOf(0x0a, pos);
    if (lineEnd === -1 || lineEnd >= end) lineEnd = end;
    const lineStart = pos;
    const next = lineEnd < end ? lineEnd + 1 : end;
    if (raw[lineStart] === 0x2d && raw[lineStart + 1] === 0x2d && lineStart + delim.length <= lineEnd && raw.compare(delim, 0, delim.length, lineStart, lineStart + delim.length) === 0) {
      const after = raw.subarray(lineStart + delim.length, lineEnd).toString('latin1');
      const close = after.startsWith('--');
      if (/^(--)?[ \t\r]*$/.test(after)) {
        if (partStart >= 0) {
          // The CRLF before the delimiter belongs to the delimiter (RFC 2046 section 5.1.1).
          let bodyEnd = lineStart;
          if (bodyEnd > partStart && raw[bodyEnd - 1] === 0x0a) bodyEnd--;
          if (bodyEnd > partStart && raw[bodyEnd - 1] === 0x0d) bodyEnd--;
          parts.push([partStart, Math.max(partStart, bodyEnd)]);
        }
        if (close) return parts;
        partStart = next;
      }
    }
    pos = next;
  }
  if (partStart >= 0 && partStart < end) parts.push([partStart, end]);
  return parts;
}

function parsePart(raw: Buffer, start: number, end: number, defaultType: [string, string], depth: number): MimePart {
  const bodyStart = Math.min(headerEnd(raw, start, end), end);
  const fields = parseHeaderFields(raw.subarray(start, bodyStart));
  const d = describe(raw, start, end, fields, defaultType);
  const part: MimePart = { start, bodyStart, end, lines: countLines(raw, bodyStart, end), ...d };
  if (depth >= MAX_DEPTH) return part;
  if (part.type === 'multipart') {
    const boundary = part.params.find(([k]) => k === 'boundary')![1];
    const childDefault: [string, string] = part.subtype === 'digest' ? ['message', 'rfc822'] : ['text', 'plain'];
    part.parts = splitMultipart(raw, bodyStart, end, boundary).map(([s, e]) => parsePart(raw, s, e, childDefault, depth + 1));
  } else if (part.type === 'message' && (part.subtype === 'rfc822' || part.subtype === 'global') && !['base64', 'quoted-printable'].includes(part.encoding)) {
    part.message = parsePart(raw, bodyStart, end, ['text', 'plain'], depth + 1);
  }
  return part;
}

export function parseMime(raw: Buffer): MimePart {
  return parsePart(raw, 0, raw.length, ['text', 'plain'], 0);
}

/** The part at an IMAP-style section path ([] is the message itself); a message/rfc822 part's
 *  children are those of its encapsulated message. */
export function partAt(root: MimePart, path: readonly number[]): MimePart | undefined {
  let cur: MimePart | undefined = root;
  for (const n of path) {
    if (!cur) return undefined;
    if (cur.message) cur = cur.message;
    if (cur.parts) cur = cur.parts[n - 1];
    else if (n === 1) { /* a non-multipart's part 1 is its body */ }
    else return undefined;
  }
  return cur;
}

/** Every leaf part, depth first. */
export function* leaves(part: MimePart): Generator<MimePart> {
  if (part.parts) for (const p of part.parts) yield* leaves(p);
  else if (part.message) yield* leaves(part.message);
  else yield part;
}

export function decodeTransfer(body: Buffer, encoding: string): Buffer {
  if (encoding === 'base64') return Buffer.from(body.toString('latin1').replace(/[^A-Za-z0-9+/]/g, ''), 'base64');
  if (encoding === 'quoted-printable') {
    // RFC 2045 6.7: trailing white space on a line is removed when decoding ("= " before the line
    // break is then a soft line break like "=").
    const s = body.toString('latin1').replace(/[ \t]+(?=\r?\n|$)/g, '').replace(/=\r?\n/g, '');
    const out: number[] = [];
    for (let i = 0; i < s.length; i++) {
      if (s[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) { out.push(parseInt(s.slice(i + 1, i + 3), 16)); i += 2; }
      else out.push(s.charCodeAt(i) & 0xff);
    }
    return Buffer.from(out);
  }
  return body;
}

export function decodeCharset(bytes: Buffer, charset: string | undefined): string {
  const cs = (charset ?? 'utf-8').toLowerCase();
  try {
    return new TextDecoder(cs === 'us-ascii' ? 'utf-8' : cs).decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}

/** The decoded text of a text/* leaf (HTML reduced to its text). */
export function partText(raw: Buffer, part: MimePart): string {
  const bytes = decodeTransfer(raw.subarray(part.bodyStart, part.end), part.encoding);
  const text = decodeCharset(bytes, part.params.find(([k]) => k === 'charset')?.[1]);
  if (part.subtype === 'html') {
    return text.replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ')
      .replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  }
  return text;
}
