// The same sessions, side by side against Debian's Dovecot and Postern: \Recent across three
// sessions (SELECT, EXAMINE, STATUS, new arrivals, SEARCH NEW/OLD/RECENT), MULTIAPPEND, and
// LIST-EXTENDED/LSUB over a small tree. The answers are compared after normalising what may differ
// (UIDVALIDITY and modseq values, human text, quoting, the hierarchy separator, attribute order).
import t from 'tap';
import { startTestAppliance } from './harness/appliance.js';
import { startDovecot } from './harness/dovecot.js';
import { RawImapClient } from './harness/imap-raw.js';
function message(i) {
    return `From: Bob <bob@example.org>\r\nTo: alice@example.test\r\nSubject: side ${i}\r\nMessage-ID: <side${i}@example.org>\r\n\r\nBody ${i}.\r\n`;
}
const lit = (s) => `{${Buffer.byteLength(s)}+}\r\n${s}`;
/** The script: [session, command]. "%S" is the server's hierarchy separator. */
const SCRIPT = [
    ['c', 'CREATE Box'],
    ['c', `APPEND Box (\\Seen) ${lit(message(1))}`],
    ['c', `APPEND Box ${lit(message(2))}`],
    ['a', 'STATUS Box (MESSAGES RECENT UNSEEN)'],
    ['b', 'EXAMINE Box'],
    ['b', 'FETCH 1:* (FLAGS)'],
    ['a', 'STATUS Box (MESSAGES RECENT)'],
    ['a', 'SELECT Box'],
    ['a', 'FETCH 1:* (FLAGS)'],
    ['a', 'SEARCH RECENT'],
    ['a', 'SEARCH NEW'],
    ['a', 'SEARCH OLD'],
    ['c', 'STATUS Box (RECENT)'],
    ['c', `APPEND Box ${lit(message(3))}`],
    ['a', 'NOOP'],
    ['b', 'NOOP'],
    ['c', 'SELECT Box'],
    ['c', 'FETCH 1:* (FLAGS)'],
    ['a', 'STORE 1 +FLAGS (\\Flagged)'],
    ['a', 'STORE 2 FLAGS ()'],
    ['c', 'NOOP'],
    ['a', 'SEARCH NEW'],
    // MULTIAPPEND into the mailbox C has selected: C is told first and claims them
    ['c', `APPEND Box (\\Seen) ${lit(message(4))} (\\Draft $Label) ${lit(message(5))}`],
    ['c', 'FETCH 4:5 (FLAGS)'],
    ['a', 'NOOP'],
    ['a', 'FETCH 4:5 (FLAGS)'],
    ['c', 'STATUS Box (MESSAGES RECENT)'],
    ['c', `APPEND Box ${lit(message(6))} {0+}\r\n`],
    ['c', `APPEND Nowhere ${lit(message(6))} ${lit(message(7))}`],
    ['c', 'NOOP'],
    ['a', 'STORE 1:2 +FLAGS.SILENT (\\Deleted)'],
    ['a', 'EXPUNGE'],
    ['c', 'NOOP'],
    ['c', 'SEARCH RECENT'],
    ['c', 'UNSELECT'],
    ['c', 'STATUS Box (MESSAGES RECENT)'],
    // a small tree for LIST
    ['c', 'CREATE Tree'],
    ['c', 'CREATE Tree%SSub1'],
    ['c', 'CREATE Tree%SSub2'],
    ['c', 'CREATE Tree2'],
    ['c', 'SUBSCRIBE Tree%SSub1'],
    ['c', 'SUBSCRIBE Tree2'],
    ['c', 'UNSUBSCRIBE Tree'],
    ['c', 'UNSUBSCRIBE Tree%SSub2'],
    ['c', 'LIST "" "Tree%"'],
    ['c', 'LIST "" "Tree*"'],
    ['c', 'LIST (SUBSCRIBED) "" "Tree*"'],
    ['c', 'LIST (SUBSCRIBED RECURSIVEMATCH) "" "Tree%"'],
    ['c', 'LIST (SUBSCRIBED RECURSIVEMATCH) "" "Tree*"'],
    ['c', 'LIST "" "Tree*" RETURN (SUBSCRIBED CHILDREN)'],
    ['c', 'LIST "" "Tree%" RETURN (STATUS (MESSAGES UNSEEN))'],
    ['c', 'LIST "" ("Tree" "Tree%SSub1")'],
    ['c', 'LSUB "" "Tree%"'],
    ['c', 'LSUB "" "Tree*"'],
    ['c', 'LIST (RECURSIVEMATCH) "" "*"'],
    ['c', 'LIST (BOGUS) "" "*"'],
];
/** Where we answer differently on purpose (both RFC-conformant): only the tagged status is compared.
 *  STORE FLAGS with the flags a message already has: we still send its FETCH FLAGS (RFC 9051
 *  6.4.6: "the new value of the flags is returned"), Dovecot sends nothing. */
const DELIBERATE = new Set(['STORE 2 FLAGS ()']);
/** One response line, made comparable. */
function normalise(line, sep, command) {
    // what legitimately differs between two servers
    if (/^\* OK \[(UIDVALIDITY|HIGHESTMODSEQ|NOMODSEQ|PERMANENTFLAGS|UIDNEXT|UNSEEN)[ \]]/.test(line))
        return undefined;
    if (/^\* (FLAGS|CAPABILITY) /.test(line))
        return undefined;
    let l = line;
    // tagged lines: the status and the response code name (its data where it is comparable)
    const tagged = /^T[0-9]+ (OK|NO|BAD)(?: \[([^\]]*)\])?/.exec(l);
    if (tagged) {
        const code = (tagged[2] ?? '').replace(/^(APPENDUID|COPYUID) [0-9]+/, '$1 v');
        return `${tagged[1]}${code && !/^(SERVERBUG|CLIENTBUG|UNAVAILABLE|CANNOT|TRYCREATE|OVERQUOTA)$/.test(code) ? ` [${code}]` : code === 'TRYCREATE' ? ' [TRYCREATE]' : ''}`;
    }
    if (sep !== '/')
        l = l.split(`"${sep}"`).join('"/"').replace(new RegExp(`(Tree)\\${sep}`, 'g'), '$1/');
    l = l.replace(/"([A-Za-z0-9/]+)"/g, '$1'); // quoted or not
    // UID in unsolicited FETCH (we always send it, Dovecot only with QRESYNC); EXPUNGE order (we
    // expunge upwards, Dovecot downwards: the same messages go)
    l = l.replace(/^(\* [0-9]+ FETCH \()UID [0-9]+ /, '$1').replace(/^\* [0-9]+ EXPUNGE$/, '* EXPUNGE');
    // RFC 5258 4: a server MAY return \HasChildren/\HasNoChildren without RETURN (CHILDREN); we do
    // on every LIST, Dovecot only on a LIST without extended syntax
    if (/^LIST .*(\(|RETURN)/.test(command) && !/CHILDREN/.test(command))
        l = l.replace(/ ?\\Has(No)?Children/g, '').replace(/\( /, '(');
    l = l.replace(/\(([^()]*)\)/g, (_, inner) => `(${inner.split(' ').filter(Boolean).sort().join(' ')})`);
    return l;
}
async function run(server) {
    const out = [];
    for (const [who, cmd] of SCRIPT) {
        const r = await server.clients[who].command(cmd.replace(/%S/g, server.sep));
        const command = cmd.replace(/%S/g, '/');
        let lines = r.bytes.toString('utf8').split('\r\n').filter(Boolean);
        if (DELIBERATE.has(command))
            lines = lines.slice(-1);
        const norm = lines.map((l) => normalise(l, server.sep, command)).filter((l) => l !== undefined);
        // LIST order is not defined: sort the LIST responses (each with the STATUS after it)
        const blocks = [];
        for (const l of norm.slice(0, -1)) {
            if (l.startsWith('* STATUS') && blocks.length)
                blocks[blocks.length - 1].push(l);
            else
                blocks.push([l]);
        }
        if (/^L(IST|SUB) /.test(command))
            blocks.sort((a, b) => (a[0] < b[0] ? -1 : 1));
        out.push([...blocks.flat(), ...norm.slice(-1)]);
    }
    return out;
}
t.test('Postern answers like Dovecot for \\Recent, MULTIAPPEND and LIST-EXTENDED', async (t) => {
    const dovecot = await startDovecot();
    t.teardown(() => dovecot.stop());
    const app = await startTestAppliance({ listeners: ['imaps'] });
    t.teardown(() => app.stop());
    await app.store.accounts.create('alice@example.test', 'correct horse');
    const open = async (login) => {
        const clients = { a: await login(), b: await login(), c: await login() };
        t.teardown(() => { for (const c of Object.values(clients))
            c.close(); });
        return clients;
    };
    const theirs = {
        sep: '.', stop: async () => undefined,
        clients: await open(async () => {
            const c = await RawImapClient.open(dovecot.port);
            if ((await c.command(`LOGIN ${dovecot.user} ${dovecot.password}`)).status !== 'OK')
                throw new Error('dovecot login');
            return c;
        }),
    };
    const ours = {
        sep: '/', stop: async () => undefined,
        clients: await open(async () => {
            const c = await RawImapClient.open(app.port('imaps'), { tls: true });
            if ((await c.command('LOGIN alice@example.test "correct horse"')).status !== 'OK')
                throw new Error('postern login');
            return c;
        }),
    };
    const d = await run(theirs);
    const p = await run(ours);
    if (process.env.POSTERN_DUMP) {
        const { writeFileSync } = await import('node:fs');
        writeFileSync(process.env.POSTERN_DUMP, SCRIPT.map(([w, c], i) => `## ${w}: ${c.split('\r\n')[0]}\n-- dovecot\n${d[i].join('\n')}\n-- postern\n${p[i].join('\n')}\n`).join('\n'));
    }
    SCRIPT.forEach(([who, cmd], i) => {
        t.same(p[i], d[i], `${who}: ${cmd.replace(/\r\n[\s\S]*?(?=\s\(|\s\{|$)/g, '...').replace(/\{[0-9]+\+\}(\.\.\.)?/g, '{..}')}`);
    });
});
//# sourceMappingURL=imap-dovecot-semantics.test.js.map