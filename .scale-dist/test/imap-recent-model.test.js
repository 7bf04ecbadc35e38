// \Recent against a model (RFC 3501 2.3.2): random interleavings of deliveries, SELECT, EXAMINE,
// NOOP and UNSELECT over three real sessions, after each step of which the sessions' UID SEARCH
// RECENT and another session's STATUS RECENT must equal what the model says. The model: a mark
// (highest UID claimed); SELECT and a selected session told of new mail claim what is above it;
// EXAMINE sees what is above it without moving it.
import t from 'tap';
import fc from 'fast-check';
import { startTestAppliance } from './harness/appliance.js';
import { ImapLineClient } from './harness/imap-line.js';
let app;
let accountId;
let clients = [];
let watcher;
t.before(async () => {
    app = await startTestAppliance({ listeners: ['imaps'] });
    accountId = (await app.store.accounts.create('alice@example.test', 'correct horse')).id;
    const ca = ImapLineClient.caOf(app.dataDir);
    const open = async () => {
        const c = await ImapLineClient.tls(app.port('imaps'), ca);
        if ((await c.command('LOGIN alice@example.test "correct horse"')).status !== 'OK')
            throw new Error('login failed');
        return c;
    };
    clients = [await open(), await open(), await open()];
    watcher = await open();
});
t.teardown(async () => { for (const c of [...clients, watcher])
    c.close(); await app.stop(); });
const step = fc.oneof({ arbitrary: fc.constant({ op: 'deliver' }), weight: 3 }, { arbitrary: fc.record({ op: fc.constantFrom('select', 'examine', 'noop', 'unselect'), who: fc.integer({ min: 0, max: 2 }) }), weight: 5 });
let run = 0;
t.test('UID SEARCH RECENT and STATUS RECENT follow the model', async (t) => {
    let checks = 0;
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 25 }), async (steps) => {
        const box = `Model${++run}`;
        for (const c of clients)
            await c.command('UNSELECT');
        if ((await watcher.command(`CREATE ${box}`)).status !== 'OK')
            throw new Error('create failed');
        const mb = app.store.mailboxes.get(accountId, box);
        let max = 0;
        let mark = 0;
        const views = [undefined, undefined, undefined];
        const above = (from, to, floor) => {
            const out = [];
            for (let u = Math.max(from, floor) + 1; u <= to; u++)
                out.push(u);
            return out;
        };
        for (const s of steps) {
            if (s.op === 'deliver') {
                await app.store.deliver([{ accountId, mailboxId: mb.id, mailbox: box }], Buffer.from(`Subject: ${max + 1}\r\n\r\nmodel\r\n`));
                max++;
                continue;
            }
            const c = clients[s.who];
            const v = views[s.who];
            if (s.op === 'unselect') {
                if (v) {
                    await c.command('UNSELECT');
                    views[s.who] = undefined;
                }
                continue;
            }
            /** the session was told of new messages (after any command, NOOP included) */
            const told = (w) => {
                for (const u of above(w.known, max, mark))
                    w.recent.add(u);
                if (w.mode === 'claim')
                    mark = Math.max(mark, max);
                w.known = max;
            };
            if (s.op === 'noop') {
                if (!v)
                    continue;
                await c.command('NOOP');
                told(v);
            }
            else {
                const r = await c.command(`${s.op === 'select' ? 'SELECT' : 'EXAMINE'} ${box}`);
                if (r.status !== 'OK')
                    throw new Error(r.tagged);
                const view = { mode: s.op === 'select' ? 'claim' : 'peek', known: max, recent: new Set(above(0, max, mark)) };
                if (view.mode === 'claim')
                    mark = Math.max(mark, max);
                views[s.who] = view;
                const said = r.lines.find((l) => / RECENT$/.test(l));
                if (said !== `* ${view.recent.size} RECENT`)
                    throw new Error(`${s.op}: ${said} but the model has ${view.recent.size}`);
            }
            // every selected session's recent set (SEARCH answers from the session's view, then the
            // session is told of new messages like after any command), and what nobody claimed
            for (let i = 0; i < 3; i++) {
                const w = views[i];
                if (!w)
                    continue;
                const got = (await clients[i].command('UID SEARCH RECENT')).lines.find((l) => l.startsWith('* SEARCH')) ?? '';
                const want = ['* SEARCH', ...[...w.recent].sort((a, b) => a - b)].join(' ');
                if (got !== want)
                    throw new Error(`session ${i} (${w.mode}): ${got} but the model has ${want}`);
                told(w);
                checks++;
            }
            const st = (await watcher.command(`STATUS ${box} (RECENT)`)).lines[0] ?? '';
            if (st !== `* STATUS "${box}" (RECENT ${max - mark})`)
                throw new Error(`${st} but the model has ${max - mark} unclaimed`);
            // at most one claiming session holds each message
            const claimed = views.filter((w) => w?.mode === 'claim').flatMap((w) => [...w.recent]);
            if (new Set(claimed).size !== claimed.length)
                throw new Error(`a message is recent in two sessions: ${claimed.join(',')}`);
        }
    }), { numRuns: 20 });
    t.ok(checks > 20, `${checks} session views compared with the model`);
});
//# sourceMappingURL=imap-recent-model.test.js.map