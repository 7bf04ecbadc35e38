// postern lock | unlock | storage setup | storage status: talk to the running appliance through its
// control socket (appliance/control). The appliance in turn asks the privileged storage helper.
import { controlRequest, ControlError } from '../control/client.js';
import { UsageError } from './command.js';
function describe(r) {
    const v = r.volume;
    const vol = r.storage === 'plain' ? 'plain folder (no encryption)'
        : !v ? 'unknown (the storage helper did not answer)'
            : !v.luks ? 'not set up yet' : v.mounted ? 'encrypted, open and mounted' : v.open ? 'encrypted, open, not mounted' : 'encrypted, closed';
    return `state: ${r.state}\nstorage: ${vol}`;
}
async function withControl(ctx, f) {
    try {
        return await f();
    }
    catch (e) {
        if (!(e instanceof ControlError))
            throw e;
        ctx.err(`postern: ${e.message}`);
        return e.code === 'bad-secret' ? 3 : 1;
    }
}
export const lock = {
    name: 'lock',
    usage: 'postern lock',
    summary: 'stop the mail services and close the encrypted volume (the box stays locked until unlocked)',
    run: (ctx) => withControl(ctx, async () => {
        const r = await controlRequest(ctx.config, { op: 'lock' });
        ctx.out(`postern: ${r.state}`);
        return 0;
    }),
};
export const unlock = {
    name: 'unlock',
    usage: 'postern unlock  (the passphrase or recovery key on standard input)',
    summary: 'open the encrypted volume with the passphrase or the recovery key and start mail',
    run: (ctx) => withControl(ctx, async () => {
        const secret = await ctx.readSecret('Storage passphrase or recovery key: ');
        if (!secret)
            throw new UsageError('no passphrase given');
        const r = await controlRequest(ctx.config, { op: 'unlock', secret });
        ctx.out(`postern: ${r.state}`);
        return 0;
    }),
};
export const storageSetup = {
    name: 'storage setup',
    usage: 'postern storage setup  (the new passphrase on standard input)',
    summary: 'first setup: create the encrypted volume; prints the recovery key once',
    run: (ctx) => withControl(ctx, async () => {
        const passphrase = await ctx.readSecret('New storage passphrase: ');
        if (!passphrase)
            throw new UsageError('no passphrase given');
        const r = await controlRequest(ctx.config, { op: 'setup', passphrase });
        ctx.out(`recovery key: ${r.recoveryKey ?? '(none)'}`);
        ctx.out('Write the recovery key down and keep it apart from the box: it is shown only once.');
        ctx.out(`postern: ${r.state}`);
        return 0;
    }),
};
export const storageStatus = {
    name: 'storage status',
    usage: 'postern storage status',
    summary: 'show whether the box is locked and the state of the encrypted volume',
    run: (ctx) => withControl(ctx, async () => {
        const r = await controlRequest(ctx.config, { op: 'status' });
        ctx.out(describe(r));
        return 0;
    }),
};
//# sourceMappingURL=storage.js.map