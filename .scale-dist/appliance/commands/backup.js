// postern backup target add|list|remove, backup run|list|verify|prune|status, backup key
// init|passphrase, and postern restore. The backup code lives in appliance/backup/; these are its
// command-line faces. Exit codes: 0 done, 1 failed (the sentence says why), 2 usage, 3 a snapshot
// was refused as altered, truncated or replayed.
import { withStore } from './open-store.js';
import { UsageError } from './command.js';
const backup = () => import('../backup/index.js');
const NAME_RE = /^[a-z0-9][a-z0-9_-]{0,31}$/i;
async function failClearly(ctx, fn) {
    try {
        return await fn();
    }
    catch (e) {
        const name = e.name;
        if (name === 'BackupIntegrityError') {
            ctx.err(`postern: refused: ${e.message}`);
            return 3;
        }
        if (name === 'TargetError' || name === 'BackupKeyError') {
            ctx.err(`postern: ${e.message}`);
            return 1;
        }
        throw e;
    }
}
async function failClearlyValue(ctx, fn) {
    try {
        return await fn();
    }
    catch (e) {
        if (e.name === 'BackupKeyError')
            throw new UsageError(e.message, 1);
        throw e;
    }
}
function targetName(args) {
    const name = args[0];
    if (!name)
        throw new UsageError('expected the name of a backup target ("postern backup target list" shows them)');
    return name;
}
function location(store, name) {
    const t = store.backups.target(name);
    if (!t)
        throw new UsageError(`no backup target named ${name} ("postern backup target list" shows them)`, 1);
    return t.location;
}
async function printRecoveryCode(ctx, code) {
    ctx.out('backup key created. Its recovery code restores this box on a new one; it is shown once, now:');
    ctx.out(`recovery code: ${code}`);
    ctx.out('print it or write it down and keep it away from the box ("postern backup key passphrase" adds the admin passphrase as a second way in).');
}
export const backupTargetAdd = {
    name: 'backup target add',
    usage: 'postern backup target add NAME folder PATH | imap URL | peer ONION',
    summary: 'add a place for backups (a folder or USB disk, an IMAP account, a peer box); makes the backup key on first use and prints its recovery code',
    async run(ctx) {
        const [name, kind, where, ...rest] = ctx.args;
        if (!name || !kind || !where || rest.length)
            throw new UsageError('usage: postern backup target add NAME folder PATH | imap URL | peer ONION');
        if (!NAME_RE.test(name))
            throw new UsageError('a target name is letters, digits, - and _ (up to 32)');
        if (kind !== 'folder' && kind !== 'imap' && kind !== 'peer')
            throw new UsageError(`unknown target kind "${kind}": expected folder, imap or peer`);
        if (kind === 'peer') {
            ctx.err('postern: backups to a peer box over Tor are not built yet: use a folder or an IMAP target');
            return 1;
        }
        return failClearly(ctx, () => withStore(ctx.config, async (store) => {
            const b = await backup();
            let loc = where;
            if (kind === 'folder')
                loc = (await import('node:path')).resolve(where);
            else
                b.parseImapUrl(where);
            if (store.backups.target(name))
                throw new UsageError(`a backup target named ${name} exists already`, 1);
            // reach the target first: a wrong password or an unplugged disk makes no key
            const target = await b.openTarget(kind, loc);
            try {
                if (!b.hasBackupKeys(store))
                    await printRecoveryCode(ctx, (await b.createBackupKeys(store)).recoveryCode);
                await b.prepareTarget(target, b.boxBackupKeys(store), store);
            }
            finally {
                await target.close();
            }
            store.backups.addTarget(name, kind, loc);
            ctx.out(`added backup target ${name}: ${kind === 'imap' ? b.redactImapUrl(loc) : `${kind} ${loc}`}`);
            return 0;
        }));
    },
};
export const backupTargetList = {
    name: 'backup target list',
    usage: 'postern backup target list',
    summary: 'list backup targets with their last run',
    async run(ctx) {
        return withStore(ctx.config, async (store) => {
            const b = await backup();
            const targets = store.backups.targets();
            if (targets.length === 0)
                ctx.out('no backup targets ("postern backup target add NAME folder PATH" adds one)');
            for (const t of targets)
                ctx.out(b.describeTarget(t));
            return 0;
        });
    },
};
export const backupTargetRemove = {
    name: 'backup target remove',
    usage: 'postern backup target remove NAME',
    summary: 'forget a backup target (what it holds stays there)',
    async run(ctx) {
        const name = targetName(ctx.args);
        return withStore(ctx.config, (store) => {
            location(store, name);
            store.backups.removeTarget(name);
            ctx.out(`removed backup target ${name} (its snapshots stay where they are)`);
            return 0;
        });
    },
};
export const backupRun = {
    name: 'backup run',
    usage: 'postern backup run NAME',
    summary: 'write a snapshot to a target now (only message files the target lacks travel)',
    async run(ctx) {
        const name = targetName(ctx.args);
        return failClearly(ctx, () => withStore(ctx.config, async (store) => {
            location(store, name);
            const b = await backup();
            const r = await b.runBackup(store, ctx.config, name, ctx.out);
            ctx.out(`backup ${name}: snapshot ${r.seq}: ${r.messageFiles} message file(s) (${r.newMessageFiles} new), database ${r.dbBytes} bytes; ${r.objectsSent} object(s), ${r.bytesSent} bytes sent`);
            return 0;
        }));
    },
};
export const backupList = {
    name: 'backup list',
    usage: 'postern backup list NAME',
    summary: "list a target's snapshots (each manifest's signature is checked)",
    async run(ctx) {
        const name = targetName(ctx.args);
        return failClearly(ctx, () => withStore(ctx.config, async (store) => {
            location(store, name);
            const b = await backup();
            const list = await b.listSnapshots(store, name);
            if (list.length === 0)
                ctx.out(`${name}: no snapshots yet ("postern backup run ${name}")`);
            for (const s of list)
                ctx.out(`${s.seq}\t${new Date(s.createdAt).toISOString()}\t${s.objects} object(s)\t${s.bytes} bytes`);
            return 0;
        }));
    },
};
export const backupVerify = {
    name: 'backup verify',
    usage: 'postern backup verify NAME [--snapshot N] [--decrypt]  (--decrypt: the recovery code or passphrase on standard input)',
    summary: 'download a snapshot and check it end to end: signature, sequence, every object (with --decrypt every message file too)',
    async run(ctx) {
        const name = targetName(ctx.args);
        const snapshot = ctx.flags.snapshot === undefined ? undefined : Number(ctx.flags.snapshot);
        if (snapshot !== undefined && !(Number.isInteger(snapshot) && snapshot > 0))
            throw new UsageError('--snapshot takes a snapshot number');
        const secret = ctx.flags.decrypt ? (await ctx.readSecret('Recovery code or backup passphrase: ')).trim() : undefined;
        if (ctx.flags.decrypt && !secret)
            throw new UsageError('--decrypt needs the recovery code or the passphrase on standard input');
        return failClearly(ctx, () => withStore(ctx.config, async (store) => {
            location(store, name);
            const b = await backup();
            const r = await b.verifyTarget(store, name, { ...(snapshot ? { snapshot } : {}), ...(secret ? { secret } : {}), progress: ctx.out });
            ctx.out(`snapshot ${r.seq} of ${new Date(r.createdAt).toISOString()} is intact: ${r.objects} object(s), ${r.bytes} bytes checked${r.decrypted ? `; ${r.messages} message file(s) and the database decrypted and checked` : ''}`);
            return 0;
        }));
    },
};
function retentionFlag(ctx, flag, dflt) {
    const v = ctx.flags[flag];
    if (v === undefined)
        return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0)
        throw new UsageError(`--${flag} takes a whole number`);
    return n;
}
export const backupPrune = {
    name: 'backup prune',
    usage: 'postern backup prune NAME [--keep-daily 7] [--keep-weekly 4] [--keep-monthly 6]',
    summary: 'remove snapshots beyond the retention and the data only they needed',
    async run(ctx) {
        const name = targetName(ctx.args);
        const retention = { daily: retentionFlag(ctx, 'keep-daily', 7), weekly: retentionFlag(ctx, 'keep-weekly', 4), monthly: retentionFlag(ctx, 'keep-monthly', 6) };
        return failClearly(ctx, () => withStore(ctx.config, async (store) => {
            location(store, name);
            const b = await backup();
            const r = await b.pruneTarget(store, name, retention);
            ctx.out(`${name}: kept snapshot(s) ${r.kept.join(', ') || 'none'}; removed ${r.removed.length} snapshot(s), ${r.objectsRemoved} object(s), ${r.bytesFreed} bytes`);
            return 0;
        }));
    },
};
export const backupKeyInit = {
    name: 'backup key init',
    usage: 'postern backup key init [--passphrase]  (--passphrase: the admin passphrase on standard input)',
    summary: 'make the backup key now and print its recovery code (target add does it on first use)',
    async run(ctx) {
        const passphrase = ctx.flags.passphrase ? (await ctx.readSecret('Admin passphrase for backups: ')) : undefined;
        if (ctx.flags.passphrase && (!passphrase || passphrase.length < 8))
            throw new UsageError('the passphrase needs at least 8 characters');
        return failClearly(ctx, () => withStore(ctx.config, async (store) => {
            const b = await backup();
            await printRecoveryCode(ctx, (await b.createBackupKeys(store, passphrase)).recoveryCode);
            return 0;
        }));
    },
};
export const backupKeyPassphrase = {
    name: 'backup key passphrase',
    usage: 'postern backup key passphrase  (the recovery code or the current passphrase, then the new passphrase, on standard input)',
    summary: 'wrap the backup key under the admin passphrase too (a second way to restore)',
    async run(ctx) {
        const secret = (await ctx.readSecret('Recovery code or current passphrase: ')).trim();
        const passphrase = await ctx.readSecret('New passphrase: ');
        if (!secret || !passphrase)
            throw new UsageError('expected the recovery code (or current passphrase) and the new passphrase on standard input');
        return failClearly(ctx, () => withStore(ctx.config, async (store) => {
            const b = await backup();
            await b.setBackupPassphrase(store, secret, passphrase);
            ctx.out('the backup key is now also wrapped under the passphrase; the next run puts it on each target');
            return 0;
        }));
    },
};
export const backupKeySplit = {
    name: 'backup key split',
    usage: 'postern backup key split K N  (the recovery code on standard input)',
    summary: 'split the recovery code into N shares for trusted people; any K of them restore the box (restore --shares)',
    async run(ctx) {
        const [k, n] = ctx.args.map(Number);
        if (ctx.args.length !== 2 || !Number.isInteger(k) || !Number.isInteger(n))
            throw new UsageError('usage: postern backup key split K N (for example 2 3: three shares, any two restore)');
        const code = (await ctx.readSecret('Recovery code: ')).trim();
        if (!code)
            throw new UsageError('expected the recovery code on standard input');
        return failClearly(ctx, () => withStore(ctx.config, async (store) => {
            const b = await backup();
            await b.checkRecoveryCode(store, code);
            const shares = await b.splitRecoveryCode(code, k, n);
            ctx.out(`${n} shares; any ${k} of them restore this box ("postern restore ... --shares", one share a line). Give each to a different person:`);
            shares.forEach((sh, i) => ctx.out(`share ${i + 1} of ${n}: ${sh}`));
            return 0;
        }));
    },
};
export const backupStatus = {
    name: 'backup status',
    usage: 'postern backup status',
    summary: 'each target: last snapshot, last success, last error, overdue or not',
    async run(ctx) {
        return withStore(ctx.config, async (store) => {
            const b = await backup();
            const st = b.backupStatus(store);
            if (st.length === 0) {
                ctx.out('no backup targets: nothing protects this box against a dead SD card ("postern backup target add")');
                return 1;
            }
            let bad = 0;
            for (const s of st) {
                ctx.out(`${s.name}\t${s.state}\t${s.text}`);
                if (s.state !== 'ok')
                    bad++;
            }
            return bad ? 1 : 0;
        });
    },
};
export const restore = {
    name: 'restore',
    usage: 'postern restore --from-folder PATH | --from-imap URL [--snapshot N] [--min-seq N] [--shares]  (the recovery code or backup passphrase on standard input; --shares: K shares, one a line)',
    summary: 'bring a box back from a backup into an empty data folder (accounts, mail, UIDs, onion addresses, DKIM keys, CA)',
    async run(ctx) {
        const folder = typeof ctx.flags['from-folder'] === 'string' ? ctx.flags['from-folder'] : undefined;
        const imap = typeof ctx.flags['from-imap'] === 'string' ? ctx.flags['from-imap'] : undefined;
        if (!folder === !imap)
            throw new UsageError('expected --from-folder PATH or --from-imap URL');
        const num = (f) => {
            const v = ctx.flags[f];
            if (v === undefined)
                return undefined;
            const n = Number(v);
            if (!Number.isInteger(n) || n < 1)
                throw new UsageError(`--${f} takes a snapshot number`);
            return n;
        };
        const snapshot = num('snapshot');
        const minSeq = num('min-seq');
        let secret;
        if (ctx.flags.shares) {
            const lines = [];
            for (let l; (l = (await ctx.readSecret(`Share ${lines.length + 1} (an empty line when done): `)).trim()) !== '';)
                lines.push(l);
            secret = await failClearlyValue(ctx, async () => (await backup()).combineShares(lines));
        }
        else {
            secret = (await ctx.readSecret('Recovery code or backup passphrase: ')).trim();
        }
        if (!secret)
            throw new UsageError('expected the recovery code (or the backup passphrase) on standard input');
        return failClearly(ctx, async () => {
            const b = await backup();
            const target = await b.openTarget(folder ? 'folder' : 'imap', (folder ?? imap));
            try {
                const r = await b.restoreFromTarget(target, ctx.config, secret, { ...(snapshot ? { snapshot } : {}), ...(minSeq ? { minSeq } : {}), progress: ctx.out });
                ctx.out(`restored snapshot ${r.seq} of ${new Date(r.createdAt).toISOString()} into ${ctx.config.dataDir}: ${r.accounts} account(s), ${r.messages} message(s), ${r.files} system file(s); the store checks clean`);
                return 0;
            }
            finally {
                await target.close();
            }
        });
    },
};
//# sourceMappingURL=backup.js.map