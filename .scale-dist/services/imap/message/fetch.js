// FETCH data items (RFC 9051 6.4.5 and 7.5.2, RFC 3516 BINARY, RFC 7162 MODSEQ, RFC 8970 PREVIEW):
// parse the attribute list a client sends and render one message's response items. The message
// file is read only for items that need its body; everything else comes from the cached header
// block and MIME tree.
import { bad } from '../errors.js';
import { atom, Raw } from '../wire.js';
import { envelope } from './envelope.js';
import { bodyStructure } from './bodystructure.js';
import { applyPartial, binaryBytes, formatSection, parsePartial, parseSection, sectionBytes, needsRaw } from './section.js';
import { preview } from './preview.js';
import { leaves, partAt } from '../../../appliance/mail/mime.js';
const SIMPLE = new Set(['FLAGS', 'UID', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODYSTRUCTURE', 'BODY', 'MODSEQ', 'RFC822', 'RFC822.HEADER', 'RFC822.TEXT', 'PREVIEW']);
const MACROS = {
    ALL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'],
    FAST: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'],
    FULL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY'],
};
/** Section path of BINARY[...]: part numbers only (RFC 3516 "section-binary"). */
function binaryPath(spec) {
    if (spec === '')
        return [];
    if (!/^[1-9][0-9]{0,9}(\.[1-9][0-9]{0,9})*$/.test(spec))
        throw bad(`invalid BINARY section: [${spec}] (only part numbers are allowed)`);
    return spec.split('.').map(Number);
}
function parseOne(text) {
    const upper = text.toUpperCase();
    if (SIMPLE.has(upper))
        return { name: upper };
    const m = /^(BODY|BODY\.PEEK|BINARY|BINARY\.PEEK|BINARY\.SIZE)\[(.*)\](<[^>]*>)?$/is.exec(text);
    if (!m)
        throw bad(`unknown FETCH data item: ${text.length > 60 ? text.slice(0, 60) + '...' : text}`);
    const kind = m[1].toUpperCase();
    const spec = m[2];
    const partial = m[3] !== undefined ? parsePartial(m[3]) : undefined;
    if (kind === 'BODY' || kind === 'BODY.PEEK') {
        return { name: 'BODY[]', peek: kind === 'BODY.PEEK', section: parseSection(spec), ...(partial ? { partial } : {}) };
    }
    if (kind === 'BINARY.SIZE') {
        if (partial)
            throw bad('BINARY.SIZE takes no partial range');
        return { name: 'BINARY.SIZE', path: binaryPath(spec) };
    }
    return { name: 'BINARY[]', peek: kind === 'BINARY.PEEK', path: binaryPath(spec), ...(partial ? { partial } : {}) };
}
function atomText(a) {
    if (a.kind === 'atom')
        return a.value;
    throw bad('FETCH data items are atoms like FLAGS or BODY.PEEK[HEADER]');
}
/** The FETCH attribute argument: a macro, one item, or a parenthesized list of items. */
export function parseFetchItems(args) {
    if (args.length !== 1)
        throw bad(args.length === 0 ? 'FETCH needs data items' : 'FETCH data items must be one item or a parenthesized list');
    const arg = args[0];
    if (arg.kind === 'atom') {
        const macro = MACROS[arg.value.toUpperCase()];
        if (macro)
            return macro.map((name) => ({ name }));
        return [parseOne(arg.value)];
    }
    if (arg.kind !== 'list')
        throw bad('FETCH data items must be atoms, not strings');
    if (arg.items.length === 0)
        throw bad('FETCH needs at least one data item');
    const out = [];
    for (let i = 0; i < arg.items.length; i++) {
        const it = arg.items[i];
        const text = atomText(it);
        if (MACROS[text.toUpperCase()])
            throw bad(`${text.toUpperCase()} is a macro and cannot be in a list`);
        const item = parseOne(text);
        // PREVIEW (LAZY): RFC 8970 modifiers; we always compute the preview.
        if (item.name === 'PREVIEW' && arg.items[i + 1]?.kind === 'list') {
            const mods = arg.items[i + 1].items;
            for (const mod of mods)
                if (mod.kind !== 'atom' || mod.value.toUpperCase() !== 'LAZY')
                    throw bad('unknown PREVIEW modifier');
            i++;
        }
        out.push(item);
    }
    return out;
}
/** Does any item mark the message \Seen (non-PEEK body sections, RFC822, RFC822.TEXT)? */
export function fetchSetsSeen(items) {
    return items.some((it) => ((it.name === 'BODY[]' || it.name === 'BINARY[]') && !it.peek) || it.name === 'RFC822' || it.name === 'RFC822.TEXT');
}
/** Does any item need the message file (not only the database rows)? For planning I/O. */
export function fetchReadsFile(items) {
    return items.some((it) => it.name === 'RFC822' || it.name === 'RFC822.TEXT' || it.name === 'PREVIEW' || it.name === 'BINARY[]' || it.name === 'BINARY.SIZE' || (it.name === 'BODY[]' && needsRaw(it.section)));
}
/** Does any item need the cached header block or MIME tree? */
export function fetchReadsBlob(items) {
    return items.some((it) => !['FLAGS', 'UID', 'INTERNALDATE', 'RFC822.SIZE', 'MODSEQ'].includes(it.name));
}
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** INTERNALDATE as date-time: "23-Nov-2026 10:00:00 +0000" (day padded with a space). */
export function formatInternalDate(ms) {
    const d = new Date(ms);
    const p2 = (n) => String(n).padStart(2, '0');
    return `${String(d.getUTCDate()).padStart(2, ' ')}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
}
function once(f) {
    let done = false;
    let v;
    return () => { if (!done) {
        v = f();
        done = true;
    } return v; };
}
/** Content for BINARY: a literal8 (~{n}) when it was decoded (base64, quoted-printable: it may hold
 *  any octet) or holds NUL bytes, else a plain literal (RFC 3516 4.3; Dovecot does the same). */
function binaryValue(data, decoded) {
    if (decoded || data.includes(0))
        return new Raw(Buffer.concat([Buffer.from(`~{${data.length}}\r\n`), data]));
    return data;
}
function partialName(p) {
    return p ? `<${p.offset}>` : '';
}
/** Render the items for one message: the flat list of name/value pairs inside "* n FETCH (...)". */
export function renderFetch(items, subject) {
    const blob = once(() => subject.blob());
    const raw = once(() => subject.raw());
    const meta = subject.meta;
    const values = [];
    for (const it of items) {
        switch (it.name) {
            case 'FLAGS':
                values.push(atom('FLAGS'), meta.flags.map((f) => atom(f)));
                break;
            case 'UID':
                values.push(atom('UID'), meta.uid);
                break;
            case 'INTERNALDATE':
                values.push(atom('INTERNALDATE'), formatInternalDate(meta.internalDate));
                break;
            case 'RFC822.SIZE':
                values.push(atom('RFC822.SIZE'), meta.size);
                break;
            case 'MODSEQ':
                values.push(atom('MODSEQ'), [meta.modseq]);
                break;
            case 'ENVELOPE':
                values.push(atom('ENVELOPE'), envelope(blob().headers));
                break;
            case 'BODY':
                values.push(atom('BODY'), bodyStructure(blob().mime, false, raw));
                break;
            case 'BODYSTRUCTURE':
                values.push(atom('BODYSTRUCTURE'), bodyStructure(blob().mime, true, raw));
                break;
            case 'RFC822':
                values.push(atom('RFC822'), raw());
                break;
            case 'RFC822.HEADER':
                values.push(atom('RFC822.HEADER'), blob().headers);
                break;
            case 'RFC822.TEXT':
                values.push(atom('RFC822.TEXT'), raw().subarray(blob().mime.bodyStart));
                break;
            case 'PREVIEW':
                values.push(atom('PREVIEW'), preview(blob().mime, raw));
                break;
            case 'BODY[]': {
                const data = sectionBytes(it.section, blob().mime, () => blob().headers, raw);
                values.push(atom(`BODY[${formatSection(it.section)}]${partialName(it.partial)}`), applyPartial(data, it.partial));
                break;
            }
            case 'BINARY[]': {
                const data = binaryBytes(it.path, blob().mime, raw) ?? Buffer.alloc(0);
                values.push(atom(`BINARY[${it.path.join('.')}]${partialName(it.partial)}`), binaryValue(applyPartial(data, it.partial), isDecoded(blob().mime, it.path)));
                break;
            }
            case 'BINARY.SIZE': {
                const data = binaryBytes(it.path, blob().mime, raw) ?? Buffer.alloc(0);
                values.push(atom(`BINARY.SIZE[${it.path.join('.')}]`), data.length);
                break;
            }
        }
    }
    return { values, setsSeen: fetchSetsSeen(items) };
}
function isDecoded(root, path) {
    const part = path.length === 0 ? root : partAt(root, path);
    if (!part)
        return false;
    return [...leaves(part)].some((p) => p.encoding === 'base64' || p.encoding === 'quoted-printable');
}
//# sourceMappingURL=fetch.js.map