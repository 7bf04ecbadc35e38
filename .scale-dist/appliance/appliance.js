// The composition root: the appliance's lifecycle. At start it loads TLS material and starts the
// system services (panel, Tor). In plain storage mode it then opens the store and starts the mail
// services at once; in LUKS mode it stays locked (mail listeners answer "try later") until the
// household unlocks it in the panel.
import { join } from 'node:path';
import { formatEndpoint, isDomainName, systemDir } from './config.js';
import { Store } from './store/index.js';
import { ensureTls, serverCertsChanged } from './tls/authority.js';
import { log, redact } from './log.js';
import { MAIL_SERVICES, SYSTEM_SERVICES, startLockedListeners } from './services.js';
import { openVolume, closeVolume, createVolume, volumeStatus } from './volume.js';
import { handoverPending } from './update/handover.js';
import { MailPipeline } from './pipeline.js';
import { completeSetup, ensureSetupCode, formatSetupCode, isSetupComplete } from '../web/setup-code.js';
/** How often a running appliance looks for domains added by the CLI (a SELECT of a few rows). */
const DOMAIN_WATCH_MS = 15_000;
export class Appliance {
    config;
    _tls;
    announce;
    _state = 'stopped';
    _store;
    systemServices = [];
    mailServices = [];
    locked;
    transition = Promise.resolve();
    tlsRefresh = Promise.resolve();
    domainWatch;
    knownDomains = '';
    announcedCode;
    mailRestarts = 0;
    constructor(config, _tls, announce) {
        this.config = config;
        this._tls = _tls;
        this.announce = announce;
    }
    static async create(config, announce = (l) => process.stdout.write(l + '\n')) {
        const tls = await ensureTls(join(systemDir(config), 'tls'), config.hostname, config.domains);
        return new Appliance(config, tls, announce);
    }
    get state() { return this._state; }
    /** the current certificates (re-issued when the host name or the domains change) */
    get tls() { return this._tls; }
    /** Re-issue the server certificates if a name is missing from them (the host name, a domain
     *  added at run time with its mail., openpgpkey. and autoconfig. names), then hand the new
     *  certificates to every service's `reloadTls` (SMTP, IMAP, the panel: new connections get them,
     *  open sessions keep theirs; delivery: its client certificate). A re-issue keeps the key pair,
     *  so peers' pins (the public key's SHA-256) stay valid. Only if a mail service with listeners
     *  had no `reloadTls` would the mail services be restarted. */
    refreshTls() {
        this.tlsRefresh = this.tlsRefresh.catch(() => undefined).then(async () => {
            const domains = [...new Set([...this.config.domains, ...(this._store?.domains.list() ?? [])])];
            this.knownDomains = domains.join(',');
            const tls = await ensureTls(this._tls.dir, this.config.hostname, domains);
            if (tls.serverFingerprints.join() === this._tls.serverFingerprints.join())
                return;
            this._tls = tls;
            log.info('tls.reissued', { names: domains.length + 1 });
            const reload = (s) => {
                try {
                    s.reloadTls?.(tls);
                }
                catch (e) {
                    log.warn('tls.reload-failed', { service: s.name, error: e.message });
                }
            };
            this.systemServices.forEach(reload);
            if (this._state !== 'running')
                return;
            if (this.mailServices.every((s) => s.listeners.length === 0 || s.reloadTls))
                this.mailServices.forEach(reload);
            else
                await this.restartMailServices();
        });
        return this.tlsRefresh;
    }
    /** The household's choices in the panel win over the configuration file, which is the box's own
     *  default: today the host name saved by the first-run wizard (settings "hostname"). */
    applyHouseholdChoices(store) {
        const saved = store.settings.get('hostname');
        if (saved && isDomainName(saved) && saved !== this.config.hostname) {
            log.info('appliance.hostname', { from: 'panel', hostname: redact('host', saved) });
            this.config.hostname = saved;
        }
    }
    /** Apply what the household saved (a new host name) now: new certificates, and the mail
     *  services restarted so their greeting and Received lines use it. */
    async applySettings() {
        const store = this._store;
        if (!store || this._state !== 'running')
            return;
        const before = this.config.hostname;
        this.applyHouseholdChoices(store);
        const restarts = this.mailRestarts;
        await this.refreshTls();
        // The greeting's name is fixed when the SMTP server starts: a new name needs a restart, unless
        // new certificates just caused one.
        if (before !== this.config.hostname && restarts === this.mailRestarts)
            await this.restartMailServices();
    }
    restartMailServices() {
        this.transition = this.transition.catch(() => undefined).then(async () => {
            const store = this._store;
            if (this._state !== 'running' || !store)
                return;
            this.mailRestarts++;
            await this.closeMailServices(2000);
            try {
                await this.startMailServices(store);
            }
            catch (e) {
                // The dashboard shows which listener is down; the store and the panel keep running.
                log.error('appliance.mail-restart-failed', { error: e.message });
            }
        });
        return this.transition;
    }
    get store() { return this._store; }
    listeners() {
        const all = [...this.systemServices, ...this.mailServices];
        const out = [];
        for (const s of all)
            for (const l of s.listeners)
                out.push({ name: l.name, endpoint: l.endpoint, up: true });
        for (const [name, endpoint] of Object.entries(this.config.listen)) {
            if (endpoint && !out.some((l) => l.name === name))
                out.push({ name, endpoint, up: false });
        }
        return out;
    }
    service(name) {
        return [...this.systemServices, ...this.mailServices].find((s) => s.name === name);
    }
    /** Until an administrator exists the first-run pages need the one-time setup code: printed
     *  here (the console, the journal), never logged; `postern setup-code` shows it too. */
    announceSetupCode() {
        const { code } = ensureSetupCode(systemDir(this.config));
        if (this.announcedCode === code)
            return;
        this.announcedCode = code;
        this.announce(`postern: first-run setup code: ${formatSetupCode(code)} (the panel's setup asks for it; "postern setup-code" shows it again)`);
    }
    print(service) {
        for (const l of service.listeners)
            this.announce(`postern: ${l.name} listening on ${formatEndpoint(l.endpoint)}`);
    }
    async start() {
        this._state = 'starting';
        const ctx = { config: this.config, tls: this._tls, appliance: this };
        try {
            for (const [, start] of SYSTEM_SERVICES) {
                const s = await start(ctx);
                if (s) {
                    this.systemServices.push(s);
                    this.print(s);
                }
            }
            if (this.config.storage.mode === 'plain') {
                await this.openMail();
            }
            else if (handoverPending() && (await volumeStatus(this.config).then((v) => v.open && v.mounted, () => false))) {
                // An update restarted us with the volume left open (appliance/update/handover.ts).
                this.announce('postern: the update handed the open volume over');
                await this.openMail();
            }
            else {
                // A new box (or one not set up yet): the storage is created in the panel, with the code.
                if (!isSetupComplete(systemDir(this.config)))
                    this.announceSetupCode();
                this.locked = await startLockedListeners(this.config, this._tls);
                this._state = 'locked';
                this.announce('postern: locked; unlock the storage in the panel to start mail');
            }
        }
        catch (e) {
            await this.stop(0).catch(() => undefined);
            throw e;
        }
    }
    async openMail() {
        this._state = 'starting';
        const store = Store.open(this.config.dataDir);
        for (const d of this.config.domains)
            store.domains.ensure(d);
        this._store = store;
        if (store.accounts.list().some((a) => a.role === 'admin'))
            completeSetup(systemDir(this.config));
        else
            this.announceSetupCode();
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
            if (this._state !== 'running' || !this._store)
                return;
            let now;
            try {
                now = [...new Set([...this.config.domains, ...this._store.domains.list()])].join(',');
            }
            catch {
                return;
            }
            if (now !== this.knownDomains || serverCertsChanged(this._tls))
                this.refreshTls().catch((e) => log.warn('tls.refresh-failed', { error: e.message }));
        }, DOMAIN_WATCH_MS);
        this.domainWatch.unref();
    }
    async startMailServices(store) {
        const ctx = { config: this.config, tls: this._tls, appliance: this, store, pipeline: new MailPipeline(store) };
        for (const [, start] of MAIL_SERVICES) {
            const s = await start(ctx);
            if (s) {
                this.mailServices.push(s);
                this.print(s);
            }
        }
    }
    async closeMailServices(graceMs) {
        for (const s of [...this.mailServices].reverse()) {
            try {
                await s.close(graceMs);
            }
            catch (e) {
                log.warn('service.close-failed', { service: s.name, error: e.message });
            }
        }
        this.mailServices = [];
    }
    async closeMail(graceMs) {
        if (this.domainWatch)
            clearInterval(this.domainWatch);
        this.domainWatch = undefined;
        await this.closeMailServices(graceMs);
        this._store?.close();
        this._store = undefined;
    }
    /** First setup in LUKS mode: create the volume, then unlock with the new passphrase. */
    async setupStorage(passphrase) {
        const r = await createVolume(this.config, passphrase);
        await this.unlock(passphrase);
        return r;
    }
    /** Open the encrypted volume with a passphrase or recovery key, then start mail. */
    unlock(passphrase) {
        this.transition = this.transition.catch(() => undefined).then(async () => {
            if (this._state !== 'locked')
                return;
            await openVolume(this.config, passphrase);
            await this.locked?.close(1000);
            this.locked = undefined;
            try {
                await this.openMail();
            }
            catch (e) {
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
    lock() {
        this.transition = this.transition.catch(() => undefined).then(async () => {
            if (this._state !== 'running' || this.config.storage.mode !== 'luks')
                return;
            this._state = 'stopping';
            await this.closeMail(5000);
            await closeVolume(this.config);
            this.locked = await startLockedListeners(this.config, this._tls);
            this._state = 'locked';
            this.announce('postern: locked');
        });
        return this.transition;
    }
    async stop(graceMs = 10_000) {
        this._state = 'stopping';
        await this.locked?.close(graceMs).catch(() => undefined);
        this.locked = undefined;
        await this.closeMail(graceMs);
        // An update's restart keeps the volume open for the next release (appliance/update/handover.ts).
        if (this.config.storage.mode === 'luks' && !handoverPending())
            await closeVolume(this.config).catch(() => undefined);
        for (const s of [...this.systemServices].reverse()) {
            try {
                await s.close(graceMs);
            }
            catch (e) {
                log.warn('service.close-failed', { service: s.name, error: e.message });
            }
        }
        this.systemServices = [];
        this._state = 'stopped';
    }
}
//# sourceMappingURL=appliance.js.map