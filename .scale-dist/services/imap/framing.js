// Command framing (RFC 9051 section 2.2, 4.3; RFC 7888 LITERAL+): cuts the client's byte stream
// into commands. A command is one line, or several lines joined by literals: a line ending in
// "{n}" (synchronizing: the server must answer "+" first), "{n+}" (non-synchronizing) or "~{n}"
// (binary, RFC 3516) is followed by exactly n bytes, then the command goes on. Limits: a line may
// not exceed `maxLine`, the lines of one command `maxCommand`; the session decides how large a
// literal may be (`maxLiteral` in general, the APPENDLIMIT for APPEND). Nothing unbounded is ever
// buffered: an over-long line or refused literal is skipped and the command answered with an error.
import { bad } from './errors.js';
export const DEFAULT_LIMITS = { maxLine: 64 * 1024, maxLiteral: 64 * 1024, maxCommand: 256 * 1024 };
const LITERAL_AT_END = /(~?)\{([0-9]{1,10})(\+?)\}$/;
/** The tag of a command line, when the line starts with something tag-like. */
export function tagOf(line) {
    const s = line.subarray(0, 128).toString('latin1');
    const m = /^([\x21\x23\x24\x26\x27\x2c-\x5b\x5d-\x7a\x7c\x7d\x7e]+)(?: |$)/.exec(s);
    return m ? m[1] : undefined;
}
export class CommandFramer {
    limits;
    hooks;
    pending = [];
    pendingLen = 0;
    lines = [];
    literals = [];
    /** line bytes of the command so far (literals are limited separately) */
    commandBytes = 0;
    literalBytes = 0;
    /** bytes of literal still expected (collected or skipped) */
    literalLeft = 0;
    literalBinary = false;
    literalChunks = [];
    /** skipping the rest of a refused command */
    skipping;
    skipTag;
    /** skipping an over-long line up to its LF; keeps the tail to spot a literal marker */
    skippingLine = false;
    skipTail = '';
    constructor(limits, hooks) {
        this.limits = limits;
        this.hooks = hooks;
    }
    push(chunk) {
        let data = chunk;
        while (data.length > 0) {
            if (this.literalLeft > 0) {
                const take = Math.min(this.literalLeft, data.length);
                if (!this.skipping)
                    this.literalChunks.push(data.subarray(0, take));
                this.literalLeft -= take;
                data = data.subarray(take);
                if (this.literalLeft === 0 && !this.skipping) {
                    this.literals.push({ data: Buffer.concat(this.literalChunks), binary: this.literalBinary });
                    this.literalChunks = [];
                }
                continue;
            }
            const lf = data.indexOf(0x0a);
            if (this.skippingLine) {
                if (lf < 0) {
                    this.skipTail = (this.skipTail + data.subarray(Math.max(0, data.length - 24)).toString('latin1')).slice(-24);
                    return;
                }
                this.skipTail = (this.skipTail + data.subarray(Math.max(0, lf - 24), lf).toString('latin1')).slice(-24).replace(/\r$/, '');
                data = data.subarray(lf + 1);
                this.skippingLine = false;
                this.endOfSkippedLine();
                continue;
            }
            if (lf < 0) {
                if (this.pendingLen + data.length > this.limits.maxLine) {
                    const head = this.pendingLen > 0 ? Buffer.concat([...this.pending, data]) : data;
                    this.refuse(bad(`line too long (the limit is ${this.limits.maxLine} bytes)`), this.lines.length ? undefined : head);
                    this.pending = [];
                    this.pendingLen = 0;
                    this.skippingLine = true;
                    this.skipTail = head.subarray(Math.max(0, head.length - 24)).toString('latin1');
                    return;
                }
                this.pending.push(data);
                this.pendingLen += data.length;
                return;
            }
            let line = data.subarray(0, lf);
            data = data.subarray(lf + 1);
            if (this.pendingLen > 0) {
                line = Buffer.concat([...this.pending, line]);
                this.pending = [];
                this.pendingLen = 0;
            }
            if (line.length > 0 && line[line.length - 1] === 0x0d)
                line = line.subarray(0, line.length - 1);
            if (line.length > this.limits.maxLine) {
                this.refuse(bad(`line too long (the limit is ${this.limits.maxLine} bytes)`), this.lines.length ? undefined : line);
                this.skipTail = line.subarray(Math.max(0, line.length - 24)).toString('latin1');
                this.endOfSkippedLine();
                continue;
            }
            this.onLine(line);
        }
    }
    refuse(err, firstLine) {
        if (this.skipping)
            return;
        this.skipping = err;
        this.skipTag = firstLine ? tagOf(firstLine) : (this.lines[0] ? tagOf(this.lines[0]) : undefined);
        this.lines = [];
        this.literals = [];
        this.literalChunks = [];
    }
    /** After a skipped line: a non-synchronizing literal is still sent by the client and skipped
     *  too; otherwise the refused command ends here. */
    endOfSkippedLine() {
        const m = LITERAL_AT_END.exec(this.skipTail);
        this.skipTail = '';
        if (m && m[3] === '+') {
            this.literalLeft = Number(m[2]);
            return;
        }
        this.finish();
    }
    onLine(line) {
        this.commandBytes += line.length + 2;
        const tail = line.subarray(Math.max(0, line.length - 16)).toString('latin1');
        const m = LITERAL_AT_END.exec(tail);
        if (this.skipping) {
            if (m && m[3] === '+') {
                this.literalLeft = Number(m[2]);
                return;
            }
            this.finish();
            return;
        }
        if (this.commandBytes > this.limits.maxCommand) {
            this.refuse(bad(`command too long (the limit is ${this.limits.maxCommand} bytes besides literals)`), undefined);
            if (m && m[3] === '+') {
                this.literalLeft = Number(m[2]);
                return;
            }
            this.finish();
            return;
        }
        this.lines.push(line);
        if (!m) {
            this.finish();
            return;
        }
        const size = Number(m[2]);
        const sync = m[3] !== '+';
        const binary = m[1] === '~';
        let err = this.hooks.literal({ firstLine: this.lines[0], size, sync, binary, sofar: this.literalBytes });
        if (err) {
            this.refuse(err, undefined);
            if (sync) {
                this.finish();
                return;
            } // the client will not send the literal
            this.literalLeft = size;
            return;
        }
        this.literalBytes += size;
        this.literalBinary = binary;
        this.literalLeft = size;
        if (sync)
            this.hooks.proceed();
        if (size === 0)
            this.literals.push({ data: Buffer.alloc(0), binary });
    }
    finish() {
        const frame = this.skipping
            ? { lines: [], literals: [], error: this.skipping, ...(this.skipTag ? { tag: this.skipTag } : {}) }
            : { lines: this.lines, literals: this.literals };
        this.lines = [];
        this.literals = [];
        this.literalChunks = [];
        this.skipping = undefined;
        this.skipTag = undefined;
        this.commandBytes = 0;
        this.literalBytes = 0;
        this.hooks.frame(frame);
    }
}
//# sourceMappingURL=framing.js.map