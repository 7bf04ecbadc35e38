import { ArgReader, flagArg } from '../args.js';
import { bad, no } from '../errors.js';
import { nameFromArg } from '../mailbox-name.js';
import { formatSet } from '../sequence.js';
import { AUTHED } from '../session-state.js';
import { log } from '../../../appliance/log.js';
import { base64NulParts } from '../../../appliance/mail/binary.js';
import { applyPartial, parseSection, sectionBytes } from '../message/section.js';
import { decodeMailboxName } from '../utf7.js';
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** date-time (RFC 9051 9): "dd-Mon-yyyy hh:mm:ss +zzzz", the day may be space-padded. */
export function parseDateTime(text) {
    const m = /^([ 0-9]?[0-9])-([A-Za-z]{3})-([0-9]{4}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) ([+-])([0-9]{2})([0-9]{2})$/.exec(text);
    const month = m ? MONTHS.indexOf(m[2].toLowerCase()) : -1;
    if (!m || month < 0)
        throw bad(`APPEND: invalid date-time "${text.slice(0, 40)}" (expected "dd-Mon-yyyy hh:mm:ss +zzzz")`);
    const [day, year, h, min, sec, zh, zm] = [m[1], m[3], m[4], m[5], m[6], m[8], m[9]].map((x) => Number(x.trim()));
    if (day < 1 || day > 31 || h > 23 || min > 59 || sec > 60 || zh > 23 || zm > 59)
        throw bad(`APPEND: date-time out of range "${text.slice(0, 40)}"`);
    const offset = (m[7] === '-' ? -1 : 1) * (zh * 60 + zm);
    const t = Date.UTC(year, month, day, h, min, Math.min(sec, 59)) - offset * 60_000;
    if (new Date(Date.UTC(year, month, day)).getUTCDate() !== day)
        throw bad(`APPEND: no such day "${text.slice(0, 40)}"`);
    return t;
}
function messageArg(a, utf8Form) {
    if (!a)
        throw bad('APPEND: the message is missing');
    if (a.kind !== 'string' || (!a.literal && !utf8Form))
        throw bad('APPEND: the message must be a literal');
    // A literal8 may carry NUL bytes in binary parts: stored base64-encoded (see mail/binary.ts).
    return a.binary ? base64NulParts(a.value) : a.value;
}
/** An IMAP URL of this server naming a message or a part of it (RFC 5092, relative or
 *  absolute): its bytes, or NO [BADURL]. Only the user's own mailboxes are reachable. */
function urlBytes(s, url) {
    const badUrl = () => no(`CATENATE: the URL names no message here: ${url.slice(0, 200)}`, `BADURL ${url.slice(0, 200).replace(/[\]\r\n]/g, '')}`);
    const m = /^(?:imap:\/\/[^/]*)?\/([^;/]+(?:\/[^;/]+)*?)(?:;uidvalidity=([0-9]+))?\/;uid=([0-9]+)(?:\/;section=([^/;]*))?(?:\/;partial=([0-9]+)(?:\.([0-9]+))?)?$/i.exec(url);
    if (!m)
        throw badUrl();
    let name, section, partial;
    try {
        name = decodeURIComponent(m[1]);
        section = parseSection(m[4] !== undefined ? decodeURIComponent(m[4]) : '');
        if (m[5] !== undefined)
            partial = { offset: Number(m[5]), length: m[6] !== undefined ? Number(m[6]) : Number.MAX_SAFE_INTEGER };
    }
    catch {
        throw badUrl();
    }
    const mb = s.store.mailboxes.get(s.account.id, s.utf8 ? name : decodeMailboxNameOrSelf(name));
    if (!mb || (m[2] !== undefined && Number(m[2]) !== mb.uidValidity))
        throw badUrl();
    const meta = s.store.messages.get(mb.id, Number(m[3]));
    if (!meta)
        throw badUrl();
    const blob = s.store.messages.blob(meta.blobId);
    let raw;
    const data = sectionBytes(section, blob.mime, () => blob.headers, () => (raw ??= s.store.readMessage(blob.hash)));
    return applyPartial(data, partial);
}
function decodeMailboxNameOrSelf(name) {
    try {
        return decodeMailboxName(name);
    }
    catch {
        return name;
    }
}
/** CATENATE (RFC 4469): the message made of TEXT literals and parts named by URL, in order. */
function catenate(s, parts) {
    if (parts.length === 0)
        throw bad('CATENATE needs at least one TEXT or URL part');
    const out = [];
    let size = 0;
    for (let i = 0; i < parts.length; i += 2) {
        const kind = parts[i].kind === 'atom' ? parts[i].value.toUpperCase() : '';
        const v = parts[i + 1];
        if (!v || v.kind === 'list')
            throw bad('CATENATE: each part is TEXT literal or URL "url"');
        let b;
        if (kind === 'TEXT') {
            if (v.kind !== 'string' || !v.literal)
                throw bad('CATENATE: TEXT takes a literal');
            b = v.value;
        }
        else if (kind === 'URL') {
            b = urlBytes(s, v.kind === 'atom' ? v.value : v.value.toString('utf8'));
        }
        else
            throw bad(`CATENATE: unknown part ${kind || '(not an atom)'} (TEXT or URL)`);
        size += b.length;
        if (size > s.appendLimit)
            throw no(`the message is too large (APPENDLIMIT is ${s.appendLimit} bytes)`, 'TOOBIG');
        out.push(b);
    }
    return Buffer.concat(out);
}
/** One append-message (RFC 3502: [SP flag-list] [SP date-time] SP append-data). */
function readMessage(s, r) {
    const flags = [];
    if (r.peek()?.kind === 'list')
        for (const f of r.list('flag list'))
            flags.push(flagArg(f, 'APPEND'));
    let internalDate;
    const d = r.peek();
    if (d?.kind === 'string' && !d.literal) {
        r.next('date-time');
        internalDate = parseDateTime(d.value.toString('latin1'));
    }
    let raw;
    if (r.takeWord('CATENATE')) {
        // assembled once the target is known to exist (a missing one is [TRYCREATE], whatever the URLs)
        const parts = r.list('CATENATE parts');
        if (flags.some((f) => f.toLowerCase() === '\\recent'))
            throw bad('APPEND: \\Recent cannot be set');
        return { flags, internalDate, raw: Buffer.alloc(0), catenate: parts };
    }
    else if (r.takeWord('UTF8')) {
        if (!s.utf8)
            throw bad('APPEND: UTF8 needs ENABLE UTF8=ACCEPT');
        const inner = r.list('UTF8 message');
        if (inner.length !== 1)
            throw bad('APPEND: UTF8 takes one literal8');
        raw = messageArg(inner[0], true);
    }
    else {
        raw = messageArg(r.next('message literal'), false);
    }
    if (flags.some((f) => f.toLowerCase() === '\\recent'))
        throw bad('APPEND: \\Recent cannot be set');
    if (raw.length === 0)
        throw no('APPEND: the message is empty', 'CANNOT');
    if (raw.length > s.appendLimit)
        throw no(`the message is too large (APPENDLIMIT is ${s.appendLimit} bytes)`, 'TOOBIG');
    return { flags, internalDate, raw };
}
/** Undo the messages of a MULTIAPPEND stored before one failed (RFC 3502: all or none). */
function withdraw(s, mailboxId, uids) {
    if (uids.length === 0)
        return;
    try {
        s.store.messages.store(mailboxId, uids, 'add', ['\\Deleted']);
        s.store.messages.expunge(mailboxId, uids);
        s.changed(mailboxId, 'expunge');
    }
    catch (e) {
        log.error('imap.multiappend-withdraw-failed', { error: e.message, messages: uids.length });
    }
}
export const APPEND = {
    states: AUTHED,
    async run(s, cmd) {
        const r = new ArgReader(cmd.args, 'APPEND');
        const name = nameFromArg(r.next('mailbox name'), s.utf8, 'APPEND');
        // Every message is read and checked before any is stored.
        const messages = [];
        do
            messages.push(readMessage(s, r));
        while (r.remaining > 0);
        const dest = s.store.mailboxes.get(s.account.id, name);
        if (!dest)
            throw no(`there is no mailbox ${name}`, 'TRYCREATE');
        for (const m of messages) {
            if (!m.catenate)
                continue;
            m.raw = catenate(s, m.catenate);
            if (m.raw.length === 0)
                throw no('APPEND: the message is empty', 'CANNOT');
        }
        const account = s.store.accounts.byId(s.account.id);
        const total = messages.reduce((n, m) => n + m.raw.length, 0);
        if (account && account.quotaBytes > 0 && account.usedBytes + total > account.quotaBytes) {
            throw no(`APPEND: the mailbox is full (quota ${account.quotaBytes} bytes)`, 'OVERQUOTA');
        }
        const target = { accountId: s.account.id, mailboxId: dest.id, mailbox: dest.name };
        let uids = [];
        let uidValidity = dest.uidValidity;
        const dates = new Set(messages.map((m) => m.internalDate));
        if (messages.length > 1 && dates.size === 1) {
            // One request of the store: all messages or none, visible together.
            const delivered = await s.pipeline.appendAll(messages.map((m) => ({ target: { ...target, flags: m.flags }, raw: m.raw })), messages[0].internalDate);
            if (delivered.length !== messages.length) {
                withdraw(s, dest.id, delivered.map((d) => d.uid));
                throw no('APPEND: the messages were not stored', 'SERVERBUG');
            }
            uids = delivered.map((d) => d.uid);
            uidValidity = delivered[0].uidValidity;
        }
        else {
            // One message, or messages with different internal dates (the store takes one date per
            // request): one after the other, and the stored ones withdrawn if a later one fails.
            try {
                for (const m of messages) {
                    const [delivered] = await s.pipeline.append([{ ...target, flags: m.flags }], m.raw, m.internalDate);
                    if (!delivered)
                        throw no('APPEND: the message was not stored', 'SERVERBUG');
                    uids.push(delivered.uid);
                    uidValidity = delivered.uidValidity;
                }
            }
            catch (e) {
                withdraw(s, dest.id, uids);
                throw e;
            }
        }
        // RFC 4315: the UIDs in the order of the messages (ascending: each got a larger one).
        const set = uids.length === 1 ? String(uids[0]) : formatSet(uids);
        return { code: `APPENDUID ${uidValidity} ${set}`, text: 'APPEND completed' };
    },
};
//# sourceMappingURL=append.js.map