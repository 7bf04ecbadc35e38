// postern backup target add|list|remove, backup run|list|verify|prune|status, backup key
// init|passphrase, and postern restore. The backup code lives in appliance/backup/; these are its
// command-line faces. Exit codes: 0 done, 1 failed (the sentence says why), 2 usage, 3 a snapshot
// was refused as altered, truncated or replayed.
import { withStore } from './open-store.js';
import { UsageError, type Command, type CommandContext } from './command.js';
import type { Store } from '../store/index.js';
import type { BackupTargetKind } from '../store/index.js';

const backup = () => import('../backup/index.js');

const NAME_RE = /^[a-z0-9][a-z0-9_-]{0,31}$/i;

/** Run a command's work, turning the backup code's own errors into a sentence and an exit code:
 *  a refused (altered, truncated, replayed) snapshot exits 3, a target or key problem 1. */
async function failClearly(ctx: CommandContext, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (e) {
    const b = await backup();
    if (e instanceof b.BackupIntegrityError) { ctx.err(`postern: refused: ${e.message}`); return 3; }
    if (e instanceof b.TargetError || e instanceof b.BackupKeyError) { ctx.err(`postern: ${e.message}`); return 1; }
    throw e;
  }
}

/** The work of a command on one named target: the store open, the target known, errors told. */
function onTarget(ctx: CommandContext, name: string, fn: (store: Store, b: Awaited<ReturnType<typeof backup>>) => Promise<number>): Promise<number> {
  return failClearly(ctx, () => withStore(ctx.config, async (store) => {
    location(store, name);
    return fn(store, await backup());
  }));
}

function targetName(args: string[]): string {
  const name = args[0];
  if (!name) throw new UsageError('expected the name of a backup target ("postern backup target list" shows them)');
  return name;
}

function location(store: Store, name: string): string {
  const t = store.backups.target(name);
  if (!t) throw new UsageError(`no backup target named ${name} ("postern backup target list" shows them)`, 1);
  return t.location;
}

async function printRecoveryCode(ctx: CommandContext, code: string): Promise<void> {
  ctx.out('backup key created. Its recovery code restores this box on a new one; it is shown once, now:');
  ctx.out(`recovery code: ${code}`);
  ctx.out('print it or write it down and keep it away from the box ("postern backup key passphrase" adds the admin passphrase as a second way in).');
}

export const backupTargetAdd: Command = {
  name: 'backup target add',
  usage: 'postern backup target add NAME folder PATH | imap URL | peer ONION',
  summary: 'add a place for backups (a folder or USB disk, an IMAP account, a peer box over Tor); makes the backup key on first use and prints its recovery code',
  async run(ctx) {
    const [name, kind, where, ...rest] = ctx.args;
    if (!name || !kind || !where || rest.length) throw new UsageError('usage: postern backup target add NAME folder PATH | imap URL | peer ONION');
    if (!NAME_RE.test(name)) throw new UsageError('a target name is letters, digits, - and _ (up to 32)');
    if (kind !== 'folder' && kind !== 'imap' && kind !== 'peer') throw new UsageError(`unknown target kind "${kind}": expected folder, imap or peer`);
    return failClearly(ctx, () => withStore(ctx.config, async (store) => {
      const b = await backup();
      let loc = where;
      if (kind === 'folder') loc = (await import('node:path')).resolve(where);
      else if (kind === 'imap') b.parseImapUrl(where);
      else loc = b.normalizeOnion(where);
      if (store.backups.target(name)) throw new UsageError(`a backup target named ${name} exists already`, 1);
      if (kind === 'peer' && b.hasBackupKeys(store) && !b.storedRetrievalKey(store)) {
        // a key made before peer backups: the key a new box fetches with comes from the recovery code
        const code = (await ctx.readSecret('Recovery code (once, so a new box can fetch from the peer): ')).trim();
        if (!code) throw new UsageError('this backup key predates peer backups: give its recovery code on standard input, once');
        await b.addRetrievalKey(store, code);
      }
      // reach the target first: a wrong password or an unplugged disk makes no key
      const target = await b.openTarget(kind as BackupTargetKind, loc, { store, config: ctx.config });
      try {
        if (!b.hasBackupKeys(store)) await printRecoveryCode(ctx, (await b.createBackupKeys(store)).recoveryCode);
        await b.prepareTarget(target, b.boxBackupKeys(store), store);
      } finally {
        await target.close();
      }
      store.backups.addTarget(name, kind as BackupTargetKind, loc);
      ctx.out(`added backup target ${name}: ${kind === 'imap' ? b.redactImapUrl(loc) : `${kind} ${loc}`}`);
      return 0;
    }));
  },
};

export const backupTargetList: Command = {
  name: 'backup target list',
  usage: 'postern backup target list',
  summary: 'list backup targets with their last run',
  async run(ctx) {
    return withStore(ctx.config, async (store) => {
      const b = await backup();
      const targets = store.backups.targets();
      if (targets.length === 0) ctx.out('no backup targets ("postern backup target add NAME folder PATH" adds one)');
      for (const t of targets) ctx.out(b.describeTarget(t));
      return 0;
    });
  },
};

export const backupTargetRemove: Command = {
  name: 'backup target remove',
  usage: 'postern backup target remove NAME',
  summary: 'forget a backup target (what it holds stays there)',
  async run(ctx) {
    const name = targetName(ctx.args);
    return withStore(ctx.config, (store) => {
      location(store, name);
      store.backups.removeTarget(name);
      ctx.out(`removed backup target ${name} (its snapshots stay where they are)`);
      return 0;
    });
  },
};

export const backupRun: Command = {
  name: 'backup run',
  usage: 'postern backup run NAME',
  summary: 'write a snapshot to a target now (only message files the target lacks travel)',
  async run(ctx) {
    const name = targetName(ctx.args);
    return onTarget(ctx, name, async (store, b) => {
      const r = await b.runBackup(store, ctx.config, name, ctx.out);
      ctx.out(`backup ${name}: snapshot ${r.seq}: ${r.messageFiles} message file(s) (${r.newMessageFiles} new), database ${r.dbBytes} bytes; ${r.objectsSent} object(s), ${r.bytesSent} bytes sent`);
      return 0;
    });
  },
};

export const backupList: Command = {
  name: 'backup list',
  usage: 'postern backup list NAME',
  summary: "list a target's snapshots (each manifest's signature is checked)",
  async run(ctx) {
    const name = targetName(ctx.args);
    return onTarget(ctx, name, async (store, b) => {
      const list = await b.listSnapshots(store, name, ctx.config);
      if (list.length === 0) ctx.out(`${name}: no snapshots yet ("postern backup run ${name}")`);
      for (const s of list) ctx.out(`${s.seq}\t${new Date(s.createdAt).toISOString()}\t${s.objects} object(s)\t${s.bytes} bytes`);
      return 0;
    });
  },
};

export const backupVerify: Command = {
  name: 'backup verify',
  usage: 'postern backup verify NAME [--snapshot N] [--decrypt]  (--decrypt: the recovery code or passphrase on standard input)',
  summary: 'download a snapshot and check it end to end: signature, sequence, every object (with --decrypt every message file too)',
  async run(ctx) {
    const name = targetName(ctx.args);
    const snapshot = ctx.flags.snapshot === undefined ? undefined : Number(ctx.flags.snapshot);
    if (snapshot !== undefined && !(Number.isInteger(snapshot) && snapshot > 0)) throw new UsageError('--snapshot takes a snapshot number');
    const secret = ctx.flags.decrypt ? (await ctx.readSecret('Recovery code or backup passphrase: ')).trim() : undefined;
    if (ctx.flags.decrypt && !secret) throw new UsageError('--decrypt needs the recovery code or the passphrase on standard input');
    return onTarget(ctx, name, async (store, b) => {
      const r = await b.verifyTarget(store, name, { ...(snapshot ? { snapshot } : {}), ...(secret ? { secret } : {}), progress: ctx.out, config: ctx.config });
      ctx.out(`snapshot ${r.seq} of ${new Date(r.createdAt).toISOString()} is intact: ${r.objects} object(s), ${r.bytes} bytes checked${r.decrypted ? `; ${r.messages} message file(s) and the database decrypted and checked` : ''}`);
      return 0;
    });
  },
};

function retentionFlag(ctx: CommandContext, flag: string, dflt: number): number {
  const v = ctx.flags[flag];
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${flag} takes a whole number`);
  return n;
}

export const backupPrune: Command = {
  name: 'backup prune',
  usage: 'postern backup prune NAME [--keep-daily 7] [--keep-weekly 4] [--keep-monthly 6]',
  summary: 'remove snapshots beyond the retention and the data only they needed',
  async run(ctx) {
    const name = targetName(ctx.args);
    const retention = { daily: retentionFlag(ctx, 'keep-daily', 7), weekly: retentionFlag(ctx, 'keep-weekly', 4), monthly: retentionFlag(ctx, 'keep-monthly', 6) };
    return onTarget(ctx, name, async (store, b) => {
      const r = await b.pruneTarget(store, name, retention, undefined, ctx.config);
      ctx.out(`${name}: kept snapshot(s) ${r.kept.join(', ') || 'none'}; removed ${r.removed.length} snapshot(s), ${r.objectsRemoved} object(s), ${r.bytesFreed} bytes`);
      return 0;
    });
  },
};

export const backupKeyInit: Command = {
  name: 'backup key init',
  usage: 'postern backup key init [--passphrase]  (--passphrase: the admin passphrase on standard input)',
  summary: 'make the backup key now and print its recovery code (target add does it on first use)',
  async run(ctx) {
    const passphrase = ctx.flags.passphrase ? (await ctx.readSecret('Admin passphrase for backups: ')) : undefined;
    if (ctx.flags.passphrase && (!passphrase || passphrase.length < 8)) throw new UsageError('the passphrase needs at least 8 characters');
    return failClearly(ctx, () => withStore(ctx.config, async (store) => {
      const b = await backup();
      await printRecoveryCode(ctx, (await b.createBackupKeys(store, passphrase)).recoveryCode);
      return 0;
    }));
  },
};

export const backupKeyPassphrase: Command = {
  name: 'backup key passphrase',
  usage: 'postern backup key passphrase  (the recovery code or the current passphrase, then the new passphrase, on standard input)',
  summary: 'wrap the backup key under the admin passphrase too (a second way to restore)',
  async run(ctx) {
    const secret = (await ctx.readSecret('Recovery code or current passphrase: ')).trim();
    const passphrase = await ctx.readSecret('New passphrase: ');
    if (!secret || !passphrase) throw new UsageError('expected the recovery code (or current passphrase) and the new passphrase on standard input');
    return failClearly(ctx, () => withStore(ctx.config, async (store) => {
      const b = await backup();
      await b.setBackupPassphrase(store, secret, passphrase);
      ctx.out('the backup key is now also wrapped under the passphrase; the next run puts it on each target');
      return 0;
    }));
  },
};

export const backupKeySplit: Command = {
  name: 'backup key split',
  usage: 'postern backup key split K N  (the recovery code on standard input)',
  summary: 'split the recovery code into N shares for trusted people; any K of them restore the box (restore --shares)',
  async run(ctx) {
    const [k, n] = ctx.args.map(Number);
    if (ctx.args.length !== 2 || !Number.isInteger(k) || !Number.isInteger(n)) throw new UsageError('usage: postern backup key split K N (for example 2 3: three shares, any two restore)');
    const code = (await ctx.readSecret('Recovery code: ')).trim();
    if (!code) throw new UsageError('expected the recovery code on standard input');
    return failClearly(ctx, () => withStore(ctx.config, async (store) => {
      const b = await backup();
      await b.checkRecoveryCode(store, code);
      const shares = await b.splitRecoveryCode(code, k!, n!);
      ctx.out(`${n} shares; any ${k} of them restore this box ("postern restore ... --shares", one share a line). Give each to a different person:`);
      shares.forEach((sh, i) => ctx.out(`share ${i + 1} of ${n}: ${sh}`));
      return 0;
    }));
  },
};

export const backupStatus: Command = {
  name: 'backup status',
  usage: 'postern backup status',
  summary: 'each target: last snapshot, last success, last error, overdue or not',
  async run(ctx) {
    return withStore(ctx.config, async (store) => {
      const b = await backup();
      const st = b.backupStatus(store);
      if (st.length === 0) { ctx.out('no backup targets: nothing protects this box against a dead SD card ("postern backup target add")'); return 1; }
      let bad = 0;
      for (const s of st) {
        ctx.out(`${s.name}\t${s.state}\t${s.text}`);
        if (s.state !== 'ok') bad++;
      }
      return bad ? 1 : 0;
    });
  },
};

export const restore: Command = {
  name: 'restore',
  usage: 'postern restore --from-folder PATH | --from-imap URL | --from-peer ONION [--socks HOST:PORT] [--snapshot N] [--min-seq N] [--shares]  (the recovery code or backup passphrase on standard input; --shares: K shares, one a line; a peer needs the recovery code or the shares)',
  summary: 'bring a box back from a backup into an empty data folder (accounts, mail, UIDs, onion addresses, DKIM keys, CA)',
  async run(ctx) {
    const from = (['folder', 'imap', 'peer'] as const).flatMap((k) => (typeof ctx.flags[`from-${k}`] === 'string' ? [[k, ctx.flags[`from-${k}`] as string] as const] : []));
    if (from.length !== 1) throw new UsageError('expected one of --from-folder PATH, --from-imap URL or --from-peer ONION');
    const [kind, where] = from[0]!;
    const num = (f: string): number | undefined => {
      const v = ctx.flags[f];
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${f} takes a snapshot number`);
      return n;
    };
    const snapshot = num('snapshot');
    const minSeq = num('min-seq');
    let socks: { host: string; port: number } | undefined;
    if (typeof ctx.flags.socks === 'string') {
      const m = /^([\d.]+|localhost|\[[0-9a-f:]+\]):(\d{1,5})$/i.exec(ctx.flags.socks);
      if (!m) throw new UsageError('--socks takes HOST:PORT (tor\'s SOCKS port)');
      socks = { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
    }
    let secret: string;
    if (ctx.flags.shares) {
      const lines: string[] = [];
      for (let l; (l = (await ctx.readSecret(`Share ${lines.length + 1} (an empty line when done): `)).trim()) !== '';) lines.push(l);
      const b = await backup();
      try {
        secret = await b.combineShares(lines);
      } catch (e) {
        if (e instanceof b.BackupKeyError) throw new UsageError(e.message, 1);
        throw e;
      }
    } else {
      secret = (await ctx.readSecret('Recovery code or backup passphrase: ')).trim();
    }
    if (!secret) throw new UsageError('expected the recovery code (or the backup passphrase) on standard input');
    return failClearly(ctx, async () => {
      const b = await backup();
      const target = await b.openTarget(kind, where, { config: ctx.config, ...(kind === 'peer' ? { recoveryCode: secret } : {}), ...(socks ? { socks } : {}) });
      try {
        const r = await b.restoreFromTarget(target, ctx.config, secret, { ...(snapshot ? { snapshot } : {}), ...(minSeq ? { minSeq } : {}), progress: ctx.out });
        ctx.out(`restored snapshot ${r.seq} of ${new Date(r.createdAt).toISOString()} into ${ctx.config.dataDir}: ${r.accounts} account(s), ${r.messages} message(s), ${r.files} system file(s); the store checks clean`);
        return 0;
      } finally {
        await target.close();
      }
    });
  },
};

export const backupHoldAdd: Command = {
  name: 'backup hold add',
  usage: 'postern backup hold add ONION [--quota SIZE]  (SIZE like 5G or 500M; default 5G)',
  summary: "hold a peer box's encrypted backups here, up to a quota (the peer is added from its card first: its TLS key is pinned)",
  async run(ctx) {
    const [where, ...rest] = ctx.args;
    if (!where || rest.length) throw new UsageError('usage: postern backup hold add ONION [--quota SIZE]');
    const b = await backup();
    const quota = ctx.flags.quota === undefined ? 5 * 1024 ** 3 : b.parseQuota(String(ctx.flags.quota));
    if (!quota) throw new UsageError('--quota takes a size like 5G, 500M or a number of bytes');
    return failClearly(ctx, () => withStore(ctx.config, (store) => {
      const onion = b.normalizeOnion(where);
      const r = new b.HoldBook(store).add(onion, b.peerSpki(store, onion), quota);
      ctx.out(`${r.created ? 'holding' : 'still holding'} backups for ${onion} up to ${b.formatBytes(quota)}; it reaches this box at its own onion address, port 7425, with its pinned TLS key (it adds this box with "postern backup target add NAME peer ${b.ownOnion(ctx.config)}")`);
      return Promise.resolve(0);
    }));
  },
};

export const backupHoldList: Command = {
  name: 'backup hold list',
  usage: 'postern backup hold list',
  summary: 'the peer boxes whose backups this box holds: quota, bytes held',
  async run(ctx) {
    return withStore(ctx.config, async (store) => {
      const b = await backup();
      const book = new b.HoldBook(store);
      const holds = book.list();
      if (holds.length === 0) ctx.out('this box holds no backups for peers ("postern backup hold add ONION")');
      for (const h of holds) ctx.out(`${h.onion}\t${b.formatBytes(b.usedBytes(book.folder(h)))} of ${b.formatBytes(h.quota)}\t${h.retrievalKey ? 'restorable with its recovery code' : 'no snapshot yet'}`);
      return 0;
    });
  },
};

export const backupHoldRemove: Command = {
  name: 'backup hold remove',
  usage: 'postern backup hold remove ONION',
  summary: "stop holding a peer's backups and delete what this box holds for it",
  async run(ctx) {
    const [where] = ctx.args;
    if (!where) throw new UsageError('usage: postern backup hold remove ONION');
    return failClearly(ctx, () => withStore(ctx.config, async (store) => {
      const b = await backup();
      const onion = b.normalizeOnion(where);
      const book = new b.HoldBook(store);
      const h = book.get(onion);
      if (!h) throw new UsageError(`this box holds no backups for ${onion}`, 1);
      book.remove(onion);
      (await import('node:fs')).rmSync(book.folder(h), { recursive: true, force: true });
      ctx.out(`no longer holding backups for ${onion}; what it held is deleted`);
      return 0;
    }));
  },
};
