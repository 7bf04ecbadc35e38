// SORT and THREAD (RFC 5256, RFC 5957) side by side with Debian's Dovecot on the same messages: the
// IMAP benchmark's corpus (bench/imap-corpus.ts) and a thread corpus built here (References and
// In-Reply-To chains, replies and forwards in every subject form, missing and duplicate
// Message-IDs, references to messages that are not there, loops). Every sort key (but ARRIVAL:
// Dovecot's maildir takes the file time as INTERNALDATE), REVERSE, several keys, search keys, UID
// forms, and both threading algorithms must give the same answer.
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { startDovecot } from './harness/dovecot.js';
import { startTestAppliance } from './harness/appliance.js';
import { RawImapClient } from './harness/imap-raw.js';
import { benchMessage } from '../bench/imap-corpus.js';
const NAMES = ['Ann <ann@a.example>', '"Zed, Z." <zed@z.example>', 'bob@b.example', '=?utf-8?q?=C3=89mile?= <emile@e.example>', 'team: x@t.example, y@t.example;', '<carl@c.example>', 'dora@d.example (Dora D)'];
const SUBJECTS = (k) => {
    const base = `plan ${k % 7}`;
    return [base, `Re: ${base}`, `RE: [list] ${base}`, `Fwd: ${base}`, `[fwd: ${base}]`, `${base} (fwd)`, `Re: Re: ${base}`, `re[2]: ${base}`][k % 8];
};
function threadMessage(i) {
    const date = new Date(Date.UTC(2026, 2, 1) + ((i * 7919) % 97) * 3_600_000).toUTCString().replace('GMT', '+0000');
    const h = [`From: ${NAMES[i % NAMES.length]}`, `To: ${NAMES[(i + 3) % NAMES.length]}`, `Subject: ${SUBJECTS(i)}`, `Date: ${date}`];
    if (i % 11 === 5)
        h.push(`Cc: ${NAMES[(i + 1) % NAMES.length]}`);
    // Message-IDs: most unique, some missing, some duplicated
    if (i % 13 !== 7)
        h.push(`Message-ID: <t${i % 29 === 3 ? i - 1 : i}@thread.example>`);
    // parents: a chain to an earlier message, sometimes through a message that does not exist
    if (i > 0 && i % 5 !== 0) {
        const parent = i - 1 - (i % 3);
        const refs = [`<t${Math.max(0, parent - 2)}@thread.example>`, ...(i % 4 === 0 ? ['<missing.' + i + '@thread.example>'] : []), `<t${Math.max(0, parent)}@thread.example>`];
        if (i % 6 === 1)
            h.push(`In-Reply-To: ${refs[refs.length - 1]}`);
        else
            h.push(`References: ${refs.join(' ')}`);
    }
    // a loop: a message that names a later one as its parent
    if (i === 40)
        h.push('In-Reply-To: <t45@thread.example>');
    return Buffer.from(`${h.join('\r\n')}\r\n\r\nbody ${i}\r\n`);
}
const messages = [...Array.from({ length: 300 }, (_, i) => benchMessage(i)), ...Array.from({ length: 60 }, (_, i) => threadMessage(i))];
const COMMANDS = [
    'SORT (SUBJECT) UTF-8 ALL', 'SORT (REVERSE SUBJECT) UTF-8 ALL', 'SORT (DATE) UTF-8 ALL', 'SORT (REVERSE DATE) UTF-8 ALL',
    'SORT (FROM) UTF-8 ALL', 'SORT (TO) UTF-8 ALL', 'SORT (CC) UTF-8 ALL', 'SORT (SIZE) UTF-8 ALL', 'SORT (REVERSE SIZE) UTF-8 ALL',
    'SORT (DISPLAYFROM) UTF-8 ALL', 'SORT (REVERSE DISPLAYTO) UTF-8 ALL', 'SORT (SUBJECT REVERSE DATE) UTF-8 ALL',
    'SORT (FROM SUBJECT SIZE) UTF-8 ALL', 'SORT (SUBJECT) UTF-8 SUBJECT topic1', 'UID SORT (DATE) UTF-8 301:*',
    'SORT (SUBJECT DATE) US-ASCII OR FROM ann SUBJECT plan',
    'THREAD REFERENCES UTF-8 ALL', 'THREAD ORDEREDSUBJECT UTF-8 ALL', 'UID THREAD REFERENCES UTF-8 301:*',
    'THREAD REFERENCES UTF-8 301:*', 'THREAD ORDEREDSUBJECT UTF-8 301:*', 'THREAD REFERENCES UTF-8 SUBJECT plan',
];
async function answers(port, user, password) {
    const c = await RawImapClient.open(port, { tls: true });
    try {
        const login = await c.command(`LOGIN ${user} ${password}`);
        if (login.status !== 'OK')
            throw new Error(`login: ${login.text}`);
        await c.command('SELECT INBOX');
        const out = [];
        for (const cmd of COMMANDS) {
            const r = await c.command(cmd);
            const lines = r.bytes.toString('latin1').split('\r\n').filter((l) => /^\* (SORT|THREAD)\b/.test(l));
            out.push(`${r.status} ${lines.join(' | ')}`);
        }
        return out;
    }
    finally {
        c.close();
    }
}
const dovecot = await startDovecot({ tls: true });
t.teardown(() => dovecot.stop());
messages.forEach((m, i) => dovecot.addMessage(m, i + 1));
const app = await startTestAppliance({ listeners: ['imaps'] });
t.teardown(() => app.stop());
const account = await app.store.accounts.create('sort@example.test', 'sort-password');
messages.forEach((m, i) => app.store.deliver([{ accountId: account.id }], m, Date.UTC(2026, 0, 1) + i * 60_000));
const theirs = await answers(dovecot.port, dovecot.user, dovecot.password);
const ours = await answers(app.port('imaps'), 'sort@example.test', 'sort-password');
// POSTERN_SORT_DUMP=file: both servers' answers, for looking at a difference
if (process.env.POSTERN_SORT_DUMP)
    writeFileSync(process.env.POSTERN_SORT_DUMP, JSON.stringify({ commands: COMMANDS, theirs, ours }, null, 1));
t.test('SORT and THREAD answer as Dovecot does', async (t) => {
    COMMANDS.forEach((cmd, i) => {
        t.ok(/^OK \* (SORT|THREAD)/.test(theirs[i]), `Dovecot answers ${cmd}`);
        t.equal(ours[i], theirs[i], cmd);
    });
});
//# sourceMappingURL=imap-sort-thread-dovecot.test.js.map