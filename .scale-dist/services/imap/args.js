// Reading one command's arguments by its grammar, with a specific BAD text for each mistake.
import { bad } from './errors.js';
import { decodeMailboxName } from './utf7.js';
import { parseSequenceSet } from './sequence.js';
export class ArgReader {
    args;
    command;
    i = 0;
    constructor(args, command) {
        this.args = args;
        this.command = command;
    }
    get remaining() { return this.args.length - this.i; }
    peek() { return this.args[this.i]; }
    /** The next argument if it is an atom equal (case-insensitively) to `word`; consumes it. */
    takeWord(word) {
        const a = this.args[this.i];
        if (a && a.kind === 'atom' && a.value.toUpperCase() === word) {
            this.i++;
            return true;
        }
        return false;
    }
    next(what) {
        const a = this.args[this.i];
        if (!a)
            throw bad(`${this.command}: missing ${what}`);
        this.i++;
        return a;
    }
    atom(what) {
        const a = this.next(what);
        if (a.kind !== 'atom')
            throw bad(`${this.command}: ${what} must be an atom`);
        return a.value;
    }
    /** atom or string (astring); NIL is the atom "NIL" */
    astring(what) {
        const a = this.next(what);
        if (a.kind === 'list')
            throw bad(`${this.command}: ${what} must be a string, not a list`);
        if (a.kind === 'atom') {
            return Buffer.from(a.value, 'latin1');
        }
        return a.value;
    }
    /** astring as UTF-8 text (a user name, a password, an ID value) */
    text(what) {
        const b = this.astring(what);
        return b.toString('utf8');
    }
    /** list-mailbox: astring allowing "%" and "*" */
    pattern(what) {
        const a = this.next(what);
        if (a.kind === 'list')
            throw bad(`${this.command}: ${what} must be a string, not a list`);
        return a.kind === 'atom' ? a.value : a.value.toString('utf8');
    }
    number(what, max = 4294967295) {
        const v = this.atom(what);
        if (!/^[0-9]{1,20}$/.test(v) || Number(v) > max)
            throw bad(`${this.command}: ${what} must be a number, got ${v.slice(0, 30)}`);
        return Number(v);
    }
    list(what) {
        const a = this.next(what);
        if (a.kind !== 'list')
            throw bad(`${this.command}: ${what} must be a parenthesized list`);
        return a.items;
    }
    sequenceSet(what = 'sequence set') {
        return parseSequenceSet(this.atom(what));
    }
    end() {
        if (this.i < this.args.length)
            throw bad(`${this.command}: unexpected extra arguments`);
    }
}
/** A mailbox name from a client: UTF-8 when UTF8=ACCEPT (or IMAP4rev2) is on, else modified
 *  UTF-7; INBOX is case-insensitive. */
export function mailboxName(raw, utf8) {
    const s = raw.toString('utf8');
    if (raw.some((b) => b > 0x7f)) {
        if (!utf8)
            throw bad('8-bit mailbox names need ENABLE UTF8=ACCEPT; otherwise use modified UTF-7');
        if (s.includes('\ufffd'))
            throw bad('the mailbox name is not valid UTF-8');
        return s;
    }
    if (/[\x00-\x1f\x7f]/.test(s))
        throw bad('control characters are not allowed in mailbox names');
    return utf8 ? s : decodeMailboxName(s);
}
/** An atom as a flag: a system flag (\Seen) or a keyword atom. */
export function flagArg(a, command) {
    if (a.kind !== 'atom')
        throw bad(`${command}: flags must be atoms like \\Seen or $Label`);
    const v = a.value;
    if (!/^\\?[^\s()\]{%*"\\]+$/.test(v))
        throw bad(`${command}: invalid flag ${v.slice(0, 40)}`);
    return v;
}
//# sourceMappingURL=args.js.map