// What SORT and THREAD (RFC 5256, RFC 5957 DISPLAYFROM/DISPLAYTO) compare, taken from a message's
// header block: the base subject (2.1), the sent date (2.2), the first address of a field, and
// the i;ascii-casemap comparison every string key uses. Pure functions over header text.
import { decodeWords, parseHeaderFields } from '../../../appliance/mail/header.js';
import { parseAddressList } from '../../../appliance/mail/address.js';
/** Header fields of one message, decoded once for several keys. */
export class SortHeaders {
    fields;
    constructor(block) { this.fields = parseHeaderFields(block); }
    first(key) { return this.fields.find((f) => f.key === key)?.value; }
    all(key) { return this.fields.filter((f) => f.key === key).map((f) => f.value); }
}
/** i;unicode-casemap (RFC 5051), which RFC 5256 allows in place of i;ascii-casemap and Dovecot
 *  uses: compatibility-decomposed (É is E + U+0301), then upper case; compared by code point. */
export function casemap(s) {
    return s.normalize('NFKD').toUpperCase();
}
export function compareStrings(a, b) {
    return Buffer.compare(Buffer.from(casemap(a), 'utf8'), Buffer.from(casemap(b), 'utf8'));
}
const BLOB = /^\[[^[\]]*\]\s*/;
const REFWD = /^(re|fwd?)\s*(\[[^[\]]*\]\s*)?:\s*/i;
/** The base subject (RFC 5256 2.1) and whether the extraction removed a reply/forward marker
 *  (subj-refwd, "(fwd)", "[fwd: ...]": what THREAD=REFERENCES calls a reply or forward). */
export function baseSubject(raw) {
    // (1) decoded, runs of white space as one space
    let s = decodeWords(raw ?? '').replace(/[\t\r\n ]+/g, ' ').trim();
    let reply = false;
    for (;;) {
        // (2) trailing "(fwd)" and white space
        for (;;) {
            const t = s.replace(/\s+$/, '');
            if (/\(fwd\)$/i.test(t)) {
                s = t.slice(0, -5);
                reply = true;
                continue;
            }
            s = t;
            break;
        }
        // (3)-(5) leading white space, subj-refwd and subj-blob, repeated
        for (;;) {
            const before = s;
            s = s.replace(/^\s+/, '');
            const r = REFWD.exec(s);
            if (r) {
                s = s.slice(r[0].length);
                reply = true;
            }
            const b = BLOB.exec(s);
            // a blob is removed only if something remains after it
            if (b && s.length > b[0].length)
                s = s.slice(b[0].length);
            if (s === before)
                break;
        }
        // (6) "[fwd:" ... "]": the inside, then again from (2)
        const f = /^\[fwd:(.*)\]$/i.exec(s);
        if (f) {
            s = f[1];
            reply = true;
            continue;
        }
        break;
    }
    return { subject: s.trim(), reply };
}
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const ZONES = { UT: 0, GMT: 0, Z: 0, EST: -5, EDT: -4, CST: -6, CDT: -5, MST: -7, MDT: -6, PST: -8, PDT: -7 };
/** An RFC 5322 date-time (3.3, with the obsolete forms of 4.3) as milliseconds since the epoch. */
export function parseSentDate(value) {
    if (!value)
        return undefined;
    const v = value.replace(/\([^()]*\)/g, ' ').replace(/\s+/g, ' ').trim();
    const m = /^(?:[A-Za-z]{3},?\s*)?([0-9]{1,2})\s+([A-Za-z]{3})[A-Za-z]*\.?\s+([0-9]{2,4})\s+([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?\s*([+-][0-9]{4}|[A-Za-z]{1,5})?/.exec(v);
    if (!m)
        return undefined;
    const month = MONTHS.indexOf(m[2].toLowerCase());
    if (month < 0)
        return undefined;
    let year = Number(m[3]);
    if (m[3].length === 2)
        year += year < 50 ? 2000 : 1900;
    else if (m[3].length === 3)
        year += 1900;
    let offsetMin = 0;
    const z = m[7];
    if (z && /^[+-]/.test(z))
        offsetMin = (z[0] === '-' ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5)));
    else if (z)
        offsetMin = (ZONES[z.toUpperCase()] ?? 0) * 60;
    const t = Date.UTC(year, month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)) - offsetMin * 60_000;
    return Number.isNaN(t) ? undefined : t;
}
/** The first address of an address field as ENVELOPE lists it: for a group, its start marker,
 *  whose mailbox is the group name (as Dovecot sorts). */
export function firstAddress(h, key) {
    for (const value of h.all(key)) {
        for (const a of parseAddressList(value))
            if (a.mailbox !== null || a.host !== null)
                return a;
    }
    return undefined;
}
/** RFC 5256 FROM/TO/CC: the addr-mailbox (local part) of the first address, "" when none. */
export function addrMailbox(h, key) {
    return firstAddress(h, key)?.mailbox ?? '';
}
/** RFC 5957 DISPLAYFROM/DISPLAYTO: the decoded display name of the first address, else its
 *  addr-spec; "" when there is none. */
export function displayAddress(h, key) {
    const a = firstAddress(h, key);
    if (!a)
        return '';
    const name = a.name ? decodeWords(a.name).trim() : '';
    if (name)
        return name;
    return a.mailbox && a.host ? `${a.mailbox}@${a.host}` : a.mailbox ?? '';
}
//# sourceMappingURL=sort-keys.js.map