// The Tor control client against a real tor (Debian's, DisableNetwork 1: nothing leaves the box):
// every command it implements, cookie and SAFECOOKIE authentication, wrong cookies, events that
// arrive between a command and its reply, and the reply parser on arbitrary chunking.
import t from 'tap';
import fc from 'fast-check';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TorControl } from '../services/tor/control.js';
import { ReplyParser, parseKeywords } from '../services/tor/reply.js';
import { OnionIdentity, publicKeyOfOnion, verifyByOnion, isOnionAddress } from '../services/tor/onion-key.js';
import { base32Decode, base32Encode } from '../services/tor/base32.js';
import { startTor } from './harness/tor-net.js';
let tor;
t.before(async () => { tor = await startTor(['DisableNetwork 1']); });
t.teardown(async () => { await tor?.stop(); });
const target = () => ({ host: '127.0.0.1', port: tor.controlPort });
async function authed(t) {
    const c = await TorControl.connect(target());
    t.teardown(() => c.close());
    await c.authenticateSafeCookie(readFileSync(tor.cookieFile));
    return c;
}
/** The promise fails with a TorControlError carrying tor's status code (and text matching `re`). */
async function rejectsWith(t, p, status, re) {
    try {
        await p;
        t.fail(`expected a ${status} reply`);
    }
    catch (e) {
        t.equal(e.status, status, e.message);
        if (re)
            t.match(e.message, re);
    }
}
t.test('PROTOCOLINFO lists cookie methods and the cookie file', async (t) => {
    const c = await TorControl.connect(target());
    t.teardown(() => c.close());
    const info = await c.protocolInfo();
    t.equal(info.protocolVersion, 1);
    t.ok(info.methods.includes('SAFECOOKIE') && info.methods.includes('COOKIE'), info.methods.join(','));
    t.equal(info.cookieFile, tor.cookieFile);
    t.match(info.torVersion, /^0\.4\./);
    await rejectsWith(t, c.getInfo('version'), 514);
});
t.test('SAFECOOKIE: authenticate() picks it and verifies the server hash', async (t) => {
    const c = await TorControl.connect(target());
    t.teardown(() => c.close());
    t.equal(await c.authenticate(), 'SAFECOOKIE');
    t.equal((await c.getInfo('version')).get('version')?.startsWith('0.4.'), true);
});
t.test('COOKIE authentication', async (t) => {
    const c = await TorControl.connect(target());
    t.teardown(() => c.close());
    await c.authenticateCookie(readFileSync(tor.cookieFile));
    t.ok((await c.getInfo('version')).has('version'));
});
t.test('a wrong cookie: COOKIE gets 515 and tor closes; SAFECOOKIE is caught by the server hash', async (t) => {
    const wrong = randomBytes(32);
    const c1 = await TorControl.connect(target());
    const closed = new Promise((r) => c1.once('close', () => r()));
    await rejectsWith(t, c1.authenticateCookie(wrong), 515);
    await closed;
    t.ok(c1.isClosed, 'tor closed the connection after 515');
    const c2 = await TorControl.connect(target());
    t.teardown(() => c2.close());
    await t.rejects(c2.authenticateSafeCookie(wrong), /server hash is wrong/);
    t.ok(c2.isClosed, 'we hung up without sending AUTHENTICATE');
    const file = join(tor.dir, 'wrong-cookie');
    writeFileSync(file, wrong);
    const c3 = await TorControl.connect(target());
    t.teardown(() => c3.close());
    await t.rejects(c3.authenticate({ cookieFile: file }), /server hash is wrong/);
    const c4 = await TorControl.connect(target());
    t.teardown(() => c4.close());
    await t.rejects(c4.authenticate({ cookieFile: join(tor.dir, 'missing') }), /cannot read tor's control cookie .*ENOENT/);
    await t.rejects(c4.authenticateSafeCookie(Buffer.alloc(5)), /must be 32 bytes/);
});
t.test('GETINFO: several keys, a data block, bootstrap phase', async (t) => {
    const c = await authed(t);
    const info = await c.getInfo('version', 'config-text', 'status/bootstrap-phase');
    t.match(info.get('config-text'), /^DisableNetwork 1$/m, 'data block with its lines');
    t.match(info.get('config-text'), /^CookieAuthFile /m);
    t.match(info.get('status/bootstrap-phase'), /BOOTSTRAP PROGRESS=\d+/);
    const b = await c.bootstrap();
    t.ok(b.progress >= 0 && b.progress <= 100);
    t.ok(b.tag.length > 0);
    await rejectsWith(t, c.getInfo('no/such/key'), 552);
    await t.rejects(c.getInfo('bad key\r\nQUIT'), /bad key/);
    t.ok((await c.getInfo('version')).has('version'), 'the connection is still in step after an error');
});
t.test('SETEVENTS: events between a command and its reply, replies still in order', async (t) => {
    const c = await authed(t);
    const events = [];
    c.on('event', (e) => events.push(e));
    await c.setEvents(['CONF_CHANGED', 'SIGNAL']);
    // pipelined: SETCONF makes tor emit CONF_CHANGED before its own 250
    const [, v, info] = await Promise.all([
        c.setConf([['MaxCircuitDirtiness', '601']]),
        c.getInfo('version'),
        c.getInfo('config-text'),
        // RELOAD last: it re-reads the torrc and would undo the SETCONF before GETINFO
        c.signal('RELOAD'),
    ]);
    t.ok(v.has('version'));
    t.match(info.get('config-text'), /MaxCircuitDirtiness 601/);
    const conf = events.find((e) => e.type === 'CONF_CHANGED');
    t.ok(conf, 'CONF_CHANGED event delivered');
    t.ok(conf.lines.some((l) => l.text === 'MaxCircuitDirtiness=601'), 'multi-line event parsed');
    for (let i = 0; i < 250 && !events.some((e) => e.type === 'SIGNAL'); i++)
        await new Promise((r) => setTimeout(r, 20));
    t.ok(events.some((e) => e.type === 'SIGNAL' && e.text === 'RELOAD'), 'SIGNAL RELOAD event');
    await c.setEvents([]);
    await t.rejects(c.setEvents(['bad event']), /bad event/);
});
t.test('ADD_ONION with a saved key gives our address; collisions; DEL_ONION; Detach', async (t) => {
    const c = await authed(t);
    const id = new OnionIdentity(randomBytes(32));
    const added = await c.addOnion({ key: id.addOnionKey(), ports: [{ virtual: 25, target: '127.0.0.1:2525' }, { virtual: 80 }], flags: ['DiscardPK'] });
    t.equal(added.serviceId, id.serviceId, 'tor derives the same address from our expanded key');
    t.equal(added.privateKey, undefined, 'DiscardPK');
    t.match((await c.getInfo('onions/current')).get('onions/current'), id.serviceId);
    await rejectsWith(t, c.addOnion({ key: id.addOnionKey(), ports: [{ virtual: 25 }] }), 550, /collision/i);
    await c.delOnion(id.serviceId);
    t.notMatch((await c.getInfo('onions/current')).get('onions/current') ?? '', id.serviceId);
    await rejectsWith(t, c.delOnion(id.serviceId), 552);
    const fresh = await c.addOnion({ key: 'NEW:ED25519-V3', ports: [{ virtual: 143, target: '127.0.0.1:1430' }], flags: ['Detach'], maxStreams: 10 });
    t.match(fresh.privateKey, /^ED25519-V3:/);
    t.ok(isOnionAddress(fresh.serviceId + '.onion'));
    // a non-detached service dies with its connection; a detached one stays
    const mine = new OnionIdentity(randomBytes(32));
    await c.addOnion({ key: mine.addOnionKey(), ports: [{ virtual: 993 }] });
    const other = await authed(t);
    const detached = (await other.getInfo('onions/detached')).get('onions/detached') ?? '';
    t.match(detached, fresh.serviceId);
    t.notMatch(detached, mine.serviceId);
    await c.quit();
    await t.resolves(other.addOnion({ key: mine.addOnionKey(), ports: [{ virtual: 993 }] }), 'gone with the first connection, so no collision');
    await other.delOnion(fresh.serviceId);
    await t.rejects(other.addOnion({ key: 'RSA1024:abc', ports: [{ virtual: 1 }] }), /key must be/);
    await t.rejects(other.addOnion({ key: 'NEW:ED25519-V3', ports: [{ virtual: 80, target: '127.0.0.1:80 Flags=Detach' }] }), /bad target/);
});
t.test('ADD_ONION ClientAuthV3, ONION_CLIENT_AUTH_ADD / VIEW / REMOVE', async (t) => {
    const c = await authed(t);
    const id = new OnionIdentity(randomBytes(32));
    const { publicKey, privateKey } = generateKeyPairSync('x25519');
    const pub32 = base32Encode(Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url')).toUpperCase();
    const priv64 = Buffer.from(privateKey.export({ format: 'jwk' }).d, 'base64url').toString('base64');
    const r = await c.addOnion({ key: id.addOnionKey(), ports: [{ virtual: 80 }], clientAuthV3: [pub32], flags: ['DiscardPK'] });
    t.equal(r.serviceId, id.serviceId);
    await t.rejects(c.addOnion({ key: 'NEW:ED25519-V3', ports: [{ virtual: 80 }], clientAuthV3: ['short'] }), /52 base32/);
    const svc = new OnionIdentity(randomBytes(32)).serviceId;
    await c.onionClientAuthAdd(svc, priv64, { nickname: 'phone' });
    const view = await c.onionClientAuthView();
    t.equal(view.get(svc), priv64, 'tor holds the key we gave it');
    t.equal((await c.onionClientAuthView(svc)).size, 1);
    await c.onionClientAuthRemove(svc);
    t.equal((await c.onionClientAuthView()).has(svc), false);
    await t.rejects(c.onionClientAuthAdd('notanonion', priv64), /56 base32/);
    await t.rejects(c.onionClientAuthAdd(svc, 'not base64!'), /32 bytes in base64/);
});
t.test('onion identities: address checksum, signatures by the onion key', async (t) => {
    const id = new OnionIdentity(randomBytes(32));
    t.match(id.address, /^[a-z2-7]{56}\.onion$/);
    t.same(publicKeyOfOnion(id.address), id.publicKey);
    const bad = (id.address[0] === 'a' ? 'b' : 'a') + id.address.slice(1);
    t.throws(() => publicKeyOfOnion(bad), /checksum/);
    t.throws(() => publicKeyOfOnion('example.onion'), /not a v3 onion/);
    const msg = Buffer.from('peer card');
    const sig = id.sign(msg);
    t.ok(verifyByOnion(id.address, msg, sig));
    t.notOk(verifyByOnion(id.address, Buffer.from('peer card!'), sig));
    t.notOk(verifyByOnion(new OnionIdentity(randomBytes(32)).address, msg, sig));
    const bytes = randomBytes(35);
    t.same(base32Decode(base32Encode(bytes)), bytes);
    t.equal(base32Decode('0189'), undefined);
});
t.test('reply parser: any chunking gives the same replies; quoted strings', async (t) => {
    const wire = '250-PROTOCOLINFO 1\r\n250-AUTH METHODS=COOKIE,SAFECOOKIE COOKIEFILE="/a \\"b\\"\\\\c"\r\n250 OK\r\n'
        + '650 STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=5 TAG=conn SUMMARY="Connecting"\r\n'
        + '250+config-text=\r\nLine one\r\n..dotted\r\n.\r\n250 OK\r\n650-CONF_CHANGED\r\n650-A=1\r\n650 OK\r\n';
    const parse = (chunks) => { const out = []; const p = new ReplyParser((r) => out.push(r)); for (const c of chunks)
        p.feed(c); return out; };
    const whole = parse([Buffer.from(wire)]);
    t.equal(whole.length, 4);
    t.equal(whole[1].status, 650);
    t.equal(whole[2].lines[0].data, 'Line one\n.dotted');
    t.equal(parseKeywords(whole[0].lines[1].text.slice(5)).get('COOKIEFILE'), '/a "b"\\c');
    t.equal(parseKeywords(whole[1].lines[0].text).get('SUMMARY'), 'Connecting');
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: wire.length }), { maxLength: 20 }), (cuts) => {
        const buf = Buffer.from(wire);
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks = [];
        let last = 0;
        for (const p of points) {
            chunks.push(buf.subarray(last, p));
            last = p;
        }
        chunks.push(buf.subarray(last));
        return JSON.stringify(parse(chunks)) === JSON.stringify(whole);
    }));
    t.throws(() => parse([Buffer.from('hello\r\n')]), /malformed reply line/);
});
//# sourceMappingURL=tor-control.test.js.map