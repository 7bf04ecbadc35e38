// Postern's configuration: one JSON file. The keys `hostname`, `domains`, `dataDir` and `listen.*`
// are a contract with operators and external tests; more keys may be added, none renamed.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export type ListenerName = 'mx' | 'submission' | 'submissions' | 'imap' | 'imaps' | 'panel' | 'mxOnion' | 'imapOnion' | 'backupOnion';
/** `mxOnion` is the MX for connections that come through the onion service: loopback only, and
 *  every connection starts with the PROXY header tor writes (HiddenServiceExportCircuitID haproxy).
 *  `imapOnion` is the same for IMAP (the onion's ports 143 and 993, told apart by the header's
 *  port), so IMAP's per-client limits apply per tor circuit (appliance/tor-circuit.ts).
 *  `backupOnion` is where peer boxes store their encrypted backups (services/peer-backup): the SMTP
 *  onion's port 7425, loopback only, mutual TLS with pinned keys. */
export const LISTENER_NAMES: readonly ListenerName[] = ['mx', 'submission', 'submissions', 'imap', 'imaps', 'panel', 'mxOnion', 'imapOnion', 'backupOnion'];

export interface Endpoint { host: string; port: number }

export interface RelayConfig {
  host: string;
  port: number;
  tls: 'implicit' | 'starttls';
  user?: string;
  password?: string;
}

export interface TorConfig {
  mode: 'off' | 'launch' | 'attach';
  /** attach: control port "host:port" or a unix socket path */
  control?: string;
  /** attach: cookie file (defaults to what PROTOCOLINFO says) */
  cookieFile?: string;
  /** attach: the system tor's SOCKS port "host:port" */
  socks?: string;
  /** launch: extra torrc lines (a test network's DirAuthority lines, say) */
  torrcInclude?: string;
  /** launch: the tor binary */
  binary?: string;
}

export interface Config {
  hostname: string;
  domains: string[];
  dataDir: string;
  listen: Partial<Record<ListenerName, Endpoint>>;
  smtp: {
    maxMessageSize: number;
    dmarcReject: boolean;
    sentCopy: boolean;
    maxConnectionsPerClient: number;
    maxRecipients: number;
    messagesPerMinutePerClient: number;
  };
  relay?: RelayConfig;
  tor: TorConfig;
  delivery: {
    expireAfterHours: number;
    delayNoticeAfterHours: number;
    /** DNS servers used for outbound lookups ("host:port"); the system's resolver when absent */
    dnsServers?: string[];
    /** per-destination TLS policy: domain -> policy */
    /** `fingerprints`: SHA-256 of accepted certificates; `spki`: SHA-256 of accepted public keys
     *  (SubjectPublicKeyInfo, survives the server's re-issues with the same key) */
    tlsPolicy: Record<string, { require: boolean; fingerprints?: string[]; spki?: string[] }>;
    /** Port used for direct MX delivery (25 in production; tests point it elsewhere) */
    mxPort: number;
  };
  /** 'plain': the data folder is an ordinary folder (development, machines without device-mapper);
   *  'luks': the data folder is a LUKS2 volume opened through the privileged helper. */
  storage: { mode: 'plain' | 'luks'; device?: string; helperSocket?: string };
  /** updates (appliance/update/settings.ts gives the defaults) */
  update?: { root?: string; publicKey?: string; feed?: string; socks?: string; ca?: string; window?: string; healthSeconds?: number; service?: 'systemd' | 'process' };
  verbose: boolean;
}

export class ConfigError extends Error {
  constructor(readonly key: string, message: string) {
    super(`config: ${key}: ${message}`);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_LISTEN: Record<ListenerName, string> = {
  mx: '127.0.0.1:2525',
  submission: '127.0.0.1:5870',
  submissions: '127.0.0.1:4650',
  imap: '127.0.0.1:1430',
  imaps: '127.0.0.1:9930',
  panel: '127.0.0.1:8080',
  mxOnion: '127.0.0.1:2526',
  imapOnion: '127.0.0.1:1431',
  backupOnion: '127.0.0.1:7425',
};

const HOSTNAME_RE = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

export function isDomainName(value: string): boolean {
  return HOSTNAME_RE.test(value);
}

export function parseEndpoint(key: string, value: unknown): Endpoint {
  if (typeof value !== 'string') throw new ConfigError(key, `expected "host:port" as a string, got ${typeof value}`);
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]+)):(\d{1,5})$/.exec(value);
  if (!m) throw new ConfigError(key, `expected "host:port", got ${JSON.stringify(value)}`);
  const port = Number(m[3]);
  if (port < 1 || port > 65535) throw new ConfigError(key, `port ${port} is out of range 1-65535`);
  return { host: m[1] ?? m[2]!, port };
}

export function formatEndpoint(e: Endpoint): string {
  return e.host.includes(':') ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkKeys(prefix: string, obj: Obj, allowed: readonly string[]): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) throw new ConfigError(prefix + k, `unknown key (allowed here: ${allowed.join(', ')})`);
  }
}

function str(key: string, v: unknown): string {
  if (typeof v !== 'string' || v.length === 0) throw new ConfigError(key, `expected a non-empty string`);
  return v;
}
function bool(key: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new ConfigError(key, `expected true or false`);
  return v;
}
function posInt(key: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new ConfigError(key, `expected a positive whole number`);
  return v;
}
function posNum(key: string, v: unknown): number {
  if (typeof v !== 'number' || !(v > 0)) throw new ConfigError(key, `expected a positive number`);
  return v;
}

/** Validate a parsed JSON object into a Config. `baseDir` resolves a relative dataDir. */
export function validateConfig(raw: unknown, opts: { baseDir: string; torOnPath: boolean }): Config {
  if (!isObj(raw)) throw new ConfigError('(root)', 'the configuration must be a JSON object');
  checkKeys('', raw, ['hostname', 'domains', 'dataDir', 'listen', 'smtp', 'relay', 'tor', 'delivery', 'storage', 'update', 'verbose', '$comment']);
  const hostname = raw.hostname === undefined ? 'postern.localhost' : str('hostname', raw.hostname).toLowerCase();
  if (!isDomainName(hostname)) throw new ConfigError('hostname', `${JSON.stringify(hostname)} is not a valid host name`);

  let domains = ['home.arpa'];
  if (raw.domains !== undefined) {
    if (!Array.isArray(raw.domains) || raw.domains.length === 0) throw new ConfigError('domains', 'expected a non-empty array of domain names');
    domains = raw.domains.map((d, i) => {
      const s = str(`domains[${i}]`, d).toLowerCase();
      if (!isDomainName(s)) throw new ConfigError(`domains[${i}]`, `${JSON.stringify(d)} is not a valid domain name`);
      return s;
    });
  }
  const dataDir = resolve(opts.baseDir, raw.dataDir === undefined ? 'var' : str('dataDir', raw.dataDir));

  const listen: Config['listen'] = {};
  if (raw.listen === undefined) {
    for (const n of LISTENER_NAMES) listen[n] = parseEndpoint(`listen.${n}`, DEFAULT_LISTEN[n]);
  } else {
    if (!isObj(raw.listen)) throw new ConfigError('listen', 'expected an object of "name": "host:port"');
    checkKeys('listen.', raw.listen, LISTENER_NAMES);
    for (const n of LISTENER_NAMES) {
      const v = raw.listen[n];
      if (v !== undefined && v !== null) listen[n] = parseEndpoint(`listen.${n}`, v);
    }
  }
  for (const n of ['mxOnion', 'imapOnion', 'backupOnion'] as const) {
    const e = listen[n];
    if (e && !/^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(e.host)) {
      throw new ConfigError(`listen.${n}`, 'must be a loopback address: only the local tor may connect to it');
    }
  }

  const smtpRaw = raw.smtp ?? {};
  if (!isObj(smtpRaw)) throw new ConfigError('smtp', 'expected an object');
  checkKeys('smtp.', smtpRaw, ['maxMessageSize', 'dmarcReject', 'sentCopy', 'maxConnectionsPerClient', 'maxRecipients', 'messagesPerMinutePerClient']);
  const smtp: Config['smtp'] = {
    maxMessageSize: smtpRaw.maxMessageSize === undefined ? 50 * 1024 * 1024 : posInt('smtp.maxMessageSize', smtpRaw.maxMessageSize),
    dmarcReject: smtpRaw.dmarcReject === undefined ? true : bool('smtp.dmarcReject', smtpRaw.dmarcReject),
    sentCopy: smtpRaw.sentCopy === undefined ? false : bool('smtp.sentCopy', smtpRaw.sentCopy),
    maxConnectionsPerClient: smtpRaw.maxConnectionsPerClient === undefined ? 10 : posInt('smtp.maxConnectionsPerClient', smtpRaw.maxConnectionsPerClient),
    maxRecipients: smtpRaw.maxRecipients === undefined ? 100 : posInt('smtp.maxRecipients', smtpRaw.maxRecipients),
    messagesPerMinutePerClient: smtpRaw.messagesPerMinutePerClient === undefined ? 60 : posInt('smtp.messagesPerMinutePerClient', smtpRaw.messagesPerMinutePerClient),
  };

  let relay: RelayConfig | undefined;
  if (raw.relay !== undefined) {
    const r = raw.relay;
    if (!isObj(r)) throw new ConfigError('relay', 'expected an object with host, port, tls, user, password');
    checkKeys('relay.', r, ['host', 'port', 'tls', 'user', 'password']);
    const tls = r.tls === undefined ? 'starttls' : r.tls;
    if (tls !== 'implicit' && tls !== 'starttls') throw new ConfigError('relay.tls', 'expected "implicit" or "starttls" (TLS is always required for a relay)');
    relay = { host: str('relay.host', r.host), port: r.port === undefined ? (tls === 'implicit' ? 465 : 587) : posInt('relay.port', r.port), tls };
    if (r.user !== undefined) relay.user = str('relay.user', r.user);
    if (r.password !== undefined) relay.password = str('relay.password', r.password);
  }

  const torRaw = raw.tor ?? {};
  if (!isObj(torRaw)) throw new ConfigError('tor', 'expected an object');
  checkKeys('tor.', torRaw, ['mode', 'control', 'cookieFile', 'socks', 'torrcInclude', 'binary']);
  const mode = torRaw.mode === undefined ? (opts.torOnPath ? 'launch' : 'off') : torRaw.mode;
  if (mode !== 'off' && mode !== 'launch' && mode !== 'attach') throw new ConfigError('tor.mode', 'expected "off", "launch" or "attach"');
  const tor: TorConfig = { mode };
  for (const k of ['control', 'cookieFile', 'socks', 'torrcInclude', 'binary'] as const) {
    if (torRaw[k] !== undefined) tor[k] = str(`tor.${k}`, torRaw[k]);
  }
  if (mode === 'attach' && !tor.control) throw new ConfigError('tor.control', 'attach mode needs the control port ("host:port") or socket path');

  const dRaw = raw.delivery ?? {};
  if (!isObj(dRaw)) throw new ConfigError('delivery', 'expected an object');
  checkKeys('delivery.', dRaw, ['expireAfterHours', 'delayNoticeAfterHours', 'dnsServers', 'tlsPolicy', 'mxPort']);
  const tlsPolicy: Config['delivery']['tlsPolicy'] = {};
  if (dRaw.tlsPolicy !== undefined) {
    if (!isObj(dRaw.tlsPolicy)) throw new ConfigError('delivery.tlsPolicy', 'expected an object of domain -> { require, fingerprints }');
    for (const [dom, pol] of Object.entries(dRaw.tlsPolicy)) {
      const key = `delivery.tlsPolicy.${dom}`;
      if (!isDomainName(dom)) throw new ConfigError(key, 'not a valid domain name');
      if (!isObj(pol)) throw new ConfigError(key, 'expected { "require": true, "fingerprints": ["sha256 hex"] }');
      checkKeys(key + '.', pol, ['require', 'fingerprints', 'spki']);
      const fps = pol.fingerprints === undefined ? undefined : pol.fingerprints;
      if (fps !== undefined && (!Array.isArray(fps) || !fps.every((f) => typeof f === 'string' && /^[0-9a-f:]{64,95}$/i.test(f)))) {
        throw new ConfigError(key + '.fingerprints', 'expected SHA-256 fingerprints as hex strings');
      }
      const spki = pol.spki;
      if (spki !== undefined && (!Array.isArray(spki) || !spki.every((f) => typeof f === 'string' && /^(?:[0-9a-f]{2}:?){31}[0-9a-f]{2}$/i.test(f)))) {
        throw new ConfigError(key + '.spki', 'expected SHA-256 hashes of public keys (SubjectPublicKeyInfo) as hex strings');
      }
      tlsPolicy[dom.toLowerCase()] = {
        require: pol.require === undefined ? true : bool(key + '.require', pol.require),
        ...(fps ? { fingerprints: (fps as string[]).map((f) => f.replace(/:/g, '').toLowerCase()) } : {}),
        ...(spki ? { spki: (spki as string[]).map((f) => f.replace(/:/g, '').toLowerCase()) } : {}),
      };
    }
  }
  let dnsServers: string[] | undefined;
  if (dRaw.dnsServers !== undefined) {
    if (!Array.isArray(dRaw.dnsServers)) throw new ConfigError('delivery.dnsServers', 'expected an array of "host:port"');
    dnsServers = dRaw.dnsServers.map((s, i) => formatEndpoint(parseEndpoint(`delivery.dnsServers[${i}]`, s)));
  }
  const delivery: Config['delivery'] = {
    expireAfterHours: dRaw.expireAfterHours === undefined ? 120 : posNum('delivery.expireAfterHours', dRaw.expireAfterHours),
    delayNoticeAfterHours: dRaw.delayNoticeAfterHours === undefined ? 4 : posNum('delivery.delayNoticeAfterHours', dRaw.delayNoticeAfterHours),
    tlsPolicy,
    mxPort: dRaw.mxPort === undefined ? 25 : posInt('delivery.mxPort', dRaw.mxPort),
    ...(dnsServers ? { dnsServers } : {}),
  };

  const sRaw = raw.storage ?? {};
  if (!isObj(sRaw)) throw new ConfigError('storage', 'expected an object');
  checkKeys('storage.', sRaw, ['mode', 'device', 'helperSocket']);
  const smode = sRaw.mode === undefined ? 'plain' : sRaw.mode;
  if (smode !== 'plain' && smode !== 'luks') throw new ConfigError('storage.mode', 'expected "plain" or "luks"');
  const storage: Config['storage'] = { mode: smode };
  if (sRaw.device !== undefined) storage.device = str('storage.device', sRaw.device);
  if (sRaw.helperSocket !== undefined) storage.helperSocket = str('storage.helperSocket', sRaw.helperSocket);

  const uRaw = raw.update ?? {};
  if (!isObj(uRaw)) throw new ConfigError('update', 'expected an object');
  checkKeys('update.', uRaw, ['root', 'publicKey', 'feed', 'socks', 'ca', 'window', 'healthSeconds', 'service']);
  const update: NonNullable<Config['update']> = {};
  for (const k of ['root', 'publicKey', 'feed', 'socks', 'ca', 'window'] as const) {
    if (uRaw[k] !== undefined) update[k] = str(`update.${k}`, uRaw[k]);
  }
  if (update.root) update.root = resolve(opts.baseDir, update.root);
  if (update.publicKey) update.publicKey = resolve(opts.baseDir, update.publicKey);
  if (update.ca) update.ca = resolve(opts.baseDir, update.ca);
  if (update.feed && !/^(https?:\/\/|file:\/\/\/)/.test(update.feed)) {
    throw new ConfigError('update.feed', 'expected an https:// URL (http:// for a .onion over Tor or a LAN mirror: the index is signed either way) or a file:/// path');
  }
  if (update.socks) update.socks = formatEndpoint(parseEndpoint('update.socks', update.socks));
  if (update.window && !/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/.test(update.window)) throw new ConfigError('update.window', 'expected a daily window like "03:00-05:00"');
  if (uRaw.service !== undefined) {
    if (uRaw.service !== 'systemd' && uRaw.service !== 'process') throw new ConfigError('update.service', 'expected "systemd" (the box) or "process" (a plain process with a pid file)');
    update.service = uRaw.service;
  }
  if (uRaw.healthSeconds !== undefined) update.healthSeconds = posInt('update.healthSeconds', uRaw.healthSeconds);

  const verbose = raw.verbose === undefined ? false : bool('verbose', raw.verbose);
  return { hostname, domains, dataDir, listen, smtp, tor, delivery, storage, verbose, ...(relay ? { relay } : {}), ...(raw.update !== undefined ? { update } : {}) };
}

/** Load the configuration: a file when given, else the embedded default. `dataDirOverride` is --data. */
export function loadConfig(opts: { file?: string; dataDir?: string; torOnPath: boolean }): Config {
  let raw: unknown = {};
  let baseDir = process.cwd();
  if (opts.file) {
    let text: string;
    try {
      text = readFileSync(opts.file, 'utf8');
    } catch (e) {
      throw new ConfigError('(file)', `cannot read ${opts.file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new ConfigError('(file)', `${opts.file} is not valid JSON: ${(e as Error).message}`);
    }
    baseDir = resolve(opts.file, '..');
  }
  const cfg = validateConfig(raw, { baseDir, torOnPath: opts.torOnPath });
  if (opts.dataDir) cfg.dataDir = resolve(process.cwd(), opts.dataDir);
  return cfg;
}

/** Where state lives that must be readable while the data volume is locked (TLS keys, the panel's
 *  onion key): the data folder itself in plain mode, a sibling "system" folder in LUKS mode. */
export function systemDir(cfg: Config): string {
  return cfg.storage.mode === 'luks' ? resolve(cfg.dataDir, '..', 'postern-system') : cfg.dataDir;
}
