// The MIME parser's limits (issue #14, finding 1): parts, nesting, scanning, header fields and
// parameters are bounded for every caller; past a limit the rest is opaque, never lost from the
// message, and ordinary messages parse exactly as before.
import t from 'tap';
import { parseMime, partAt, leaves, MIME_LIMITS } from '../appliance/mail/mime.js';
import { parseHeaderFields, parseStructured, HEADER_LIMITS } from '../appliance/mail/header.js';
import { fromAddresses } from '../services/smtp/header-from.js';
const count = (p) => 1 + (p.parts ?? []).reduce((n, c) => n + count(c), 0) + (p.message ? count(p.message) : 0);
const depth = (p) => 1 + Math.max(0, ...(p.parts ?? []).map(depth), p.message ? depth(p.message) : 0);
t.test('a part bomb stops at maxParts; the last part runs on to the close delimiter', async (t) => {
    const head = 'Content-Type: multipart/mixed; boundary="b"\r\n\r\n';
    const raw = Buffer.from(head + '--b\r\n\r\nx\r\n'.repeat(20_000) + '--b--\r\nepilogue\r\n', 'latin1');
    const root = parseMime(raw);
    t.equal(count(root), MIME_LIMITS.maxParts, 'exactly maxParts parts');
    const last = root.parts[root.parts.length - 1];
    t.equal(raw.subarray(last.bodyStart, last.end).toString().split('--b\r\n').length, 20_000 - MIME_LIMITS.maxParts + 2, 'the last part holds the rest as opaque body');
    t.ok(raw.subarray(last.end).toString().startsWith('\r\n--b--'), 'and ends at the close delimiter');
    t.ok(JSON.stringify(root).length < 200 * MIME_LIMITS.maxParts, 'the structure is bounded');
});
t.test('a small message under the limits parses as before', async (t) => {
    const raw = Buffer.from([
        'Content-Type: multipart/mixed; boundary="outer"', '', 'preamble', '--outer', 'Content-Type: multipart/alternative; boundary="inner"', '',
        '--inner', 'Content-Type: text/plain', '', 'plain', '--inner', 'Content-Type: text/html', '', '<p>html</p>', '--inner--',
        '--outer', 'Content-Type: message/rfc822', '', 'Subject: inner', '', 'inner body', '--outer--', '',
    ].join('\r\n'));
    const root = parseMime(raw);
    t.same([...leaves(root)].map((p) => `${p.type}/${p.subtype}`), ['text/plain', 'text/html', 'text/plain']);
    const plain = partAt(root, [1, 1]);
    t.equal(raw.subarray(plain.bodyStart, plain.end).toString(), 'plain');
    t.equal(partAt(root, [2]).lines, 2, 'the message/rfc822 part has its lines');
    t.equal(partAt(root, [2]).message.parts, undefined);
    // A boundary that only starts a line's text, or is not at a line start, is no delimiter.
    const tricky = Buffer.from('Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n\r\n x--b\r\n--bb\r\n--b--x\r\n--b \t\r\n\r\ntwo\r\n--b--\r\n');
    const r = parseMime(tricky);
    t.equal(r.parts.length, 2);
    t.equal(tricky.subarray(r.parts[0].bodyStart, r.parts[0].end).toString(), ' x--b\r\n--bb\r\n--b--x');
    t.equal(tricky.subarray(r.parts[1].bodyStart, r.parts[1].end).toString(), 'two');
});
t.test('nesting stops at maxDepth, and deep full-size nesting is bounded by the scan budget', async (t) => {
    let raw = 'body\r\n';
    for (let i = 0; i < 200; i++)
        raw = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${raw}--b${i}--\r\n`;
    t.equal(depth(parseMime(Buffer.from(raw))), MIME_LIMITS.maxDepth + 1, 'no deeper than maxDepth');
    let rfc = 'x\r\n'.repeat(100_000);
    for (let i = 0; i < 60; i++)
        rfc = `Content-Type: message/rfc822\r\n\r\n${rfc}`;
    const d = depth(parseMime(Buffer.from(rfc)));
    t.ok(d < MIME_LIMITS.maxDepth - 10, `full-size nesting stops after about scanFactor levels (${d}), well before maxDepth`);
});
t.test('header fields: at most maxFields and maxBytes are read, and the cut is reported', async (t) => {
    const many = parseHeaderFields('X-A: b\r\n'.repeat(5000) + '\r\n');
    t.equal(many.length, HEADER_LIMITS.maxFields);
    t.equal(many.truncated, true);
    const big = parseHeaderFields(Buffer.from('X-Long: ' + 'y'.repeat(300 * 1024) + '\r\nX-B: c\r\n\r\n'));
    t.equal(big.truncated, true);
    t.equal(big.length, 0, 'a field cut in the middle is not read');
    const normal = parseHeaderFields('A: 1\r\nB: 2\r\n folded\r\n\r\nbody: no\r\n');
    t.same(normal.map((f) => [f.key, f.value]), [['a', '1'], ['b', '2 folded']]);
    t.notOk(normal.truncated);
    const exact = parseHeaderFields('X-A: b\r\n'.repeat(HEADER_LIMITS.maxFields) + '\r\n');
    t.equal(exact.length, HEADER_LIMITS.maxFields);
    t.notOk(exact.truncated, 'exactly maxFields fields is not cut');
    t.ok(parseStructured('text/plain' + ';a=b'.repeat(10_000)).params.length <= 100, 'parameters of one value are bounded');
    // A From field hidden past the limit makes the From unreadable (submission refuses it).
    const hidden = Buffer.from('From: me@example.test\r\n' + 'X-A: b\r\n'.repeat(2000) + 'From: boss@bank.example\r\n\r\nx\r\n');
    t.same(fromAddresses(hidden), ['me@example.test', undefined]);
});
t.test('a parameter and header bomb in every part: the structure stays bounded by the message', async (t) => {
    const part = 'Content-Type: text/plain; ' + 'a=b;'.repeat(200) + '\r\nContent-Language: ' + 'en,'.repeat(300) + '\r\n\r\nx\r\n';
    const raw = Buffer.from('Content-Type: multipart/mixed; boundary="b"\r\n\r\n' + ('--b\r\n' + part).repeat(3000) + '--b--\r\n');
    const json = JSON.stringify(parseMime(raw)).length;
    t.ok(json < 2 * raw.length, `structure ${json} bytes for a ${raw.length}-byte message`);
});
//# sourceMappingURL=mime-limits.test.js.map