// What the junk classifier looks at in one message: word 1- and 2-grams of the subject and of the
// decoded text parts (HTML reduced to text, its link and image hosts kept), a chosen set of header
// tokens (sender and reply domains, mailer, Received hosts, MIME structure), and the context the
// box knows (its own Authentication-Results, first-time sender). Each feature is a string hashed to
// a 47-bit integer, the key of the model's count table. The message's own features are
// deterministic, so a message trained once can be untrained exactly; context features are kept
// with the training record (they change with time).
import { headerEnd, parseHeaderFields, decodeWords } from '../mail/header.js';
import { decodeCharset, decodeTransfer, leaves } from '../mail/mime.js';
/** text read per message: enough to decide, bounded so that a 50 MB message costs what 64 KB does */
export const MAX_TEXT = 64 * 1024;
/** header block read at most */
const MAX_HEADER = 64 * 1024;
/** raw bytes of one text part decoded at most */
const MAX_PART = 256 * 1024;
const MAX_FEATURES = 4000;
/** cyrb53 (a public-domain 53-bit string hash), cut to 47 bits: SQLite stores it in 6 bytes. */
export function featureHash(s) {
    let h1 = 0xdeadbeef, h2 = 0x41c6ce57;
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        h1 = Math.imul(h1 ^ c, 2654435761);
        h2 = Math.imul(h2 ^ c, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return 4294967296 * (h2 & 0x7fff) + (h1 >>> 0);
}
const WORD = /[\p{L}\p{N}$€£'][\p{L}\p{N}$€£'._-]*/gu;
function words(text, out, limit) {
    WORD.lastIndex = 0;
    let m;
    while ((m = WORD.exec(text)) !== null && out.length < limit) {
        let w = m[0].replace(/[._'-]+$/, '').toLowerCase();
        if (w.length < 2)
            continue;
        if (/^\d+$/.test(w))
            w = w.length > 4 ? `num:${w.length}` : w; // long numbers: their length only
        else if (w.length > 20)
            w = `sk:${w.slice(0, 8)}`; // long strings: a "skip" token, as SpamAssassin
        out.push(w);
    }
}
/** The last two labels of a host name (three for short second-level ones like co.uk). */
function domainOf(host) {
    const labels = host.toLowerCase().replace(/\.$/, '').split('.');
    if (labels.length <= 2)
        return labels.join('.');
    const n = labels[labels.length - 2].length <= 3 && labels[labels.length - 1].length === 2 ? 3 : 2;
    return labels.slice(-n).join('.');
}
const ADDRESS = /<?([^<>\s@",;]+)@([^<>\s@",;]+?)>?(?=[\s,;>]|$)/;
export function addressOf(value) {
    const m = ADDRESS.exec(value);
    return m ? `${m[1]}@${m[2]}`.toLowerCase() : undefined;
}
/** The decoded text of a message's text parts (HTML as text) and the hosts its links point to. */
export function messageText(raw, root) {
    let text = '';
    const hosts = [];
    let html = false;
    for (const leaf of leaves(root)) {
        if (text.length >= MAX_TEXT)
            break;
        if (leaf.type !== 'text' || (leaf.subtype !== 'plain' && leaf.subtype !== 'html'))
            continue;
        if (leaf.disposition?.type === 'attachment')
            continue;
        const body = raw.subarray(leaf.bodyStart, Math.min(leaf.end, leaf.bodyStart + MAX_PART));
        let s = decodeCharset(decodeTransfer(body, leaf.encoding), leaf.params.find(([k]) => k === 'charset')?.[1]);
        if (leaf.subtype === 'html') {
            html = true;
            for (const m of s.matchAll(/(?:href|src)\s*=\s*["']?(?:https?:)?\/\/([a-z0-9.-]+)/gi))
                if (hosts.length < 50)
                    hosts.push(m[1]);
            s = s.replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ')
                .replace(/&nbsp;/gi, ' ').replace(/&amp;/gi, '&').replace(/&#?\w+;/g, ' ');
        }
        text += s.slice(0, MAX_TEXT - text.length) + '\n';
    }
    for (const m of text.matchAll(/https?:\/\/([a-z0-9.-]+)/gi))
        if (hosts.length < 50)
            hosts.push(m[1]);
    return { text, hosts, html };
}
/** Authentication results the box itself wrote (the first Authentication-Results with its authserv-id). */
export function ownAuthResults(fields, hostname) {
    if (!hostname)
        return {};
    const host = hostname.toLowerCase();
    for (const f of fields) {
        if (f.key !== 'authentication-results')
            continue;
        const id = f.value.split(';', 1)[0].trim().toLowerCase();
        if (id !== host)
            continue;
        const out = {};
        for (const m of f.value.matchAll(/\b(spf|dkim|dmarc)=([a-z]+)/gi)) {
            const k = m[1].toLowerCase();
            if (out[k] === undefined || m[2] === 'pass')
                out[k] = m[2].toLowerCase();
        }
        return out;
    }
    return {};
}
/** Extract the features of a message. `root` is its parsed MIME tree. */
export function extractFeatures(raw, root, ctx = {}) {
    const headEnd = Math.min(headerEnd(raw), MAX_HEADER);
    const fields = parseHeaderFields(raw.subarray(0, headEnd));
    const out = new Set();
    const value = (k) => fields.find((f) => f.key === k)?.value;
    const subject = decodeWords(value('subject') ?? '');
    const sw = [];
    words(subject, sw, 60);
    for (const w of sw)
        out.add(`s:${w}`);
    for (let i = 1; i < sw.length; i++)
        out.add(`s:${sw[i - 1]} ${sw[i]}`);
    if (!subject.trim())
        out.add('h:no-subject');
    else if (/[A-Z]{6,}/.test(subject) && subject === subject.toUpperCase())
        out.add('h:subject-caps');
    const fromValue = value('from') ?? '';
    const from = addressOf(fromValue);
    if (from) {
        const dom = from.split('@')[1];
        out.add(`from:${from}`);
        out.add(`from-domain:${domainOf(dom)}`);
        const name = decodeWords(fromValue.replace(/<[^>]*>/, '')).replace(/["']/g, '');
        const nw = [];
        words(name, nw, 10);
        for (const w of nw)
            out.add(`fn:${w}`);
    }
    else
        out.add('h:no-from');
    const replyTo = addressOf(value('reply-to') ?? '');
    if (replyTo)
        out.add(replyTo === from ? 'h:reply-to-same' : `reply-domain:${domainOf(replyTo.split('@')[1])}`);
    const mid = /@([^>\s]+)>?\s*$/.exec(value('message-id') ?? '');
    out.add(mid ? `mid:${domainOf(mid[1])}` : 'h:no-message-id');
    for (const k of ['x-mailer', 'user-agent']) {
        const v = value(k);
        if (v) {
            out.add(`${k}:${v.replace(/[\d.]+/g, '').trim().toLowerCase().slice(0, 30)}`);
        }
    }
    for (const k of ['list-id', 'list-unsubscribe', 'precedence', 'x-priority', 'mime-version', 'in-reply-to', 'references'])
        if (value(k) !== undefined)
            out.add(`h:${k}`);
    const to = value('to') ?? '';
    const rcpts = (to.match(/@/g) ?? []).length + ((value('cc') ?? '').match(/@/g) ?? []).length;
    out.add(`h:rcpts:${rcpts > 5 ? 'many' : rcpts}`);
    let received = 0;
    for (const f of fields) {
        if (f.key !== 'received' || received >= 4)
            continue;
        received++;
        const m = /^from\s+(\S+)(?:\s+\(([^)\s]*)[^)]*\))?/i.exec(f.value);
        if (m) {
            const helo = m[2] && m[2].includes('.') ? m[2] : m[1];
            if (/^\[?\d+\.\d+\.\d+\.\d+\]?$/.test(helo))
                out.add('rcvd:ip-literal');
            else if (helo.includes('.'))
                out.add(`rcvd:${domainOf(helo)}`);
        }
    }
    const auth = ownAuthResults(fields, ctx.hostname);
    const context = [];
    if (auth.spf)
        context.push(`auth:spf=${auth.spf}`);
    if (auth.dkim)
        context.push(`auth:dkim=${auth.dkim}`);
    if (auth.dmarc)
        context.push(`auth:dmarc=${auth.dmarc}`);
    if (ctx.firstTimeSender !== undefined)
        context.push(ctx.firstTimeSender ? 'sender:first-time' : 'sender:seen');
    // MIME structure: types of the parts, charsets, attachments' extensions
    let parts = 0;
    for (const leaf of leaves(root)) {
        if (++parts > 20)
            break;
        out.add(`ct:${leaf.type}/${leaf.subtype}`);
        const cs = leaf.params.find(([k]) => k === 'charset')?.[1];
        if (cs)
            out.add(`cs:${cs.toLowerCase()}`);
        if (leaf.encoding !== '7bit')
            out.add(`cte:${leaf.encoding}`);
        const fname = leaf.disposition?.params.find(([k]) => k === 'filename')?.[1] ?? leaf.params.find(([k]) => k === 'name')?.[1];
        if (fname) {
            const ext = /\.([a-z0-9]{1,5})$/i.exec(fname);
            out.add(`att:${ext ? ext[1].toLowerCase() : 'none'}`);
        }
    }
    if (root.type === 'multipart')
        out.add(`ct-root:${root.subtype}`);
    const { text, hosts, html } = messageText(raw, root);
    if (html)
        out.add('body:html');
    for (const h of hosts)
        out.add(`url:${domainOf(h)}`);
    const bw = [];
    words(text, bw, 6000);
    if (bw.length === 0)
        out.add('body:no-text');
    else if (bw.length < 20)
        out.add('body:short');
    for (let i = 0; i < bw.length && out.size < MAX_FEATURES; i++) {
        out.add(bw[i]);
        if (i > 0)
            out.add(`${bw[i - 1]} ${bw[i]}`);
    }
    return { message: [...out].map(featureHash), context, from };
}
//# sourceMappingURL=features.js.map