// postern user add|list|passwd|remove|quota
import { withStore } from './open-store.js';
import { UsageError } from './command.js';
/** OpenPGP (and its library) loads only for the commands that make or re-seal keys. */
const accountKeys = () => import('../../services/pgp/account-keys.js');
function one(args, what) {
    if (args.length !== 1)
        throw new UsageError(`expected exactly one ${what}`);
    return args[0];
}
async function newPassword(readSecret) {
    const pw = await readSecret('New password: ');
    if (!pw)
        throw new UsageError('no password given on standard input');
    return pw;
}
export const userAdd = {
    name: 'user add',
    usage: 'postern user add ADDRESS [--admin] [--quota BYTES]  (password on standard input)',
    summary: 'create an account with its mailboxes',
    async run({ config, args, flags, out, err, readSecret }) {
        const address = one(args, 'address');
        const password = await newPassword(readSecret);
        const quota = flags.quota === undefined ? 0 : Number(flags.quota);
        if (!Number.isInteger(quota) || quota < 0)
            throw new UsageError('--quota must be a whole number of bytes');
        return withStore(config, async (store) => {
            const acc = await store.accounts.create(address, password, { role: flags.admin ? 'admin' : 'member', quotaBytes: quota });
            out(`created ${acc.address} (${acc.role})`);
            const { onAccountCreated, keyStatus } = await accountKeys();
            try {
                const { recoveryCode } = await onAccountCreated(store, acc, password);
                out(`OpenPGP key ${keyStatus(store, acc.id).fingerprint}; its recovery code (shown once, keep it apart from the password):`);
                out(`  ${recoveryCode}`);
            }
            catch (e) {
                // The account is usable without a key; one can be made later.
                err(`postern: no OpenPGP key made for ${acc.address} (${e.message}); make one with "postern key create ${acc.address}"`);
            }
            return 0;
        });
    },
};
export const userList = {
    name: 'user list',
    usage: 'postern user list',
    summary: 'list accounts with role, quota and use',
    async run({ config, out }) {
        return withStore(config, (store) => {
            for (const a of store.accounts.list()) {
                out(`${a.address}\t${a.role}\t${a.usedBytes} bytes used\t${a.quotaBytes ? `quota ${a.quotaBytes}` : 'no quota'}`);
            }
            return 0;
        });
    },
};
export const userPasswd = {
    name: 'user passwd',
    usage: 'postern user passwd ADDRESS [--current]  (new password on standard input; with --current, then the current one, to re-seal the OpenPGP key)',
    summary: "change an account's password",
    async run({ config, args, flags, out, readSecret }) {
        const address = one(args, 'address');
        const password = await newPassword(readSecret);
        const current = flags.current ? await readSecret('Current password: ') : undefined;
        return withStore(config, async (store) => {
            await store.accounts.setPassword(address, password);
            out(`password changed for ${address.toLowerCase()}`);
            const acc = store.accounts.byAddress(address);
            // Browsers signed in to the panel as this account sign in again with the new password.
            const ended = store.settings.panelSessions.deleteAccount(acc.id);
            if (ended)
                out(`${ended} panel session(s) signed out`);
            const { onPasswordChanged, keyStatus } = await accountKeys();
            await onPasswordChanged(store, acc.id, password, current || undefined);
            if (keyStatus(store, acc.id)?.passwordCopy === 'needs-recovery')
                out(`the OpenPGP key now needs the recovery code: postern key recover ${acc.address}`);
            return 0;
        });
    },
};
export const userRemove = {
    name: 'user remove',
    usage: 'postern user remove ADDRESS',
    summary: 'remove an account with all its mail (no question asked)',
    async run({ config, args, out }) {
        const address = one(args, 'address');
        return withStore(config, (store) => {
            store.accounts.remove(address);
            const files = store.reclaim();
            out(`removed ${address.toLowerCase()} (${files} message file(s) deleted)`);
            return 0;
        });
    },
};
export const userQuota = {
    name: 'user quota',
    usage: 'postern user quota ADDRESS BYTES  (0 for none)',
    summary: "set an account's quota",
    async run({ config, args, out }) {
        if (args.length !== 2)
            throw new UsageError('expected an address and a number of bytes');
        const bytes = Number(args[1]);
        return withStore(config, (store) => {
            store.accounts.setQuota(args[0], bytes);
            out(`quota of ${args[0].toLowerCase()} set to ${bytes ? bytes + ' bytes' : 'none'}`);
            return 0;
        });
    },
};
//# sourceMappingURL=user.js.map