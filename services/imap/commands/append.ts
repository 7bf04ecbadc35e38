// APPEND (RFC 9051 6.3.12) with APPENDUID (RFC 4315), APPENDLIMIT (RFC 7889; the framer refuses a
// larger literal before it is sent), [TRYCREATE], [OVERQUOTA], binary literals (RFC 3516) and
// UTF8 (literal8) (RFC 6855). The message goes through the pipeline's storage steps (encryption at
// rest) and is answered OK only once the store has it durably.
import type { ImapArg } from '../wire.js';
import { ArgReader, flagArg } from '../args.js';
import { bad, no } from '../errors.js';
import { nameFromArg } from '../mailbox-name.js';
import { AUTHED, type CommandHandler } from '../session-state.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** date-time (RFC 9051 9): "dd-Mon-yyyy hh:mm:ss +zzzz", the day may be space-padded. */
export function parseDateTime(text: string): number {
  const m = /^([ 0-9]?[0-9])-([A-Za-z]{3})-([0-9]{4}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) ([+-])([0-9]{2})([0-9]{2})$/.exec(text);
  const month = m ? MONTHS.indexOf(m[2]!.toLowerCase()) : -1;
  if (!m || month < 0) throw bad(`APPEND: invalid date-time "${text.slice(0, 40)}" (expected "dd-Mon-yyyy hh:mm:ss +zzzz")`);
  const [day, year, h, min, sec, zh, zm] = [m[1]!, m[3]!, m[4]!, m[5]!, m[6]!, m[8]!, m[9]!].map((x) => Number(x.trim())) as [number, number, number, number, number, number, number];
  if (day < 1 || day > 31 || h > 23 || min > 59 || sec > 60 || zh > 23 || zm > 59) throw bad(`APPEND: date-time out of range "${text.slice(0, 40)}"`);
  const offset = (m[7] === '-' ? -1 : 1) * (zh * 60 + zm);
  const t = Date.UTC(year, month, day, h, min, Math.min(sec, 59)) - offset * 60_000;
  if (new Date(Date.UTC(year, month, day)).getUTCDate() !== day) throw bad(`APPEND: no such day "${text.slice(0, 40)}"`);
  return t;
}

function messageArg(a: ImapArg | undefined, utf8Form: boolean): Buffer {
  if (!a) throw bad('APPEND: the message is missing');
  if (a.kind !== 'string' || (!a.literal && !utf8Form)) throw bad('APPEND: the message must be a literal');
  return a.value;
}

export const APPEND: CommandHandler = {
  states: AUTHED,
  async run(s, cmd) {
    const r = new ArgReader(cmd.args, 'APPEND');
    const name = nameFromArg(r.next('mailbox name'), s.utf8, 'APPEND');
    const flags: string[] = [];
    if (r.peek()?.kind === 'list') for (const f of r.list('flag list')) flags.push(flagArg(f, 'APPEND'));
    let internalDate: number | undefined;
    const d = r.peek();
    if (d?.kind === 'string' && !d.literal) { r.next('date-time'); internalDate = parseDateTime(d.value.toString('latin1')); }
    let raw: Buffer;
    if (r.takeWord('UTF8')) {
      if (!s.utf8) throw bad('APPEND: UTF8 needs ENABLE UTF8=ACCEPT');
      const inner = r.list('UTF8 message');
      if (inner.length !== 1) throw bad('APPEND: UTF8 takes one literal8');
      raw = messageArg(inner[0], true);
    } else {
      const a = r.next('message literal');
      raw = messageArg(a, false);
    }
    if (r.remaining > 0) throw bad('APPEND: only one message per command (MULTIAPPEND is not offered)');
    if (flags.some((f) => f.toLowerCase() === '\\recent')) throw bad('APPEND: \\Recent cannot be set');
    if (raw.length === 0) throw no('APPEND: the message is empty', 'CANNOT');
    if (raw.length > s.appendLimit) throw no(`the message is too large (APPENDLIMIT is ${s.appendLimit} bytes)`, 'TOOBIG');
    const dest = s.store.mailboxes.get(s.account!.id, name);
    if (!dest) throw no(`there is no mailbox ${name}`, 'TRYCREATE');
    const [delivered] = await s.pipeline.append([{ accountId: s.account!.id, mailboxId: dest.id, mailbox: dest.name, flags }], raw, internalDate);
    if (!delivered) throw no('APPEND: the message was not stored', 'SERVERBUG');
    return { code: `APPENDUID ${delivered.uidValidity} ${delivered.uid}`, text: 'APPEND completed' };
  },
};
