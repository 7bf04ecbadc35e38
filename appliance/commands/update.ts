// postern update ...: the maintainer's signing keys, checking bundles, and installing them.
import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BundleError, loadPublicKey, readBundle } from '../update/bundle.js';
import { formatPublicKey, formatSecretKey, generateKey, keyIdHex, SignatureError } from '../update/minisign.js';
import { updateSettings } from '../update/settings.js';
import { UsageError, type Command } from './command.js';
import type { Config } from '../config.js';

/** Signature and bundle failures are one sentence with exit code 1. */
async function sentences<T>(fn: () => Promise<T>): Promise<T> {
  try { return await fn(); } catch (e) {
    if (e instanceof BundleError || e instanceof SignatureError) throw new UsageError(e.message, 1);
    throw e;
  }
}

export const updateKeygen: Command = {
  name: 'update keygen',
  usage: 'postern update keygen DIR',
  summary: "make a maintainer's Ed25519 signing key pair (minisign format): DIR/postern-update.key (secret) and DIR/postern-update.pub",
  async run({ args, out }) {
    if (args.length !== 1) throw new UsageError('usage: postern update keygen DIR');
    const dir = resolve(args[0]!);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const secretPath = join(dir, 'postern-update.key');
    const publicPath = join(dir, 'postern-update.pub');
    for (const p of [secretPath, publicPath]) {
      if (await stat(p).then(() => true, () => false)) throw new UsageError(`${p} already exists: keygen never overwrites a key`, 1);
    }
    const k = generateKey();
    await writeFile(secretPath, formatSecretKey(k), { mode: 0o600, flag: 'wx' });
    await chmod(secretPath, 0o600);
    await writeFile(publicPath, formatPublicKey(k), { mode: 0o644, flag: 'wx' });
    out(`key ${keyIdHex(k.keyId)}: secret key ${secretPath} (keep it offline, never in an image), public key ${publicPath}`);
    return 0;
  },
};

export const updateVerify: Command = {
  name: 'update verify',
  usage: 'postern update verify BUNDLE [--public-key FILE]',
  summary: "check a bundle's signature and every file's hash (exit 0 only when all check out)",
  async run({ args, flags, config, out }) {
    if (args.length !== 1) throw new UsageError('usage: postern update verify BUNDLE [--public-key FILE]');
    const keyFile = typeof flags['public-key'] === 'string' ? flags['public-key'] : updateSettings(config).publicKey;
    return sentences(async () => {
      const pub = await loadPublicKey(keyFile);
      const m = await readBundle(resolve(args[0]!), { publicKey: pub });
      out(`bundle postern ${m.version} (${m.arch}${m.node ? `, Node.js ${m.node}` : ''}) verified: ${m.files.length} files and ${m.links.length} links match the manifest signed by key ${keyIdHex(pub.keyId)}`);
      return 0;
    });
  },
};

// ---- installing ------------------------------------------------------------------------------

function configFileOf(flags: Record<string, string | boolean>): string | undefined {
  const f = typeof flags.config === 'string' ? flags.config : process.env.POSTERN_CONFIG;
  return f ? resolve(f) : undefined;
}

async function updater(config: Config, flags: Record<string, string | boolean>, say: (l: string) => void) {
  const { Updater } = await import('../update/apply.js');
  const settings = updateSettings(config);
  if (typeof flags.root === 'string') settings.root = resolve(flags.root);
  return new Updater({ config, settings, say, ...(configFileOf(flags) ? { configFile: configFileOf(flags)! } : {}) });
}

async function updateErrors<T>(fn: () => Promise<T>): Promise<T> {
  const { UpdateError } = await import('../update/apply.js');
  try { return await sentences(fn); } catch (e) {
    if (e instanceof UpdateError) throw new UsageError(e.message, 1);
    throw e;
  }
}

export const updateApply: Command = {
  name: 'update apply',
  usage: 'postern update apply [BUNDLE] [--root DIR]',
  summary: 'install a bundle (a file, or the newest release of the feed): verify, back up, switch, self-test; rolled back by itself if it fails',
  async run({ args, flags, config, out, err }) {
    if (args.length > 1) throw new UsageError('usage: postern update apply [BUNDLE]');
    return updateErrors(async () => {
      let bundle = args[0] ? resolve(args[0]) : undefined;
      if (!bundle) {
        const { fetchNewest } = await import('../update/feed.js');
        const got = await fetchNewest(config, (l: string) => err(l));
        if (!got) { out('postern is up to date: the feed offers nothing newer'); return 0; }
        bundle = got;
      }
      const u = await updater(config, flags, err);
      const o = await u.apply(bundle!);
      out(o.from ? `postern ${o.to} is installed and passed its self-test (was ${o.from}; SMTP answered again after ${o.downtimeMs} ms)` : `postern ${o.to} is installed and passed its self-test`);
      return 0;
    });
  },
};

export const updateRollback: Command = {
  name: 'update rollback',
  usage: 'postern update rollback [--root DIR]',
  summary: 'go back to the previous release, with the database as it was before the update and every message received since',
  async run({ flags, config, out, err }) {
    return updateErrors(async () => {
      const u = await updater(config, flags, err);
      try {
        await u.rollbackToPrevious();
      } catch (e) {
        const { UpdateError } = await import('../update/apply.js');
        if (e instanceof UpdateError && e.outcome?.result === 'rolled-back') { out(e.message); return 0; }
        throw e;
      }
      return 0;
    });
  },
};

export const updateStatusCommand: Command = {
  name: 'update status',
  usage: 'postern update status [--json] [--root DIR]',
  summary: 'the running release, the previous one, what the last update did and why',
  async run({ flags, config, out }) {
    const { readStatus } = await import('../update/status.js');
    const { currentVersion, installedVersions } = await import('../update/releases.js');
    const root = typeof flags.root === 'string' ? resolve(flags.root) : updateSettings(config).root;
    const s = readStatus(root);
    const current = await currentVersion(root);
    if (flags.json) { out(JSON.stringify({ ...s, current, installed: await installedVersions(root) }, null, 1)); return 0; }
    out(`running: ${current ? `postern ${current}` : 'no release installed under ' + root}`);
    if (s.phase !== 'idle') out(`in progress: ${s.phase}${s.progress ? `: ${s.progress}` : ''}`);
    if (s.previous) out(`previous: postern ${s.previous}${s.backupPoint ? ' (its backup point is kept: postern update rollback)' : ''}`);
    if (s.last) out(`last update: ${s.last.result} ${s.last.from ? `${s.last.from} -> ` : ''}${s.last.to} at ${s.last.at}${s.last.reason ? `: ${s.last.reason}` : ''}`);
    if (s.available) out(`feed: newest ${s.available.version} (checked ${s.available.checkedAt})`);
    return 0;
  },
};

export const updateCheck: Command = {
  name: 'update check',
  usage: 'postern update check',
  summary: "fetch the feed's signed index and say whether a newer release is offered",
  async run({ config, out }) {
    return updateErrors(async () => {
      const { checkFeed } = await import('../update/feed.js');
      const r = await checkFeed(config);
      out(r.newer && r.newest ? `postern ${r.newest.version} is available (running ${r.current ?? 'none'})${r.newest.notes ? `: ${r.newest.notes}` : ''}` : `postern is up to date (${r.current ?? 'none'}; the feed's newest is ${r.newest?.version ?? 'none'})`);
      return 0;
    });
  },
};

// ---- steps the updater runs with a release's own code, as the data's owner ---------------------

export const updateCheckAccount: Command = {
  name: 'update check-account',
  usage: 'postern update check-account',
  summary: "(used by the updater) make sure the self-test's system account exists, with a fresh password; prints it as JSON",
  async run({ config, out }) {
    const { randomBytes } = await import('node:crypto');
    const { withStore } = await import('./open-store.js');
    const { CHECK_LOCAL_PART } = await import('../update/self-test.js');
    const address = `${CHECK_LOCAL_PART}@${config.domains[0]}`;
    const password = randomBytes(18).toString('base64url');
    await withStore(config, async (store) => {
      if (store.accounts.byAddress(address)) await store.accounts.setPassword(address, password);
      else await store.accounts.create(address, password, { role: 'member', quotaBytes: 1024 * 1024 });
    });
    out(JSON.stringify({ address, password }));
    return 0;
  },
};

export const updateBackupPoint: Command = {
  name: 'update backup-point',
  usage: 'postern update backup-point FILE',
  summary: '(used by the updater) an online backup of the database into FILE, before a new release migrates it',
  async run({ args, config, out }) {
    if (args.length !== 1) throw new UsageError('usage: postern update backup-point FILE');
    const { takeBackupPoint } = await import('../store/backup-point.js');
    const info = await takeBackupPoint(config.dataDir, resolve(args[0]!));
    out(JSON.stringify(info));
    return 0;
  },
};

export const updateRestorePoint: Command = {
  name: 'update restore-point',
  usage: 'postern update restore-point BACKUP JOURNAL  (the reason on standard input)',
  summary: '(used by the updater, with the appliance stopped) put a backup point back and deliver again what arrived since; tells the admins',
  async run({ args, config, out, readSecret }) {
    if (args.length !== 2) throw new UsageError('usage: postern update restore-point BACKUP JOURNAL');
    const reason = (await readSecret('')).trim() || 'an update was rolled back';
    const { restoreBackupPoint } = await import('../store/backup-point.js');
    const report = restoreBackupPoint(config.dataDir, resolve(args[0]!), resolve(args[1]!));
    const { withStore } = await import('./open-store.js');
    const { noticeMessage } = await import('../update/notice.js');
    await withStore(config, (store) => {
      const admins = store.accounts.list().filter((a) => a.role === 'admin');
      if (admins.length) store.deliver(admins.map((a) => ({ accountId: a.id })), noticeMessage(config, 'Postern: an update was rolled back', [
        'Postern tried to install an update, and it did not work, so the box went back to the release it ran before.',
        '', `Why: ${reason}.`, '',
        `No mail was lost: ${report.redelivered} message(s) that arrived during the attempt were delivered again, ${report.requeued} outgoing message(s) queued again.`,
        'Changes made during those minutes to mail that was already there (read marks, moves, deletions) were undone.',
        '', 'The panel shows the details under Updates. Nothing needs to be done; the next release will be tried when it is published.',
      ]));
    });
    out(JSON.stringify(report));
    return 0;
  },
};

/** Whether `now` (local time) falls inside a daily window "HH:MM-HH:MM" (which may wrap midnight). */
export function inWindow(window: string, now = new Date()): boolean {
  const m = /^(\d\d):(\d\d)-(\d\d):(\d\d)$/.exec(window);
  if (!m) return false;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  const t = now.getHours() * 60 + now.getMinutes();
  return start <= end ? t >= start && t < end : t >= start || t < end;
}

export const updateAuto: Command = {
  name: 'update auto',
  usage: 'postern update auto [--now]',
  summary: "(postern-update.timer) check the feed; inside the maintenance window (or with --now) install a newer release",
  async run({ flags, config, out, err }) {
    const s = updateSettings(config);
    if (!s.feed) { out('no release feed is configured (update.feed): nothing to do'); return 0; }
    return updateErrors(async () => {
      const { checkFeed, fetchNewest } = await import('../update/feed.js');
      const r = await checkFeed(config);
      if (!r.newer || !r.newest) { out(`postern is up to date (${r.current ?? 'none'})`); return 0; }
      const { boxLocked } = await import('../update/apply.js');
      if (await boxLocked(config)) { out(`postern ${r.newest.version} is available; the box is locked (its storage waits for the passphrase), so it will be installed after the unlock`); return 0; }
      if (!flags.now && !(s.window && inWindow(s.window))) { out(`postern ${r.newest.version} is available; it will be installed in the maintenance window ${s.window ?? '(none set: install it by hand)'}`); return 0; }
      const bundle = await fetchNewest(config, (l: string) => err(l));
      if (!bundle) return 0;
      const o = await (await updater(config, flags, err)).apply(bundle);
      out(`postern ${o.to} is installed and passed its self-test${o.from ? ` (was ${o.from})` : ''}`);
      return 0;
    });
  },
};
