// npm run bench -- junk-e2e: the junk filter end to end through a real appliance (in this process,
// real listeners on loopback), on the same split of the SpamAssassin corpus as `junk`:
//  1. the training half arrives over SMTP at the MX (several connections at once), as mail does;
//     the filter knows nothing yet, so it lands in the INBOX (a stranger's risky attachment in Junk);
//  2. the person sorts it with an IMAP client (imapflow), 100 messages per MOVE: spam into Junk,
//     ham the filter put in Junk out of it (to the INBOX), the rest of the ham into Archive (kept
//     mail). Training runs from those MOVEs only; after each MOVE the benchmark waits for the
//     filter's training queue to be empty (with a deadline and a message saying how far it got);
//  3. the test half arrives over SMTP; each message is counted by the folder it landed in (read
//     back over IMAP: INBOX or Junk), by the Return-Path the MX wrote (its envelope sender names
//     the corpus message).
import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { startTestAppliance, tempDir } from '../test/harness/appliance.js';
import { startDnsServer } from '../test/harness/dns-server.js';
import { ImapLineClient } from '../test/harness/imap-line.js';
import type { JunkService } from '../appliance/junk/service.js';
import type { JunkFilter } from '../appliance/junk/filter.js';
import type { Store } from '../appliance/store/index.js';
import { loadCorpus, tally, describe, type CorpusMessage } from './junk-corpus.js';

const PASSWORD = 'correct horse battery';
const ACCOUNT = 'alice@example.test';
const CONNECTIONS = Number(process.argv[2] ?? 6);
const MOVE_BATCH = 100;
/** how long one MOVE's training may take before the benchmark gives up (a loaded machine) */
const TRAIN_DEADLINE_MS = 180_000;

const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

/** Send messages to the MX over `CONNECTIONS` connections; the envelope sender names the message. */
async function deliver(port: number, msgs: readonly CorpusMessage[], tag: string): Promise<{ ms: number; refused: Array<{ i: number; error: string }> }> {
  const transport = nodemailer.createTransport({ pool: true, maxConnections: CONNECTIONS, maxMessages: Infinity, host: '127.0.0.1', port, secure: false, ignoreTLS: true, name: 'relay.sender.example' });
  const refused: Array<{ i: number; error: string }> = [];
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < msgs.length) {
      const i = next++;
      try {
        await transport.sendMail({ envelope: { from: `${tag}-${i}@corpus.example`, to: [ACCOUNT] }, raw: msgs[i]!.raw });
      } catch (e) {
        refused.push({ i, error: (e as Error).message.slice(0, 200) });
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  transport.close();
  return { ms: performance.now() - t0, refused };
}

/** UID of every message in the selected mailbox, by the corpus index its Return-Path names. */
async function byIndex(c: ImapFlow, mailbox: string, tag: string): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  const box = await c.mailboxOpen(mailbox);
  if (!box.exists) return out;
  const re = new RegExp(`^Return-Path:\\s*<${tag}-(\\d+)@corpus\\.example>`, 'im');
  for await (const m of c.fetch('1:*', { uid: true, headers: ['return-path'] })) {
    const hit = re.exec(m.headers?.toString('latin1') ?? '');
    if (hit) out.set(Number(hit[1]), m.uid);
  }
  return out;
}

/** Wait until the filter trained everything the MOVEs so far queued, or fail saying how far it got. */
async function trainingDone(filter: JunkFilter, store: Store, accountId: number, after: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const st = store.junk.state(accountId);
      reject(new Error(`training after ${after} did not finish within ${TRAIN_DEADLINE_MS / 1000} s (load ${load()}): ${st.spamTrained} spam and ${st.hamTrained} ham trained so far`));
    }, TRAIN_DEADLINE_MS);
  });
  try { await Promise.race([filter.idle(), deadline]); } finally { clearTimeout(timer); }
}

async function moveAll(c: ImapFlow, uids: number[], to: string, done: () => Promise<void>): Promise<void> {
  for (let i = 0; i < uids.length; i += MOVE_BATCH) {
    const r = await c.messageMove(uids.slice(i, i + MOVE_BATCH), to, { uid: true });
    if (!r) throw new Error(`MOVE to ${to} failed`);
    await done();
  }
}

const dir = tempDir('postern-bench-junk-e2e-');
const dns = await startDnsServer({});
const app = await startTestAppliance({ dataDir: dir, listeners: ['mx', 'imaps'], config: { delivery: { dnsServers: [dns.address] }, smtp: { messagesPerMinutePerClient: 1_000_000, maxConnectionsPerClient: 64 } } });
try {
  const { train, test } = loadCorpus();
  console.log(`machine: ${cpus().length}x ${cpus()[0]?.model ?? '?'}, load ${load()}`);
  console.log(`corpus: ${train.length} to train, ${test.length} to classify (seed 20261204); ${CONNECTIONS} SMTP connections`);
  const acc = await app.store.accounts.create(ACCOUNT, PASSWORD);
  const filter = app.appliance.service<JunkService>('junk')!.filter;
  const st = () => app.store.junk.state(acc.id);

  // 1. the training half arrives
  let d = await deliver(app.port('mx'), train, 'train');
  console.log(`training half delivered over SMTP: ${train.length - d.refused.length} in ${(d.ms / 1000).toFixed(1)} s (${(train.length / (d.ms / 1000)).toFixed(0)} messages/s), ${d.refused.length} refused, load ${load()}`);
  for (const r of d.refused.slice(0, 5)) console.log(`  refused train ${r.i} (${train[r.i]!.group} ${train[r.i]!.id}): ${r.error}`);

  // 2. the person sorts it over IMAP
  const c = new ImapFlow({ host: '127.0.0.1', port: app.port('imaps'), secure: true, auth: { user: ACCOUNT, pass: PASSWORD }, tls: { ca: ImapLineClient.caOf(app.dataDir), servername: 'localhost' }, logger: false });
  await c.connect();
  const done = (what: string) => () => trainingDone(filter, app.store, acc.id, what);
  const t0 = performance.now();
  const inJunk = await byIndex(c, 'Junk', 'train');
  const hamOut = [...inJunk].filter(([i]) => !train[i]!.spam).map(([, uid]) => uid);
  await moveAll(c, hamOut, 'INBOX', done('MOVE out of Junk'));
  const inbox = await byIndex(c, 'INBOX', 'train');
  const spamIn = [...inbox].filter(([i]) => train[i]!.spam).map(([, uid]) => uid);
  const hamKept = [...inbox].filter(([i]) => !train[i]!.spam).map(([, uid]) => uid);
  await moveAll(c, spamIn, 'Junk', done('MOVE into Junk'));
  await moveAll(c, hamKept, 'Archive', done('MOVE into Archive'));
  const trainMs = performance.now() - t0;
  const spamLeft = [...inJunk].filter(([i]) => train[i]!.spam).length;
  console.log(`sorted over IMAP in ${(trainMs / 1000).toFixed(1)} s: ${spamIn.length} spam moved into Junk (${spamLeft} already there, untrained), ${hamOut.length} ham moved out of Junk, ${hamKept.length} ham moved into Archive; ${MOVE_BATCH} per MOVE, load ${load()}`);
  console.log(`trained: ${st().spamTrained} spam, ${st().hamTrained} ham (${(trainMs / (spamIn.length + hamOut.length + hamKept.length)).toFixed(1)} ms per message moved, MOVE + training)`);

  // 3. the test half arrives and is counted by folder
  d = await deliver(app.port('mx'), test, 'test');
  console.log(`test half delivered over SMTP: ${test.length - d.refused.length} in ${(d.ms / 1000).toFixed(1)} s (${(test.length / (d.ms / 1000)).toFixed(0)} messages/s), ${d.refused.length} refused, load ${load()}`);
  for (const r of d.refused.slice(0, 5)) console.log(`  refused test ${r.i} (${test[r.i]!.group} ${test[r.i]!.id}): ${r.error}`);
  const junked = await byIndex(c, 'Junk', 'test');
  const kept = await byIndex(c, 'INBOX', 'test');
  const missing = test.map((_, i) => i).filter((i) => !junked.has(i) && !kept.has(i) && !d.refused.some((r) => r.i === i));
  if (missing.length) throw new Error(`${missing.length} delivered test messages are in neither INBOX nor Junk`);
  const results = test.map((m, i) => ({ m, junk: junked.has(i) })).filter((_, i) => junked.has(i) || kept.has(i));
  console.log(`threshold ${st().threshold}, counted by folder: ${describe(tally(results))}`);
  if (process.env.JUNK_E2E_LIST) {
    for (const [i] of junked) if (!test[i]!.spam) console.log(`  ham in Junk: ${test[i]!.group} ${test[i]!.id}`);
  }
  console.log(`model: ${app.store.junk.featureCount(acc.id)} features, ${(app.store.junk.modelBytes(acc.id) / 1048576).toFixed(2)} MB in SQLite`);
  await c.logout();
} finally {
  await app.stop();
  await dns.close();
  rmSync(dir, { recursive: true, force: true });
}
