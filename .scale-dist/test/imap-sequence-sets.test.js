// Huge sequence sets (issue #14, finding 10): a set is normalised once (sorted, merged, "*"
// resolved), so its cost is its ranges, not mailbox size x ranges. The answers stay exactly those
// of the plain definition, for random sets and for a 32,000-entry set sent to a real appliance.
import t from 'tap';
import fc from 'fast-check';
import { inSet, normalize, parseSequenceSet, select, STAR } from '../services/imap/sequence.js';
import { startImapsAccount } from './harness/imap-account.js';
import { RawImapClient } from './harness/imap-raw.js';
/** The definition, message by message (the old implementation). */
function naive(ranges, n, max) {
    return ranges.some((r) => {
        const a = r.from === STAR ? max : r.from;
        const b = r.to === STAR ? max : r.to;
        return n >= Math.min(a, b) && n <= Math.max(a, b);
    });
}
const num = fc.oneof(fc.integer({ min: 1, max: 60 }), fc.constant(STAR));
const setText = fc.array(fc.tuple(num, fc.option(num)), { minLength: 1, maxLength: 30 })
    .map((rs) => rs.map(([a, b]) => (b === null ? str(a) : `${str(a)}:${str(b)}`)).join(','));
function str(n) { return n === STAR ? '*' : String(n); }
t.test('normalised sets answer as the definition does', async (t) => {
    fc.assert(fc.property(setText, fc.uniqueArray(fc.integer({ min: 1, max: 70 }), { maxLength: 50 }), (text, nums) => {
        const set = parseSequenceSet(text);
        const present = [...nums].sort((a, b) => a - b);
        const max = present.length ? present[present.length - 1] : 0;
        const want = present.filter((n) => naive(set.ranges, n, max));
        if (JSON.stringify(select(set, present)) !== JSON.stringify(want))
            return false;
        for (let n = 1; n <= 75; n++)
            if (inSet(set, n, max) !== naive(set.ranges, n, max))
                return false;
        const rs = normalize(set, max);
        return rs.every((r, i) => r.from <= r.to && (i === 0 || rs[i - 1].to + 1 < r.from));
    }), { numRuns: 2000 });
    const big = parseSequenceSet(Array.from({ length: 32_000 }, (_, i) => String(32_000 - i)).join(','));
    t.same(normalize(big, 40_000), [{ from: 1, to: 32_000 }], '32,000 single numbers in reverse merge into one range');
});
t.test('a 32,000-entry set through FETCH, UID FETCH, STORE and SEARCH of a real appliance', async (t) => {
    const { app, accountId } = await startImapsAccount();
    t.teardown(() => app.stop());
    const N = 500;
    for (let i = 1; i <= N; i++)
        app.store.deliver([{ accountId }], Buffer.from(`Subject: m${i}\r\n\r\nbody ${i}\r\n`));
    // 32,000 entries fit the 64 KB line only as single digits: 1-9 but 5 over and over, then some
    // reversed ranges and "*".
    const entries = [];
    for (let i = 0; entries.length < 31_996; i++)
        if (i % 9 !== 4)
            entries.push(String(1 + (i % 9)));
    entries.push('450:400', '*', '30:20', '100:120');
    const set = entries.join(',');
    const want = new Set();
    for (let i = 1; i <= N; i++)
        if ((i < 10 && i !== 5) || (i >= 20 && i <= 30) || (i >= 100 && i <= 120) || (i >= 400 && i <= 450) || i === N)
            want.add(i);
    const c = await RawImapClient.open(app.port('imaps'), { tls: true });
    t.equal((await c.command('LOGIN alice@example.test "correct horse"')).status, 'OK');
    t.equal((await c.command('SELECT INBOX')).status, 'OK');
    const uid = await c.command(`UID FETCH ${set} (UID)`);
    t.equal(uid.status, 'OK');
    const got = [...uid.bytes.toString().matchAll(/^\* (\d+) FETCH/gm)].map((m) => Number(m[1]));
    t.same(got, [...want].sort((a, b) => a - b), 'UID FETCH answers exactly the members, in order');
    const search = await c.command(`UID SEARCH UID ${set}`);
    t.same(/\* SEARCH ([\d ]+)/.exec(search.bytes.toString())[1].split(' ').map(Number), [...want].sort((a, b) => a - b), 'SEARCH UID agrees');
    const fetch = await c.command(`FETCH ${set} (FLAGS)`);
    t.equal(fetch.status, 'OK');
    t.equal([...fetch.bytes.toString().matchAll(/^\* \d+ FETCH/gm)].length, want.size, 'FETCH by sequence numbers agrees');
    t.equal((await c.command(`FETCH ${set},501 (FLAGS)`)).status, 'BAD', 'a sequence number past the mailbox is refused');
    const store = await c.command(`UID STORE ${set} +FLAGS.SILENT (\\Flagged)`);
    t.equal(store.status, 'OK');
    const flagged = await c.command('SEARCH FLAGGED');
    t.equal(/\* SEARCH ([\d ]+)/.exec(flagged.bytes.toString())[1].split(' ').length, want.size);
    t.equal((await c.command('NOOP')).status, 'OK', 'the session goes on');
});
//# sourceMappingURL=imap-sequence-sets.test.js.map