// The Tor pages of the panel: our SMTorP peer card and adding another household's (verified
// signature), and v3 client authorization for the panel's onion (key shown once, never stored).
import t from 'tap';
import { join } from 'node:path';
import { startTestAppliance, tempDir } from './harness/appliance.js';
import { PanelHttp } from './harness/panel-http.js';
import { OnionIdentity } from '../services/tor/onion-key.js';
import { writePeerCard, readPeerCard, PeerBook } from '../services/smtorp/index.js';
import { listClientAuth } from '../services/tor/client-auth.js';

t.test('peers and panel onion access', async (t) => {
  const app = await startTestAppliance({ listeners: ['panel'] });
  t.teardown(() => app.stop());
  await app.store.accounts.create('admin@example.test', 'admin-password-1234', { role: 'admin' });
  const c = new PanelHttp(app.port('panel'), app.appliance.tls.ca);
  await c.signIn('admin@example.test', 'admin-password-1234');

  const peers = await c.get('/peers');
  t.equal(peers.status, 200);
  const ownText = /<pre id="own-card">([\s\S]*?)<\/pre>/.exec(peers.body)?.[1]?.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  t.ok(ownText, 'our card is shown');
  const own = readPeerCard(ownText!);
  t.same(own.domains, ['example.test'], 'our card verifies and names our domain');
  t.match(peers.body, /src="data:image\/svg\+xml;base64,/, 'with a QR code');

  const otherDir = tempDir();
  t.teardown(async () => (await import('node:fs')).rmSync(otherDir, { recursive: true, force: true }));
  const other = OnionIdentity.loadOrCreate(join(otherDir, 'smtp.key'));
  const card = writePeerCard({ host: 'mail.jones.test', domains: ['jones.test'], port: 25, fingerprint: 'ab'.repeat(32) }, other);
  const tampered = card.replace('jones.test', 'jonas.test');
  const bad = await c.post('/peers', { card: tampered });
  t.equal(bad.status, 400, 'a card changed in transit is refused');
  t.match(bad.body, /That card cannot be used/);
  t.same(new PeerBook(app.store).list(), []);
  const preview = await c.post('/peers', { card, fallback: 'yes' });
  t.equal(preview.status, 200, 'a pasted card is shown for confirmation first');
  t.match(preview.body, /<td>jones\.test<\/td><td>new peer<\/td>/, 'with the domains it names');
  t.same(new PeerBook(app.store).list(), [], 'nothing added before the confirmation');
  const good = await c.post('/peers', { card, fallback: 'yes', confirm: 'yes' });
  t.equal(good.status, 303);
  const book = new PeerBook(app.store).list();
  t.equal(book.length, 1);
  t.equal(book[0]?.domain, 'jones.test');
  t.equal(book[0]?.onion, other.address);
  t.equal(book[0]?.fallbackToPublic, true);
  const after = await c.get('/peers');
  t.match(after.body, /Mail to jones\.test now goes directly to their box over Tor/);
  const removed = await c.post('/peers/remove', { domain: 'jones.test' });
  t.equal(removed.status, 303);
  t.same(new PeerBook(app.store).list(), []);
  // a version 1 card (it pins the certificate) is flagged; a version 2 card (the key) is not
  t.match(after.body, /Old card \(it pins their certificate[^<]*\): ask them for a new card/, 'the panel asks an old card\'s peer for a new one');
  const v2 = writePeerCard({ host: 'mail.jones.test', domains: ['jones.test'], port: 25, spki: 'cd'.repeat(32) }, other);
  t.equal((await c.post('/peers', { card: v2, confirm: 'yes' })).status, 303);
  const withV2 = await c.get('/peers');
  t.match(withV2.body, /jones\.test/);
  t.notMatch(withV2.body, /Old card/, 'no note for a card that pins the key');

  await c.get('/onion-access');
  const grant = await c.post('/onion-access', { name: "Anna laptop" });
  t.equal(grant.status, 200);
  t.equal(grant.headers['cache-control'], 'no-store', 'the page with the private key is not cached');
  const line = /id="grant-line">([^<]+)</.exec(grant.body)?.[1];
  t.match(line, /^[a-z2-7]{56}:descriptor:x25519:[A-Z2-7]{52}$/, 'the .auth_private line');
  const listed = listClientAuth(app.config);
  t.equal(listed.length, 1);
  t.equal(listed[0]?.name, "Anna laptop");
  t.notMatch(JSON.stringify(listed), line!.split(':').pop()!, 'the private key is not stored');
  const again = await c.get('/onion-access');
  t.notMatch(again.body, /grant-line/, 'shown once');
  t.match(again.body, /Anna laptop/);
  const dup = await c.post('/onion-access', { name: "Anna laptop" });
  t.equal(dup.status, 400);
  const rm = await c.post('/onion-access/remove', { name: "Anna laptop" });
  t.equal(rm.status, 303);
  t.same(listClientAuth(app.config), []);
});

t.test('WKD: public keys by hashed local part, direct and advanced, without sign-in', async (t) => {
  const { wkdHash } = await import('../services/pgp/wkd.js');
  const { onAccountCreated } = await import('../services/pgp/account-keys.js');
  const openpgp = await import('openpgp');
  const app = await startTestAppliance({ listeners: ['panel'] });
  t.teardown(() => app.stop());
  const ben = await app.store.accounts.create('ben@example.test', 'member-password-1234');
  await onAccountCreated(app.store, ben, 'member-password-1234');
  const c = new PanelHttp(app.port('panel'), app.appliance.tls.ca);
  const hash = wkdHash('ben');
  const direct = await c.get(`/.well-known/openpgpkey/hu/${hash}?l=ben`, { host: 'example.test' });
  t.equal(direct.status, 200);
  t.equal(direct.headers['content-type'], 'application/octet-stream');
  const key = await openpgp.readKey({ binaryKey: new Uint8Array(direct.raw) });
  t.match(key.getUserIDs(), [/ben@example\.test/]);
  t.notOk(key.isPrivate(), 'only the public key');
  const advanced = await c.get(`/.well-known/openpgpkey/example.test/hu/${hash}`, { host: 'openpgpkey.example.test' });
  t.equal(advanced.status, 200);
  t.same(advanced.raw, direct.raw);
  t.equal((await c.get(`/.well-known/openpgpkey/hu/${wkdHash('nobody')}`, { host: 'example.test' })).status, 404);
  t.equal((await c.get(`/.well-known/openpgpkey/hu/${hash}`, { host: 'elsewhere.test' })).status, 404, 'not our domain');
  t.equal((await c.get(`/.well-known/openpgpkey/hu/not-a-hash`, { host: 'example.test' })).status, 404);
  const policy = await c.get('/.well-known/openpgpkey/example.test/policy');
  t.equal(policy.status, 200);
  t.equal(policy.body, '');
  t.equal(c.cookie, undefined, 'no session for public keys');
});
