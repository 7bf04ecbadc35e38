// The composition root: the appliance's lifecycle. At start it loads TLS material and starts the
// system services (panel, Tor). In plain storage mode it then opens the store and starts the mail
// services at once; in LUKS mode it stays locked (mail listeners answer "try later") until the
// household unlocks it in the panel.
import { join } from 'node:path';
import { formatEndpoint, isDomainName, systemDir, type Config } from './config.js';
import { Store } from './store/index.js';
import { ensureTls, forgetCaKey, serverCertsChanged, type CaCustody, type TlsMaterial, type TlsOptions } from './tls/authority.js';
import { log, redact } from './log.js';
import { MAIL_SERVICES, SYSTEM_SERVICES, startLockedListeners } from './services.js';
import type { ApplianceHandle, ApplianceState, ListenerStatus, RunningService } from './service.js';
import { openVolume, closeVolume, createVolume, volumeStatus } from './volume.js';
import { handoverPending } from './update/handover.js';
import { MailPipeline } from './pipeline.js';
import { onionIdentity } from '../services/tor/keys.js';
import { completeSetup, ensureSetupCode, formatSetupCode, isSetupComplete } from '../web/setup-code.js';

/** How often a running appliance looks for domains added by the CLI (a SELECT of a few rows). */
const DOMAIN_WATCH_MS = 15_000;
/** Server certificates are renewed this long before they expire (authority.ts needsNew). */
const RENEW_BEFORE_MS = 30 * 86400_000;

/** Where the local CA's key is kept (appliance/tls/ca-custody.ts): plain storage has no secret to
 *  keep it under (memory only); a LUKS box keeps it on the encrypted volume, reachable only
 *  while unlocked (the store is open). */
function caCustody(config: Config, unlocked: boolean): CaCustody {
  if (config.storage.mode === 'plain') return { kind: 'memory' };
  return unlocked ? { kind: 'volume', dir: join(config.dataDir, 'tls-ca') } : { kind: 'sealed' };
}

/** The box's onion names (its CA may vouch for them): the onion services tor publishes. */
function onionNames(config: Config): string[] {
  if (config.tor.mode === 'off') return [];
  const out: string[] = [];
  for (const name of ['smtp', 'imap', 'panel'] as const) {
    try { out.push(onionIdentity(config, name).address); } catch (e) { log.warn('tls.onion-name', { onion: name, error: (e as Error).message }); }
  }
  return out;
}

function tlsOptions(config: Config, unlocked: boolean, extra: TlsOptions = {}): TlsOptions {
  return { custody: caCustody(config, unlocked), onions: onionNames(config), ...extra };
}

export class Appliance implements ApplianceHandle {
  private _state: ApplianceState = 'stopped';
  private _store: Store | undefined;
  private systemServices: RunningService[] = [];
  private mailServices: RunningService[] = [];
  private locked: RunningService | undefined;
  private transition: Promise<void> = Promise.resolve();
  private tlsRefresh: Promise<void> = Promise.resolve();
  private domainWatch: NodeJS.Timeout | undefined;
  private knownDomains = '';
  private announcedCode: string | undefined;
  private mailRestarts = 0;

  private constructor(readonly config: Config, private _tls: TlsMaterial, private readonly announce: (line: string) => void) {}

  static async create(config: Config, announce: (line: string) => void = (l) => process.stdout.write(l + '\n')): Promise<Appliance> {
    const tls = await ensureTls(join(systemDir(config), 'tls'), config.hostname, config.domains, tlsOptions(config, config.storage.mode === 'plain'));
    const app = new Appliance(config, tls, announce);
    app.announceCaReplacement(undefined, tls);
    return app;
  }

  get state(): ApplianceState { return this._state; }
  /** the current certificates (re-issued when the host name or the domains change) */
  get tls(): TlsMaterial { return this._tls; }

  /** Re-issue the server certificates if a name is missing from them (the host name, a domain
   *  added at run time with its mail., openpgpkey. and autoconfig. names), then hand the new
   *  certificates to every service's `reloadTls` (SMTP, IMAP, the panel: new connections get them,
   *  open sessions keep theirs; delivery: its client certificate). A re-issue keeps the key pair,
   *  so peers' pins (the public key's SHA-256) stay valid. Only if a mail service with listeners
   *  had no `reloadTls` would the mail services be restarted. */
  refreshTls(opts: { rotateKey?: boolean } = {}): Promise<void> {
    this.tlsRefresh = this.tlsRefresh.catch(() => undefined).then(async () => {
      const domains = [...new Set([...this.config.domains, ...(this._store?.domains.list() ?? [])])];
      this.knownDomains = domains.join(',');
      const tls = await ensureTls(this._tls.dir, this.config.hostname, domains, tlsOptions(this.config, !!this._store, opts));
      this.announceCaReplacement(this._tls, tls);
      if (tls.serverFingerprints.join() === this._tls.serverFingerprints.join() && tls.caFingerprint === this._tls.caFingerprint) return;
      this._tls = tls;
      log.info('tls.reissued', { names: domains.length + 1 });
      const reload = (s: RunningService): void => {
        try { s.reloadTls?.(tls); } catch (e) { log.warn('tls.reload-failed', { service: s.name, error: (e as Error).message }); }
      };
      this.systemServices.forEach(reload);
      if (this._state !== 'running') return;
      if (this.mailServices.every((s) => s.listeners.length === 0 || s.reloadTls)) this.mailServices.forEach(reload);
      else await this.restartMailServices();
    });
    return this.tlsRefresh;
  }

  /** New server key pairs (`postern cert rotate-key`, through the control socket: this process
   *  holds the CA key, the CLI does not), handed to the services like any re-issue. */
  async rotateTlsKeys(): Promise<TlsMaterial> {
    await this.refreshTls({ rotateKey: true });
    return this._tls;
  }

  /** Say plainly when the CA changed: devices that trusted the old one need the new one. */
  private announceCaReplacement(before: TlsMaterial | undefined, now: TlsMaterial): void {
    const r = now.caReplaced;
    if (!r || (before && r.previous !== before.caFingerprint)) return;
    if (!before && Date.now() - Date.parse(r.at) > 60_000) return; // an old replacement: the panel shows it
    const why = r.reason === 'unconstrained' ? 'the old one could sign for any name'
      : r.reason === 'names' ? 'the box has a name the old one did not cover' : "the old one's key was not kept";
    this.announce(`postern: new local certificate authority (SHA-256 ${now.caFingerprint.slice(0, 16)}...: ${why}); devices that trusted the old one must install the new one (panel: Devices)`);
    log.warn('tls.ca-replaced', { reason: r.reason });
  }

  /** The household's choices in the panel win over the configuration file, which is the box's own
   *  default: today the host name saved by the first-run wizard (settings "hostname"). */
  private applyHouseholdChoices(store: Store): void {
    const saved = store.settings.get('hostname');
    if (saved && isDomainName(saved) && saved !== this.config.hostname) {
      log.info('appliance.hostname', { from: 'panel', hostname: redact('host', saved) });
      this.config.hostname = saved;
    }
  }

  /** Apply what the household saved (a new host name) now: new certificates, and the mail
   *  services restarted so their greeting and Received lines use it. */
  async applySettings(): Promise<void> {
    const store = this._store;
    if (!store || this._state !== 'running') return;
    const before = this.config.hostname;
    this.applyHouseholdChoices(store);
    const restarts = this.mailRestarts;
    await this.refreshTls();
    // The greeting's name is fixed when the SMTP server starts: a new name needs a restart, unless
    // new certificates just caused one.
    if (before !== this.config.hostname && restarts === this.mailRestarts) await this.restartMailServices();
  }

  private restartMailServices(): Promise<void> {
    this.transition = this.transition.catch(() => undefined).then(async () => {
      const store = this._store;
      if (this._state !== 'running' || !store) return;
      this.mailRestarts++;
      await this.closeMailServices(2000);
      try {
        await this.startMailServices(store);
      } catch (e) {
        // The dashboard shows which listener is down; the store and the panel keep running.
        log.error('appliance.mail-restart-failed', { error: (e as Error).message });
      }
    });
    return this.transition;
  }

  get store(): Store | undefined { return this._store; }

  listeners(): ListenerStatus[] {
    const all = [...this.systemServices, ...this.mailServices];
    const out: ListenerStatus[] = [];
    for (const s of all) for (const l of s.listeners) out.push({ name: l.name, endpoint: l.endpoint, up: true });
    for (const [name, endpoint] of Object.entries(this.config.listen)) {
      if (endpoint && !out.some((l) => l.name === name)) out.push({ name, endpoint, up: false });
    }
    return out;
  }

  service<T extends RunningService>(name: string): T | undefined {
    return [...this.systemServices, ...this.mailServices].find((s) => s.name === name) as T | undefined;
  }

  /** Until an administrator exists the first-run pages need the one-time setup code: printed
   *  here (the console, the journal), never logged; `postern setup-code` shows it too. */
  private announceSetupCode(): void {
    const { code } = ensureSetupCode(systemDir(this.config));
    if (this.announcedCode === code) return;
    this.announcedCode = code;
    this.announce(`postern: first-run setup code: ${formatSetupCode(code)} (the panel's setup asks for it; "postern setup-code" shows it again)`);
  }

  private print(service: RunningService): void {
    for (const l of service.listeners) this.announce(`postern: ${l.name} listening on ${formatEndpoint(l.endpoint)}`);
  }

  async start(): Promise<void> {
    this._state = 'starting';
    const ctx = { config: this.config, tls: this._tls, appliance: this as ApplianceHandle };
    try {
      for (const [, start] of SYSTEM_SERVICES) {
        const s = await start(ctx);
        if (s) { this.systemServices.push(s); this.print(s); }
      }
      if (this.config.storage.mode === 'plain') {
        await this.openMail();
      } else if (handoverPending() && (await volumeStatus(this.config).then((v) => v.open && v.mounted, () => false))) {
        // An update restarted us with the volume left open (appliance/update/handover.ts).
        this.announce('postern: the update handed the open volume over');
        await this.openMail();
      } else {
        // A new box (or one not set up yet): the storage is created in the panel, with the code.
        if (!isSetupComplete(systemDir(this.config))) this.announceSetupCode();
        this.locked = await startLockedListeners(this.config, this._tls);
        this._state = 'locked';
        this.announce('postern: locked; unlock the storage in the panel to start mail');
      }
    } catch (e) {
      await this.stop(0).catch(() => undefined);
      throw e;
    }
  }

  private async openMail(): Promise<void> {
    this._state = 'starting';
    const store = Store.open(this.config.dataDir);
    for (const d of this.config.domains) store.domains.ensure(d);
    this._store = store;
    if (store.accounts.list().some((a) => a.role === 'admin')) completeSetup(systemDir(this.config));
    else this.announceSetupCode();
    this.applyHouseholdChoices(store);
    // Certificates for the host name and every domain (also those added in the panel), before
    // the mail listeners take them.
    await this.refreshTls();
    await this.startMailServices(store);
    this._state = 'running';
    this.announce('postern: running');
    log.info('appliance.running', { services: this.mailServices.map((s) => s.name) });
    // Domains added by the CLI (another process) while running get their certificate names too,
    // and certificates it issued (`postern cert rotate-key`) go to the listeners.
    this.domainWatch = setInterval(() => {
      if (this._state !== 'running' || !this._store) return;
      let now: string;
      try { now = [...new Set([...this.config.domains, ...this._store.domains.list()])].join(','); } catch { return; }
      const renew = this._tls.notAfter.getTime() - Date.now() < RENEW_BEFORE_MS;
      if (now !== this.knownDomains || renew || serverCertsChanged(this._tls)) this.refreshTls().catch((e) => log.warn('tls.refresh-failed', { error: (e as Error).message }));
    }, DOMAIN_WATCH_MS);
    this.domainWatch.unref();
  }

  private async startMailServices(store: Store): Promise<void> {
    const ctx = { config: this.config, tls: this._tls, appliance: this as ApplianceHandle, store, pipeline: new MailPipeline(store) };
    for (const [, start] of MAIL_SERVICES) {
      const s = await start(ctx);
      if (s) { this.mailServices.push(s); this.print(s); }
    }
  }

  private async closeMailServices(graceMs: number): Promise<void> {
    for (const s of [...this.mailServices].reverse()) {
      try { await s.close(graceMs); } catch (e) { log.warn('service.close-failed', { service: s.name, error: (e as Error).message }); }
    }
    this.mailServices = [];
  }

  private async closeMail(graceMs: number): Promise<void> {
    if (this.domainWatch) clearInterval(this.domainWatch);
    this.domainWatch = undefined;
    await this.closeMailServices(graceMs);
    this._store?.close();
    this._store = undefined;
  }

  /** First setup in LUKS mode: create the volume, then unlock with the new passphrase. */
  async setupStorage(passphrase: string): Promise<{ recoveryKey: string }> {
    const r = await createVolume(this.config, passphrase);
    await this.unlock(passphrase);
    return r;
  }

  /** Open the encrypted volume with a passphrase or recovery key, then start mail. */
  unlock(passphrase: string): Promise<void> {
    this.transition = this.transition.catch(() => undefined).then(async () => {
      if (this._state !== 'locked') return;
      await openVolume(this.config, passphrase);
      await this.locked?.close(1000);
      this.locked = undefined;
      try {
        await this.openMail();
      } catch (e) {
        await this.closeMail(0);
        await closeVolume(this.config).catch(() => undefined);
        this.locked = await startLockedListeners(this.config, this._tls);
        this._state = 'locked';
        throw e;
      }
    });
    return this.transition;
  }

  /** Stop mail, close the store and the volume; the box is locked until unlocked again. */
  lock(): Promise<void> {
    this.transition = this.transition.catch(() => undefined).then(async () => {
      if (this._state !== 'running' || this.config.storage.mode !== 'luks') return;
      this._state = 'stopping';
      await this.closeMail(5000);
      await closeVolume(this.config);
      forgetCaKey(this._tls.dir); // it signs again after the unlock, from the volume
      this.locked = await startLockedListeners(this.config, this._tls);
      this._state = 'locked';
      this.announce('postern: locked');
    });
    return this.transition;
  }

  async stop(graceMs = 10_000): Promise<void> {
    this._state = 'stopping';
    await this.locked?.close(graceMs).catch(() => undefined);
    this.locked = undefined;
    await this.closeMail(graceMs);
    // An update's restart keeps the volume open for the next release (appliance/update/handover.ts).
    if (this.config.storage.mode === 'luks' && !handoverPending()) await closeVolume(this.config).catch(() => undefined);
    for (const s of [...this.systemServices].reverse()) {
      try { await s.close(graceMs); } catch (e) { log.warn('service.close-failed', { service: s.name, error: (e as Error).message }); }
    }
    this.systemServices = [];
    this._state = 'stopped';
  }
}
