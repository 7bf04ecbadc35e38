// The torrc Postern writes for the tor it launches (mode "launch"), under <systemDir>/tor.
// The SMTP onion is a HiddenServiceDir block because HiddenServiceExportCircuitID exists only
// there (ADD_ONION has no such option): tor then starts every onion SMTP connection with a PROXY v1
// header whose source address encodes the circuit, and the onion MX applies its per-client limits
// per circuit. Its key file is written from Postern's own seed, so the address is stable and known
// before tor starts. The IMAP and panel onions are added over the control port (ADD_ONION) and
// re-added after tor restarts. When `listen.imapOnion` is set, the IMAP onion is a HiddenServiceDir
// block too, for the same reason (per-circuit login throttles and connection caps).
import { join } from 'node:path';

/** The SMTP onion's port for peer backups: a peer box is known by its SMTP onion (its card), so
 *  the backups it holds for us are on the same address (services/peer-backup). */
export const PEER_BACKUP_PORT = 7425;

export interface TorrcOptions {
  /** <systemDir>/tor */
  dir: string;
  /** the control socket path, or undefined for a TCP port on 127.0.0.1 (written to controlPortFile) */
  controlSocket: string | undefined;
  ownerPid: number;
  /** the SMTP onion: HiddenServiceDir and the loopback MX that expects the PROXY header */
  smtp?: { hsDir: string; target: string; /** port 7425: peer backups (listen.backupOnion) */ backup?: string };
  /** the IMAP onion, the same way: its ports (143, 993) to the loopback IMAP listener that reads
   *  the header (listen.imapOnion), so IMAP's limits apply per circuit too */
  imap?: { hsDir: string; ports: ReadonlyArray<{ virtual: number; target: string }> };
  /** extra lines, appended last (a test network's DirAuthority lines, an %include) */
  include?: string;
}

export function torPaths(dir: string) {
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
function line(key: string, ...values: string[]): string {
  for (const v of values) if (/[\r\n]/.test(v)) throw new Error(`torrc: a value for ${key} must be one line`);
  return [key, ...values].join(' ');
}

export function buildTorrc(o: TorrcOptions): string {
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
    lines.push(
      line('HiddenServiceDir', o.smtp.hsDir),
      line('HiddenServicePort', '25', o.smtp.target),
      ...(o.smtp.backup ? [line('HiddenServicePort', String(PEER_BACKUP_PORT), o.smtp.backup)] : []),
      'HiddenServiceExportCircuitID haproxy',
    );
  }
  if (o.imap) {
    lines.push(
      line('HiddenServiceDir', o.imap.hsDir),
      ...o.imap.ports.map((p) => line('HiddenServicePort', String(p.virtual), p.target)),
      'HiddenServiceExportCircuitID haproxy',
    );
  }
  if (o.include) lines.push('# tor.torrcInclude', o.include);
  return lines.join('\n') + '\n';
}
