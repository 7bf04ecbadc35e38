// The OpenPGP page of the panel over real HTTPS: a member sees the fingerprint and the search note,
// downloads the public key and the password-protected secret key (gpg imports both), turns
// encryption at rest on, recovers after an admin reset, imports another key, and decides a key
// change a correspondent's Autocrypt header caused. Only the signed-in account is ever touched.
import t from 'tap';
import * as openpgp from 'openpgp';
import { startTestAppliance } from './harness/appliance.js';
import { PanelHttp } from './harness/panel-http.js';
import { Gpg } from './harness/gpg.js';
import { onAccountCreated, onPasswordChanged, keyStatus } from '../services/pgp/account-keys.js';
import { processInbound, listPeers } from '../services/pgp/autocrypt.js';
const PW = 'member-password-1234';
let app;
let member;
let recovery;
async function signedIn() {
    const c = new PanelHttp(app.port('panel'), app.appliance.tls.ca);
    const r = await c.signIn(member.address, PW);
    if (r.status !== 303)
        throw new Error(`sign-in failed: ${r.status}`);
    return c;
}
async function keydata() {
    const { publicKey } = await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ email: 'bob@example.org' }], format: 'object' });
    return { data: Buffer.from(publicKey.write()), fpr: publicKey.getFingerprint().toUpperCase() };
}
t.before(async () => {
    app = await startTestAppliance({ listeners: ['panel'] });
    await app.store.accounts.create('admin@example.test', 'admin-password-1234', { role: 'admin' });
    member = await app.store.accounts.create('ben@example.test', PW);
    recovery = (await onAccountCreated(app.store, member, PW)).recoveryCode;
});
t.teardown(() => app.stop());
t.test('the page shows the key, the search note; public and secret keys import into gpg', async (t) => {
    const c = await signedIn();
    const page = await c.get('/openpgp');
    t.equal(page.status, 200);
    const fpr = keyStatus(app.store, member.id).fingerprint;
    t.match(page.body, fpr.replace(/(.{4})/g, '$1 ').trim());
    t.match(page.body, /searching finds words in its headers only/);
    t.match(page.body, /href="\/openpgp"/, 'linked from the navigation');
    const pub = await c.get('/openpgp/public.asc');
    t.equal(pub.headers['content-type'], 'application/pgp-keys');
    t.match(pub.body, /^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
    const wrong = await c.post('/openpgp/secret.asc', { password: 'not my password' });
    t.equal(wrong.status, 400);
    t.match(wrong.body, /The password does not open the OpenPGP key/);
    const sec = await c.post('/openpgp/secret.asc', { password: PW });
    t.equal(sec.status, 200);
    t.match(sec.headers['content-disposition'], /attachment; filename="ben@example\.test-secret\.asc"/);
    t.equal(sec.headers['cache-control'], 'no-store');
    const gpg = new Gpg();
    t.teardown(() => gpg.close());
    t.equal((await gpg.run(['--import'], pub.body)).code, 0);
    const imp = await gpg.run(['--passphrase', PW, '--import'], sec.body);
    t.equal(imp.code, 0, imp.stderr);
    t.same(await gpg.fingerprints(true), [fpr], 'gpg holds the secret key');
    const noCsrf = await c.post('/openpgp/at-rest', { on: 'on' }, { csrf: null });
    t.equal(noCsrf.status, 403, 'CSRF token required');
    const anon = new PanelHttp(app.port('panel'), app.appliance.tls.ca);
    const refused = await anon.get('/openpgp/public.asc');
    t.not(refused.status, 200, 'not without sign-in');
});
t.test('encryption at rest on and off; recovery after an admin reset', async (t) => {
    const c = await signedIn();
    await c.get('/openpgp');
    const on = await c.post('/openpgp/at-rest', { on: 'on' });
    t.equal(on.status, 303);
    t.equal(keyStatus(app.store, member.id).encryptAtRest, true);
    t.match((await c.get('/openpgp')).body, /Encryption at rest: on/);
    await c.post('/openpgp/at-rest', { on: 'off' });
    t.equal(keyStatus(app.store, member.id).encryptAtRest, false);
    await onPasswordChanged(app.store, member.id, PW); // an admin reset to the same password
    const page = await c.get('/openpgp');
    t.match(page.body, /id="needs-recovery"/);
    const bad = await c.post('/openpgp/recover', { code: 'AAAAA-AAAAA-AAAAA-AAAAA-AAAAA', password: PW });
    t.equal(bad.status, 400);
    t.match(bad.body, /The recovery code is wrong/);
    const ok = await c.post('/openpgp/recover', { code: recovery, password: PW });
    t.equal(ok.status, 303);
    t.equal(keyStatus(app.store, member.id).passwordCopy, 'ok');
});
t.test('importing another key shows a new recovery code once', async (t) => {
    const c = await signedIn();
    await c.get('/openpgp');
    const { privateKey } = await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ email: 'ben@example.test' }], passphrase: 'key passphrase', format: 'armored' });
    const noPass = await c.post('/openpgp/import', { armored: privateKey, password: PW });
    t.equal(noPass.status, 400);
    t.match(noPass.body, /passphrase does not open the key/);
    const r = await c.post('/openpgp/import', { armored: privateKey, password: PW, passphrase: 'key passphrase' });
    t.equal(r.status, 303);
    const shown = await c.get('/openpgp');
    const code = /id="secret-value">([0-9A-Z-]+)</.exec(shown.body)?.[1];
    t.match(code, /^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/, 'the new recovery code is on the next page');
    t.notMatch((await c.get('/openpgp')).body, /id="secret-value"/, 'and only once');
    t.equal(keyStatus(app.store, member.id).fingerprint, (await openpgp.readKey({ armoredKey: privateKey })).getFingerprint().toUpperCase());
    recovery = code;
});
t.test('a correspondent\'s key change is shown and decided in the panel', async (t) => {
    const k1 = await keydata();
    const k2 = await keydata();
    const mail = (k, date) => Buffer.from(`From: Bob <bob@example.org>\r\nDate: ${date}\r\nAutocrypt: addr=bob@example.org; keydata=${k.toString('base64')}\r\n\r\nhi\r\n`);
    await processInbound(app.store, member.id, mail(k1.data, 'Fri, 20 Nov 2026 10:00:00 +0000'));
    await processInbound(app.store, member.id, mail(k2.data, 'Fri, 20 Nov 2026 11:00:00 +0000'));
    const c = await signedIn();
    const page = await c.get('/openpgp');
    t.match(page.body, /id="key-changes"/);
    t.match(page.body, k2.fpr.replace(/(.{4})/g, '$1 ').trim());
    const id = /action="\/openpgp\/changes\/(\d+)\/accept"/.exec(page.body)?.[1];
    t.ok(id);
    // Another member cannot decide it.
    const other = await app.store.accounts.create('carl@example.test', 'carl-password-1234');
    const oc = new PanelHttp(app.port('panel'), app.appliance.tls.ca);
    await oc.signIn(other.address, 'carl-password-1234');
    await oc.get('/openpgp');
    const refused = await oc.post(`/openpgp/changes/${id}/accept`, {});
    t.equal(refused.status, 400);
    t.equal(listPeers(app.store, member.id)[0].fingerprint, k1.fpr, 'unchanged');
    const ok = await c.post(`/openpgp/changes/${id}/accept`, {});
    t.equal(ok.status, 303);
    t.equal(listPeers(app.store, member.id)[0].fingerprint, k2.fpr, 'the new key is taken');
    t.notMatch((await c.get('/openpgp')).body, /id="key-changes"/);
});
//# sourceMappingURL=pgp-panel.test.js.map