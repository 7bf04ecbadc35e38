// RFC 5322 address lists (3.4, with the obsolete forms of 4.4: comments and folding anywhere,
// routes, groups) parsed into IMAP ENVELOPE-shaped addresses (name adl mailbox host), group
// markers included; and the text SEARCH FROM/TO/CC/BCC looks in. Protocol-neutral.
function tokenize(s) {
    const out = [];
    let i = 0;
    while (i < s.length) {
        const c = s[i];
        if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
            i++;
            continue;
        }
        if (c === '"') {
            let v = '';
            i++;
            while (i < s.length && s[i] !== '"') {
                if (s[i] === '\\' && i + 1 < s.length)
                    i++;
                v += s[i++];
            }
            i++;
            out.push({ t: 'word', v, quoted: true });
        }
        else if (c === '(') {
            let depth = 1;
            let v = '';
            i++;
            while (i < s.length && depth > 0) {
                if (s[i] === '\\' && i + 1 < s.length) {
                    v += s[i + 1];
                    i += 2;
                    continue;
                }
                if (s[i] === '(')
                    depth++;
                if (s[i] === ')') {
                    depth--;
                    if (depth === 0) {
                        i++;
                        break;
                    }
                }
                v += s[i++];
            }
            out.push({ t: 'comment', v });
        }
        else if ('<>@,;:'.includes(c)) {
            out.push({ t: 'special', v: c });
            i++;
        }
        else {
            let v = '';
            while (i < s.length && !' \t\r\n"(<>@,;:'.includes(s[i]))
                v += s[i++];
            out.push({ t: 'word', v, quoted: false });
        }
    }
    return out;
}
const MISSING_MAILBOX = 'MISSING_MAILBOX';
const MISSING_DOMAIN = 'MISSING_DOMAIN';
/** Parse an address-list header value into ENVELOPE addresses (group markers included). */
export function parseAddressList(value) {
    const toks = tokenize(value);
    let i = 0;
    const out = [];
    const peek = () => toks[i];
    const isSpecial = (v) => { const k = toks[i]; return k !== undefined && k.t === 'special' && k.v === v; };
    const joinWords = (words, sep) => words.map((w) => w.v).join(sep);
    // addr-spec after the local part words: "@" domain
    let lastComment = null;
    const readDomain = () => {
        const parts = [];
        while (i < toks.length) {
            const k = toks[i];
            if (k.t === 'word') {
                parts.push(k.v);
                i++;
            }
            else if (k.t === 'comment') {
                lastComment = k.v;
                i++;
            }
            else
                break;
        }
        return parts.length ? parts.join('') : null;
    };
    const readMailbox = () => {
        const phrase = [];
        let comment = null;
        while (i < toks.length) {
            const k = toks[i];
            if (k.t === 'word') {
                phrase.push(k);
                i++;
            }
            else if (k.t === 'comment') {
                comment = k.v;
                i++;
            }
            else
                break;
        }
        if (isSpecial('<')) {
            i++;
            let adl = null;
            // obs-route: "@a,@b:"
            if (isSpecial('@')) {
                const route = [];
                while (isSpecial('@') || isSpecial(',')) {
                    if (isSpecial(',')) {
                        i++;
                        continue;
                    }
                    i++;
                    const d = readDomain();
                    route.push('@' + (d ?? ''));
                }
                if (isSpecial(':'))
                    i++;
                adl = route.join(',');
            }
            const local = [];
            while (i < toks.length && toks[i].t !== 'special') {
                const k = toks[i];
                if (k.t === 'word')
                    local.push(k);
                i++;
            }
            let host = null;
            if (isSpecial('@')) {
                i++;
                host = readDomain();
            }
            while (i < toks.length && !isSpecial('>'))
                i++;
            if (isSpecial('>'))
                i++;
            // a trailing comment after the angle address is not the name
            while (peek()?.t === 'comment')
                i++;
            const name = phrase.length ? joinWords(phrase, ' ') : null;
            const mailbox = local.length ? joinWords(local, '') : null;
            if (!mailbox && !host && !adl) {
                // "<>" (a null return path) or an empty angle address
                return { name, adl: null, mailbox: mailbox ?? '', host: null };
            }
            return { name, adl, mailbox: mailbox ?? MISSING_MAILBOX, host: host ?? MISSING_DOMAIN };
        }
        if (isSpecial('@')) {
            i++;
            lastComment = null;
            const host = readDomain();
            if (lastComment !== null)
                comment = lastComment;
            const mailbox = phrase.length ? joinWords(phrase, '') : MISSING_MAILBOX;
            return { name: comment, adl: null, mailbox, host: host ?? MISSING_DOMAIN };
        }
        if (phrase.length === 0)
            return null;
        // a bare local part without a domain
        return { name: comment, adl: null, mailbox: joinWords(phrase, ''), host: MISSING_DOMAIN };
    };
    while (i < toks.length) {
        if (isSpecial(',') || isSpecial(';') || isSpecial('>')) {
            i++;
            continue;
        }
        // a group: phrase ":" [mailbox-list] ";"
        let j = i;
        while (j < toks.length && toks[j].t !== 'special')
            j++;
        const k = toks[j];
        if (k && k.t === 'special' && k.v === ':') {
            const name = toks.slice(i, j).filter((x) => x.t === 'word').map((w) => w.v).join(' ');
            i = j + 1;
            out.push({ name: null, adl: null, mailbox: name, host: null });
            while (i < toks.length && !isSpecial(';')) {
                if (isSpecial(',')) {
                    i++;
                    continue;
                }
                const before = i;
                const m = readMailbox();
                if (m)
                    out.push(m);
                if (i === before)
                    i++;
            }
            if (isSpecial(';'))
                i++;
            out.push({ name: null, adl: null, mailbox: null, host: null });
            continue;
        }
        const before = i;
        const m = readMailbox();
        if (m)
            out.push(m);
        if (i === before)
            i++;
    }
    return out;
}
/** What SEARCH FROM/TO/CC/BCC match a needle against (RFC 3501 6.4.4: "contains the specified
 *  string"): the decoded field value as written, then each address as "name <mailbox@host>" with
 *  comments and the whitespace of the obsolete syntax removed (RFC 5322 4.4:
 *  "<user (comment)@ (comment) domain.org>" is user@domain.org), one per line, and group names. */
export function addressSearchText(decodedValue) {
    const lines = [decodedValue];
    for (const a of parseAddressList(decodedValue)) {
        if (a.host === null) {
            if (a.mailbox)
                lines.push(a.mailbox);
            continue;
        }
        const addr = `${a.mailbox ?? ''}@${a.host}`;
        lines.push(a.name ? `${a.name} <${addr}>` : addr);
    }
    return lines.join('\n');
}
//# sourceMappingURL=address.js.map