// The command grammar shared by every command (RFC 9051 section 9): tag SP command [SP args],
// where args are atoms, quoted strings, literals and parenthesized lists. FETCH attributes carry
// a bracketed section that may hold spaces and parentheses and a "<partial>":
// `BODY.PEEK[HEADER.FIELDS (From To)]<0.100>` comes out as ONE atom. Each command's own grammar
// (what the args mean) is read by its handler through `ArgReader`.
import { bad, ImapError } from './errors.js';
import { tagOf } from './framing.js';
const MAX_DEPTH = 32;
/** An error while parsing, with the tag when it could be read (else the answer is untagged). */
export class ParseError extends ImapError {
    tag;
    constructor(tag, message) {
        super('BAD', message);
        this.tag = tag;
    }
}
class Cursor {
    frame;
    line = 0;
    pos = 0;
    constructor(frame) {
        this.frame = frame;
    }
    get text() { return this.frame.lines[this.line]; }
    peek() { return this.pos < this.text.length ? this.text[this.pos] : -1; }
    atEnd() { return this.pos >= this.text.length && this.line >= this.frame.lines.length - 1; }
}
const SP = 0x20, LP = 0x28, RP = 0x29, DQ = 0x22, BS = 0x5c, LB = 0x5b, RB = 0x5d, LT = 0x3c, GT = 0x3e, LC = 0x7b;
function isAtomChar(c) {
    // ATOM-CHAR plus list-wildcards ("%", "*") and "\" (flags), "]" only inside brackets.
    return c > 0x20 && c < 0x7f && c !== LP && c !== RP && c !== LC && c !== DQ && c !== RB;
}
function readQuoted(cur) {
    const t = cur.text;
    cur.pos++; // opening quote
    const bytes = [];
    for (;;) {
        if (cur.pos >= t.length)
            throw bad('unterminated quoted string');
        const c = t[cur.pos++];
        if (c === DQ)
            break;
        if (c === 0)
            throw bad('NUL in a quoted string');
        if (c === BS) {
            const n = cur.pos < t.length ? t[cur.pos++] : -1;
            if (n !== DQ && n !== BS)
                throw bad('in a quoted string, "\\" may only escape "\\" or a double quote');
            bytes.push(n);
        }
        else
            bytes.push(c);
    }
    const value = Buffer.from(bytes);
    if (value.some((b) => b > 0x7f) && !isUtf8(value))
        throw bad('a quoted string holds 8-bit bytes that are not UTF-8');
    return { kind: 'string', value, literal: false };
}
function isUtf8(b) {
    try {
        new TextDecoder('utf-8', { fatal: true }).decode(b);
        return true;
    }
    catch {
        return false;
    }
}
/** A literal marker at the current position must be the end of the line. */
function readLiteral(cur) {
    const rest = cur.text.subarray(cur.pos).toString('latin1');
    const m = /^(~?)\{([0-9]{1,10})(\+?)\}$/.exec(rest);
    if (!m)
        throw bad('"{" starts a literal, which must be "{n}" or "{n+}" at the end of a line');
    const lit = cur.frame.literals[cur.line];
    if (!lit || cur.line >= cur.frame.lines.length - 1)
        throw bad('literal data missing');
    cur.line++;
    cur.pos = 0;
    return { kind: 'string', value: lit.data, literal: true, ...(lit.binary ? { binary: true } : {}) };
}
function readAtom(cur) {
    const t = cur.text;
    const start = cur.pos;
    while (cur.pos < t.length) {
        const c = t[cur.pos];
        if (c === LB) {
            // Section spec: up to the matching "]", spaces, parentheses and quoted strings allowed.
            // "[" is also an ordinary ATOM-CHAR (RFC 9051 9: only "]" is a resp-special), so a "[" with
            // no "]" after it ("CREATE a[b") is just part of the atom.
            const open = cur.pos;
            cur.pos++;
            let depth = 0;
            let closed = true;
            for (;;) {
                if (cur.pos >= t.length) {
                    closed = false;
                    break;
                }
                const d = t[cur.pos];
                if (d === DQ) {
                    readQuoted(cur);
                    continue;
                }
                if (d < 0x20 || d > 0x7e)
                    throw bad('invalid character in a section specification');
                cur.pos++;
                if (d === LP) {
                    if (++depth > MAX_DEPTH)
                        throw bad('section nested too deeply');
                }
                else if (d === RP) {
                    if (--depth < 0) {
                        closed = false;
                        break;
                    }
                }
                else if (d === RB && depth === 0)
                    break;
            }
            if (!closed) {
                cur.pos = open + 1;
                continue;
            }
            if (cur.pos < t.length && t[cur.pos] === LT) {
                const end = t.indexOf(GT, cur.pos);
                if (end < 0)
                    throw bad('unterminated "<" partial specification');
                if (!/^<[0-9]{1,10}(\.[0-9]{1,10})?>$/.test(t.subarray(cur.pos, end + 1).toString('latin1')))
                    throw bad('invalid partial specification (expected <offset> or <offset.length>)');
                cur.pos = end + 1;
            }
            continue;
        }
        if (!isAtomChar(c))
            break;
        cur.pos++;
    }
    if (cur.pos === start) {
        const c = t[cur.pos];
        if (c === RB)
            throw bad('unexpected "]"');
        if (c !== undefined && (c < 0x20 || c > 0x7e))
            throw bad(c > 0x7e ? 'unexpected 8-bit character (quote it, or use a literal)' : 'unexpected control character');
        throw bad('unexpected character');
    }
    return { kind: 'atom', value: t.subarray(start, cur.pos).toString('latin1') };
}
function readValue(cur, depth) {
    const c = cur.peek();
    if (c === DQ)
        return readQuoted(cur);
    if (c === LC || (c === 0x7e && cur.text[cur.pos + 1] === LC))
        return readLiteral(cur);
    if (c === LP) {
        if (depth >= MAX_DEPTH)
            throw bad('lists nested too deeply');
        cur.pos++;
        const items = [];
        for (;;) {
            if (cur.peek() === RP) {
                cur.pos++;
                break;
            }
            if (cur.peek() === -1)
                throw bad('unterminated "(" list');
            if (items.length > 0) {
                if (cur.peek() !== SP)
                    throw bad('expected a space or ")" in a list');
                cur.pos++;
                if (cur.peek() === RP)
                    throw bad('a list cannot end with a space');
            }
            items.push(readValue(cur, depth + 1));
        }
        return { kind: 'list', items };
    }
    if (c === RP)
        throw bad('unexpected ")"');
    if (c === -1)
        throw bad('missing argument');
    return readAtom(cur);
}
/** Parse the arguments after the command name (the rest of the frame). */
function readArgs(cur) {
    const args = [];
    while (!cur.atEnd()) {
        if (cur.peek() !== SP)
            throw bad('expected a space between arguments');
        cur.pos++;
        if (cur.peek() === -1 && cur.atEnd())
            throw bad('trailing space at the end of the command');
        args.push(readValue(cur, 0));
    }
    return args;
}
function readWord(cur) {
    const t = cur.text;
    const start = cur.pos;
    while (cur.pos < t.length && t[cur.pos] !== SP)
        cur.pos++;
    return t.subarray(start, cur.pos).toString('latin1');
}
/** Parse one framed command. Throws ParseError (with the tag when it was readable). */
export function parseCommand(frame) {
    const first = frame.lines[0];
    if (!first || first.length === 0)
        throw new ParseError(undefined, 'empty command line');
    const tag = tagOf(first);
    if (!tag)
        throw new ParseError(undefined, 'a command must start with a tag (letters and digits, no "+", "*" or quotes) and a space');
    if (tag === '+')
        throw new ParseError(undefined, 'a tag cannot be "+"');
    const cur = new Cursor(frame);
    cur.pos = Buffer.byteLength(tag, 'latin1');
    try {
        if (cur.peek() !== SP)
            throw bad('missing command name after the tag');
        cur.pos++;
        let name = readWord(cur).toUpperCase();
        if (!/^[A-Z][A-Z0-9.\-]*$/.test(name))
            throw bad('invalid command name');
        if (name === 'UID') {
            if (cur.peek() !== SP)
                throw bad('UID needs a command (FETCH, SEARCH, STORE, COPY, MOVE, EXPUNGE)');
            cur.pos++;
            const sub = readWord(cur).toUpperCase();
            if (!/^[A-Z]+$/.test(sub))
                throw bad('invalid command after UID');
            name = `UID ${sub}`;
        }
        return { tag, name, args: readArgs(cur) };
    }
    catch (e) {
        if (e instanceof ParseError)
            throw e;
        if (e instanceof ImapError)
            throw new ParseError(tag, e.message);
        throw e;
    }
}
//# sourceMappingURL=parser.js.map