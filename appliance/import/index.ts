// Moving in and out (issue 18): the runs the CLI (and later the panel) start. Each run has a
// progress record (store.imports runs), prints one line of result, and sends the household a
// summary mail in its INBOX when it brought something in or skipped something.
import type { Account, Store } from '../store/index.js';
import type { MailPipeline } from '../pipeline.js';
import { ImportError, ImportSink } from './sink.js';
import { importImap, origin } from './imap.js';
import { importMaildirTree, importMboxFile } from './files.js';
import { Progress } from './progress.js';
import { sendSummary } from './summary.js';
import type { ProviderAddress } from './imap-url.js';
import type { ImapFlow } from 'imapflow';

export { parseProviderUrl, type ProviderAddress } from './imap-url.js';
export { connectProvider } from './imap.js';
export { exportMbox, exportMaildir } from './export.js';
export { ImportError } from './sink.js';

export interface RunResult { line: string; exitCode: number }

type Show = (line: string, final: boolean, fraction?: number) => void;

export async function runImapImport(store: Store, pipeline: MailPipeline, acct: Account, o: {
  address: ProviderAddress; password: string; caFile?: string; deleteAfter: boolean; summary: boolean; show?: Show;
  /** signed in already (connectProvider) */
  client?: ImapFlow;
}): Promise<RunResult> {
  const from = `${o.address.user}@${o.address.host}`;
  const sink = new ImportSink(pipeline, store, acct.id);
  const progress = new Progress(store, o.show, { accountId: acct.id, kind: 'imap', origin: origin(o.address) });
  const started = Date.now();
  try {
    const r = await importImap(store, sink, { address: o.address, password: o.password, ...(o.caFile ? { caFile: o.caFile } : {}), ...(o.client ? { client: o.client } : {}), deleteAfter: o.deleteAfter, progress });
    progress.finish('done');
    if ((o.summary && sink.imported > 0) || sink.skipped.length) {
      await sendSummary(pipeline, acct.id, { account: acct.address, from, imported: sink.imported, alreadyThere: r.alreadyThere, bytes: sink.bytes, seconds: (Date.now() - started) / 1000, skipped: sink.skipped, skippedFolders: r.skippedFolders, ...(o.deleteAfter ? { deletedAtSource: r.deletedAtSource } : {}) });
    }
    const skipped = sink.skipped.length ? `, ${sink.skipped.length} skipped (the summary mail says why)` : '';
    const deleted = o.deleteAfter ? `, ${r.deletedAtSource} removed from the provider` : '';
    return { line: `imported ${sink.imported} messages from ${r.folders} folders of ${from} into ${acct.address} (${r.alreadyThere} already here${skipped}${deleted})`, exitCode: 0 };
  } catch (e) {
    progress.finish('failed', (e as Error).message, e instanceof ImportError ? e.exitCode : 1);
    if (sink.imported > 0 || sink.skipped.length) {
      try {
        await sendSummary(pipeline, acct.id, { account: acct.address, from, imported: sink.imported, alreadyThere: 0, bytes: sink.bytes, seconds: (Date.now() - started) / 1000, skipped: sink.skipped, failed: (e as Error).message });
      } catch { /* the error below says it all */ }
    }
    if (e instanceof ImportError && sink.imported > 0) throw new ImportError(`${e.message} (${sink.imported} messages were imported and are kept)`, e.exitCode);
    throw e;
  }
}

export async function runFileImport(store: Store, pipeline: MailPipeline, acct: Account, o: { kind: 'mbox' | 'maildir'; path: string; show?: Show }): Promise<RunResult> {
  const sink = new ImportSink(pipeline, store, acct.id);
  const progress = new Progress(store, o.show, { accountId: acct.id, kind: o.kind, origin: `${o.kind}:${o.path}` });
  const started = Date.now();
  try {
    let r;
    try {
      r = o.kind === 'mbox' ? await importMboxFile(store, sink, o.path, progress) : await importMaildirTree(store, sink, o.path, progress);
    } catch (e) {
      if (e instanceof ImportError) throw e;
      const err = e as NodeJS.ErrnoException;
      throw new ImportError(err.code ? `cannot read ${o.path}: ${err.code}` : err.message, 1);
    }
    progress.finish('done');
    if (sink.imported > 0 || sink.skipped.length) {
      await sendSummary(pipeline, acct.id, { account: acct.address, from: o.path, imported: sink.imported, alreadyThere: r.alreadyThere, bytes: sink.bytes, seconds: (Date.now() - started) / 1000, skipped: sink.skipped });
    }
    const skipped = sink.skipped.length ? `, ${sink.skipped.length} skipped (the summary mail says why)` : '';
    return { line: `imported ${sink.imported} messages into ${r.folders} mailboxes of ${acct.address} from ${o.path} (${r.alreadyThere} already here${skipped})`, exitCode: 0 };
  } catch (e) {
    progress.finish('failed', (e as Error).message, e instanceof ImportError ? e.exitCode : 1);
    try { await sink.drain(); } catch { /* the first error is the one reported */ }
    if (e instanceof ImportError && sink.imported > 0) throw new ImportError(`${e.message} (${sink.imported} messages were imported and are kept; run the same command again to continue)`, e.exitCode);
    throw e;
  }
}
