// Postern's FETCH rendering against Dovecot's for the same real MIME messages, byte for byte:
// ENVELOPE, BODY, BODYSTRUCTURE, whole and partial sections of every part (HEADER, TEXT, MIME,
// HEADER.FIELDS(.NOT)), BINARY and BINARY.SIZE. Dovecot is a throwaway instance (own config in a
// temp dir); Postern's side runs on a real store (delivery parses and caches the MIME tree).
import t from 'tap';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store } from '../appliance/store/index.js';
import { tempDir } from './harness/appliance.js';
import { startDovecot } from './harness/dovecot.js';
import { RawImapClient, fetchData } from './harness/imap-raw.js';
import { parseFetchItems, renderFetch } from '../services/imap/message/fetch.js';
import { toWire } from '../services/imap/wire.js';
import { ImapError } from '../services/imap/errors.js';
const FIXTURES = join(fileURLToPath(new URL('.', import.meta.url)), '../../test/fixtures/mime');
/** Part paths of a tree as IMAP numbers them (children of message/rfc822 parts included). */
function paths(part, prefix = []) {
    const out = [];
    const inner = part.message ?? part;
    if (inner.parts) {
        inner.parts.forEach((p, i) => {
            const path = [...prefix, i + 1];
            out.push({ path, part: p }, ...paths(p, path));
        });
    }
    else if (prefix.length === 0 || part.message) {
        out.push({ path: [...prefix, 1], part: inner });
    }
    return out;
}
/** Where we differ from Dovecot 2.3 on purpose. */
const DELIBERATE = {
    // Dovecot fails BINARY.SIZE of a 7bit/8bit part when another part of the message has an unknown
    // encoding; the part asked for decodes fine, so we answer (RFC 3516 only fails the part itself).
    'broken.eml BINARY.SIZE[1]': 'answered',
    'broken.eml BINARY.SIZE[3.1]': 'answered',
    'broken.eml BINARY.SIZE[3]': 'answered',
    // RFC 3501 6.4.5: no blank line is added to header fetches of a message that has no body and no
    // blank line. Dovecot follows this for HEADER and HEADER.FIELDS.NOT but not HEADER.FIELDS.
    'headeronly.eml BODY.PEEK[HEADER.FIELDS (FROM TO SUBJECT X-NOT-THERE)]': 'no blank line',
    // Dovecot echoes MIME types, subtypes, parameter names, encodings and disposition types in the
    // case the message used; the MIME tree keeps them lower-cased (RFC 2045: case-insensitive), so
    // we send "text" "plain" for TEXT/PLAIN. Compared case-insensitively.
    // Dovecot sends strings holding '"' or '\\' (or folding white space) as literals; the shared
    // serializer sends them quoted with escapes (RFC 9051 "quoted" allows both). Dovecot also turns
    // a TAB that folded a header line into a space; we unfold as RFC 5322 2.2.3 says (remove the
    // CRLF only, keep the TAB), and it collapses runs of white space in ENVELOPE strings, which we
    // send as written. Compared with literals made quoted and white space runs as one space.
    'folded.eml ENVELOPE': 'literal',
    'upper.eml BODY': 'case',
    'upper.eml BODYSTRUCTURE': 'case',
};
/** Literals of plain text ({n}CRLF + n bytes without CR, LF or 8-bit) rewritten as quoted strings. */
function quoteLiterals(b) {
    const s = b.toString('latin1');
    let out = '';
    let i = 0;
    const re = /\{([0-9]+)\}\r\n/g;
    for (let m = re.exec(s); m; m = re.exec(s)) {
        const body = s.slice(m.index + m[0].length, m.index + m[0].length + Number(m[1]));
        if (/[\r\n\x80-\xff]/.test(body))
            continue;
        out += s.slice(i, m.index) + '"' + body.replace(/(["\\])/g, '\\$1') + '"';
        i = m.index + m[0].length + body.length;
        re.lastIndex = i;
    }
    return out + s.slice(i);
}
function render(values) {
    const out = [];
    values.forEach((v, i) => { if (i)
        out.push(Buffer.from(' ')); out.push(toWire(v)); });
    return Buffer.concat(out);
}
t.test('FETCH items render exactly as Dovecot renders them', async (t) => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.eml')).sort();
    t.ok(files.length >= 8, 'the MIME corpus is there');
    const dovecot = await startDovecot();
    const dir = tempDir();
    const store = Store.open(dir);
    t.teardown(async () => { store.close(); rmSync(dir, { recursive: true, force: true }); await dovecot.stop(); });
    store.domains.ensure('example.test');
    const alice = await store.accounts.create('alice@example.test', 'correct horse');
    files.forEach((f, i) => {
        const raw = readFileSync(join(FIXTURES, f));
        dovecot.addMessage(raw, i + 1);
        store.deliver([{ accountId: alice.id }], raw);
    });
    const inbox = store.mailboxes.get(alice.id, 'INBOX');
    const metas = store.messages.list(inbox.id);
    t.equal(metas.length, files.length);
    const client = await RawImapClient.open(dovecot.port);
    t.teardown(() => client.close());
    t.equal((await client.command(`LOGIN ${dovecot.user} ${dovecot.password}`)).status, 'OK');
    t.equal((await client.command('SELECT INBOX')).status, 'OK');
    let compared = 0;
    for (let i = 0; i < files.length; i++) {
        const meta = metas[i];
        const blob = store.messages.blob(meta.blobId);
        const subject = { meta, blob: () => blob, raw: () => store.readMessage(blob.hash) };
        const items = ['ENVELOPE', 'BODY', 'BODYSTRUCTURE', 'RFC822.SIZE', 'RFC822.HEADER',
            'BODY.PEEK[]', 'BODY.PEEK[HEADER]', 'BODY.PEEK[TEXT]', 'BODY.PEEK[]<0.30>', 'BODY.PEEK[TEXT]<7.11>', 'BODY.PEEK[]<100000.10>',
            'BODY.PEEK[HEADER.FIELDS (FROM TO SUBJECT X-NOT-THERE)]', 'BODY.PEEK[HEADER.FIELDS.NOT (DATE MESSAGE-ID MIME-VERSION)]',
            'BODY.PEEK[9]', 'BODY.PEEK[1.9.9]', 'BINARY.PEEK[]', 'BINARY.SIZE[]'];
        for (const { path, part } of paths(blob.mime)) {
            const p = path.join('.');
            items.push(`BODY.PEEK[${p}]`, `BODY.PEEK[${p}.MIME]`, `BODY.PEEK[${p}]<2.5>`);
            if (part.message)
                items.push(`BODY.PEEK[${p}.HEADER]`, `BODY.PEEK[${p}.TEXT]`, `BODY.PEEK[${p}.HEADER.FIELDS (SUBJECT FROM)]`);
            items.push(`BINARY.PEEK[${p}]`, `BINARY.SIZE[${p}]`, `BINARY.PEEK[${p}]<1.4>`);
        }
        for (const item of items) {
            const deliberate = DELIBERATE[`${files[i]} ${item}`];
            if (deliberate && deliberate !== 'case' && deliberate !== 'literal')
                continue;
            const theirs = await client.command(`FETCH ${i + 1} (${item})`);
            let ours;
            try {
                ours = render(renderFetch(parseFetchItems([{ kind: 'list', items: [{ kind: 'atom', value: item }] }]), subject).values);
            }
            catch (e) {
                if (!(e instanceof ImapError))
                    throw e;
                ours = e;
            }
            if (theirs.status !== 'OK') {
                t.type(ours, ImapError, `${files[i]} ${item}: Dovecot says ${theirs.status} ${theirs.text}, so do we`);
                if (ours instanceof ImapError && ours.code)
                    t.match(theirs.text, `[${ours.code}]`, `${files[i]} ${item}: same response code`);
                continue;
            }
            const data = fetchData(theirs.bytes, i + 1);
            if (ours instanceof ImapError) {
                t.fail(`${files[i]} ${item}: we fail (${ours.message}), Dovecot answers`);
                continue;
            }
            const fold = (b) => (deliberate === 'case' ? b?.toString('latin1').toLowerCase() : deliberate === 'literal' && b ? quoteLiterals(b).replace(/[ \t]+/g, ' ') : b?.toString('latin1'));
            t.equal(fold(ours), fold(data), `${files[i]} ${item}${deliberate ? ` (deliberate difference: ${deliberate})` : ''}`);
            compared++;
        }
    }
    t.ok(compared > 200, `compared ${compared} responses`);
});
//# sourceMappingURL=imap-content-dovecot.test.js.map