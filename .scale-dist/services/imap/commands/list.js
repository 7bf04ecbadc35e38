// LIST and LSUB (RFC 9051 6.3.9, RFC 3501 6.3.9) with LIST-EXTENDED (RFC 5258: selection
// options SUBSCRIBED, SPECIAL-USE, REMOTE, RECURSIVEMATCH; return options SUBSCRIBED, CHILDREN,
// SPECIAL-USE, STATUS (RFC 5819)), CHILDREN (RFC 3348) and SPECIAL-USE (RFC 6154) attributes.
import { atom } from '../wire.js';
import { ArgReader, mailboxName } from '../args.js';
import { bad, ImapError } from '../errors.js';
import { DELIMITER, nameToWire } from '../mailbox-name.js';
import { AUTHED } from '../session-state.js';
import { sendStatus, statusItems } from './status.js';
function patternText(a, s) {
    if (a.kind === 'list')
        throw bad('LIST: a mailbox pattern must be a string');
    const raw = a.kind === 'atom' ? Buffer.from(a.value, 'latin1') : a.value;
    if (raw.length === 0)
        return '';
    try {
        return mailboxName(raw, s.utf8);
    }
    catch (e) {
        // A pattern that is not valid modified UTF-7 matches no mailbox: kept as written.
        if (e instanceof ImapError && e.code === 'CANNOT')
            return raw.toString('latin1');
        throw e;
    }
}
/** Pattern to a regular expression: "*" matches anything, "%" anything but the delimiter. */
function matcher(pattern) {
    let re = '';
    for (const ch of pattern) {
        if (ch === '*')
            re += '.*';
        else if (ch === '%')
            re += '[^/]*';
        else
            re += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
    // INBOX is case-insensitive (RFC 9051 5.1), also as the first level of a pattern.
    if (/^inbox(?=$|\/)/i.test(pattern))
        re = 'INBOX' + re.slice(5);
    return new RegExp(`^${re}$`, 's');
}
function entries(s) {
    const account = s.account.id;
    const out = new Map();
    const entry = (name) => {
        let e = out.get(name);
        if (!e) {
            e = { name, mailbox: undefined, noselect: false, subscribed: false };
            out.set(name, e);
        }
        return e;
    };
    for (const m of s.store.mailboxes.list(account))
        entry(m.name).mailbox = m;
    for (const n of s.store.mailboxes.noselectNames(account))
        entry(n).noselect = true;
    for (const n of s.store.subscriptions.list(account)) {
        entry(n).subscribed = true;
        // parents of a subscribed name, for RECURSIVEMATCH's and LSUB's CHILDINFO / \Noselect
        const levels = n.split(DELIMITER);
        for (let i = 1; i < levels.length; i++)
            entry(levels.slice(0, i).join(DELIMITER));
    }
    return out;
}
const exists = (e) => e.mailbox !== undefined || e.noselect;
/** RFC 3501 6.3.8: LIST with an empty pattern returns the delimiter and the root of the
 *  reference: "#news.comp.mail.misc" has the root "#news.", a reference without the delimiter "". */
function referenceRoot(reference) {
    const i = reference.indexOf(DELIMITER);
    return i < 0 ? '' : reference.slice(0, i + 1);
}
async function list(s, reference, patterns, o) {
    if (patterns.length === 1 && patterns[0] === '' && !o.lsub) {
        await s.untagged(atom('LIST'), [atom('\\Noselect')], DELIMITER, nameToWire(referenceRoot(reference), s.utf8));
        return;
    }
    const all = entries(s);
    const hits = new Map();
    for (const p of patterns) {
        if (p === '')
            continue;
        // RFC 3501 6.3.8: the reference and the pattern are joined as they are ("archive/" "%" is
        // "archive/%"; "Foo" "*" is "Foo*", as Dovecot and Cyrus read it); a pattern that starts with
        // the delimiter does not use the reference.
        const full = p.startsWith(DELIMITER) ? p : reference + p;
        const re = matcher(full);
        for (const e of all.values())
            if (re.test(e.name))
                hits.set(e.name, e);
    }
    const sorted = [...hits.values()].sort((a, b) => (a.name === 'INBOX' ? -1 : b.name === 'INBOX' ? 1 : a.name < b.name ? -1 : 1));
    // the selection criteria (RFC 5258 3.1): SUBSCRIBED selects subscribed names whether or not
    // they exist; otherwise only names that exist are listed
    const selected = (e) => (o.subscribedOnly ? e.subscribed : exists(e)) && (!o.specialUseOnly || (e.mailbox?.specialUse ?? null) !== null);
    // names with existing children, and names with descendants that meet the selection criteria
    // without matching the pattern (for CHILDINFO): ancestors collected once, not a scan per name
    const withChildren = new Set();
    const withSelectedChildren = new Set();
    for (const d of all.values()) {
        const child = exists(d);
        const childInfo = (o.recursive || o.lsub) && selected(d) && !hits.has(d.name);
        if (!child && !childInfo)
            continue;
        for (let i = d.name.indexOf(DELIMITER); i > 0; i = d.name.indexOf(DELIMITER, i + 1)) {
            const parent = d.name.slice(0, i);
            if (child)
                withChildren.add(parent);
            if (childInfo)
                withSelectedChildren.add(parent);
        }
    }
    for (const e of sorted) {
        // RECURSIVEMATCH (RFC 5258 3): a name whose descendants meet the selection criteria without
        // matching the pattern is returned (even if it does not meet them itself) with CHILDINFO. LSUB
        // (RFC 3501 6.3.9) returns such an unsubscribed parent as \Noselect.
        const childInfo = withSelectedChildren.has(e.name);
        const own = selected(e);
        if (!own && !childInfo)
            continue;
        const attrs = [];
        if (o.lsub) {
            if (!own)
                attrs.push(atom('\\Noselect'));
        }
        else {
            // \NonExistent implies \Noselect (RFC 5258 3.4); Dovecot sends \NonExistent alone
            if (!exists(e))
                attrs.push(atom('\\NonExistent'));
            else if (e.noselect)
                attrs.push(atom('\\Noselect'));
            attrs.push(atom(withChildren.has(e.name) ? '\\HasChildren' : '\\HasNoChildren'));
            if ((o.retSubscribed || o.subscribedOnly) && e.subscribed)
                attrs.push(atom('\\Subscribed'));
        }
        if (e.mailbox?.specialUse && !o.lsub)
            attrs.push(atom(e.mailbox.specialUse));
        const response = [atom(o.lsub ? 'LSUB' : 'LIST'), attrs, DELIMITER, nameToWire(e.name, s.utf8)];
        if (childInfo && !o.lsub)
            response.push(['CHILDINFO', ['SUBSCRIBED']]);
        await s.untagged(...response);
        // RFC 5819 4: no STATUS for \Noselect or \NonExistent names
        if (o.retStatus && !o.lsub && e.mailbox)
            await sendStatus(s, e.mailbox, o.retStatus);
    }
}
export const LIST = {
    states: AUTHED,
    async run(s, cmd) {
        const r = new ArgReader(cmd.args, 'LIST');
        const o = { subscribedOnly: false, specialUseOnly: false, recursive: false, retSubscribed: false, retStatus: undefined, lsub: false };
        const first = r.peek();
        if (first?.kind === 'list') {
            r.next('selection options');
            for (const a of first.items) {
                const v = a.kind === 'atom' ? a.value.toUpperCase() : '';
                if (v === 'SUBSCRIBED')
                    o.subscribedOnly = true;
                else if (v === 'SPECIAL-USE')
                    o.specialUseOnly = true;
                else if (v === 'RECURSIVEMATCH')
                    o.recursive = true;
                else if (v === 'REMOTE') { /* no remote mailboxes */ }
                else
                    throw bad(`LIST: unknown selection option ${v.slice(0, 30) || '(not an atom)'}`);
            }
            if (o.recursive && !o.subscribedOnly)
                throw bad('LIST: RECURSIVEMATCH needs another selection option (RFC 5258 3.1)');
        }
        const refArg = r.next('reference name');
        const reference = patternText(refArg, s);
        const pat = r.next('mailbox pattern');
        const patterns = pat.kind === 'list' ? pat.items.map((p) => patternText(p, s)) : [patternText(pat, s)];
        if (pat.kind === 'list' && patterns.length === 0)
            throw bad('LIST: the pattern list is empty');
        if (r.takeWord('RETURN')) {
            const opts = r.list('return options');
            for (let i = 0; i < opts.length; i++) {
                const a = opts[i];
                const v = a.kind === 'atom' ? a.value.toUpperCase() : '';
                if (v === 'SUBSCRIBED')
                    o.retSubscribed = true;
                else if (v === 'CHILDREN' || v === 'SPECIAL-USE') { /* always returned */ }
                else if (v === 'STATUS') {
                    const items = opts[++i];
                    if (!items || items.kind !== 'list')
                        throw bad('LIST: RETURN STATUS needs a list of status items');
                    o.retStatus = statusItems(items.items, 'LIST');
                }
                else
                    throw bad(`LIST: unknown return option ${v.slice(0, 30) || '(not an atom)'}`);
            }
        }
        r.end();
        await list(s, reference, patterns, o);
    },
};
export const LSUB = {
    states: AUTHED,
    async run(s, cmd) {
        const r = new ArgReader(cmd.args, 'LSUB');
        const reference = patternText(r.next('reference name'), s);
        const pattern = patternText(r.next('mailbox pattern'), s);
        r.end();
        await list(s, reference, [pattern], { subscribedOnly: true, specialUseOnly: false, recursive: false, retSubscribed: false, retStatus: undefined, lsub: true });
    },
};
//# sourceMappingURL=list.js.map