// CONTEXT=SEARCH and CONTEXT=SORT (RFC 5267: SEARCH/SORT RETURN (UPDATE), ESEARCH ADDTO and
// REMOVEFROM as mail arrives, flags change and messages are expunged by other sessions,
// CANCELUPDATE) and PARTIAL (RFC 9394: SEARCH/SORT RETURN (PARTIAL), FETCH's PARTIAL modifier),
// over TLS against a real appliance. Also: no EXPUNGE during SORT and THREAD (RFC 3501 7.4.1).
import t, { type Test } from 'tap';
import type { TestAppliance } from './harness/appliance.js';
import { startImapsAccount } from './harness/imap-account.js';
import { ImapLineClient } from './harness/imap-line.js';

let app: TestAppliance;
let ca: string;
let accountId: number;
let n = 0;

t.before(async () => { ({ app, ca, accountId } = await startImapsAccount()); });
t.teardown(() => app.stop());

async function deliver(count: number, subject = 'note'): Promise<void> {
  for (let i = 0; i < count; i++) {
    n++;
    await app.store.deliver([{ accountId }], Buffer.from(`From: bob@example.org\r\nSubject: ${subject} ${n}\r\nMessage-ID: <c${n}@example.org>\r\n\r\nHello ${n}\r\n`), Date.UTC(2026, 0, 1) + n * 60_000);
  }
}

async function session(t: Test, mailbox = 'INBOX'): Promise<ImapLineClient> {
  const c = await ImapLineClient.tls(app.port('imaps'), ca);
  t.teardown(() => c.close());
  if ((await c.command('LOGIN alice@example.test "correct horse"')).status !== 'OK') throw new Error('login failed');
  if ((await c.command(`SELECT ${mailbox}`)).status !== 'OK') throw new Error('select failed');
  return c;
}

const esearch = (lines: string[]): string[] => lines.filter((l) => l.startsWith('* ESEARCH'));

t.test('capabilities', async (t) => {
  const c = await session(t);
  const caps = (await c.command('CAPABILITY')).lines.join(' ');
  for (const cap of ['CONTEXT=SEARCH', 'CONTEXT=SORT', 'PARTIAL', 'ESORT']) t.match(caps, new RegExp(` ${cap}( |$)`), cap);
});

t.test('PARTIAL pages SEARCH, SORT and FETCH', async (t) => {
  await deliver(10); // UIDs 1:10
  const c = await session(t);
  let r = await c.command('SEARCH RETURN (PARTIAL -1:-3) ALL');
  t.same(esearch(r.lines), [`* ESEARCH (TAG "${r.tagged.split(' ')[0]}") PARTIAL (-1:-3 8:10)`], 'the last three');
  r = await c.command('UID SEARCH RETURN (PARTIAL 9:2 COUNT) ALL');
  t.same(esearch(r.lines), [`* ESEARCH (TAG "${r.tagged.split(' ')[0]}") UID COUNT 10 PARTIAL (2:9 2:9)`], '9:2 is 2:9, with COUNT of the whole result');
  r = await c.command('SEARCH RETURN (PARTIAL 11:20) ALL');
  t.match(esearch(r.lines)[0], /PARTIAL \(11:20 NIL\)$/, 'past the end: NIL');
  r = await c.command('SEARCH RETURN (PARTIAL -9:-20) 1,3,5');
  t.match(esearch(r.lines)[0], /PARTIAL \(-9:-20 NIL\)$/, 'before the start: NIL');
  for (const bad of ['PARTIAL 1', 'PARTIAL 1:*', 'PARTIAL -1:2', 'PARTIAL 0:2', 'ALL PARTIAL 1:2', 'PARTIAL']) {
    t.equal((await c.command(`SEARCH RETURN (${bad}) ALL`)).status, 'BAD', `RETURN (${bad}) is BAD`);
  }
  r = await c.command('SORT RETURN (PARTIAL 1:3) (REVERSE ARRIVAL) UTF-8 ALL');
  t.match(esearch(r.lines)[0], /PARTIAL \(1:3 10,9,8\)$/, 'SORT: the first three in sort order');
  r = await c.command('UID FETCH 1:* (FLAGS) (PARTIAL -1:-2)');
  t.same(r.lines.map((l) => l.replace(/ FLAGS \([^)]*\)/, '')), ['* 9 FETCH (UID 9)', '* 10 FETCH (UID 10)'], 'FETCH (PARTIAL -1:-2): the last two of the set');
  r = await c.command('FETCH 2:8 (UID) (PARTIAL 2:3)');
  t.same(r.lines, ['* 3 FETCH (UID 3)', '* 4 FETCH (UID 4)'], 'FETCH (PARTIAL 2:3) counts within the set');
  r = await c.command('SEARCH RETURN (SAVE PARTIAL 1:2) ALL');
  r = await c.command('UID FETCH $ (UID)');
  t.same(r.lines, ['* 1 FETCH (UID 1)', '* 2 FETCH (UID 2)'], 'SAVE with PARTIAL keeps the page');
});

t.test('SEARCH RETURN (UPDATE): ADDTO and REMOVEFROM follow other sessions', async (t) => {
  const a = await session(t);
  const b = await session(t);
  const r = await a.command('UID SEARCH RETURN (UPDATE COUNT) UNSEEN');
  const tag = r.tagged.split(' ')[0]!;
  t.same(esearch(r.lines), [`* ESEARCH (TAG "${tag}") UID COUNT 10`], 'the first answer as asked');
  await deliver(1); // UID 11
  let lines = (await a.command('NOOP')).lines;
  t.ok(lines.indexOf('* 11 EXISTS') >= 0 && lines.indexOf(`* ESEARCH (TAG "${tag}") UID ADDTO (0 11)`) > lines.indexOf('* 11 EXISTS'), 'new mail: ADDTO after EXISTS', { lines });
  await b.command('NOOP'); // b learns of UID 11
  await b.command('UID STORE 2,4,11 +FLAGS.SILENT (\\Seen)');
  lines = (await a.command('NOOP')).lines;
  t.same(esearch(lines), [`* ESEARCH (TAG "${tag}") UID REMOVEFROM (0 2,4,11)`], 'seen elsewhere: REMOVEFROM');
  await b.command('UID STORE 4 -FLAGS.SILENT (\\Seen)');
  // the update comes unasked while the client idles
  const idle = a.nextTag();
  a.write(`${idle} IDLE\r\n`);
  t.match(await a.line(), /^\+ /);
  await b.command('UID STORE 5 +FLAGS.SILENT (\\Seen)');
  const seen: string[] = [];
  while (seen.length < 8 && !seen.some((l) => l.includes('REMOVEFROM'))) seen.push(await a.line());
  t.ok(seen.includes(`* ESEARCH (TAG "${tag}") UID ADDTO (0 4)`), 'unseen again (before IDLE): ADDTO', { seen });
  t.ok(seen.includes(`* ESEARCH (TAG "${tag}") UID REMOVEFROM (0 5)`), 'seen during IDLE: REMOVEFROM, unasked', { seen });
  a.write('DONE\r\n');
  await a.until(idle);

  // a sequence-number context: REMOVEFROM names the numbers before the EXPUNGEs
  const seq = await a.command('SEARCH RETURN (UPDATE) ALL');
  const stag = seq.tagged.split(' ')[0]!;
  t.same(esearch(seq.lines), [`* ESEARCH (TAG "${stag}")`], 'UPDATE alone: no result data');
  await b.command('STORE 3,5 +FLAGS.SILENT (\\Deleted)');
  await b.command('EXPUNGE');
  lines = (await a.command('NOOP')).lines;
  const rm = lines.indexOf(`* ESEARCH (TAG "${stag}") REMOVEFROM (0 3,5)`);
  t.ok(rm >= 0 && rm < lines.indexOf('* 3 EXPUNGE'), 'REMOVEFROM (0 3,5) before the EXPUNGEs', { lines });
  t.same(lines.filter((l) => l.endsWith('EXPUNGE')), ['* 3 EXPUNGE', '* 4 EXPUNGE']);
  t.same(esearch(lines).filter((l) => l.includes(`"${tag}"`)), [`* ESEARCH (TAG "${tag}") UID REMOVEFROM (0 3)`], 'the UID context loses the unseen UID 3 (UID 5 had left already)');

  t.equal((await a.command(`CANCELUPDATE "${stag}" "${tag}"`)).status, 'OK', 'CANCELUPDATE');
  t.equal((await a.command('CANCELUPDATE "nosuch"')).status, 'NO', 'CANCELUPDATE of an unknown tag: NO');
  await deliver(1);
  lines = (await a.command('NOOP')).lines;
  t.ok(lines.some((l) => l.endsWith('EXISTS')), 'the new message is announced');
  t.same(esearch(lines), [], 'no update after CANCELUPDATE');
});

t.test('SORT RETURN (UPDATE): positions in sort order', async (t) => {
  const a = await session(t);
  const b = await session(t);
  const before = await a.command('UID SORT RETURN (UPDATE COUNT) (REVERSE ARRIVAL) UTF-8 ALL');
  const tag = before.tagged.split(' ')[0]!;
  const count = Number(/COUNT ([0-9]+)/.exec(esearch(before.lines)[0] ?? '')?.[1]);
  t.ok(count > 0, `the context holds ${count} messages`);
  await deliver(1);
  const uid = n; // the delivered message's UID is the counter (no other mailbox)
  let lines = (await a.command('NOOP')).lines;
  t.same(esearch(lines), [`* ESEARCH (TAG "${tag}") UID ADDTO (1 ${uid})`], 'the newest arrival goes first in REVERSE ARRIVAL');
  await b.command('NOOP');
  await b.command(`UID STORE ${uid} +FLAGS.SILENT (\\Deleted)`);
  await b.command(`UID EXPUNGE ${uid}`);
  lines = (await a.command('NOOP')).lines;
  t.same(esearch(lines), [`* ESEARCH (TAG "${tag}") UID REMOVEFROM (1 ${uid})`], 'expunged: REMOVEFROM at its position');
  // leaving the mailbox ends the context
  await a.command('SELECT INBOX');
  await deliver(1);
  lines = (await a.command('NOOP')).lines;
  t.same(esearch(lines), [], 'no update after the mailbox was selected again');
});

t.test('no EXPUNGE during SORT or THREAD; during UID SORT it may come', async (t) => {
  const a = await session(t);
  const b = await session(t);
  await b.command('STORE 1 +FLAGS.SILENT (\\Deleted)');
  await b.command('EXPUNGE');
  for (const cmd of ['SORT (ARRIVAL) UTF-8 ALL', 'THREAD ORDEREDSUBJECT UTF-8 ALL', 'SEARCH ALL', 'FETCH 1 (UID)']) {
    const r = await a.command(cmd);
    t.equal(r.status, 'OK', cmd);
    t.same(r.lines.filter((l) => l.endsWith('EXPUNGE')), [], `${cmd}: no EXPUNGE`);
  }
  const r = await a.command('UID SORT (ARRIVAL) UTF-8 ALL');
  t.same(r.lines.filter((l) => l.endsWith('EXPUNGE')), ['* 1 EXPUNGE'], 'UID SORT: the EXPUNGE is sent');
});
