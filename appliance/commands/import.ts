// postern import imap|mbox|maildir and postern export: bring a household's mail in from its old
// provider or from files, and take it out again. The code lives in appliance/import/; these are
// its command-line faces. They open the store next to a running appliance (SQLite WAL) and write
// through the same group commit as IMAP APPEND. Exit codes: 0 done, 1 failed (the sentence says
// why; what was imported is kept and a rerun continues), 2 usage, 3 the provider refused the
// sign-in, 4 the provider's certificate was refused (or STARTTLS missing), 5 no connection.
import { resolve } from 'node:path';
import { withStore } from './open-store.js';
import { UsageError, type Command, type CommandContext } from './command.js';
import type { Store, Account } from '../store/index.js';
import { MailPipeline } from '../pipeline.js';

const imports = () => import('../import/index.js');

function account(store: Store, address: string | undefined): Account {
  if (!address) throw new UsageError('expected the account to import into (an address: "postern user list" shows them)');
  const a = store.accounts.byAddress(address);
  if (!a) throw new UsageError(`no account ${address} ("postern user list" shows them)`, 1);
  return a;
}

/** The pipeline a CLI import writes through: the store's group commit, with encryption at rest
 *  for accounts that chose it (the same storage step the running appliance applies). */
async function pipelineFor(store: Store): Promise<MailPipeline> {
  const pipeline = new MailPipeline(store);
  const { encryptForStorage } = await import('../../services/pgp/at-rest.js');
  pipeline.onStorage((msg) => encryptForStorage(store, msg));
  return pipeline;
}

/** A bar of `width` cells for a fraction from 0 to 1. */
export function bar(fraction: number, width = 24): string {
  const f = Math.min(Math.max(fraction, 0), 1);
  const full = Math.floor(f * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}] ${String(Math.floor(f * 100)).padStart(3)}%`;
}

/** On a terminal: a progress bar and the line, rewritten in place (cut to the terminal's width);
 *  otherwise (a log, a pipe): the plain line every 5 seconds and at the end. */
function progressLine(ctx: CommandContext): (line: string, final: boolean, fraction?: number) => void {
  if (process.stderr.isTTY) {
    return (line, final, fraction) => {
      const text = fraction === undefined ? line : `${bar(fraction)} ${line}`;
      const width = process.stderr.columns || 80;
      process.stderr.write(`\r\x1b[K${text.length >= width ? text.slice(0, width - 1) : text}${final ? '\n' : ''}`);
    };
  }
  let last = 0;
  return (line, final) => {
    const now = Date.now();
    if (final || now - last >= 5000) { last = now; ctx.err(line); }
  };
}

async function failClearly(ctx: CommandContext, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (e) {
    if ((e as Error).name === 'ImportError') {
      ctx.err(`postern: ${(e as Error).message}`);
      return (e as { exitCode: number }).exitCode;
    }
    throw e;
  }
}

export const importImap: Command = {
  name: 'import imap',
  usage: 'postern import imap ACCOUNT imaps://USER@HOST:PORT [--starttls] [--ca FILE] [--delete-after] [--every MINUTES]  (the provider password on standard input)',
  summary: "bring an account's mail over from a provider over IMAP (resumable; again later fetches only new mail; --every keeps fetching)",
  async run(ctx) {
    const [address, url, ...rest] = ctx.args;
    if (!address || !url || rest.length) throw new UsageError(`usage: ${importImap.usage}`);
    const every = ctx.flags.every === undefined ? undefined : Number(ctx.flags.every);
    if (every !== undefined && (!Number.isFinite(every) || every <= 0)) throw new UsageError('--every takes a number of minutes greater than 0');
    const ca = typeof ctx.flags.ca === 'string' ? resolve(ctx.flags.ca) : undefined;
    if (ctx.flags.ca === true) throw new UsageError('--ca needs a file');
    return failClearly(ctx, async () => {
      const imp = await imports();
      const addr = imp.parseProviderUrl(url, ctx.flags.starttls === true);
      return withStore(ctx.config, async (store) => {
        const acct = account(store, address);
        const password = await ctx.readSecret(`password for ${addr.user} at ${addr.host}: `);
        if (!password) throw new UsageError('expected the provider password on standard input');
        const pipeline = await pipelineFor(store);
        let stop = false;
        let wake: (() => void) | undefined;
        const onSignal = () => { stop = true; wake?.(); };
        if (every !== undefined) { process.once('SIGTERM', onSignal); process.once('SIGINT', onSignal); }
        try {
          for (let pass = 1; ; pass++) {
            const r = await imp.runImapImport(store, pipeline, acct, {
              address: addr, password, ...(ca ? { caFile: ca } : {}), deleteAfter: ctx.flags['delete-after'] === true,
              summary: pass === 1, show: progressLine(ctx),
            });
            ctx.out(r.line);
            if (every === undefined || stop) return r.exitCode;
            await new Promise<void>((res) => {
              const timer = setTimeout(res, every * 60_000);
              wake = () => { clearTimeout(timer); res(); };
            });
            if (stop) return 0;
          }
        } finally {
          process.off('SIGTERM', onSignal); process.off('SIGINT', onSignal);
        }
      });
    });
  },
};

export const importMbox: Command = {
  name: 'import mbox',
  usage: 'postern import mbox ACCOUNT FILE',
  summary: 'bring in an mbox file (Google Takeout too: X-Gmail-Labels become mailboxes), streamed; run again, it skips what it brought',
  async run(ctx) {
    const [address, file, ...rest] = ctx.args;
    if (!address || !file || rest.length) throw new UsageError(`usage: ${importMbox.usage}`);
    return failClearly(ctx, async () => {
      const imp = await imports();
      return withStore(ctx.config, async (store) => {
        const acct = account(store, address);
        const r = await imp.runFileImport(store, await pipelineFor(store), acct, { kind: 'mbox', path: resolve(file), show: progressLine(ctx) });
        ctx.out(r.line);
        return r.exitCode;
      });
    });
  },
};

export const importMaildir: Command = {
  name: 'import maildir',
  usage: 'postern import maildir ACCOUNT DIR',
  summary: 'bring in a Maildir (Maildir++ subfolders too; flags from the file names); run again, it skips what it brought',
  async run(ctx) {
    const [address, dir, ...rest] = ctx.args;
    if (!address || !dir || rest.length) throw new UsageError(`usage: ${importMaildir.usage}`);
    return failClearly(ctx, async () => {
      const imp = await imports();
      return withStore(ctx.config, async (store) => {
        const acct = account(store, address);
        const r = await imp.runFileImport(store, await pipelineFor(store), acct, { kind: 'maildir', path: resolve(dir), show: progressLine(ctx) });
        ctx.out(r.line);
        return r.exitCode;
      });
    });
  },
};

export const exportMail: Command = {
  name: 'export',
  usage: 'postern export ACCOUNT --mbox FILE | --maildir DIR',
  summary: "write an account's mail out as one mbox file (mboxrd, with X-Mailbox and X-Keywords) or as a Maildir (a subfolder per mailbox)",
  async run(ctx) {
    const [address, ...rest] = ctx.args;
    const mbox = ctx.flags.mbox;
    const maildir = ctx.flags.maildir;
    if (!address || rest.length || (typeof mbox === 'string') === (typeof maildir === 'string')) throw new UsageError(`usage: ${exportMail.usage}`);
    return failClearly(ctx, async () => {
      const imp = await imports();
      return withStore(ctx.config, async (store) => {
        const acct = account(store, address);
        const r = typeof mbox === 'string'
          ? await imp.exportMbox(store, acct.id, resolve(mbox), progressLine(ctx))
          : await imp.exportMaildir(store, acct.id, resolve(maildir as string), progressLine(ctx));
        ctx.out(`exported ${r.messages} messages (${r.mailboxes} mailboxes, ${r.bytes} bytes) of ${acct.address} to ${typeof mbox === 'string' ? resolve(mbox) : resolve(maildir as string)}`);
        return 0;
      });
    });
  },
};
