// The fuzz targets of `npm run fuzz`: every parser and session that reads what a stranger sends.
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { Duplex, Readable } from 'node:stream';
import { createSecureContext } from 'node:tls';
import { parseMime } from '../../appliance/mail/mime.js';
import { searchableText } from '../../appliance/mail/text.js';
import { headerEnd } from '../../appliance/mail/header.js';
import { bodyStructure } from '../../services/imap/message/bodystructure.js';
import { envelope } from '../../services/imap/message/envelope.js';
import { CommandFramer, type Frame } from '../../services/imap/framing.js';
import { parseCommand } from '../../services/imap/parser.js';
import { ImapError } from '../../services/imap/errors.js';
import { Session } from '../../services/imap/session.js';
import { AuthThrottle } from '../../services/imap/auth-throttle.js';
import { imapLimits } from '../../services/imap/limits.js';
import { readMessage } from '../../services/smtp/message-reader.js';
import { ReplyParser, ControlProtocolError } from '../../services/tor/reply.js';
import { readPeerCard, writePeerCard, PeerCardError } from '../../services/smtorp/card.js';
import { OnionIdentity } from '../../services/tor/onion-key.js';
import { MailPipeline } from '../../appliance/pipeline.js';
import { startTestAppliance } from '../../test/harness/appliance.js';
import { RawSmtp } from '../../test/smtp-fixture.js';
import { PanelHttp } from '../../test/harness/panel-http.js';

export interface FuzzResult { runs: number; crashes: number; maxMs: number; stalls: number; example?: string; note?: string }
/** `shard` (0, 1, ...) gives each worker its own seeds: two workers never run the same inputs. */
export interface FuzzTarget { name: string; run(max: number, ms: number, shard: number): Promise<FuzzResult> }
const SHARD_SEEDS = 1_000_003;

/** Mutation-based inputs: a real input (a test fixture, a well-formed command) with up to eight
 *  byte-level edits: flip a byte, set one, delete or duplicate a run, insert a protocol token,
 *  cut the input short, splice in the tail of another seed. */
function mutated(seeds: Buffer[], tokens: string[]): fc.Arbitrary<Buffer> {
  const op = fc.tuple(fc.nat(6), fc.nat(), fc.nat(300), fc.nat(tokens.length - 1), fc.nat(255), fc.nat(seeds.length - 1));
  return fc.tuple(fc.nat(seeds.length - 1), fc.array(op, { minLength: 1, maxLength: 8 })).map(([i, ops]) => {
    let b = seeds[i]!;
    for (const [kind, at, len, tok, byte, other] of ops) {
      const p = b.length ? at % (b.length + 1) : 0;
      switch (kind) {
        case 0: if (p < b.length) { b = Buffer.from(b); b[p] = b[p]! ^ (1 << (byte % 8)); } break;
        case 1: if (p < b.length) { b = Buffer.from(b); b[p] = byte; } break;
        case 2: b = Buffer.concat([b.subarray(0, p), b.subarray(p + len)]); break;
        case 3: b = Buffer.concat([b.subarray(0, p + len), b.subarray(p, p + len), b.subarray(p + len)]); break;
        case 4: b = Buffer.concat([b.subarray(0, p), Buffer.from(tokens[tok]!, 'latin1'), b.subarray(p)]); break;
        case 5: b = b.subarray(0, p); break;
        default: { const o = seeds[other]!; b = Buffer.concat([b.subarray(0, p), o.subarray(o.length ? at % o.length : 0)]); }
      }
      if (b.length > 256 * 1024) b = b.subarray(0, 256 * 1024);
    }
    return b;
  });
}

/** Run `fn` over `items`, `width` at a time, a new one starting as soon as one ends. */
async function pool<T>(items: T[], width: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => { while (next < items.length) await fn(items[next++]!); }));
}

const latin1 = (b: Uint8Array | string) => (typeof b === 'string' ? Buffer.from(b, 'latin1') : Buffer.from(b));
const show = (x: unknown) => JSON.stringify(x).slice(0, 300);

/** Run a synchronous check over generated inputs; `expected` tells a target's own errors apart.
 *  Inputs are generated 500 at a time and the loop yields every 20 ms, so the event-loop delay
 *  the runner measures is the longest single input, not a batch. */
function syncCampaign<T>(arb: fc.Arbitrary<T>, seed: number, check: (x: T) => void, expected: (e: unknown) => boolean) {
  return async (max: number, ms: number, shard: number): Promise<FuzzResult> => {
    const r: FuzzResult = { runs: 0, crashes: 0, maxMs: 0, stalls: 0 };
    const end = performance.now() + ms;
    let batch = 0;
    let turn = performance.now();
    while (r.runs < max && performance.now() < end) {
      const n = Math.min(500, max - r.runs);
      for (const x of fc.sample(arb, { numRuns: n, seed: seed + shard * SHARD_SEEDS + batch++ })) {
        const t0 = performance.now();
        try { check(x); } catch (e) {
          if (!expected(e)) { r.crashes++; r.example ??= `${(e as Error).stack?.split('\n').slice(0, 3).join(' | ')} on ${show(x)}`; }
        }
        const t1 = performance.now();
        const dt = t1 - t0;
        if (dt > r.maxMs) r.maxMs = dt;
        if (dt > 1000) r.stalls++;
        r.runs++;
        if (t1 - turn > 20) { await new Promise((res) => setImmediate(res)); turn = performance.now(); }
      }
    }
    return r;
  };
}

// ---- MIME ----------------------------------------------------------------------------------
const mimeLine = fc.oneof(
  fc.constantFrom('Content-Type: multipart/mixed; boundary="b"', 'Content-Type: multipart/alternative; boundary=c', 'Content-Type: message/rfc822',
    'Content-Type: multipart/digest; boundary="b"', 'Content-Type: text/plain; charset=utf-8', 'Content-Type: text/html; charset="iso-8859-1"',
    'Content-Transfer-Encoding: base64', 'Content-Transfer-Encoding: quoted-printable', 'Content-Disposition: attachment; filename*0*=utf-8\'\'a%20b; filename*1=c',
    'Content-Language: en, de', 'Subject: =?utf-8?B?w6k=?=', 'From: "A" <a@b.example>', 'To: undisclosed-recipients:;', '--b', '--b--', '--c', '--c--',
    '', '', ' folded', '\t', 'x=41=\r', 'SGVsbG8=', '=?', 'Content-Type: multipart/mixed; boundary=""', 'Content-Type: ;;;=;"'),
  fc.string({ maxLength: 60 }),
  fc.uint8Array({ maxLength: 40 }).map((b) => latin1(b).toString('latin1')),
);
const generatedMime = fc.tuple(fc.array(mimeLine, { maxLength: 60 }), fc.constantFrom('\r\n', '\n', '\r')).map(([ls, nl]) => latin1(ls.join(nl)));
const FIXTURES = new URL('../../../test/fixtures/mime/', import.meta.url);
const mimeSeeds = readdirSync(FIXTURES).filter((f) => f.endsWith('.eml')).map((f) => readFileSync(new URL(f, FIXTURES)));
const MIME_TOKENS = ['\r\n', '\r\n\r\n', '--b\r\n', '--', 'boundary=', '"', ';', '=?utf-8?Q?', '?=', 'Content-Type: multipart/mixed; boundary=x\r\n', '\r\n--x\r\n', 'message/rfc822', 'base64', '=\r\n', '\0', '\xff'];
const mimeMessage = fc.oneof(generatedMime, mutated(mimeSeeds, MIME_TOKENS));

const mime: FuzzTarget = {
  name: 'mime',
  run: syncCampaign(mimeMessage, 2045, (raw) => {
    const root = parseMime(raw);
    bodyStructure(root, true, () => raw);
    searchableText(raw, root);
    envelope(raw.subarray(0, headerEnd(raw)));
    JSON.stringify(root);
  }, () => false),
};

// ---- IMAP framer and parser ----------------------------------------------------------------
const imapPiece = fc.oneof(
  fc.constantFrom('a1 ', 'LOGIN ', 'SELECT ', 'FETCH ', 'UID ', 'SEARCH ', 'APPEND ', 'STORE ', 'COPY ', 'MOVE ', 'IDLE', 'DONE', 'AUTHENTICATE PLAIN',
    'INBOX', '"quoted \\" str"', '{5}\r\n', '{3+}\r\n', '~{4}\r\n', '{0}\r\n', '{4294967295}\r\n', '{99999999999}\r\n', '1:*', '*', '$', '1,2,3:5',
    '(FLAGS BODY[HEADER.FIELDS (SUBJECT)]<0.10>)', '(\\Seen \\Deleted $Junk)', 'BODY.PEEK[1.2.MIME]', 'BINARY[1]', 'CHARSET UTF-8', 'NIL', '()', '((((', '))))',
    ' ', '\r\n', '\n', '\r', '\0', '"', '\\', '[', ']', '<', '>', '%', '&AKM-', 'UNCHANGEDSINCE 5', 'RETURN (SAVE ALL)', 'VANISHED', 'QRESYNC (1 2)'),
  fc.string({ maxLength: 30 }),
  fc.uint8Array({ maxLength: 30 }).map((b) => latin1(b).toString('latin1')),
);
const IMAP_SEEDS = [
  'a1 LOGIN alice@example.test "correct horse"\r\n', 'a2 SELECT INBOX (CONDSTORE)\r\n', 'a3 UID FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)]<0.100> BINARY.PEEK[1]) (CHANGEDSINCE 4 VANISHED)\r\n',
  'a4 APPEND INBOX (\\Seen) "23-Nov-2026 10:00:00 +0000" {12+}\r\nSubject: x\r\n\r\n', 'a5 UID SEARCH RETURN (MIN COUNT) CHARSET UTF-8 OR (FROM "a" SINCE 1-Jan-2020) NOT KEYWORD $Junk TEXT {3}\r\nabc\r\n',
  'a6 STORE 1:3,5 +FLAGS.SILENT (\\Deleted) (UNCHANGEDSINCE 9)\r\n', 'a7 AUTHENTICATE PLAIN AGFsaWNlAHB3\r\n', 'a8 LIST (SUBSCRIBED) "" ("INBOX" "Arch%") RETURN (CHILDREN STATUS (MESSAGES))\r\n',
  'a9 SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))\r\n', 'b1 APPEND INBOX ~{5}\r\na\0b\r\n CATENATE (URL "/INBOX;UID=1" TEXT {2+}\r\nab)\r\n', 'b2 ID ("name" "x" "version" NIL)\r\n',
].map((x) => Buffer.from(x, 'latin1'));
const IMAP_TOKENS = ['{5}\r\n', '{0+}\r\n', '~{3}\r\n', '{4294967296}\r\n', '\r\n', ' ', '(', ')', '"', '\\', '*', ':', ',', '[', ']', '<', '>', '.', 'NIL', '$', '\0', '\xff'];
const imapStream = fc.tuple(
  fc.oneof(fc.array(imapPiece, { maxLength: 40 }), fc.array(mutated(IMAP_SEEDS, IMAP_TOKENS), { minLength: 1, maxLength: 4 }).map((bs) => bs.map((b) => b.toString('latin1')))),
  fc.array(fc.nat(400), { maxLength: 6 }));

const imapParser: FuzzTarget = {
  name: 'imap-framer-parser',
  run: syncCampaign(imapStream, 9051, ([pieces, cuts]) => {
    const data = latin1(pieces.join(''));
    const frames: Frame[] = [];
    const framer = new CommandFramer({ maxLine: 8192, maxLiteral: 4096, maxCommand: 16384 }, {
      frame: (f) => frames.push(f),
      literal: (a) => (a.size > 4096 ? new ImapError('BAD', 'too big', 'TOOBIG') : undefined),
      proceed: () => undefined,
    });
    let at = 0;
    for (const c of [...cuts.map((x) => x % (data.length + 1)).sort((a, b) => a - b), data.length]) { framer.push(data.subarray(at, Math.max(at, c))); at = Math.max(at, c); }
    for (const f of frames) {
      if (f.error) continue;
      try { parseCommand(f); } catch (e) { if (!(e instanceof ImapError)) throw e; }
    }
  }, (e) => e instanceof ImapError),
};

// ---- IMAP session (a real store; the socket is a stream in memory) --------------------------
class MemorySocket extends Duplex {
  remoteAddress = '127.0.0.1';
  written = 0;
  override _read(): void { /* input is pushed */ }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void { this.written += chunk.length; cb(); }
  override end(): this { this.destroy(); return this; }
}

const sessionCommand = fc.oneof(
  fc.constantFrom('a CAPABILITY', 'a NOOP', 'a SELECT INBOX', 'a EXAMINE INBOX', 'a FETCH 1:* (FLAGS UID ENVELOPE BODYSTRUCTURE)', 'a UID FETCH 1:* BODY.PEEK[]',
    'a FETCH 1 (BODY.PEEK[1] BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)] BINARY.PEEK[1] RFC822.SIZE)', 'a SEARCH TEXT hello', 'a SEARCH OR FROM a NOT SEEN',
    'a UID SEARCH RETURN (MIN MAX COUNT SAVE) ALL', 'a FETCH $ FLAGS', 'a STORE 1:* +FLAGS (\\Seen $x)', 'a UID STORE 1 -FLAGS.SILENT (\\Seen)', 'a COPY 1:* Archive',
    'a MOVE 1 INBOX', 'a EXPUNGE', 'a CREATE Archive', 'a CREATE "a/b/c"', 'a RENAME Archive Old', 'a DELETE Old', 'a LIST "" "*"', 'a LSUB "" %',
    'a STATUS INBOX (MESSAGES UIDNEXT UNSEEN HIGHESTMODSEQ SIZE)', 'a ENABLE QRESYNC UTF8=ACCEPT IMAP4rev2', 'a NAMESPACE', 'a GETQUOTAROOT INBOX',
    'a APPEND INBOX (\\Seen) {30+}\r\nSubject: hi\r\n\r\nhello world!\r\n', 'a APPEND INBOX {5+}\r\nab\r\nc', 'a IDLE\r\nDONE', 'a CLOSE', 'a UNSELECT',
    'a LOGIN alice@example.test wrong', 'a ID ("name" "fuzz")', 'a SELECT INBOX (QRESYNC (1 1 1:5))', 'a FETCH 1:5 (FLAGS) (CHANGEDSINCE 1 VANISHED)', 'a CHECK'),
  imapPiece.map((p) => `a ${p}`),
  fc.array(imapPiece, { maxLength: 8 }).map((ps) => ps.join('')),
);

const imapSession: FuzzTarget = {
  name: 'imap-session',
  async run(max, ms, shard) {
    const app = await startTestAppliance({ listeners: [] });
    const account = await app.store.accounts.create('alice@example.test', 'correct horse');
    app.store.deliver([{ accountId: account.id }], Buffer.from('Subject: hello\r\nFrom: a@b.example\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nhello\r\n--b--\r\n'));
    imapLimits.authFailureDelayMs = 0;
    const opts = {
      store: app.store, pipeline: new MailPipeline(app.store), config: app.config, throttle: new AuthThrottle(),
      secureContext: createSecureContext({}), implicitTls: true, appendLimit: 1024 * 1024,
    };
    const r: FuzzResult = { runs: 0, crashes: 0, maxMs: 0, stalls: 0, note: 'in-process sessions over an in-memory socket, 32 at a time, a real store; half start logged in (LOGIN\'s Argon2 would dominate)' };
    const end = performance.now() + ms;
    let batch = 0;
    // Event-loop stalls: a timer that should fire every 50 ms.
    let last = performance.now();
    const lag = setInterval(() => { const now = performance.now(); const d = now - last - 50; if (d > r.maxMs) r.maxMs = d; if (d > 1000) r.stalls++; last = now; }, 50);
    const one = async ([cmds, loggedIn]: [string[], boolean]) => {
      const socket = new MemorySocket();
      const session = new Session(socket as unknown as import('node:net').Socket, opts);
      if (loggedIn) session.login(app.store.accounts.byId(account.id)!);
      const closed = new Promise<void>((res) => socket.once('close', () => res()));
      session.start();
      socket.push(latin1(cmds.join('\r\n') + '\r\nz LOGOUT\r\n'));
      let timer: NodeJS.Timeout | undefined;
      // A session still open a second after its LOGOUT was pushed waits for input (a literal,
      // IDLE, an AUTHENTICATE continuation); a stuck event loop shows as a stall instead.
      const outcome = await Promise.race([closed.then(() => 'closed'), new Promise((res) => { timer = setTimeout(() => res('waiting'), 1000); })]);
      clearTimeout(timer);
      // A command waiting for more input (a literal, IDLE) is not a crash: end the session.
      if (outcome !== 'closed') socket.destroy();
    };
    while (r.runs < max && performance.now() < end) {
      const inputs = fc.sample(fc.tuple(fc.array(sessionCommand, { minLength: 1, maxLength: 12 }), fc.boolean()), { numRuns: Math.min(800, max - r.runs), seed: 3501 + shard * SHARD_SEEDS + batch++ });
      await pool(inputs, 32, one);
      r.runs += inputs.length;
      if (batch % 10 === 0 && !app.store.check().ok) { r.crashes++; r.example ??= 'fsck found a problem'; break; }
    }
    if (!app.store.check().ok) { r.crashes++; r.example ??= 'fsck found a problem'; }
    clearInterval(lag);
    await app.stop();
    return r;
  },
};

// ---- SMTP -------------------------------------------------------------------------------------
const smtpData = fc.array(fc.oneof(
  fc.constantFrom('\r\n', '\n', '\r', '.\r\n', '..\r\n', 'Subject: x\r\n', '\r\n\r\n', 'X-A: b\r\n', ' folded\r\n', '\0', 'x'.repeat(999), 'y'.repeat(1001)),
  fc.string({ maxLength: 50 }),
  fc.uint8Array({ maxLength: 50 }).map((b) => latin1(b).toString('latin1')),
), { maxLength: 40 });

const smtpReader: FuzzTarget = {
  name: 'smtp-message-reader',
  async run(max, ms, shard) {
    const r: FuzzResult = { runs: 0, crashes: 0, maxMs: 0, stalls: 0 };
    const end = performance.now() + ms;
    let batch = 0;
    while (r.runs < max && performance.now() < end) {
      for (const pieces of fc.sample(smtpData, { numRuns: 1000, seed: 5321 + shard * SHARD_SEEDS + batch++ })) {
        const t0 = performance.now();
        try {
          const res = await readMessage(Readable.from(pieces.map((p) => latin1(p))), 64 * 1024);
          if (res.ok && res.raw.length !== pieces.reduce((n, p) => n + latin1(p).length, 0)) throw new Error('bytes lost');
        } catch (e) { r.crashes++; r.example ??= `${(e as Error).message} on ${show(pieces)}`; }
        const dt = performance.now() - t0;
        if (dt > r.maxMs) r.maxMs = dt;
        if (dt > 1000) r.stalls++;
        r.runs++;
      }
    }
    return r;
  },
};

const smtpPiece = fc.oneof(
  fc.constantFrom('EHLO fuzz.example\r\n', 'HELO fuzz\r\n', 'MAIL FROM:<x@example.org>\r\n', 'MAIL FROM:<> RET=HDRS ENVID=x+2B\r\n', 'RCPT TO:<alice@example.test>\r\n',
    'RCPT TO:<alice@example.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;a@b\r\n', 'RCPT TO:<nobody@example.test>\r\n', 'RCPT TO:<a@elsewhere.org>\r\n', 'DATA\r\n', '.\r\n',
    'RSET\r\n', 'NOOP\r\n', 'VRFY alice\r\n', 'STARTTLS\r\n', 'AUTH PLAIN AAAA\r\n', 'AUTH LOGIN\r\n', 'BDAT 10 LAST\r\n', 'Subject: x\r\n\r\nbody\r\n',
    'Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n--b\r\n', '\n.\n', '\r\n.\r\n', 'line\rwith CR\r\n', 'QUIT\r\n'),
  fc.string({ maxLength: 40 }).map((s) => s + '\r\n'),
  fc.uint8Array({ maxLength: 60 }).map((b) => latin1(b).toString('latin1')),
);

const SMTP_SEEDS = [
  'EHLO fuzz.example\r\nMAIL FROM:<x@example.org> SIZE=100 BODY=8BITMIME\r\nRCPT TO:<alice@example.test>\r\nDATA\r\nFrom: x@example.org\r\nSubject: hi\r\n\r\nbody\r\n.\r\n',
  'HELO a\r\nMAIL FROM:<>\r\nRCPT TO:<alice@example.test> NOTIFY=NEVER\r\nRCPT TO:<ALICE@EXAMPLE.TEST>\r\nDATA\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nx\r\n--b--\r\n.\r\n',
  'EHLO x\r\nMAIL FROM:<a@b> SMTPUTF8\r\nRCPT TO:<alice@example.test>\r\nBDAT 5 LAST\r\nab\r\nc',
  'EHLO x\r\nVRFY alice\r\nRSET\r\nNOOP\r\nHELP\r\nSTARTTLS\r\n',
].map((x) => Buffer.from(x, 'latin1'));
const SMTP_TOKENS = ['\r\n', '\n', '\r', '.\r\n', '\r\n.\r\n', '\n.\n', '<', '>', ':', '@', ' ', '\0', '\xff', 'DATA\r\n', 'RCPT TO:<alice@example.test>\r\n'];
const smtpSessionInput = fc.oneof(fc.array(smtpPiece, { minLength: 1, maxLength: 25 }), mutated(SMTP_SEEDS, SMTP_TOKENS).map((b) => [b.toString('latin1')]));

const smtpSession: FuzzTarget = {
  name: 'smtp-session',
  async run(max, ms, shard) {
    const app = await startTestAppliance({ listeners: ['mx'], config: { delivery: { dnsServers: ['127.0.0.1:9'] }, smtp: { maxConnectionsPerClient: 1000, messagesPerMinutePerClient: 1_000_000 } } });
    await app.store.accounts.create('alice@example.test', 'correct horse');
    const r: FuzzResult = { runs: 0, crashes: 0, maxMs: 0, stalls: 0, note: 'whole-wire: real MX sockets on loopback, 48 sessions at a time, a real store' };
    const end = performance.now() + ms;
    let last = performance.now();
    const lag = setInterval(() => { const now = performance.now(); const d = now - last - 50; if (d > r.maxMs) r.maxMs = d; if (d > 1000) r.stalls++; last = now; }, 50);
    let batch = 0;
    const one = async (pieces: string[]) => {
      const c = await RawSmtp.open(app.port('mx'));
      await c.reply();
      for (const p of pieces) { if (c.closed) break; c.write(latin1(p)); }
      c.write('\r\n.\r\nQUIT\r\n');
      await c.reply(3000).catch(() => '');
      c.close();
    };
    while (r.runs < max && performance.now() < end) {
      const inputs = fc.sample(smtpSessionInput, { numRuns: Math.min(512, max - r.runs), seed: 25 + shard * SHARD_SEEDS + batch++ });
      await pool(inputs, 48, one);
      r.runs += inputs.length;
      const probe = await RawSmtp.open(app.port('mx'));
      const greeting = await probe.reply();
      probe.close();
      if (!greeting.startsWith('220 ')) { r.crashes++; r.example ??= `no greeting after batch ${batch}: ${greeting}`; }
    }
    clearInterval(lag);
    if (!app.store.check().ok) { r.crashes++; r.example ??= 'fsck found a problem'; }
    await app.stop();
    return r;
  },
};

// ---- Tor control replies, peer cards -------------------------------------------------------
const torPiece = fc.oneof(
  fc.constantFrom('250 OK\r\n', '250-version=0.4.8\r\n', '250+onions/current=\r\n', 'abc\r\n', '.\r\n', '..x\r\n', '650 STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=100\r\n',
    '515 Authentication failed\r\n', '250 ServiceID=x\r\n', '\r\n', '\n', '2', '25', '250', '250 '),
  fc.string({ maxLength: 40 }),
  fc.uint8Array({ maxLength: 40 }).map((b) => latin1(b).toString('latin1')),
);
const TOR_SEEDS = [
  '250-version=0.4.9.11\r\n250 OK\r\n', '250+onions/current=\r\nabc\r\n..dot\r\n.\r\n250 OK\r\n', '250-ServiceID=abcdef\r\n250-PrivateKey=ED25519-V3:AAAA\r\n250 OK\r\n',
  '650-CIRC 1 BUILT\r\n650 STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=100 TAG=done\r\n', '515 Authentication failed: Wrong length on authentication cookie.\r\n', '552 Unrecognized key "x"\r\n',
  '250-PROTOCOLINFO 1\r\n250-AUTH METHODS=COOKIE,SAFECOOKIE COOKIEFILE="/run/tor/control.authcookie"\r\n250-VERSION Tor="0.4.9.11"\r\n250 OK\r\n',
].map((x) => Buffer.from(x, 'latin1'));
const tor: FuzzTarget = {
  name: 'tor-control-reply',
  run: syncCampaign(fc.oneof(fc.array(torPiece, { maxLength: 30 }), mutated(TOR_SEEDS, ['\r\n', '\n', '.', '-', '+', ' ', '250', '650', '\0', '\xff']).map((b) => [b.toString('latin1')])), 7000, (pieces) => {
    const p = new ReplyParser(() => undefined);
    for (const x of pieces) p.feed(latin1(x));
  }, (e) => e instanceof ControlProtocolError),
};

const cardLine = fc.oneof(
  fc.constantFrom('-----BEGIN POSTERN PEER CARD-----', '-----END POSTERN PEER CARD-----', 'Version: 2', 'Version: 1', 'Domains: example.org, b.example',
    'Onion: ' + 'a'.repeat(56) + '.onion', 'Port: 25', 'Port: 99999', 'TLS-SPKI-SHA256: ' + 'ab'.repeat(32), 'Created: 2026-01-01T00:00:00Z', 'Signature: AAAA',
    '> quoted', '', ': :', 'Domains:', 'Domains: ' + 'x.'.repeat(200) + 'org'),
  fc.string({ maxLength: 60 }),
);
const identity = new OnionIdentity(randomBytes(32));
const CARD_SEEDS = [
  writePeerCard({ host: 'mail.peer.test', domains: ['peer.test', 'family.example'], port: 25, spki: 'ab'.repeat(32), created: '2026-11-20T10:00:00Z' }, identity),
  writePeerCard({ host: 'mail.old.test', domains: ['old.test'], port: 2525, fingerprint: 'cd'.repeat(32), created: '2025-01-01T00:00:00Z' }, identity),
].map((x) => Buffer.from(x, 'utf8'));
const CARD_TOKENS = ['\n', '\r\n', ': ', ',', ' ', 'Domains: ', 'Version: 3\n', '.onion', '=', '-----', '\0', '\xff', 'é'];
const cards: FuzzTarget = {
  name: 'peer-card',
  run: syncCampaign(fc.oneof(fc.array(cardLine, { maxLength: 20 }).map((ls) => ls.join('\n')), mutated(CARD_SEEDS, CARD_TOKENS).map((b) => b.toString('utf8'))), 6000, (text) => { readPeerCard(text); }, (e) => e instanceof PeerCardError),
};

// ---- Panel forms (a real appliance over HTTPS) ------------------------------------------------
const FORMS = ['/accounts', '/accounts/2/quota', '/accounts/2/password', '/aliases', '/aliases/remove', '/domains', '/peers', '/peers/remove', '/queue/1/remove',
  '/queue/1/retry', '/onion-access', '/onion-access/remove', '/openpgp/import', '/signin'];
const formField = fc.tuple(
  fc.constantFrom('local', 'domain', 'password', 'role', 'next', 'quota', 'address', 'target', 'alias', 'card', 'name', 'key', 'csrf', 'confirm', 'replace', 'x'),
  fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('', 'example.test', 'admin', 'member', '-1', '1e309', '../../etc', '<script>', '%00', 'a'.repeat(5000))),
);
const panel: FuzzTarget = {
  name: 'panel-forms',
  async run(max, ms, shard) {
    const app = await startTestAppliance({ listeners: ['panel'] });
    await app.store.accounts.create('admin@example.test', 'admin-password-1234', { role: 'admin' });
    await app.store.accounts.create('bob@example.test', 'bob-password-12345');
    const admin = new PanelHttp(app.port('panel'), app.appliance.tls.ca);
    await admin.signIn('admin@example.test', 'admin-password-1234');
    await admin.get('/accounts');
    const stranger = new PanelHttp(app.port('panel'), app.appliance.tls.ca, '127.0.0.2');
    await stranger.get('/signin');
    const r: FuzzResult = { runs: 0, crashes: 0, maxMs: 0, stalls: 0, note: 'whole-wire: signed-in admin forms and the stranger\'s sign-in, over HTTPS, 8 requests at a time' };
    const end = performance.now() + ms;
    let batch = 0;
    while (r.runs < max && performance.now() < end) {
      const inputs = fc.sample(fc.tuple(fc.constantFrom(...FORMS), fc.array(formField, { maxLength: 8 }), fc.option(fc.string({ maxLength: 80 }))), { numRuns: Math.min(200, max - r.runs), seed: 80 + shard * SHARD_SEEDS + batch++ });
      await pool(inputs, 8, async ([path, fields, raw]) => {
        const client = path === '/signin' ? stranger : admin;
        const body = raw ?? new URLSearchParams(fields).toString();
        const t0 = performance.now();
        try {
          const res = await client.request('POST', path, { body: `csrf=${encodeURIComponent(client.csrf ?? '')}&${body}`, headers: { 'x-csrf-token': client.csrf ?? '' } });
          if (res.status >= 500) { r.crashes++; r.example ??= `${res.status} for ${path} ${show(body)}: ${res.body.slice(0, 200)}`; }
        } catch (e) { r.crashes++; r.example ??= `${(e as Error).message} for ${path}`; }
        const dt = performance.now() - t0;
        if (dt > r.maxMs) r.maxMs = dt;
        r.runs++;
      });
      // Keep the admin signed in (a fuzzed form may have changed the session).
      if ((await admin.get('/accounts')).status !== 200) { await admin.signIn('admin@example.test', 'admin-password-1234'); await admin.get('/accounts'); }
    }
    await app.stop();
    return r;
  },
};

export const TARGETS: FuzzTarget[] = [mime, imapParser, tor, cards, smtpReader, imapSession, smtpSession, panel];
