// Sessions, throttling and the sign-in redirect target, with a controlled clock.
import t from 'tap';
import fc from 'fast-check';
import { Sessions } from '../web/sessions.js';
import { LoginThrottle } from '../web/throttle.js';
import { safeNext } from '../web/routes/signin.js';
t.test('sessions: new id at sign-in, idle and absolute expiry, bounded count', async (t) => {
    let now = 1_000_000;
    const s = new Sessions({ idleMs: 1000, absoluteMs: 5000, max: 3 }, () => now);
    const anon = s.create();
    t.match(anon.id, /^[A-Za-z0-9_-]{43}$/, '256-bit id');
    t.not(anon.id, anon.csrf);
    const signed = s.signIn(anon, 7, 'member', 'a@example.test');
    t.not(signed.id, anon.id);
    t.not(signed.csrf, anon.csrf, 'a new CSRF token too');
    t.equal(s.get(anon.id), undefined, 'the old id is gone');
    t.equal(s.get(signed.id)?.accountId, 7);
    now += 900;
    t.ok(s.get(signed.id), 'used within the idle time');
    now += 900;
    t.ok(s.get(signed.id), 'each use extends it');
    now += 1001;
    t.equal(s.get(signed.id), undefined, 'idle too long');
    const b = s.signIn(undefined, 8, 'admin', 'b@example.test');
    for (let i = 0; i < 6; i++) {
        now += 900;
        t.ok(s.get(b.id) || i >= 4, 'kept alive');
    }
    t.equal(s.get(b.id), undefined, 'absolute limit after sign-in');
    const ids = [s.create(), s.create(), s.create(), s.create()].map((x) => x.id);
    t.equal(s.size, 3, 'at most max sessions');
    t.equal(s.get(ids[0]), undefined, 'the least recently used went first');
    const kept = s.signIn(undefined, 10, 'admin', 'd@example.test');
    for (let i = 0; i < 50; i++)
        s.create();
    t.ok(s.get(kept.id), 'a flood of anonymous sessions does not push out a signed-in one');
    t.equal(s.size, 3);
    const x = s.signIn(undefined, 9, 'member', 'c@example.test');
    const y = s.signIn(undefined, 9, 'member', 'c@example.test');
    t.equal(s.endAccount(9, y), 1);
    t.equal(s.get(x.id), undefined);
    t.ok(s.get(y.id));
    t.equal(s.get('x'.repeat(100)), undefined);
});
t.test('throttle: free attempts, then doubling lockouts, cleared by success', async (t) => {
    let now = 0;
    const th = new LoginThrottle({ free: 3, windowMs: 10_000, baseLockMs: 1000, maxLockMs: 4000, maxKeys: 2 }, () => now);
    th.fail('a');
    th.fail('a');
    t.equal(th.retryAfter('a'), 0, 'two failures are free');
    th.fail('a');
    t.equal(th.retryAfter('a'), 1000, 'third: locked 1 s');
    now += 1000;
    th.fail('a');
    t.equal(th.retryAfter('a'), 2000, 'doubles');
    now += 2000;
    th.fail('a');
    t.equal(th.retryAfter('a'), 4000);
    now += 4000;
    th.fail('a');
    t.equal(th.retryAfter('a'), 4000, 'capped');
    th.succeed('a');
    t.equal(th.retryAfter('a'), 0);
    th.fail('b');
    th.fail('c');
    th.fail('d');
    t.equal(th.retryAfter('zzz'), 0);
    now += 20_000;
    th.fail('e');
    th.fail('e');
    now += 11_000;
    th.fail('e');
    t.equal(th.retryAfter('e'), 0, 'failures older than the window are forgotten');
});
t.test('the sign-in redirect never leaves the panel', async (t) => {
    t.equal(safeNext('/accounts'), '/accounts');
    t.equal(safeNext('/queue?x=1'), '/queue?x=1');
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', '', undefined, '/a b', '/\nx']) {
        t.equal(safeNext(bad), '/', JSON.stringify(bad));
    }
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (s) => {
        const r = safeNext(s);
        return r === '/' || (r === s && r.startsWith('/') && !r.startsWith('//') && !r.startsWith('/\\'));
    }), { numRuns: 2000 });
});
//# sourceMappingURL=panel-sessions.test.js.map