// The mailbox namespace side by side with Debian's Dovecot (2.3, Maildir with LAYOUT=fs, so "/" is
// the hierarchy separator and a deleted folder with children stays \Noselect): the RFC 3501 6.3
// commands CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, LIST and LSUB over a deep tree, with the
// edge cases an imaptest-style suite sends (trailing delimiter, existing names, INBOX, RENAME of a
// parent and of INBOX, modified UTF-7, "%" and "*", LIST "" ""), and subscriptions that outlive
// their mailboxes (RFC 3501 6.3.6, RFC 5258 \NonExistent). Answers are compared after normalising
// what may differ (UIDVALIDITY, human text, quoting, attribute order); where we differ on purpose,
// our answer is checked against what we mean to send.
import t from 'tap';
import { startDovecot } from './harness/dovecot.js';
import { startImapsAccount } from './harness/imap-account.js';
import { RawImapClient } from './harness/imap-raw.js';
const msg = (i) => `From: Bob <bob@example.org>\r\nSubject: ns ${i}\r\nMessage-ID: <ns${i}@example.org>\r\n\r\nBody ${i}.\r\n`;
const lit = (s) => `{${Buffer.byteLength(s)}+}\r\n${s}`;
const SCRIPT = [
    // the delimiter and the root of the reference (RFC 3501 6.3.8)
    'LIST "" ""',
    'LIST "Mail/Sub/" ""',
    'LIST "Mail" ""',
    // CREATE: a trailing delimiter, a deep tree (parents created first: Dovecot makes missing
    // parents \Noselect, we make them mailboxes; both allowed by RFC 3501 6.3.3)
    'CREATE Mail/',
    'LIST "" "Mail*"',
    'CREATE Mail/Sub',
    'CREATE Mail/Sub/Deep',
    'CREATE Mail/Sub/Deep/Er',
    'CREATE Mail/Other',
    'CREATE Mail',
    'CREATE Mail/Sub/',
    'CREATE INBOX',
    'CREATE iNbOx',
    'DELETE INBOX',
    'DELETE inbox',
    'DELETE Nowhere',
    // "%" and "*" with references over the deep tree
    'LIST "" "Mail/%"',
    'LIST "" "Mail/%/%"',
    'LIST "" "Mail/*"',
    'LIST "Mail/" "%"',
    'LIST "Mail/" "*"',
    'LIST "Mail" "%"',
    'LIST "" "*/Deep"',
    'LIST "" "Mail/*/Er"',
    'LIST "" "Mail/%/Deep/%"',
    'LIST "" "Mail/*%"',
    'LIST "" "mail/*"',
    'LIST "" "inbox"',
    'LIST "" ("Mail/Sub" "Mail/Other")',
    // subscriptions: a state both servers share (we subscribe what CREATE made, Dovecot does not)
    'SUBSCRIBE Mail/Sub',
    'SUBSCRIBE Mail/Sub/Deep',
    'UNSUBSCRIBE Mail',
    'UNSUBSCRIBE Mail/Other',
    'UNSUBSCRIBE Mail/Sub/Deep/Er',
    'SUBSCRIBE Nowhere',
    'UNSUBSCRIBE Nowhere',
    'LSUB "" "Mail*"',
    'LSUB "" "Mail/%"',
    `APPEND Mail/Sub ${lit(msg(1))}`,
    // DELETE of a mailbox with children (RFC 3501 6.3.4): the messages go, the name stays \Noselect
    'DELETE Mail/Sub',
    'LIST "" "Mail*"',
    'LIST (SUBSCRIBED) "" "Mail*"',
    'LSUB "" "Mail*"',
    'LIST "" "Mail/*" RETURN (SUBSCRIBED CHILDREN)',
    'LIST "" "Mail/%" RETURN (STATUS (MESSAGES))',
    'SELECT Mail/Sub',
    'EXAMINE Mail/Sub',
    'STATUS Mail/Sub (MESSAGES)',
    'DELETE Mail/Sub',
    'CREATE Mail/Sub',
    'STATUS Mail/Sub (MESSAGES)',
    'LIST "" "Mail/Sub"',
    'DELETE Mail/Sub',
    // RENAME of a \Noselect parent moves its children; subscriptions stay with the old names
    'RENAME Mail/Sub Mail/Moved',
    'LIST "" "Mail*"',
    'LSUB "" "Mail*"',
    'LIST (SUBSCRIBED) "" "Mail*"',
    'LIST (SUBSCRIBED) "" "Mail*" RETURN (CHILDREN)',
    'LIST (SUBSCRIBED RECURSIVEMATCH) "" "Mail/%"',
    'LIST "" "Mail/*" RETURN (SUBSCRIBED)',
    'SUBSCRIBE Mail/Moved',
    'LSUB "" "Mail/%"',
    'UNSUBSCRIBE Mail/Sub/Deep',
    'LSUB "" "Mail*"',
    // RENAME edge cases (RFC 3501 6.3.5)
    'RENAME Mail/Other Mail/Other',
    'RENAME Mail/Other INBOX',
    'RENAME Mail/Other Mail/Moved',
    'RENAME Mail Mail/Other/Below',
    'RENAME Nowhere Else',
    'CREATE Mail/Other/Kid',
    'SUBSCRIBE Mail/Other/Kid',
    'RENAME Mail Renamed',
    'LIST "" "Renamed*"',
    'LIST "" "Mail*"',
    'LSUB "" "*Kid"',
    'LIST (SUBSCRIBED RECURSIVEMATCH) "" "M%"',
    'RENAME Renamed/Other Other2',
    'LIST "" "Renamed/*"',
    'LIST "" "Other2*"',
    // the last child of a \Noselect name leaves: the name goes (Dovecot keeps the directory)
    'RENAME Renamed/Moved/Deep/Er Er',
    'DELETE Renamed/Moved/Deep',
    'LIST "" "Renamed*"',
    'DELETE Renamed/Moved',
    'LIST "" "Renamed*"',
    // RENAME INBOX (RFC 3501 6.3.5): the messages move, INBOX stays, empty
    `APPEND INBOX ${lit(msg(2))}`,
    `APPEND INBOX (\\Seen) ${lit(msg(3))}`,
    'RENAME INBOX Old',
    'STATUS INBOX (MESSAGES)',
    'STATUS Old (MESSAGES UNSEEN)',
    'LIST "" "INBOX"',
    'LIST "" "Old"',
    // modified UTF-7 (RFC 3501 5.1.3)
    'CREATE &ZeVnLIqe-',
    'CREATE &2D3eAA-',
    'CREATE Caf&AOk-',
    'CREATE Caf&AOk-/Cr&AOg-me',
    'LIST "" "Caf*"',
    'LIST "" "&ZeVnLIqe-"',
    'CREATE &ZeVnLIqe',
    'CREATE &AGE-',
    'CREATE a&b',
    'CREATE "a b"',
    'LIST "" "a b"',
];
/** Where we answer differently on purpose (both RFC-conformant), with what we send instead. */
const DELIBERATE = new Map([
    ['LIST "" "Mail*"#1', {
            why: 'RFC 3501 6.3.3: a server that does not need the trailing-delimiter declaration MUST ignore it (CREATE Mail/ makes the mailbox Mail); Dovecot\'s fs layout makes a \\Noselect directory',
            ours: ['* LIST (\\HasNoChildren) / Mail', 'OK'],
        }],
    ['CREATE Mail', { why: 'Mail already exists (see above); Dovecot turns its \\Noselect directory into a mailbox', ours: ['NO [ALREADYEXISTS]'] }],
    ['LIST (SUBSCRIBED) "" "Mail*"#1', {
            why: 'Dovecot leaves \\Noselect off a subscribed \\Noselect name in LIST (SUBSCRIBED); RFC 5258 wants accurate attributes',
            ours: ['* LIST (\\Noselect \\Subscribed) / Mail/Sub', '* LIST (\\Subscribed) / Mail/Sub/Deep', 'OK'],
        }],
    ['LIST "" "Renamed*"#2', {
            why: 'a \\Noselect name whose last child left is gone (RFC 3501 6.3.4); Dovecot keeps its directory as \\Noselect',
            ours: ['* LIST (\\HasNoChildren) / Renamed', 'OK'],
        }],
    ['DELETE Renamed/Moved', { why: 'the \\Noselect name is already gone with its last child (Dovecot keeps it)', ours: ['NO [NONEXISTENT]'] }],
    ['RENAME INBOX Old', {
            why: 'RFC 3501 6.3.5: renaming INBOX moves its messages to the new name and leaves INBOX empty; Dovecot\'s fs layout cannot (the other folders live inside INBOX\'s directory)',
            ours: ['OK'],
        }],
    ['STATUS INBOX (MESSAGES)', { why: 'INBOX is empty after RENAME INBOX', ours: ['* STATUS INBOX (MESSAGES 0)', 'OK'] }],
    ['STATUS Old (MESSAGES UNSEEN)', { why: 'the messages moved to Old, flags kept', ours: ['* STATUS Old (MESSAGES 2 UNSEEN 1)', 'OK'] }],
    ['LIST "" "Old"', { why: 'RENAME INBOX made Old', ours: ['* LIST (\\HasNoChildren) / Old', 'OK'] }],
]);
/** One response line, made comparable. */
function normalise(line, command) {
    if (/^\* OK \[(UIDVALIDITY|HIGHESTMODSEQ|NOMODSEQ|PERMANENTFLAGS|UIDNEXT|UNSEEN)[ \]]/.test(line))
        return undefined;
    if (/^\* (FLAGS|CAPABILITY) /.test(line))
        return undefined;
    const tagged = /^T[0-9]+ (OK|NO|BAD)(?: \[([^\]]*)\])?/.exec(line);
    if (tagged)
        return `${tagged[1]}${tagged[2] ? ` [${tagged[2].replace(/^(APPENDUID) [0-9]+ [0-9]+/, '$1')}]` : ''}`;
    // quoted or not (Dovecot sends atoms where it can)
    let l = line.replace(/"([^"\\\s(){}%*\]]+)"/g, '$1');
    // RFC 5258 4: \HasChildren/\HasNoChildren are optional without RETURN (CHILDREN) in extended
    // LIST; we always send them, Dovecot only on a LIST without extended syntax
    if (/^LIST .*(\(|RETURN)/.test(command) && !/CHILDREN/.test(command))
        l = l.replace(/ ?\\Has(No)?Children/g, '').replace(/\( /, '(');
    // attribute order is not defined
    return l.replace(/^(\* L(?:IST|SUB) )\(([^()]*)\)/, (_, head, inner) => `${head}(${inner.split(' ').filter(Boolean).sort().join(' ')})`);
}
/** A session's answers, normalised; LIST/LSUB responses sorted (their order is not defined). */
async function run(c) {
    const out = [];
    for (const cmd of SCRIPT) {
        const r = await c.command(cmd);
        const lines = r.bytes.toString('utf8').split('\r\n').filter(Boolean).map((l) => normalise(l, cmd)).filter((l) => l !== undefined);
        const body = lines.slice(0, -1);
        if (/^L(IST|SUB) /.test(cmd))
            body.sort();
        out.push([...body, lines[lines.length - 1]]);
    }
    return out;
}
/** The tagged lines are equal, or we add a response code Dovecot does not send (it sends none
 *  for DELETE INBOX, SUBSCRIBE of a missing name, a missing SELECT target...). */
function sameTagged(ours, theirs) {
    if (ours === theirs)
        return true;
    return !theirs.includes('[') && ours.split(' ')[0] === theirs;
}
t.test('Postern answers like Dovecot for CREATE, DELETE, RENAME, subscriptions and LIST', async (t) => {
    const dovecot = await startDovecot({ layout: 'fs' });
    t.teardown(() => dovecot.stop());
    const { app } = await startImapsAccount();
    t.teardown(() => app.stop());
    const theirs = await RawImapClient.open(dovecot.port);
    t.teardown(() => theirs.close());
    t.equal((await theirs.command(`LOGIN ${dovecot.user} ${dovecot.password}`)).status, 'OK', 'Dovecot login');
    const ours = await RawImapClient.open(app.port('imaps'), { tls: true });
    t.teardown(() => ours.close());
    t.equal((await ours.command('LOGIN alice@example.test "correct horse"')).status, 'OK', 'Postern login');
    const d = await run(theirs);
    const p = await run(ours);
    if (process.env.POSTERN_DUMP) {
        const { writeFileSync } = await import('node:fs');
        writeFileSync(process.env.POSTERN_DUMP, SCRIPT.map((c, i) => `## ${c.split('\r\n')[0]}\n-- dovecot\n${d[i].join('\n')}\n-- postern\n${p[i].join('\n')}\n`).join('\n'));
    }
    const seen = new Map();
    SCRIPT.forEach((cmd, i) => {
        const n = (seen.get(cmd) ?? 0) + 1;
        seen.set(cmd, n);
        const shown = cmd.replace(/\r\n[\s\S]*?(?=\s\(|\s\{|$)/g, '...').replace(/\{[0-9]+\+\}(\.\.\.)?/g, '{..}');
        const deliberate = DELIBERATE.get(`${cmd}#${n}`) ?? DELIBERATE.get(cmd);
        const mine = p[i];
        const dovecots = d[i];
        if (deliberate) {
            t.same(mine, deliberate.ours, `${shown} (differs from Dovecot on purpose: ${deliberate.why})`);
            t.notSame(dovecots, deliberate.ours, `${shown}: Dovecot still answers otherwise`);
            return;
        }
        t.same(mine.slice(0, -1), dovecots.slice(0, -1), `${shown}: untagged`);
        t.ok(sameTagged(mine[mine.length - 1], dovecots[dovecots.length - 1]), `${shown}: ${mine[mine.length - 1]} like ${dovecots[dovecots.length - 1]}`);
    });
});
//# sourceMappingURL=imap-namespace-dovecot.test.js.map