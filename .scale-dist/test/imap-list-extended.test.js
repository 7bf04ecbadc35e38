// LIST-EXTENDED (RFC 5258): selection options SUBSCRIBED, REMOTE, RECURSIVEMATCH (with CHILDINFO),
// SPECIAL-USE (RFC 6154); return options SUBSCRIBED, CHILDREN (RFC 3348), SPECIAL-USE, STATUS
// (LIST-STATUS, RFC 5819); several patterns; and LSUB (RFC 3501 6.3.9) with \Noselect parents.
// Exact wire lines over a real TLS session.
import t from 'tap';
import { startTestAppliance } from './harness/appliance.js';
import { ImapLineClient } from './harness/imap-line.js';
let app;
let c;
t.before(async () => {
    app = await startTestAppliance({ listeners: ['imaps'] });
    const { id } = await app.store.accounts.create('alice@example.test', 'correct horse');
    app.store.deliver([{ accountId: id }], Buffer.from('From: bob@example.org\r\nSubject: hi\r\n\r\nHello\r\n'));
    c = await ImapLineClient.tls(app.port('imaps'), ImapLineClient.caOf(app.dataDir));
    if ((await c.command('LOGIN alice@example.test "correct horse"')).status !== 'OK')
        throw new Error('login failed');
    // Foo (not subscribed) with Foo/Bar (subscribed) and Foo/Baz (not); Tofu subscribed; Zed not.
    for (const name of ['Foo/Bar', 'Foo/Baz', 'Tofu', 'Zed'])
        if ((await c.command(`CREATE ${name}`)).status !== 'OK')
            throw new Error('create failed');
    for (const name of ['Foo/Bar', 'Tofu'])
        await c.command(`SUBSCRIBE ${name}`);
    for (const name of ['Foo', 'Foo/Baz', 'Zed'])
        await c.command(`UNSUBSCRIBE ${name}`);
});
t.teardown(async () => { c.close(); await app.stop(); });
async function ok(command) {
    const r = await c.command(command);
    if (r.status !== 'OK')
        throw new Error(`${command}: ${r.tagged}`);
    return r.lines;
}
t.test('capabilities: only what works', async (t) => {
    const caps = (await ok('CAPABILITY'))[0] ?? '';
    for (const cap of ['LIST-EXTENDED', 'LIST-STATUS', 'CHILDREN', 'SPECIAL-USE'])
        t.match(caps, new RegExp(` ${cap}( |$)`), cap);
});
t.test('plain LIST: children and special-use attributes', async (t) => {
    t.same(await ok('LIST "" "%"'), [
        '* LIST (\\HasNoChildren) "/" "INBOX"',
        '* LIST (\\HasNoChildren \\Archive) "/" "Archive"',
        '* LIST (\\HasNoChildren \\Drafts) "/" "Drafts"',
        '* LIST (\\HasChildren) "/" "Foo"',
        '* LIST (\\HasNoChildren \\Junk) "/" "Junk"',
        '* LIST (\\HasNoChildren \\Sent) "/" "Sent"',
        '* LIST (\\HasNoChildren) "/" "Tofu"',
        '* LIST (\\HasNoChildren \\Trash) "/" "Trash"',
        '* LIST (\\HasNoChildren) "/" "Zed"',
    ]);
    t.same(await ok('LIST "Foo/" "%"'), ['* LIST (\\HasNoChildren) "/" "Foo/Bar"', '* LIST (\\HasNoChildren) "/" "Foo/Baz"'], 'reference and pattern');
    t.same(await ok('LIST "Foo" "*"'), ['* LIST (\\HasChildren) "/" "Foo"', '* LIST (\\HasNoChildren) "/" "Foo/Bar"', '* LIST (\\HasNoChildren) "/" "Foo/Baz"'], 'the reference and the pattern are joined as they are (RFC 3501 6.3.8)');
    t.same(await ok('LIST "Foo" "%"'), ['* LIST (\\HasChildren) "/" "Foo"']);
    t.same(await ok('LIST (REMOTE) "" "%"'), await ok('LIST "" "%"'), 'REMOTE: there are no remote mailboxes');
    t.same(await ok('LIST () "" "%"'), await ok('LIST "" "%"'), 'an empty selection list');
    t.same(await ok('LIST "" ("INBOX" "Foo/%")'), ['* LIST (\\HasNoChildren) "/" "INBOX"', '* LIST (\\HasNoChildren) "/" "Foo/Bar"', '* LIST (\\HasNoChildren) "/" "Foo/Baz"'], 'several patterns');
    t.same(await ok('LIST "" ""'), ['* LIST (\\Noselect) "/" ""']);
});
t.test('SUBSCRIBED selection and return option', async (t) => {
    const sub = await ok('LIST (SUBSCRIBED) "" "*"');
    t.ok(sub.includes('* LIST (\\HasNoChildren \\Subscribed) "/" "Foo/Bar"'));
    t.ok(sub.includes('* LIST (\\HasNoChildren \\Subscribed) "/" "Tofu"'));
    t.ok(sub.includes('* LIST (\\HasNoChildren \\Subscribed \\Sent) "/" "Sent"'));
    t.notOk(sub.some((l) => /"(Foo|Foo\/Baz|Zed)"$/.test(l)), 'unsubscribed mailboxes are not selected');
    const ret = await ok('LIST "" "*" RETURN (SUBSCRIBED CHILDREN)');
    t.ok(ret.includes('* LIST (\\HasChildren) "/" "Foo"'), 'all mailboxes, \\Subscribed only where subscribed');
    t.ok(ret.includes('* LIST (\\HasNoChildren \\Subscribed) "/" "Foo/Bar"'));
    t.ok(ret.includes('* LIST (\\HasNoChildren) "/" "Zed"'));
    t.equal(ret.length, 11);
});
t.test('RECURSIVEMATCH: parents of matches outside the pattern come with CHILDINFO', async (t) => {
    const pct = await ok('LIST (SUBSCRIBED RECURSIVEMATCH) "" "%" RETURN (CHILDREN)');
    t.ok(pct.includes('* LIST (\\HasChildren) "/" "Foo" ("CHILDINFO" ("SUBSCRIBED"))'), 'Foo: not subscribed, a subscribed child');
    t.ok(pct.includes('* LIST (\\HasNoChildren \\Subscribed) "/" "Tofu"'));
    t.notOk(pct.some((l) => /"Zed"$/.test(l)));
    t.notOk(pct.some((l) => /Foo\/Ba/.test(l)), 'the children do not match "%"');
    const star = await ok('LIST (SUBSCRIBED RECURSIVEMATCH) "" "*"');
    t.notOk(star.some((l) => /CHILDINFO/.test(l)), 'with "*" the child is listed itself');
    t.same(star.filter((l) => /"Foo/.test(l)), ['* LIST (\\HasNoChildren \\Subscribed) "/" "Foo/Bar"']);
    t.same(await ok('LIST (SUBSCRIBED) "" "%"'), pct.filter((l) => !/CHILDINFO/.test(l)), 'without RECURSIVEMATCH no parent');
    // A subscribed parent with a subscribed child outside the pattern.
    await ok('SUBSCRIBE Foo');
    t.ok((await ok('LIST (SUBSCRIBED RECURSIVEMATCH) "" "%"')).includes('* LIST (\\HasChildren \\Subscribed) "/" "Foo" ("CHILDINFO" ("SUBSCRIBED"))'));
    await ok('UNSUBSCRIBE Foo');
});
t.test('SPECIAL-USE selection', async (t) => {
    t.same(await ok('LIST (SPECIAL-USE) "" "*" RETURN (SPECIAL-USE)'), [
        '* LIST (\\HasNoChildren \\Archive) "/" "Archive"',
        '* LIST (\\HasNoChildren \\Drafts) "/" "Drafts"',
        '* LIST (\\HasNoChildren \\Junk) "/" "Junk"',
        '* LIST (\\HasNoChildren \\Sent) "/" "Sent"',
        '* LIST (\\HasNoChildren \\Trash) "/" "Trash"',
    ]);
});
t.test('LIST-STATUS: a STATUS after each LIST', async (t) => {
    const r = await ok('LIST "" ("INBOX" "Foo") RETURN (STATUS (MESSAGES UNSEEN UIDNEXT))');
    t.same(r, [
        '* LIST (\\HasNoChildren) "/" "INBOX"',
        '* STATUS "INBOX" (MESSAGES 1 UNSEEN 1 UIDNEXT 2)',
        '* LIST (\\HasChildren) "/" "Foo"',
        '* STATUS "Foo" (MESSAGES 0 UNSEEN 0 UIDNEXT 1)',
    ]);
});
t.test('bad LIST commands', async (t) => {
    for (const cmd of ['LIST (RECURSIVEMATCH) "" "*"', 'LIST (SPECIAL-USE RECURSIVEMATCH) "" "*"', 'LIST (BOGUS) "" "*"', 'LIST "" "*" RETURN (BOGUS)', 'LIST "" ()', 'LIST "" "*" RETURN (STATUS)', 'LIST "" "*" RETURN (STATUS (BOGUS))']) {
        t.equal((await c.command(cmd)).status, 'BAD', cmd);
    }
});
t.test('LSUB: subscribed mailboxes, unsubscribed parents as \\Noselect', async (t) => {
    const pct = await ok('LSUB "" "%"');
    t.ok(pct.includes('* LSUB (\\Noselect) "/" "Foo"'));
    t.ok(pct.includes('* LSUB () "/" "Tofu"'));
    t.ok(pct.includes('* LSUB () "/" "INBOX"'));
    t.notOk(pct.some((l) => /"Zed"$/.test(l)));
    const star = await ok('LSUB "" "*"');
    t.ok(star.includes('* LSUB () "/" "Foo/Bar"'));
    t.notOk(star.some((l) => /"Foo"$|"Foo\/Baz"$/.test(l)));
    t.same(await ok('LSUB "Foo/" "%"'), ['* LSUB () "/" "Foo/Bar"']);
});
//# sourceMappingURL=imap-list-extended.test.js.map