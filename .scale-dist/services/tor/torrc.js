// The torrc Postern writes for the tor it launches (mode "launch"), under <systemDir>/tor.
// The SMTP onion is a HiddenServiceDir block because HiddenServiceExportCircuitID exists only
// there (ADD_ONION has no such option): tor then starts every onion SMTP connection with a PROXY v1
// header whose source address encodes the circuit, and the onion MX applies its per-client limits
// per circuit. Its key file is written from Postern's own seed, so the address is stable and known
// before tor starts. The IMAP and panel onions are added over the control port (ADD_ONION) and
// re-added after tor restarts. When `listen.imapOnion` is set, the IMAP onion is a HiddenServiceDir
// block too, for the same reason (per-circuit login throttles and connection caps).
import { join } from 'node:path';
export function torPaths(dir) {
    return {
        torrc: join(dir, 'torrc'),
        data: join(dir, 'data'),
        cookie: join(dir, 'control_auth_cookie'),
        controlSocket: join(dir, 'control.sock'),
        controlPortFile: join(dir, 'control.port'),
        log: join(dir, 'notice.log'),
        keys: join(dir, 'keys'),
        smtpHsDir: join(dir, 'onion-smtp'),
        imapHsDir: join(dir, 'onion-imap'),
        panelClients: join(dir, 'panel-clients.json'),
    };
}
/** Torrc values are one line each; anything else is refused rather than written. */
function line(key, ...values) {
    for (const v of values)
        if (/[\r\n]/.test(v))
            throw new Error(`torrc: a value for ${key} must be one line`);
    return [key, ...values].join(' ');
}
export function buildTorrc(o) {
    const p = torPaths(o.dir);
    const lines = [
        '# Written by Postern at every start; edits here are lost. Extra lines: config tor.torrcInclude.',
        line('DataDirectory', p.data),
        o.controlSocket
            ? line('ControlPort', `unix:${o.controlSocket}`)
            : line('ControlPort', '127.0.0.1:auto'),
        ...(o.controlSocket ? [] : [line('ControlPortWriteToFile', p.controlPortFile)]),
        'CookieAuthentication 1',
        line('CookieAuthFile', p.cookie),
        // SOCKS for SMTorP delivery, on loopback only; the port is read back over the control port
        'SocksPort 127.0.0.1:auto',
        // tor exits by itself when Postern is gone
        line('__OwningControllerProcess', String(o.ownerPid)),
        line('Log', 'notice', 'file', p.log),
        // a home box on an SD card: fewer writes; no GeoIP tables (about 35 MB less memory)
        'AvoidDiskWrites 1',
        'GeoIPFile /dev/null',
        'GeoIPv6File /dev/null',
        'ClientUseIPv6 0',
    ];
    if (o.smtp) {
        lines.push(line('HiddenServiceDir', o.smtp.hsDir), line('HiddenServicePort', '25', o.smtp.target), 'HiddenServiceExportCircuitID haproxy');
    }
    if (o.imap) {
        lines.push(line('HiddenServiceDir', o.imap.hsDir), ...o.imap.ports.map((p) => line('HiddenServicePort', String(p.virtual), p.target)), 'HiddenServiceExportCircuitID haproxy');
    }
    if (o.include)
        lines.push('# tor.torrcInclude', o.include);
    return lines.join('\n') + '\n';
}
//# sourceMappingURL=torrc.js.map