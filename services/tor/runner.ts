// The running Tor system service: keeps one authenticated control connection to tor (launched by
// Postern or the system's), publishes the onion services with Postern's own keys, follows
// bootstrap progress and descriptor uploads from events, and after tor restarts (or the control
// connection drops) reconnects and publishes the services again, with the same addresses.
import { existsSync, unwatchFile, watchFile } from 'node:fs';
import { delimiter, join } from 'node:path';
import { formatEndpoint, parseEndpoint, type Config, type Endpoint } from '../../appliance/config.js';
import { log, redact } from '../../appliance/log.js';
import { TorControl, parseBootstrap, TorControlError, type AddOnionOptions, type Bootstrap, type ControlTarget, type TorEvent } from './control.js';
import type { OnionIdentity } from './onion-key.js';
import { onionIdentity } from './keys.js';
import { TorLauncher } from './launcher.js';
import { PEER_BACKUP_PORT, torPaths } from './torrc.js';
import { listClientAuth, torDir } from './client-auth.js';
import type { OnionName, OnionStatus, TorService, TorStatus } from './status.js';

/** Find a program like the shell would (also in /usr/sbin, where Debian puts tor). */
export function findBinary(name: string): string | undefined {
  if (name.includes('/')) return existsSync(name) ? name : undefined;
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/bin', '/usr/local/bin'];
  for (const d of dirs) if (d && existsSync(join(d, name))) return join(d, name);
  return undefined;
}

function parseControl(value: string): ControlTarget {
  if (value.startsWith('/') || value.startsWith('unix:')) return { path: value.replace(/^unix:/, '') };
  return parseEndpoint('tor.control', value);
}

interface OnionSpec {
  name: OnionName;
  identity: OnionIdentity;
  ports: Array<{ virtual: number; target: Endpoint }>;
  /** published through the torrc (HiddenServiceDir), not over the control port */
  viaTorrc: boolean;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class TorRunner implements TorService {
  readonly name = 'tor' as const;
  readonly listeners: ReadonlyArray<{ name: string; endpoint: Endpoint }> = [];
  private control: TorControl | undefined;
  private boot: Bootstrap = { progress: 0, tag: 'starting', summary: 'Starting' };
  private problem: string | undefined;
  private socksEndpoint: { host: string; port: number } | undefined;
  private readonly published = new Set<string>();
  private readonly added = new Map<OnionName, string>();
  private readonly onions: OnionSpec[] = [];
  private launcher: TorLauncher | undefined;
  private closing = false;
  private loopDone: Promise<void> = Promise.resolve();
  private readyWaiters: Array<() => void> = [];
  private panelChain: Promise<void> = Promise.resolve();

  constructor(private readonly config: Config) {}

  get dir(): string { return torDir(this.config); }

  status(): TorStatus {
    const mode = this.config.tor.mode;
    const connected = !!this.control && !this.control.isClosed;
    let summary: string;
    if (mode === 'off') {
      summary = findBinary(this.config.tor.binary ?? 'tor')
        ? 'Tor is off (config tor.mode is "off"): no onion services'
        : 'Tor is off: no tor program on this machine (install the Debian package "tor"), so no onion services';
    } else if (this.problem && !connected) {
      summary = this.problem;
    } else {
      summary = `Bootstrapped ${this.boot.progress}% (${this.boot.tag}): ${this.boot.summary}${this.boot.warning ? ` (warning: ${this.boot.warning})` : ''}`;
      if (!connected) summary += '; reconnecting to tor';
    }
    const out: TorStatus = {
      mode,
      bootstrap: mode === 'off' ? 0 : this.boot.progress,
      summary,
      connected,
      onions: this.onions.map((o): OnionStatus => ({
        name: o.name,
        address: o.identity.address,
        ports: o.ports.map((p) => p.virtual),
        published: this.published.has(o.identity.serviceId),
        ...(o.name === 'panel' ? { clientAuth: listClientAuth(this.config).length > 0 } : {}),
      })),
    };
    if (this.socksEndpoint) out.socks = this.socksEndpoint;
    if (this.launcher?.pid) out.pid = this.launcher.pid;
    return out;
  }

  socks(): { host: string; port: number } | undefined {
    return this.control && !this.control.isClosed ? this.socksEndpoint : undefined;
  }

  /** Resolves once the control connection is up and the onions are published (or after timeoutMs). */
  ready(timeoutMs: number): Promise<boolean> {
    if (this.control && !this.control.isClosed) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.readyWaiters = this.readyWaiters.filter((w) => w !== done); resolve(false); }, timeoutMs);
      const done = () => { clearTimeout(timer); resolve(!!this.control && !this.control.isClosed); };
      this.readyWaiters.push(done);
    });
  }

  async start(): Promise<void> {
    const { tor, listen } = this.config;
    if (tor.mode === 'off') return;
    const id = (n: OnionName) => onionIdentity(this.config, n);
    const smtpTarget = tor.mode === 'launch' ? listen.mxOnion : listen.mx;
    if (smtpTarget) {
      const ports = [{ virtual: 25, target: smtpTarget }, ...(listen.backupOnion ? [{ virtual: PEER_BACKUP_PORT, target: listen.backupOnion }] : [])];
      this.onions.push({ name: 'smtp', identity: id('smtp'), ports, viaTorrc: tor.mode === 'launch' });
    }
    // A launched tor can tell IMAP which circuit each onion client is on (the PROXY header to the
    // loopback imapOnion listener); over ADD_ONION it cannot, so those go to the LAN listeners.
    const imapViaTorrc = tor.mode === 'launch' && !!listen.imapOnion;
    const imapPorts = imapViaTorrc
      ? [{ virtual: 143, target: listen.imapOnion! }, { virtual: 993, target: listen.imapOnion! }]
      : [
        ...(listen.imap ? [{ virtual: 143, target: listen.imap }] : []),
        ...(listen.imaps ? [{ virtual: 993, target: listen.imaps }] : []),
      ];
    if (imapPorts.length) this.onions.push({ name: 'imap', identity: id('imap'), ports: imapPorts, viaTorrc: imapViaTorrc });
    if (listen.panel) this.onions.push({ name: 'panel', identity: id('panel'), ports: [{ virtual: 80, target: listen.panel }], viaTorrc: false });

    if (tor.mode === 'launch') {
      const binary = findBinary(tor.binary ?? 'tor');
      if (!binary) {
        this.problem = `cannot launch tor: no "${tor.binary ?? 'tor'}" program found (install the Debian package "tor" or set tor.binary)`;
        log.warn('tor.missing', { binary: tor.binary ?? 'tor' });
        return;
      }
      const smtp = this.onions.find((o) => o.viaTorrc && o.name === 'smtp');
      const imap = this.onions.find((o) => o.viaTorrc && o.name === 'imap');
      const paths = torPaths(this.dir);
      if (smtp) smtp.identity.writeHiddenServiceDir(paths.smtpHsDir);
      if (imap) imap.identity.writeHiddenServiceDir(paths.imapHsDir);
      this.launcher = new TorLauncher(binary, {
        dir: this.dir,
        ...(smtp ? { smtp: { hsDir: paths.smtpHsDir, target: formatEndpoint(smtp.ports[0]!.target), ...(smtp.ports[1] ? { backup: formatEndpoint(smtp.ports[1].target) } : {}) } } : {}),
        ...(imap ? { imap: { hsDir: paths.imapHsDir, ports: imap.ports.map((p) => ({ virtual: p.virtual, target: formatEndpoint(p.target) })) } } : {}),
        ...(tor.torrcInclude ? { include: tor.torrcInclude } : {}),
      });
      this.launcher.on('exit', (code, signal) => {
        const why = this.launcher?.lastError;
        this.problem = `tor exited (${signal ?? `code ${code}`})${why ? `: ${why}` : ''}; restarting it`;
        this.control?.close();
        // a tor that dies before it ever answered does not hold up the appliance's start
        for (const w of this.readyWaiters.splice(0)) w();
      });
      this.launcher.start();
    }
    // devices authorized from the CLI (another process) change the file: publish again
    if (this.onions.some((o) => o.name === 'panel')) {
      watchFile(torPaths(this.dir).panelClients, { interval: 1000 }, () => {
        this.refreshPanelAuth().catch((e: Error) => log.warn('tor.panel-auth-failed', { error: e.message }));
      });
    }
    this.loopDone = this.loop();
    await this.ready(15_000);
  }

  private target(): ControlTarget | undefined {
    if (this.launcher) return this.launcher.controlTarget();
    return parseControl(this.config.tor.control!);
  }

  private async loop(): Promise<void> {
    let delay = 200;
    while (!this.closing) {
      const target = this.target();
      if (target) {
        try {
          await this.session(target);
          delay = 200;
          continue;
        } catch (e) {
          if (this.closing) break;
          const why = (e as Error).message;
          if (this.launcher?.pid || !this.launcher) this.problem = `cannot use tor's control port: ${why}`;
          log.debug('tor.control-failed', { error: why });
        }
      }
      await sleep(delay);
      delay = Math.min(delay * 2, 2000);
    }
  }

  private async session(target: ControlTarget): Promise<void> {
    const c = await TorControl.connect(target, { timeoutMs: 15_000 });
    c.on('close', () => undefined); // errors are handled below; never an unhandled 'error'
    try {
      const cookieFile = this.launcher ? torPaths(this.dir).cookie : this.config.tor.cookieFile;
      const method = await c.authenticate(cookieFile ? { cookieFile } : {});
      c.on('event', (e) => this.event(e));
      await c.setEvents(['STATUS_CLIENT', 'HS_DESC']);
      this.boot = await c.bootstrap();
      this.socksEndpoint = this.config.tor.socks ? parseEndpoint('tor.socks', this.config.tor.socks) : await c.socksListener();
      this.added.clear();
      this.published.clear();
      for (const o of this.onions) if (!o.viaTorrc) await this.publish(c, o);
      this.control = c;
      this.problem = undefined;
      log.info('tor.connected', { auth: method, bootstrap: this.boot.progress, onions: this.onions.map((o) => `${o.name}=${redact('host', o.identity.address)}`) });
      for (const w of this.readyWaiters.splice(0)) w();
      if (!c.isClosed) await new Promise<void>((r) => c.once('close', () => r()));
      if (!this.closing) log.warn('tor.control-closed', {});
    } finally {
      if (this.control === c) this.control = undefined;
      c.close();
    }
  }

  private async publish(c: TorControl, o: OnionSpec): Promise<void> {
    const opts: AddOnionOptions = {
      key: o.identity.addOnionKey(),
      ports: o.ports.map((p) => ({ virtual: p.virtual, target: formatEndpoint(p.target) })),
      flags: ['DiscardPK'],
    };
    if (o.name === 'panel') {
      const clients = listClientAuth(this.config).map((k) => k.publicKey);
      if (clients.length) opts.clientAuthV3 = clients;
    }
    try {
      await c.addOnion(opts);
    } catch (e) {
      // a service left from an earlier connection of ours (detached by someone): replace it
      if (!(e instanceof TorControlError && e.status === 550 && /collision/i.test(e.message))) throw e;
      await c.delOnion(o.identity.serviceId).catch(() => undefined);
      await c.addOnion(opts);
    }
    this.added.set(o.name, o.identity.serviceId);
  }

  /** Re-publish the panel onion with the current list of authorized devices. */
  refreshPanelAuth(): Promise<void> {
    this.panelChain = this.panelChain.then(async () => {
      const c = this.control;
      const panel = this.onions.find((o) => o.name === 'panel');
      if (!c || c.isClosed || !panel) return;
      if (this.added.has('panel')) {
        await c.delOnion(panel.identity.serviceId);
        this.added.delete('panel');
        this.published.delete(panel.identity.serviceId);
      }
      await this.publish(c, panel);
    });
    return this.panelChain;
  }

  private event(e: TorEvent): void {
    if (e.type === 'STATUS_CLIENT') {
      const m = /^\S+ BOOTSTRAP (.*)$/.exec(e.text);
      if (m) {
        const b = parseBootstrap(m[1]!);
        if (b.progress !== this.boot.progress && (b.progress === 100 || b.progress % 25 === 0)) log.info('tor.bootstrap', { progress: b.progress, tag: b.tag });
        this.boot = b;
      }
    } else if (e.type === 'HS_DESC') {
      const [action, address] = e.text.split(' ');
      if (action === 'UPLOADED' && address && this.onions.some((o) => o.identity.serviceId === address)) {
        if (!this.published.has(address)) log.info('tor.onion-published', { onion: redact('host', address) });
        this.published.add(address);
      }
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    unwatchFile(torPaths(this.dir).panelClients);
    for (const w of this.readyWaiters.splice(0)) w();
    await this.control?.quit();
    await this.launcher?.stop();
    await this.loopDone;
  }
}

export async function startTorRunner(config: Config): Promise<TorRunner> {
  const r = new TorRunner(config);
  await r.start();
  return r;
}
