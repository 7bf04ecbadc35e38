import { bad } from './errors.js';
import { mailboxName } from './args.js';
import { encodeMailboxName } from './utf7.js';
export const DELIMITER = '/';
/** A mailbox name argument (astring) as a store name. */
export function nameFromArg(a, utf8, command) {
    if (a.kind === 'list')
        throw bad(`${command}: the mailbox name must be a string, not a list`);
    const raw = a.kind === 'atom' ? Buffer.from(a.value, 'latin1') : a.value;
    let name = mailboxName(raw, utf8);
    if (name.endsWith(DELIMITER) && name.length > 1)
        name = name.slice(0, -1);
    if (name.length === 0)
        throw bad(`${command}: the mailbox name is empty`);
    return name;
}
/** A store name as the client should see it. */
export function nameToWire(name, utf8) {
    return utf8 ? name : encodeMailboxName(name);
}
//# sourceMappingURL=mailbox-name.js.map