// Issue #14 finding 6: a pasted peer card cannot quietly divert mail. Through the panel (real
// HTTPS) a card is first shown with the domains it names and what happens to each; nothing is
// stored before the confirmation. A card naming a domain the box serves is refused. A card from
// another box (another onion) naming a domain a peer already holds is refused unless the
// replacement is ticked, however new the card is; a newer card from the same box updates. The CLI
// refuses the takeover without --replace and says so. The peer book is read from the store after
// each step.
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startTestAppliance, tempDir } from './harness/appliance.js';
import { PanelHttp } from './harness/panel-http.js';
import { postern } from './harness/cli.js';
import { OnionIdentity } from '../services/tor/onion-key.js';
import { writePeerCard, PeerBook } from '../services/smtorp/index.js';
const dir = tempDir('postern-peer-cards-');
let app;
let c;
t.before(async () => {
    app = await startTestAppliance({ listeners: ['panel'] });
    await app.store.accounts.create('admin@example.test', 'admin-password-1234', { role: 'admin' });
    c = new PanelHttp(app.port('panel'), app.appliance.tls.ca);
    await c.signIn('admin@example.test', 'admin-password-1234');
    await c.get('/peers'); // the CSRF token of the signed-in session
});
t.teardown(async () => { await app?.stop(); rmSync(dir, { recursive: true, force: true }); });
const boxA = new OnionIdentity(randomBytes(32));
const boxB = new OnionIdentity(randomBytes(32));
const boxC = new OnionIdentity(randomBytes(32));
const card = (id, domains, created) => writePeerCard({ host: 'mail.peer.test', domains, port: 25, spki: randomBytes(32).toString('hex'), created }, id);
const holder = (d) => new PeerBook(app.store).get(d)?.onion;
t.test('panel: domains shown and confirmed; local domains refused', async (t) => {
    const own = await c.post('/peers', { card: card(boxA, ['bigmail.example', 'example.test'], '2026-11-01T00:00:00Z') });
    t.equal(own.status, 400);
    t.match(own.body, /it names example\.test, which this box serves itself/);
    t.same(new PeerBook(app.store).list(), []);
    const a = card(boxA, ['bigmail.example', 'family-a.test'], '2026-11-01T00:00:00Z');
    const preview = await c.post('/peers', { card: a });
    t.equal(preview.status, 200);
    t.match(preview.body, /Check the domains on this card/);
    t.match(preview.body, /<td>bigmail\.example<\/td><td>new peer<\/td>/);
    t.match(preview.body, /<td>family-a\.test<\/td><td>new peer<\/td>/);
    t.equal(holder('bigmail.example'), undefined, 'nothing stored before the confirmation');
    t.equal((await c.post('/peers', { card: a, confirm: 'yes' })).status, 303);
    t.equal(holder('bigmail.example'), boxA.address);
});
t.test('panel: another box\'s newer card does not silently replace a peer', async (t) => {
    const b = card(boxB, ['bigmail.example'], '2026-12-01T00:00:00Z');
    const preview = await c.post('/peers', { card: b });
    t.equal(preview.status, 200);
    t.match(preview.body, /REPLACES the peer we have for it/);
    t.match(preview.body, new RegExp(boxA.address));
    const unticked = await c.post('/peers', { card: b, confirm: 'yes' });
    t.equal(unticked.status, 400, 'confirming without ticking the replacement is refused');
    t.match(unticked.body, /Tick the box to replace the existing peer/);
    t.equal(holder('bigmail.example'), boxA.address, 'the peer is unchanged');
    t.equal((await c.post('/peers', { card: b, confirm: 'yes', replace: 'yes' })).status, 303);
    t.equal(holder('bigmail.example'), boxB.address, 'replaced only when asked');
    t.equal(holder('family-a.test'), boxA.address, 'the other domain stays with its box');
    const update = card(boxB, ['bigmail.example'], '2026-12-02T00:00:00Z');
    const up = await c.post('/peers', { card: update });
    t.match(up.body, /<td>bigmail\.example<\/td><td>update: a newer card from the same box<\/td>/);
    t.equal((await c.post('/peers', { card: update, confirm: 'yes' })).status, 303, 'the same box updates with a plain confirmation');
});
t.test('CLI: a takeover needs --replace', async (t) => {
    const listen = {};
    for (const [k, v] of Object.entries(app.config.listen))
        listen[k] = `${v.host}:${v.port}`;
    const cfg = join(dir, 'config.json');
    writeFileSync(cfg, JSON.stringify({ hostname: app.config.hostname, domains: app.config.domains, dataDir: app.dataDir, listen, tor: { mode: 'off' } }));
    const file = join(dir, 'c.card');
    writeFileSync(file, card(boxC, ['bigmail.example', 'family-c.test'], '2026-12-10T00:00:00Z'));
    const no = await postern(['peer', 'add', file, '--config', cfg]);
    t.equal(no.code, 1);
    t.match(no.stderr, /bigmail\.example, which is already the peer at .*run again with --replace/s);
    t.equal(holder('bigmail.example'), boxB.address);
    t.equal(holder('family-c.test'), undefined, 'nothing of the card was added');
    const yes = await postern(['peer', 'add', file, '--replace', '--config', cfg]);
    t.equal(yes.code, 0, yes.stderr);
    t.match(yes.stdout, /the card of mail\.peer\.test names: bigmail\.example, family-c\.test/);
    t.match(yes.stdout, /replaced peer bigmail\.example: its mail now goes to /);
    t.equal(holder('bigmail.example'), boxC.address);
    const local = join(dir, 'local.card');
    writeFileSync(local, card(boxC, ['example.test'], '2026-12-11T00:00:00Z'));
    const refused = await postern(['peer', 'add', local, '--replace', '--config', cfg]);
    t.equal(refused.code, 1);
    t.match(refused.stderr, /which this box serves itself/, 'a local domain is refused even with --replace');
});
//# sourceMappingURL=hostile-peer-cards.test.js.map