// Autocrypt Level 1: header parsing rules, the peer-state update algorithm, key changes recorded
// for a person to decide, and the header on submitted mail.
import t from 'tap';
import { rmSync } from 'node:fs';
import * as openpgp from 'openpgp';
import { Store } from '../appliance/store/index.js';
import { setQuiet } from '../appliance/log.js';
import { MailPipeline } from '../appliance/pipeline.js';
import { tempDir } from './harness/appliance.js';
import { onAccountCreated, setPreferEncrypt } from '../services/pgp/account-keys.js';
import { parseAutocryptHeader, formatAutocryptHeader, singleAddress } from '../services/pgp/autocrypt-header.js';
import { addAutocryptHeader, processInbound, listPeers, pendingKeyChanges, keyChangeHistory, decideKeyChange } from '../services/pgp/autocrypt.js';
import { parseHeaderFields, headerEnd } from '../appliance/mail/header.js';
setQuiet(true);
async function peerKey(email = 'bob@example.org') {
    const { publicKey } = await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ email }], format: 'object' });
    return { data: Buffer.from(publicKey.write()), fpr: publicKey.getFingerprint().toUpperCase() };
}
function mail(headers, body = 'Hello.') {
    return Buffer.from([...headers, '', body, ''].join('\r\n'));
}
function ac(addr, key, extra = '') {
    return `Autocrypt: addr=${addr}; ${extra}keydata=${key.toString('base64')}`;
}
async function fresh(t) {
    const dir = tempDir('postern-ac-');
    const store = Store.open(dir);
    t.teardown(() => { store.close(); rmSync(dir, { recursive: true, force: true }); });
    store.domains.ensure('example.test');
    const alice = await store.accounts.create('alice@example.test', 'correct horse');
    await onAccountCreated(store, alice, 'correct horse');
    return { store, alice };
}
t.test('header parsing follows section 2.1', async (t) => {
    const key = Buffer.from('mDMEXamplekeybytes', 'base64');
    const h = parseAutocryptHeader(`addr=Bob@Example.org; prefer-encrypt=mutual; _x-note=hi; keydata=${key.toString('base64').replace(/(.{4})/g, '$1\r\n ')}`);
    t.equal(h.addr, 'bob@example.org');
    t.equal(h.preferEncrypt, 'mutual');
    t.same(h.keydata, key, 'keydata with folding white space');
    t.equal(parseAutocryptHeader(`addr=b@example.org; prefer-encrypt=maybe; keydata=AAAA`).preferEncrypt, 'nopreference', 'unknown prefer-encrypt value = no preference');
    t.throws(() => parseAutocryptHeader('addr=b@example.org; color=blue; keydata=AAAA'), { code: 'invalid', message: /unknown critical attribute "color"/ });
    t.throws(() => parseAutocryptHeader('addr=b@example.org'), { message: /without keydata/ });
    t.throws(() => parseAutocryptHeader('keydata=AAAA'), { message: /without addr/ });
    t.throws(() => parseAutocryptHeader('addr=b@example.org; addr=c@example.org; keydata=AAAA'), { message: /repeated/ });
    t.throws(() => parseAutocryptHeader('addr=b@example.org; keydata=!!!'), { message: /not base64/ });
    t.throws(() => parseAutocryptHeader(`addr=b@example.org; keydata=${Buffer.alloc(70_000).toString('base64')}`), { message: /bad size/ });
    const line = formatAutocryptHeader({ addr: 'a@example.test', preferEncrypt: 'mutual', keydata: Buffer.alloc(300, 7) });
    t.ok(line.split('\r\n').every((l) => l.length <= 78), 'folded at 78');
    t.same(parseAutocryptHeader(parseHeaderFields(line + '\r\n')[0].value).keydata, Buffer.alloc(300, 7), 'round trip');
    t.equal(singleAddress('"Smith, Bob" <Bob@Example.org>'), 'bob@example.org');
    t.equal(singleAddress('bob@example.org (Bob, the builder)'), 'bob@example.org');
    t.equal(singleAddress('a@example.org, b@example.org'), undefined);
    t.equal(singleAddress('Undisclosed recipients:;'), undefined);
});
t.test('peer state: first seen, last seen, key, prefer-encrypt; older mail changes nothing', async (t) => {
    const { store, alice } = await fresh(t);
    const k = await peerKey();
    const r1 = await processInbound(store, alice.id, mail(['From: Bob <bob@example.org>', 'Date: Fri, 20 Nov 2026 10:00:00 +0000', ac('bob@example.org', k.data, 'prefer-encrypt=mutual; ')]));
    t.same(r1, { kind: 'updated', addr: 'bob@example.org', fingerprint: k.fpr });
    let p = listPeers(store, alice.id)[0];
    t.equal(p.firstSeen, Date.parse('2026-11-20T10:00:00Z'));
    t.equal(p.preferEncrypt, 'mutual');
    t.same(p.publicKey, k.data);
    // A later message without a header: last seen moves, the key stays.
    t.same(await processInbound(store, alice.id, mail(['From: bob@example.org', 'Date: Fri, 20 Nov 2026 12:00:00 +0000'])), { kind: 'seen', addr: 'bob@example.org' });
    p = listPeers(store, alice.id)[0];
    t.equal(p.lastSeen, Date.parse('2026-11-20T12:00:00Z'));
    t.equal(p.autocryptTimestamp, Date.parse('2026-11-20T10:00:00Z'));
    t.equal(p.fingerprint, k.fpr);
    // A later header with no prefer-encrypt: the preference follows the newest header.
    await processInbound(store, alice.id, mail(['From: bob@example.org', 'Date: Fri, 20 Nov 2026 13:00:00 +0000', ac('bob@example.org', k.data)]));
    t.equal(listPeers(store, alice.id)[0].preferEncrypt, 'nopreference');
    // An older message (delivered late) changes nothing.
    const other = await peerKey();
    t.match(await processInbound(store, alice.id, mail(['From: bob@example.org', 'Date: Thu, 19 Nov 2026 09:00:00 +0000', ac('bob@example.org', other.data)])), { kind: 'ignored', reason: /older/ });
    t.equal(listPeers(store, alice.id)[0].fingerprint, k.fpr);
    // A Date in the future counts as now.
    const now = Date.parse('2026-11-20T14:00:00Z');
    await processInbound(store, alice.id, mail(['From: bob@example.org', 'Date: Fri, 1 Jan 2100 00:00:00 +0000', ac('bob@example.org', k.data)]), now);
    t.equal(listPeers(store, alice.id)[0].lastSeen, now);
});
t.test('headers that must be ignored', async (t) => {
    const { store, alice } = await fresh(t);
    const k = await peerKey();
    const k2 = await peerKey();
    const date = 'Date: Fri, 20 Nov 2026 10:00:00 +0000';
    const cases = [
        ['From does not match addr', mail(['From: mallory@example.org', date, ac('bob@example.org', k.data)]), /no valid Autocrypt header/],
        ['two valid headers', mail(['From: bob@example.org', date, ac('bob@example.org', k.data), ac('bob@example.org', k2.data)]), /no valid/],
        ['unknown critical attribute', mail(['From: bob@example.org', date, ac('bob@example.org', k.data, 'critical=1; ')]), /no valid/],
        ['several From addresses', mail(['From: bob@example.org, carol@example.org', date, ac('bob@example.org', k.data)]), /single address/],
        ['multipart/report', mail(['From: bob@example.org', date, 'Content-Type: multipart/report; report-type=delivery-status; boundary=x', ac('bob@example.org', k.data)]), /multipart\/report/],
        ['keydata that is not a key', mail(['From: bob@example.org', date, `Autocrypt: addr=bob@example.org; keydata=${Buffer.from('not a key at all').toString('base64')}`]), /not an OpenPGP key/],
        ['mail from the account itself', mail(['From: alice@example.test', date, ac('alice@example.test', k.data)]), /itself/],
    ];
    for (const [name, raw, reason] of cases)
        t.match(await processInbound(store, alice.id, raw), { kind: 'ignored', reason }, name);
    t.same(listPeers(store, alice.id), [], 'no peer recorded');
    // A secret key as keydata is refused too.
    const { privateKey } = await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ email: 'bob@example.org' }], format: 'object' });
    t.match(await processInbound(store, alice.id, mail(['From: bob@example.org', date, ac('bob@example.org', Buffer.from(privateKey.write()))])), { kind: 'ignored', reason: /secret key/ });
    // One valid header among invalid ones counts.
    t.match(await processInbound(store, alice.id, mail(['From: bob@example.org', date, ac('bob@example.org', k.data), ac('bob@example.org', k2.data, 'critical=1; ')])), { kind: 'updated', fingerprint: k.fpr });
});
t.test('a key change is recorded and waits for a decision', async (t) => {
    const { store, alice } = await fresh(t);
    const k1 = await peerKey();
    const k2 = await peerKey();
    const k3 = await peerKey();
    await processInbound(store, alice.id, mail(['From: bob@example.org', 'Date: Fri, 20 Nov 2026 10:00:00 +0000', ac('bob@example.org', k1.data)]));
    const r = await processInbound(store, alice.id, mail(['From: bob@example.org', 'Date: Fri, 20 Nov 2026 11:00:00 +0000', ac('bob@example.org', k2.data, 'prefer-encrypt=mutual; ')]));
    t.match(r, { kind: 'key-change', oldFingerprint: k1.fpr, newFingerprint: k2.fpr });
    t.equal(listPeers(store, alice.id)[0].fingerprint, k1.fpr, 'the old key stays until a person decides');
    t.equal(listPeers(store, alice.id)[0].lastSeen, Date.parse('2026-11-20T11:00:00Z'));
    // The same new key again: one pending change, refreshed.
    await processInbound(store, alice.id, mail(['From: bob@example.org', 'Date: Fri, 20 Nov 2026 12:00:00 +0000', ac('bob@example.org', k2.data, 'prefer-encrypt=mutual; ')]));
    const pending = pendingKeyChanges(store, alice.id);
    t.equal(pending.length, 1);
    t.equal(pending[0].lastSeen, Date.parse('2026-11-20T12:00:00Z'));
    // Rejected: the old key stays.
    decideKeyChange(store, alice.id, pending[0].id, false);
    t.equal(listPeers(store, alice.id)[0].fingerprint, k1.fpr);
    t.throws(() => decideKeyChange(store, alice.id, pending[0].id, true), { code: 'invalid' }, 'decided once');
    // Another change, accepted: the new key, its prefer-encrypt and timestamp are taken.
    await processInbound(store, alice.id, mail(['From: bob@example.org', 'Date: Fri, 20 Nov 2026 13:00:00 +0000', ac('bob@example.org', k3.data, 'prefer-encrypt=mutual; ')]));
    const c = pendingKeyChanges(store, alice.id)[0];
    const bobOther = await store.accounts.create('bob@example.test', 'bob password');
    t.throws(() => decideKeyChange(store, bobOther.id, c.id, true), { code: 'not-found' }, 'not another account\'s change');
    decideKeyChange(store, alice.id, c.id, true);
    const p = listPeers(store, alice.id)[0];
    t.equal(p.fingerprint, k3.fpr);
    t.equal(p.preferEncrypt, 'mutual');
    t.equal(p.autocryptTimestamp, Date.parse('2026-11-20T13:00:00Z'), `timestamp ${p.autocryptTimestamp} ${typeof p.autocryptTimestamp}`);
    t.same(keyChangeHistory(store, alice.id).map((x) => x.status), ['rejected', 'accepted']);
});
t.test('submission: the Autocrypt header is added once, for the account\'s own address', async (t) => {
    const { store, alice } = await fresh(t);
    setPreferEncrypt(store, alice.id, 'mutual');
    const pipeline = new MailPipeline(store);
    pipeline.onSubmission((m) => addAutocryptHeader(store, m));
    const raw = mail(['From: Alice <alice@example.test>', 'To: bob@example.org', 'Subject: hi']);
    const out = await pipeline.submit(alice.id, 'alice@example.test', raw);
    const fields = parseHeaderFields(out.subarray(0, headerEnd(out)));
    const h = fields.filter((f) => f.key === 'autocrypt');
    t.equal(h.length, 1);
    const parsed = parseAutocryptHeader(h[0].value);
    t.equal(parsed.addr, 'alice@example.test');
    t.equal(parsed.preferEncrypt, 'mutual');
    t.same(parsed.keydata, store.openpgp.key(alice.id).publicKey);
    t.ok(out.subarray(out.length - raw.length).equals(raw), 'the message itself is unchanged after the new header');
    // Already present, another sender address, or bare LF: the right thing.
    const again = await pipeline.submit(alice.id, 'alice@example.test', out);
    t.equal(again, out, 'same Buffer when a header is there');
    const alias = mail(['From: postmaster@example.test', 'To: bob@example.org']);
    t.equal(await pipeline.submit(alice.id, 'postmaster@example.test', alias), alias, 'no header for another address');
    const lf = Buffer.from('From: alice@example.test\nTo: bob@example.org\n\nhi\n');
    const lfOut = (await pipeline.submit(alice.id, 'alice@example.test', lf)).toString();
    t.notMatch(lfOut, /\r/, 'bare-LF message keeps bare LF');
    t.match(lfOut, /^Autocrypt: addr=alice@example\.test; prefer-encrypt=mutual; keydata=\n /);
});
t.test('fuzz: random and mutated headers and messages never crash the parser or the update', async (t) => {
    const fc = await import('fast-check');
    const { store, alice } = await fresh(t);
    const k = await peerKey();
    const good = ac('bob@example.org', k.data, 'prefer-encrypt=mutual; ');
    // The header parser: any string gives a header or a PgpError, nothing else.
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => {
        try {
            parseAutocryptHeader(s);
        }
        catch (e) {
            if (e.name !== 'PgpError')
                throw e;
        }
    }), { numRuns: 2000 });
    // Mutations of a valid message: processInbound never throws and the store stays consistent.
    const base = mail(['From: Bob <bob@example.org>', 'Date: Fri, 20 Nov 2026 10:00:00 +0000', good]);
    await fc.assert(fc.asyncProperty(fc.array(fc.record({ at: fc.nat({ max: base.length - 1 }), byte: fc.integer({ min: 0, max: 255 }), cut: fc.boolean() }), { minLength: 1, maxLength: 8 }), async (edits) => {
        let raw = Buffer.from(base);
        for (const e of edits) {
            if (e.cut)
                raw = Buffer.concat([raw.subarray(0, e.at % raw.length), raw.subarray((e.at % raw.length) + 1)]);
            else
                raw[e.at % raw.length] = e.byte;
        }
        const r = await processInbound(store, alice.id, raw);
        t.ok(['ignored', 'seen', 'updated', 'key-change'].includes(r.kind));
    }), { numRuns: 300 });
    t.ok(store.check().ok);
});
//# sourceMappingURL=pgp-autocrypt.test.js.map