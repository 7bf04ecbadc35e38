// postern key export|import|recover|create|status|prefer-encrypt|peers|accept|reject, and
// postern encrypt-at-rest ADDRESS on|off. Secrets (password, recovery code) come on standard input.
// Encryption at rest is its own top-level command: it is a storage choice a household makes per
// account, and the word says what it does; everything about the key itself lives under "key".
import { readFileSync } from 'node:fs';
import { withStore } from './open-store.js';
import { UsageError } from './command.js';
import { createAccountKey, exportPublicKey, exportSecretKey, importAccountKey, keyStatus, recoverAccountKey, setEncryptAtRest, setPreferEncrypt, ENCRYPT_AT_REST_NOTE, } from '../../services/pgp/account-keys.js';
import { decideKeyChange, listPeers, pendingKeyChanges } from '../../services/pgp/autocrypt.js';
import { publicKeyUsable } from '../../services/pgp/at-rest.js';
import { PgpError } from '../../services/pgp/errors.js';
function account(store, address) {
    return store.accounts.require(address);
}
async function secret(readSecret, prompt, what) {
    const s = await readSecret(prompt);
    if (!s)
        throw new UsageError(`no ${what} given on standard input`);
    return s;
}
/** Run with PgpError shown as a one-line failure (exit 1). */
async function pgp(fn) {
    try {
        return await fn();
    }
    catch (e) {
        if (e instanceof PgpError)
            throw new UsageError(e.message, 1);
        throw e;
    }
}
function printRecovery(out, code) {
    out('Recovery code for this key (shown once; write it down and keep it apart from the password):');
    out(`  ${code}`);
}
export const keyExport = {
    name: 'key export',
    usage: 'postern key export ADDRESS [--secret]  (--secret: the password on standard input)',
    summary: "print the account's OpenPGP key in ASCII armor (the secret key is protected with the password)",
    async run({ config, args, flags, out, readSecret }) {
        if (args.length !== 1)
            throw new UsageError('expected exactly one address');
        const password = flags.secret ? await secret(readSecret, 'Password: ', 'password') : undefined;
        return withStore(config, (store) => pgp(async () => {
            const a = account(store, args[0]);
            out((password === undefined ? await exportPublicKey(store, a.id) : await exportSecretKey(store, a.id, password)).trimEnd());
            return 0;
        }));
    },
};
export const keyImport = {
    name: 'key import',
    usage: 'postern key import ADDRESS FILE  (the password on standard input; then the key passphrase if different)',
    summary: "replace the account's OpenPGP key with a secret key in ASCII armor; prints a new recovery code",
    async run({ config, args, out, readSecret }) {
        if (args.length !== 2)
            throw new UsageError('expected an address and a file');
        let armored;
        try {
            armored = readFileSync(args[1], 'utf8');
        }
        catch (e) {
            throw new UsageError(`cannot read ${args[1]}: ${e.message}`, 1);
        }
        const password = await secret(readSecret, 'Password: ', 'password');
        return withStore(config, (store) => pgp(async () => {
            const a = account(store, args[0]);
            let r;
            try {
                r = await importAccountKey(store, a.id, armored, password);
            }
            catch (e) {
                if (!(e instanceof PgpError && e.code === 'auth' && /passphrase/.test(e.message)))
                    throw e;
                r = await importAccountKey(store, a.id, armored, password, await secret(readSecret, 'Key passphrase: ', 'key passphrase'));
            }
            out(`imported key ${r.fingerprint} for ${a.address}`);
            printRecovery(out, r.recoveryCode);
            return 0;
        }));
    },
};
export const keyRecover = {
    name: 'key recover',
    usage: 'postern key recover ADDRESS  (the recovery code, then the current password, on standard input)',
    summary: "seal the account's key under its current password again, with the recovery code",
    async run({ config, args, out, readSecret }) {
        if (args.length !== 1)
            throw new UsageError('expected exactly one address');
        const code = await secret(readSecret, 'Recovery code: ', 'recovery code');
        const password = await secret(readSecret, 'Current password: ', 'password');
        return withStore(config, (store) => pgp(async () => {
            const a = account(store, args[0]);
            await recoverAccountKey(store, a.id, code, password);
            out(`the key of ${a.address} opens with the current password again`);
            return 0;
        }));
    },
};
export const keyCreate = {
    name: 'key create',
    usage: 'postern key create ADDRESS  (the password on standard input)',
    summary: 'make an OpenPGP key for an account that has none; prints its recovery code',
    async run({ config, args, out, readSecret }) {
        if (args.length !== 1)
            throw new UsageError('expected exactly one address');
        const password = await secret(readSecret, 'Password: ', 'password');
        return withStore(config, (store) => pgp(async () => {
            const a = account(store, args[0]);
            const { recoveryCode } = await createAccountKey(store, a.id, password);
            out(`made a key for ${a.address}: ${keyStatus(store, a.id).fingerprint}`);
            printRecovery(out, recoveryCode);
            return 0;
        }));
    },
};
export const keyStatusCommand = {
    name: 'key status',
    usage: 'postern key status ADDRESS',
    summary: "show the account's key fingerprint, its password copy, Autocrypt and encryption-at-rest settings",
    async run({ config, args, out }) {
        if (args.length !== 1)
            throw new UsageError('expected exactly one address');
        return withStore(config, async (store) => {
            const a = account(store, args[0]);
            const s = keyStatus(store, a.id);
            if (!s) {
                out(`${a.address}: no OpenPGP key (make one with "postern key create ${a.address}")`);
                return 1;
            }
            const usable = await publicKeyUsable(store, a.id);
            out(`fingerprint\t${s.fingerprint}`);
            out(`public key\t${usable ? 'ok' : 'DAMAGED: mail is stored in the clear until the key is imported again'}`);
            out(`password copy\t${s.passwordCopy === 'ok' ? 'ok' : 'needs the recovery code (postern key recover)'}`);
            out(`prefer-encrypt\t${s.preferEncrypt}`);
            out(`encrypt at rest\t${s.encryptAtRest ? 'on' : 'off'}`);
            out(`pending key changes\t${pendingKeyChanges(store, a.id).length}`);
            return 0;
        });
    },
};
export const keyPreferEncrypt = {
    name: 'key prefer-encrypt',
    usage: 'postern key prefer-encrypt ADDRESS mutual|nopreference',
    summary: 'set the prefer-encrypt value of the Autocrypt header on mail the account sends',
    async run({ config, args, out }) {
        if (args.length !== 2 || (args[1] !== 'mutual' && args[1] !== 'nopreference'))
            throw new UsageError('expected an address and mutual or nopreference');
        return withStore(config, (store) => pgp(async () => {
            const a = account(store, args[0]);
            setPreferEncrypt(store, a.id, args[1]);
            out(`${a.address}: prefer-encrypt=${args[1]}`);
            return 0;
        }));
    },
};
export const keyPeers = {
    name: 'key peers',
    usage: 'postern key peers ADDRESS',
    summary: 'list the Autocrypt peers seen by the account and key changes waiting for a decision',
    async run({ config, args, out }) {
        if (args.length !== 1)
            throw new UsageError('expected exactly one address');
        return withStore(config, (store) => {
            const a = account(store, args[0]);
            for (const p of listPeers(store, a.id)) {
                out(`${p.addr}\t${p.fingerprint ?? '-'}\t${p.preferEncrypt}\tfirst seen ${new Date(p.firstSeen).toISOString()}\tlast seen ${new Date(p.lastSeen).toISOString()}`);
            }
            for (const c of pendingKeyChanges(store, a.id)) {
                out(`KEY CHANGE ${c.id}\t${c.addr}\t${c.oldFingerprint} -> ${c.newFingerprint}\tseen ${new Date(c.firstSeen).toISOString()}\t(postern key accept|reject ${a.address} ${c.id})`);
            }
            return 0;
        });
    },
};
function decision(accept) {
    const verb = accept ? 'accept' : 'reject';
    return {
        name: `key ${verb}`,
        usage: `postern key ${verb} ADDRESS CHANGE-ID`,
        summary: accept ? "take a peer's new Autocrypt key" : "keep a peer's old key and drop the new one",
        async run({ config, args, out }) {
            const id = Number(args[1]);
            if (args.length !== 2 || !Number.isInteger(id) || id <= 0)
                throw new UsageError('expected an address and a key change number (see "postern key peers")');
            return withStore(config, (store) => {
                const a = account(store, args[0]);
                decideKeyChange(store, a.id, id, accept);
                out(`key change ${id} ${accept ? 'accepted' : 'rejected'}`);
                return 0;
            });
        },
    };
}
export const keyAccept = decision(true);
export const keyReject = decision(false);
export const encryptAtRest = {
    name: 'encrypt-at-rest',
    usage: 'postern encrypt-at-rest ADDRESS on|off',
    summary: "store the account's new incoming mail encrypted to its OpenPGP key (PGP/MIME), or stop",
    async run({ config, args, out }) {
        if (args.length !== 2 || (args[1] !== 'on' && args[1] !== 'off'))
            throw new UsageError('expected an address and on or off');
        return withStore(config, (store) => pgp(async () => {
            const a = account(store, args[0]);
            setEncryptAtRest(store, a.id, args[1] === 'on');
            out(`encryption at rest ${args[1]} for ${a.address} (mail stored before is left as it is)`);
            if (args[1] === 'on')
                out(ENCRYPT_AT_REST_NOTE);
            return 0;
        }));
    },
};
export const KEY_COMMANDS = [keyExport, keyImport, keyRecover, keyCreate, keyStatusCommand, keyPreferEncrypt, keyPeers, keyAccept, keyReject, encryptAtRest];
//# sourceMappingURL=key.js.map