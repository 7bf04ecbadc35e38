// A compliance sweep of edge cases from RFC 3501/9051 sections 6 and 7 (and the extensions we
// offer), over a real TLS session with exact wire assertions: what a compliance suite would send.
// Each entry is a command and what the answer must be; the session state carries from one to the
// next, so the order matters.
import t from 'tap';
import { startTestAppliance } from './harness/appliance.js';
import { ImapLineClient } from './harness/imap-line.js';
import { RawImapClient } from './harness/imap-raw.js';
const MULTIPART = [
    'From: a@example.org', 'Subject: mp', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b1"', '',
    '--b1', 'Content-Type: text/plain', '', 'part one',
    '--b1', 'Content-Type: multipart/alternative; boundary="b2"', '',
    '--b2', 'Content-Type: text/plain', '', 'alt plain',
    '--b2', 'Content-Type: text/html', 'Content-Transfer-Encoding: quoted-printable', '', '<b>alt</b>',
    '--b2--', '--b1--', '',
].join('\r\n');
let app;
let c;
t.before(async () => {
    app = await startTestAppliance({ listeners: ['imaps'] });
    const { id } = await app.store.accounts.create('alice@example.test', 'correct horse');
    await app.store.deliver([{ accountId: id }], Buffer.from(MULTIPART));
    await app.store.deliver([{ accountId: id }], Buffer.from('From: b@example.org\r\nSubject: two\r\n\r\nbody two\r\n'));
    c = await ImapLineClient.tls(app.port('imaps'), ImapLineClient.caOf(app.dataDir));
});
t.teardown(async () => { c.close(); await app.stop(); });
const CASES = [
    // LITERAL+ (RFC 7888) in LOGIN, lower-case command names
    ['login {18+}\r\nalice@example.test {13+}\r\ncorrect horse', /^OK /],
    ['select inbox', /^OK \[READ-WRITE\] /, /\* 2 EXISTS\n\* 2 RECENT/],
    // sequence sets (RFC 9051 9): "*:1" is "1:*", 0 is not a number, beyond the mailbox is BAD
    ['FETCH *:1 (UID)', /^OK /, ['* 1 FETCH (UID 1)', '* 2 FETCH (UID 2)']],
    ['FETCH 0 (UID)', /^BAD invalid number in sequence set: 0/, []],
    ['FETCH 0:1 (UID)', /^BAD /, []],
    ['FETCH 3 (UID)', /^BAD invalid message sequence number/, []],
    ['FETCH 1:4294967296 (UID)', /^BAD /, []],
    ['UID FETCH 99 (UID)', /^OK /, []],
    ['UID FETCH 99:* (UID)', /^OK /, ['* 2 FETCH (UID 2)']],
    ['SEARCH *:1', /^OK /, ['* SEARCH 1 2']],
    // MIME sections (RFC 9051 6.4.5)
    ['FETCH 1 (BODY.PEEK[2.MIME])', /^OK /, ['* 1 FETCH (BODY[2.MIME] {54}\r\nContent-Type: multipart/alternative; boundary="b2"\r\n\r\n\r\n)']],
    ['FETCH 1 (BODY.PEEK[2.2.MIME])', /^OK /, ['* 1 FETCH (BODY[2.2.MIME] {72}\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n\r\n)']],
    ['FETCH 1 (BODY.PEEK[2.1])', /^OK /, ['* 1 FETCH (BODY[2.1] {9}\r\nalt plain\r\n)']],
    ['FETCH 1 (BINARY.PEEK[2.2] BINARY.SIZE[2.2])', /^OK /, ['* 1 FETCH (BINARY[2.2] ~{10}\r\n<b>alt</b>\r\n BINARY.SIZE[2.2] 10)']],
    ['FETCH 1 (BODY.PEEK[]<10.0>)', /^BAD invalid partial length: 0/, []],
    ['FETCH 1 (BODY.PEEK[]<0.4>)', /^OK /, ['* 1 FETCH (BODY[]<0> {4}\r\nFrom\r\n)']],
    ['FETCH 1 BODY[', /^BAD /, []],
    ['FETCH 1 ()', /^BAD /, []],
    // SEARCH: unknown charset (RFC 9051 6.4.4)
    ['SEARCH CHARSET X-NO-SUCH ALL', /^NO \[BADCHARSET \(UTF-8 US-ASCII\)\] /, []],
    ['SEARCH CHARSET UTF-16 ALL', /^NO \[BADCHARSET \(UTF-8 US-ASCII\)\] /, []],
    ['SEARCH CHARSET UTF-8 SUBJECT two', /^OK /, ['* SEARCH 2']],
    ['SEARCH SINCE 29-Feb-2024', /^OK /, ['* SEARCH 1 2']],
    ['SEARCH OR SEEN', /^BAD SEARCH: missing search key/, []],
    ['SEARCH SUBJECT {3+}\r\ntwo', /^OK /, ['* SEARCH 2']],
    // STORE: .SILENT, UNCHANGEDSINCE and [MODIFIED] (RFC 7162 3.1.3), \Recent stays
    ['STORE 1 +FLAGS.SILENT (\\Seen)', /^OK /, []],
    ['STORE 1 FLAGS ()', /^OK /, ['* 1 FETCH (FLAGS (\\Recent))']],
    // UNCHANGEDSINCE switches CONDSTORE on in the selected state: HIGHESTMODSEQ first (RFC 7162 3.1)
    ['STORE 1:2 (UNCHANGEDSINCE 1) +FLAGS.SILENT (\\Flagged)', /^OK \[MODIFIED 1:2\] /, /^\* OK \[HIGHESTMODSEQ [0-9]+\] [^\n]*$/],
    ['FETCH 1 (MODSEQ)', /^OK /, /^\* 1 FETCH \(MODSEQ \(([0-9]+)\)\)$/],
    ['STORE 1 +FLAGS (\\Bogus)', /^BAD /, []],
    ['STORE 1 +FLAGS (\\Recent)', /^BAD /, []],
    // mailbox names (RFC 9051 5.1, 6.3.4-6.3.6)
    ['CREATE ""', /^BAD .*empty/, []],
    ['SELECT ""', /^BAD .*empty/, []],
    ['CREATE Foo/', /^OK /, []],
    ['LIST "" "Foo*"', /^OK /, ['* LIST (\\HasNoChildren) "/" "Foo"']],
    ['CREATE Foo/Bar', /^OK /, []],
    ['CREATE Foo//Baz', /^NO \[CANNOT\] /, []],
    ['CREATE "a%b"', /^NO \[CANNOT\] /, []],
    ['CREATE inbox', /^NO \[ALREADYEXISTS\] /, []],
    // DELETE of a mailbox with children (RFC 3501 6.3.4): its messages go, the name stays \Noselect
    ['DELETE Foo', /^OK /, []],
    ['LIST "" "Foo*"', /^OK /, ['* LIST (\\Noselect \\HasChildren) "/" "Foo"', '* LIST (\\HasNoChildren) "/" "Foo/Bar"']],
    ['STATUS Foo (MESSAGES)', /^NO \[NONEXISTENT\] /, []],
    ['DELETE Foo', /^NO \[HASCHILDREN\] /, []],
    ['CREATE Foo', /^OK /, []],
    ['LIST "" "Foo"', /^OK /, ['* LIST (\\HasChildren) "/" "Foo"']],
    ['DELETE INBOX', /^NO /, []],
    ['RENAME Foo Foo/Bar/Baz', /^NO \[CANNOT\] /, []],
    ['RENAME Nowhere Else', /^NO \[NONEXISTENT\] /, []],
    ['LSUB "" "Trash"', /^OK /, ['* LSUB () "/" "Trash"']],
    // RENAME INBOX (RFC 9051 6.3.6): the messages move, INBOX stays (empty)
    ['RENAME INBOX Old', /^OK /, ['* 1 EXPUNGE', '* 1 EXPUNGE', '* 0 RECENT']],
    ['STATUS Old (MESSAGES RECENT)', /^OK /, ['* STATUS "Old" (MESSAGES 2 RECENT 2)']],
    ['STATUS INBOX (MESSAGES)', /^OK /, ['* STATUS "INBOX" (MESSAGES 0)']],
    ['FETCH 1:* (UID)', /^BAD /, []],
    ['UID FETCH 1:* (UID)', /^OK /, []],
    ['COPY 1 Trash', /^BAD /, []],
    ['EXAMINE Old', /^OK \[READ-ONLY\] /, /\* 2 EXISTS\n\* 2 RECENT/],
    ['SELECT Nowhere', /^NO \[NONEXISTENT\] /, []],
    ['FETCH 1 (UID)', /^BAD .*select a mailbox first/, []],
    // arguments where none belong, unknown commands
    ['NOOP extra', /^BAD /, []],
    ['UID NOOP', /^BAD /, []],
    ['APPEND Nowhere {3+}\r\nabc', /^NO \[TRYCREATE\] /, []],
    ['LOGOUT', /^OK /, ['* BYE Postern IMAP logging out']],
];
t.test('edge cases answer as the RFCs say', async (t) => {
    for (const [command, tagged, untagged] of CASES) {
        const r = await c.command(command);
        const shown = command.replace(/\r\n/g, '\\r\\n');
        t.match(r.tagged.replace(/^\S+ /, ''), tagged, `${shown}: ${r.tagged}`);
        if (Array.isArray(untagged))
            t.same(r.lines, untagged, `${shown}: untagged`);
        else if (untagged)
            t.match(r.lines.join('\n'), untagged, `${shown}: untagged`);
    }
});
t.test('SEARCH CHARSET: strings in other ASCII-compatible charsets are decoded (RFC 9051 6.4.4)', async (t) => {
    const r = await RawImapClient.open(app.port('imaps'), { tls: true });
    t.teardown(() => r.close());
    t.equal((await r.command('LOGIN alice@example.test "correct horse"')).status, 'OK');
    t.equal((await r.command('CREATE Charsets')).status, 'OK');
    // Subject "Привет, Grüße" as an RFC 2047 encoded word
    const msg = 'From: c@example.org\r\nSubject: =?UTF-8?B?' + Buffer.from('Привет, Grüße').toString('base64') + '?=\r\n\r\nbody\r\n';
    t.equal((await r.command(`APPEND Charsets {${msg.length}+}\r\n${msg}`)).status, 'OK');
    t.equal((await r.command('SELECT Charsets')).status, 'OK');
    const search = async (charset, hex) => {
        const bytes = Buffer.from(hex, 'hex');
        const res = await r.command(Buffer.concat([Buffer.from(`SEARCH CHARSET ${charset} SUBJECT {${bytes.length}+}\r\n`), bytes]));
        return `${res.status} ${res.bytes.toString('latin1').split('\r\n')[0]}`;
    };
    t.equal(await search('KOI8-R', 'f0d2c9d7c5d4'), 'OK * SEARCH 1', 'KOI8-R "Привет"');
    t.equal(await search('ISO-8859-1', '4772fcdf65'), 'OK * SEARCH 1', 'ISO-8859-1 "Grüße"');
    t.equal(await search('UTF-8', Buffer.from('Grüße').toString('hex')), 'OK * SEARCH 1');
    t.equal(await search('ISO-8859-1', '477275657373'), 'OK * SEARCH', 'no match');
    t.match(await search('UTF-8', '4772fcdf65'), /^NO \S+ NO \[BADCHARSET/, 'Latin-1 bytes are not UTF-8');
});
//# sourceMappingURL=imap-compliance.test.js.map