// The IMAP command framer and parser alone (no sockets, no store): how many typical client
// commands per second one core cuts and parses, and the throughput of a large APPEND literal
// arriving in 64 KB chunks. Usage: node dist/bench/imap-parser.js [commands=200000]
import { cpus } from 'node:os';
import { CommandFramer } from '../services/imap/framing.js';
import { parseCommand } from '../services/imap/parser.js';
const n = Number(process.argv[2] ?? 200_000);
const MIX = [
    'a1 UID FETCH 1:* (UID FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (From To Cc Subject Date Message-ID)])',
    'a2 UID STORE 1234 +FLAGS.SILENT (\\Seen $Label1)',
    'a3 UID SEARCH CHARSET UTF-8 OR SUBJECT "kitchen" BODY "garden" SINCE 1-Jan-2026',
    'a4 SELECT "INBOX" (CONDSTORE)',
    'a5 NOOP',
    'a6 LIST "" "*" RETURN (SUBSCRIBED CHILDREN SPECIAL-USE STATUS (MESSAGES UNSEEN))',
    'a7 UID FETCH 10:20 (BODY.PEEK[1.2.MIME]<0.100> BINARY.PEEK[2])',
    'a8 LOGIN {18+}\r\nalice@example.test "correct horse"',
];
const stream = Buffer.from(Array.from({ length: n }, (_, i) => MIX[i % MIX.length] + '\r\n').join(''));
let parsed = 0;
const framer = new CommandFramer({ maxLine: 65536, maxLiteral: 65536, maxCommand: 262144 }, {
    frame: (f) => { parseCommand(f); parsed++; },
    literal: () => undefined,
    proceed: () => undefined,
});
const t0 = process.hrtime.bigint();
for (let i = 0; i < stream.length; i += 16384)
    framer.push(stream.subarray(i, i + 16384));
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
const size = 25 * 1024 * 1024;
const append = Buffer.concat([Buffer.from(`b1 APPEND INBOX {${size}+}\r\n`), Buffer.alloc(size, 0x61), Buffer.from('\r\n')]);
let appended = 0;
const framer2 = new CommandFramer({ maxLine: 65536, maxLiteral: 65536, maxCommand: 262144 }, {
    frame: (f) => { appended += parseCommand(f).args.length; },
    literal: () => undefined,
    proceed: () => undefined,
});
const t1 = process.hrtime.bigint();
for (let i = 0; i < append.length; i += 65536)
    framer2.push(append.subarray(i, i + 65536));
const secs2 = Number(process.hrtime.bigint() - t1) / 1e9;
console.log(JSON.stringify({
    bench: 'imap-parser', cpu: cpus()[0]?.model, commands: parsed, seconds: +secs.toFixed(3),
    commandsPerSecond: Math.round(parsed / secs), mbPerSecond: +(stream.length / secs / 1e6).toFixed(1),
    appendMb: size / 1048576, appendSeconds: +secs2.toFixed(3), appendMbPerSecond: +(size / 1048576 / secs2).toFixed(0), appendArgs: appended,
    rssMb: Math.round(process.memoryUsage().rss / 1048576),
}));
//# sourceMappingURL=imap-parser.js.map