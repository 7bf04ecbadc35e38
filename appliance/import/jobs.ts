// Imports the panel starts: they run inside the appliance process, at most one per account at a
// time. Signing in at the provider happens before the page answers, so a wrong password, a refused
// certificate or a server that cannot be reached is said on the form at once; the import itself
// then runs in the background and reports through its progress record (store.imports runs), which
// the panel's import page reads. The provider password lives only in this run's memory: never
// stored, never logged.
import type { Account, Store } from '../store/index.js';
import type { MailPipeline } from '../pipeline.js';
import { log } from '../log.js';
import { connectProvider } from './imap.js';
import { runImapImport } from './index.js';
import { ImportError } from './sink.js';
import type { ProviderAddress } from './imap-url.js';

const running = new Map<number, Promise<void>>();

/** Whether this process runs an import for the account now. */
export function importRunning(accountId: number): boolean {
  return running.has(accountId);
}

/** Sign in at the provider, then import in the background. Throws ImportError (with the CLI's exit
 *  codes: 3 sign-in refused, 4 certificate refused, 5 no connection) when the sign-in fails, or
 *  when an import of this account runs already. */
export async function startImapImport(store: Store, pipeline: MailPipeline, acct: Account, o: { address: ProviderAddress; password: string; deleteAfter?: boolean }): Promise<void> {
  if (running.has(acct.id)) throw new ImportError('an import into this account is running already', 1);
  // reserve the account before the sign-in, so two quick clicks do not start two imports
  let release: () => void = () => undefined;
  running.set(acct.id, new Promise<void>((r) => { release = r; }));
  let client;
  try {
    client = await connectProvider({ address: o.address, password: o.password });
  } catch (e) {
    running.delete(acct.id);
    release();
    throw e;
  }
  const job = runImapImport(store, pipeline, acct, { address: o.address, password: o.password, client, deleteAfter: o.deleteAfter ?? false, summary: true })
    .then((r) => { log.info('import.finished', { account: acct.id, exitCode: r.exitCode }); })
    .catch((e: unknown) => { log.warn('import.failed', { account: acct.id, exitCode: e instanceof ImportError ? e.exitCode : 1 }); })
    .finally(() => { running.delete(acct.id); release(); });
  running.set(acct.id, job);
}

/** Wait for the imports this process runs (tests, an orderly stop). */
export async function importsSettled(): Promise<void> {
  await Promise.allSettled([...running.values()]);
}
