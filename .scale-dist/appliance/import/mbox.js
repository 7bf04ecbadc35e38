// mbox, streamed both ways. Reading: the file is read in chunks and split into lines; a message
// ends where the next From_ line begins, so one message at a time is held, whatever the file's
// size.
//
// The From_ rule (broken From_ lines): a line is a message separator when it starts with "From ",
// is at the start of the file or follows an empty line, and the rest reads as a sender and a date
// (it holds a time hh:mm and a four-digit year, as asctime or Takeout's "Sat Jan 01 10:00:00 +0000
// 2022" do). Any other line starting with "From " (an unescaped one in a body, a From_ line whose
// date is missing) is message text and stays with the message before it. Lines ">From ",
// ">>From "... lose one ">" (mboxrd; an mboxo file's rare ">From " written by a person loses its
// ">" too, the usual mboxrd reading). The empty line before a separator belongs to the format.
//
// Writing is mboxrd: "From " lines of the message, quoted or not, get one more ">".
import { createReadStream } from 'node:fs';
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const SEPARATOR = /^From \S+ .*\b\d{1,2}:\d\d(?::\d\d)?\b.*\b\d{4}\b/;
function isSeparator(line) {
    if (line.length < 10 || line[0] !== 0x46 || line.toString('latin1', 0, 5) !== 'From ')
        return false;
    return SEPARATOR.test(line.toString('latin1').replace(/\r?\n$/, ''));
}
/** The date of a From_ line ("From sender Www Mmm dd hh:mm:ss [zone] yyyy"), in ms. */
export function fromLineDate(line) {
    const m = /\b([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d{1,2}):(\d\d)(?::(\d\d))?\s*(?:([+-]\d{4}|[A-Z]{3,4})\s+)?(\d{4})(?:\s+([+-]\d{4}))?/.exec(line);
    if (!m)
        return undefined;
    const mon = MONTHS.indexOf(m[1].toLowerCase());
    if (mon < 0)
        return undefined;
    let t = Date.UTC(Number(m[7]), mon, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5] ?? 0));
    const zone = (m[6] && /^[+-]/.test(m[6]) ? m[6] : m[8]);
    if (zone) {
        const sign = zone[0] === '-' ? -1 : 1;
        t -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5))) * 60_000;
    }
    return Number.isFinite(t) ? t : undefined;
}
function isQuotedFrom(line) {
    let i = 0;
    while (i < line.length && line[i] === 0x3e)
        i++;
    return i > 0 && line.length - i >= 5 && line.toString('latin1', i, i + 5) === 'From ';
}
function isEmptyLine(line) {
    return !!line && (line.length === 1 ? line[0] === 0x0a : line.length === 2 && line[0] === 0x0d && line[1] === 0x0a);
}
/** The lines of a file (each with its line ending), read in chunks. */
async function* lines(path) {
    let rest;
    for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
        const buf = rest ? Buffer.concat([rest, chunk]) : chunk;
        let start = 0;
        for (;;) {
            const nl = buf.indexOf(0x0a, start);
            if (nl < 0)
                break;
            yield buf.subarray(start, nl + 1);
            start = nl + 1;
        }
        rest = start < buf.length ? Buffer.from(buf.subarray(start)) : undefined;
    }
    if (rest?.length)
        yield rest;
}
/** The messages of an mbox file, one at a time. `offset` of each: not needed; ordinals number them. */
export async function* readMbox(path) {
    let parts;
    let date;
    let ordinal = 0;
    let prev;
    let preamble = 0;
    const finish = () => {
        if (!parts)
            return undefined;
        // the empty line before the next separator (or at the end) is the format's, not the message's
        const last = parts[parts.length - 1];
        if (last && isEmptyLine(last) && parts.length > 1)
            parts.pop();
        const raw = Buffer.concat(parts);
        return { raw, ordinal, ...(date !== undefined ? { date } : {}) };
    };
    for await (const line of lines(path)) {
        if ((ordinal === 0 || isEmptyLine(prev) || prev === undefined) && isSeparator(line)) {
            const done = finish();
            if (done)
                yield done;
            ordinal++;
            parts = [];
            date = fromLineDate(line.toString('latin1'));
            prev = line;
            continue;
        }
        prev = line;
        if (!parts) {
            preamble += line.length;
            continue;
        }
        parts.push(isQuotedFrom(line) ? line.subarray(1) : line);
    }
    const done = finish();
    if (done)
        yield done;
    if (ordinal === 0 && preamble > 0)
        throw new Error('the file has no From_ line: it is not an mbox file');
}
/** The asctime form of a From_ line's date, in UTC. */
export function asctime(ms) {
    const d = new Date(ms);
    const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
    const mon = MONTHS[d.getUTCMonth()];
    const p = (n) => String(n).padStart(2, '0');
    return `${day} ${mon[0].toUpperCase()}${mon.slice(1)} ${String(d.getUTCDate()).padStart(2, ' ')} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}
/** One message as mboxrd: From_ line, the message with its From lines quoted once more, a
 *  newline if it did not end with one, and the empty separator line. */
export function mboxrdEntry(raw, date, prefix) {
    const out = [Buffer.from(`From MAILER-DAEMON ${asctime(date)}\n`, 'latin1')];
    if (prefix)
        out.push(prefix);
    let start = 0;
    while (start < raw.length) {
        const nl = raw.indexOf(0x0a, start);
        const end = nl < 0 ? raw.length : nl + 1;
        const line = raw.subarray(start, end);
        if ((line.length >= 5 && line.toString('latin1', 0, 5) === 'From ') || isQuotedFrom(line))
            out.push(Buffer.from('>'));
        out.push(line);
        start = end;
    }
    if (raw.length === 0 || raw[raw.length - 1] !== 0x0a)
        out.push(Buffer.from('\n'));
    out.push(Buffer.from('\n'));
    return out;
}
//# sourceMappingURL=mbox.js.map