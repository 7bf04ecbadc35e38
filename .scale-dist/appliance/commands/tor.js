// postern tor status | tor auth add|list|remove: Tor's bootstrap progress and the onion addresses;
// v3 client authorization for the panel's onion service (one key pair per device).
import QRCode from 'qrcode';
import { UsageError } from './command.js';
import { probeTor } from '../../services/tor/probe.js';
import { createClientAuth, listClientAuth, removeClientAuth, ClientAuthError } from '../../services/tor/client-auth.js';
export const torStatus = {
    name: 'tor status',
    usage: 'postern tor status [--json]',
    summary: "print Tor's bootstrap progress and each onion address",
    async run({ config, flags, out }) {
        const s = await probeTor(config);
        if (flags.json) {
            out(JSON.stringify(s, null, 2));
            return 0;
        }
        out(`tor (${s.mode}): ${s.summary}`);
        if (s.socks)
            out(`SOCKS port: ${s.socks.host}:${s.socks.port}`);
        for (const o of s.onions) {
            const auth = o.name === 'panel' ? (o.clientAuth ? ', client authorization required' : ', open to any Tor client (sign-in still required)') : '';
            out(`${o.name.padEnd(5)} ${o.address} ports ${o.ports.join(',')}${s.connected ? (o.published ? ', descriptor built' : ', not published') : ''}${auth}`);
        }
        return s.mode === 'off' || s.connected ? 0 : 1;
    },
};
function oneName(args) {
    const name = args.join(' ').trim();
    if (!name)
        throw new UsageError('expected a device name');
    return name;
}
export const torAuthAdd = {
    name: 'tor auth add',
    usage: 'postern tor auth add DEVICE-NAME [--qr]',
    summary: "let a device reach the panel's onion service: prints its .auth_private line (shown once)",
    async run({ config, args, flags, out }) {
        try {
            const g = await createClientAuth(config, oneName(args));
            out(`device "${g.name}" may now reach the panel at http://${g.onion}/`);
            out('Put this line in a file ending in .auth_private in the device\'s ClientOnionAuthDir (or paste the key into Tor Browser); it is not stored here:');
            out(g.authPrivate);
            if (flags.qr)
                out(await QRCode.toString(g.authPrivate, { type: 'utf8', errorCorrectionLevel: 'M' }));
            return 0;
        }
        catch (e) {
            if (e instanceof ClientAuthError)
                throw new UsageError(e.message, 1);
            throw e;
        }
    },
};
export const torAuthList = {
    name: 'tor auth list',
    usage: 'postern tor auth list',
    summary: "list the devices authorized for the panel's onion service",
    async run({ config, out }) {
        const list = listClientAuth(config);
        if (!list.length)
            out('no devices: the panel onion answers any Tor client (the panel still asks for a sign-in)');
        for (const c of list)
            out(`${c.name}\tadded ${c.created.slice(0, 10)}\tx25519 ${c.publicKey}`);
        return 0;
    },
};
export const torAuthRemove = {
    name: 'tor auth remove',
    usage: 'postern tor auth remove DEVICE-NAME',
    summary: "withdraw a device's access to the panel's onion service",
    async run({ config, args, out, err }) {
        const name = oneName(args);
        if (!(await removeClientAuth(config, name))) {
            err(`postern: no device named "${name}"`);
            return 1;
        }
        out(`device "${name}" removed`);
        return 0;
    },
};
export const TOR_COMMANDS = [torStatus, torAuthAdd, torAuthList, torAuthRemove];
//# sourceMappingURL=tor.js.map