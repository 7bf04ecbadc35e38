// IMAP wire values (RFC 9051 section 4): what command handlers produce and what the parser gives.
// Shared contract between the protocol core (parser, session, commands) and the message renderers
// (ENVELOPE, BODYSTRUCTURE, sections, SEARCH).

/** A value to send. Strings are sent as atoms only when wrapped in `Atom`; a plain string is sent
 *  quoted when it can be, else as a literal. Buffers are always literals. `null` is NIL. */
export type ImapValue = null | number | bigint | string | Buffer | Atom | Raw | ImapValue[];

export class Atom {
  constructor(readonly value: string) {}
}
export const atom = (v: string): Atom => new Atom(v);

/** Bytes already in wire form, sent as they are: lists without spaces between elements (ENVELOPE
 *  address lists, BODYSTRUCTURE multiparts: RFC 9051 "1*address", "1*body") and literal8 ~{n}. */
export class Raw {
  constructor(readonly bytes: Buffer) {}
}

/** A parsed command argument (before a command's own grammar gives it meaning). */
export type ImapArg =
  | { kind: 'atom'; value: string }          // includes flags (\Seen), sequence sets, numbers, NIL, section specs
  | { kind: 'string'; value: Buffer; literal: boolean; binary?: boolean } // quoted or literal (~{n} for binary)
  | { kind: 'list'; items: ImapArg[] };      // parenthesized list

function needsLiteral(s: string): boolean {
  // Quoted strings cannot carry CR, LF, NUL or (without UTF8=ACCEPT) 8-bit characters.
  return /[\r\n\0]/.test(s) || s.length > 1024 || /[^\x00-\x7f]/.test(s);
}

export interface SerializeOptions {
  /** RFC 9051 / RFC 6855: 8-bit UTF-8 may go in quoted strings */
  utf8?: boolean;
  /** LITERAL+ is a client capability; a server always sends synchronizing-form literals {n} */
}

/** Serialize a value to wire bytes. Lists get parentheses; a top-level array is space-joined. */
export function serialize(value: ImapValue, opts: SerializeOptions = {}, out: Buffer[] = []): Buffer[] {
  if (value === null) out.push(Buffer.from('NIL'));
  else if (typeof value === 'number' || typeof value === 'bigint') out.push(Buffer.from(String(value)));
  else if (value instanceof Atom) out.push(Buffer.from(value.value));
  else if (value instanceof Raw) out.push(value.bytes);
  else if (Buffer.isBuffer(value)) { out.push(Buffer.from(`{${value.length}}\r\n`)); out.push(value); }
  else if (typeof value === 'string') {
    const literal = needsLiteral(value) && !(opts.utf8 && !/[\r\n\0]/.test(value) && value.length <= 1024);
    if (literal) { const b = Buffer.from(value, 'utf8'); out.push(Buffer.from(`{${b.length}}\r\n`)); out.push(b); }
    else out.push(Buffer.from('"' + value.replace(/(["\\])/g, '\\$1') + '"', 'utf8'));
  } else {
    out.push(Buffer.from('('));
    value.forEach((v, i) => { if (i) out.push(Buffer.from(' ')); serialize(v, opts, out); });
    out.push(Buffer.from(')'));
  }
  return out;
}

export function toWire(value: ImapValue, opts: SerializeOptions = {}): Buffer {
  return Buffer.concat(serialize(value, opts));
}
