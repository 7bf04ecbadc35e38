// Mailbox names between the wire and the store: the store keeps UTF-8 with "/" as the hierarchy
// delimiter; clients without UTF8=ACCEPT (or IMAP4rev2) use modified UTF-7 (RFC 3501 5.1.3).
import type { ImapArg } from './wire.js';
import { bad } from './errors.js';
import { mailboxName } from './args.js';
import { encodeMailboxName } from './utf7.js';

export const DELIMITER = '/';

/** A mailbox name argument (astring) as a store name. */
export function nameFromArg(a: ImapArg, utf8: boolean, command: string): string {
  if (a.kind === 'list') throw bad(`${command}: the mailbox name must be a string, not a list`);
  const raw = a.kind === 'atom' ? Buffer.from(a.value, 'latin1') : a.value;
  let name = mailboxName(raw, utf8);
  if (name.endsWith(DELIMITER) && name.length > 1) name = name.slice(0, -1);
  if (name.length === 0) throw bad(`${command}: the mailbox name is empty`);
  return name;
}

/** A store name as the client should see it. */
export function nameToWire(name: string, utf8: boolean): string {
  return utf8 ? name : encodeMailboxName(name);
}
