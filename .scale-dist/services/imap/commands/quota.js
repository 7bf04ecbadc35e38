// QUOTA (RFC 9208): one quota root "" per account with the STORAGE resource (in units of 1024
// octets). Accounts without a quota have no quota root. SETQUOTA is for the operator (panel/CLI).
import { atom } from '../wire.js';
import { ArgReader } from '../args.js';
import { no } from '../errors.js';
import { nameFromArg, nameToWire } from '../mailbox-name.js';
import { AUTHED } from '../session-state.js';
function account(s) {
    const a = s.store.accounts.byId(s.account.id);
    if (!a)
        throw no('the account no longer exists');
    return a;
}
export const GETQUOTAROOT = {
    states: AUTHED,
    async run(s, cmd) {
        const r = new ArgReader(cmd.args, 'GETQUOTAROOT');
        const name = nameFromArg(r.next('mailbox name'), s.utf8, 'GETQUOTAROOT');
        r.end();
        const mb = s.store.mailboxes.get(s.account.id, name);
        if (!mb)
            throw no(`there is no mailbox ${name}`, 'NONEXISTENT');
        const a = account(s);
        if (a.quotaBytes <= 0) {
            await s.untagged(atom('QUOTAROOT'), nameToWire(mb.name, s.utf8));
            return;
        }
        await s.untagged(atom('QUOTAROOT'), nameToWire(mb.name, s.utf8), '');
        await s.untagged(atom('QUOTA'), '', [atom('STORAGE'), Math.ceil(a.usedBytes / 1024), Math.floor(a.quotaBytes / 1024)]);
    },
};
export const GETQUOTA = {
    states: AUTHED,
    async run(s, cmd) {
        const r = new ArgReader(cmd.args, 'GETQUOTA');
        const root = r.text('quota root');
        r.end();
        const a = account(s);
        if (root !== '' || a.quotaBytes <= 0)
            throw no(`there is no quota root "${root.slice(0, 40)}"`, 'NONEXISTENT');
        await s.untagged(atom('QUOTA'), '', [atom('STORAGE'), Math.ceil(a.usedBytes / 1024), Math.floor(a.quotaBytes / 1024)]);
    },
};
export const SETQUOTA = {
    states: AUTHED,
    run() { throw no('quotas are set by the box\'s administrator in the panel', 'NOPERM'); },
};
//# sourceMappingURL=quota.js.map