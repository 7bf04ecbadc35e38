// postern junk stats|train|retrain through the real CLI (bin/postern.js): an imported account's
// folders are learned (Junk as spam, INBOX/Archive as ham, Sent as correspondents) with progress
// shown, retrain starts over and arrives at the same counts, errors are one sentence with an exit code.
import t from 'tap';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { postern } from './harness/cli.js';
import { tempDir } from './harness/appliance.js';
import { Store } from '../appliance/store/index.js';
const dir = tempDir('postern-junkcli-');
const data = join(dir, 'data');
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const cli = (args, input) => postern([...args, '--data', data], input === undefined ? {} : { input });
t.test('junk train, stats, retrain', async (t) => {
    t.equal((await cli(['domain', 'add', 'example.test'])).code, 0);
    t.equal((await cli(['user', 'add', 'alice@example.test'], 'correct horse battery\n')).code, 0);
    const store = Store.open(data);
    const a = store.accounts.byAddress('alice@example.test');
    const mk = (from, to, subject, body) => Buffer.from(`From: ${from}\r\nTo: ${to}\r\nSubject: ${subject}\r\n\r\n${body}\r\n`);
    for (let i = 0; i < 15; i++) {
        store.deliver([{ accountId: a.id, mailbox: 'Junk' }], mk(`s${i}@spam.example`, 'alice@example.test', `cheap pills ${i}`, `win money now ${i}`));
        store.deliver([{ accountId: a.id, mailbox: i % 2 ? 'INBOX' : 'Archive' }], mk(`f${i}@family.example`, 'alice@example.test', `garden ${i}`, `the kids after school ${i}`));
    }
    store.deliver([{ accountId: a.id, mailbox: 'Trash' }], mk('x@trash.example', 'alice@example.test', 'deleted', 'nothing'));
    store.deliver([{ accountId: a.id, mailbox: 'Sent' }], mk('alice@example.test', 'Dave <dave@friends.example>, eve@friends.example', 'hello', 'hi'));
    store.close();
    const train = await cli(['junk', 'train', 'alice@example.test']);
    t.equal(train.code, 0, train.stderr);
    t.match(train.stdout, /^100 % \(31\/31 messages\)$/m, 'progress shown to the end');
    t.match(train.stdout, /trained 15 spam and 15 ham; 0 already trained or unreadable/);
    t.match(train.stdout, /17 correspondents \(never junked\)/, 'Sent: 2 addresses written to; 15 senders of kept mail');
    const again = await cli(['junk', 'train', 'alice@example.test']);
    t.match(again.stdout, /trained 0 spam and 0 ham; 30 already trained/, 'train again: nothing new');
    const stats = await cli(['junk', 'stats', 'alice@example.test']);
    t.equal(stats.code, 0);
    t.match(stats.stdout, /alice@example\.test: trained 15 spam and 15 ham; caught 0 of 0 messages delivered/);
    t.match(stats.stdout, /threshold 0\.95/);
    t.match(stats.stdout, /model: \d+ features, about \d+\.\d\d MB/);
    const re = await cli(['junk', 'retrain', 'alice@example.test']);
    t.equal(re.code, 0, re.stderr);
    t.match(re.stdout, /retrained: 15 spam and 15 ham/);
    t.match(re.stdout, /trained 15 spam and 15 ham/, 'the same counts after starting over');
    const none = await cli(['junk', 'stats', 'nobody@example.test']);
    t.equal(none.code, 1);
    t.match(none.stderr, /there is no account nobody@example\.test/);
    const missing = await cli(['junk', 'train']);
    t.equal(missing.code, 2);
    t.match(missing.stderr, /usage: postern junk COMMAND ACCOUNT/);
});
//# sourceMappingURL=junk-cli.test.js.map