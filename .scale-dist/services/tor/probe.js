// Tor's status as seen from another process (`postern tor status`): connect to the control port
// of the tor the appliance uses, read bootstrap progress and the SOCKS port, and list the onion
// addresses derived from Postern's keys (they do not depend on tor running).
import { existsSync, readFileSync } from 'node:fs';
import { parseEndpoint } from '../../appliance/config.js';
import { TorControl } from './control.js';
import { OnionIdentity } from './onion-key.js';
import { onionKeyFile } from './keys.js';
import { torPaths } from './torrc.js';
import { torDir, listClientAuth } from './client-auth.js';
import { findBinary } from './runner.js';
function launchTarget(config) {
    const p = torPaths(torDir(config));
    if (existsSync(p.controlSocket))
        return { path: p.controlSocket };
    try {
        const m = /PORT=([\d.]+):(\d+)/.exec(readFileSync(p.controlPortFile, 'utf8'));
        return m ? { host: m[1], port: Number(m[2]) } : undefined;
    }
    catch {
        return undefined;
    }
}
export async function probeTor(config) {
    const { tor, listen } = config;
    const onions = [];
    const add = (name, ports) => {
        const id = OnionIdentity.load(onionKeyFile(config, name));
        if (id && ports.length)
            onions.push({ name, address: id.address, ports, published: false, ...(name === 'panel' ? { clientAuth: listClientAuth(config).length > 0 } : {}) });
    };
    if (tor.mode !== 'off') {
        add('smtp', (tor.mode === 'launch' ? listen.mxOnion : listen.mx) ? [25] : []);
        add('imap', [...(listen.imap ? [143] : []), ...(listen.imaps ? [993] : [])]);
        add('panel', listen.panel ? [80] : []);
    }
    const status = { mode: tor.mode, bootstrap: 0, summary: '', connected: false, onions };
    if (tor.mode === 'off') {
        status.summary = findBinary(tor.binary ?? 'tor') ? 'Tor is off (config tor.mode is "off"): no onion services'
            : 'Tor is off: no tor program on this machine (install the Debian package "tor"), so no onion services';
        return status;
    }
    const target = tor.mode === 'launch' ? launchTarget(config) : (tor.control.startsWith('/') ? { path: tor.control } : parseEndpoint('tor.control', tor.control));
    if (!target) {
        status.summary = 'tor is not running (start Postern: it launches tor)';
        return status;
    }
    let c;
    try {
        c = await TorControl.connect(target, { timeoutMs: 5000 });
        const cookieFile = tor.mode === 'launch' ? torPaths(torDir(config)).cookie : tor.cookieFile;
        await c.authenticate(cookieFile ? { cookieFile } : {});
        const b = await c.bootstrap();
        status.connected = true;
        status.bootstrap = b.progress;
        status.summary = `Bootstrapped ${b.progress}% (${b.tag}): ${b.summary}${b.warning ? ` (warning: ${b.warning})` : ''}`;
        const socks = tor.socks ? parseEndpoint('tor.socks', tor.socks) : await c.socksListener();
        if (socks)
            status.socks = socks;
        const pid = Number((await c.getInfo('process/pid')).get('process/pid'));
        if (pid > 0)
            status.pid = pid;
        for (const o of onions) {
            // a descriptor tor built for the service: it is published (or about to be)
            o.published = await c.getInfo(`hs/service/desc/id/${o.address.slice(0, 56)}`).then(() => true, () => false);
        }
    }
    catch (e) {
        status.summary = `cannot reach tor's control port: ${e.message}`;
    }
    finally {
        c?.close();
    }
    return status;
}
//# sourceMappingURL=probe.js.map