// Import over IMAP (imapflow): sign in over verified TLS, walk the provider's folders, and bring
// in every message not yet brought in, folder by folder, with its flags, keywords and INTERNALDATE.
// Resumable and incremental: each folder's UIDs already recorded under its UIDVALIDITY (store
// .imports, committed with each message) are not fetched again, so a rerun after kill -9 or a
// periodic run fetches only what is new. A folder whose UIDVALIDITY changed is matched by content
// instead. Memory: UID lists, then message bodies in batches bounded by size, one window of
// messages in flight to the store; never a whole folder.
import { readFileSync } from 'node:fs';
import type { ImapFlow, FetchMessageObject, ListResponse } from 'imapflow';
import { clientTlsOptions } from '../tls/policy.js';
import { log, redact } from '../log.js';
import type { Store } from '../store/index.js';
import { contentHash, ImportError, type ImportSink } from './sink.js';
import { folderOrder, planFolder, targetMailbox, type FolderPlan } from './folders.js';
import type { ProviderAddress } from './imap-url.js';
import type { Progress } from './progress.js';

export interface ImapImportOptions {
  address: ProviderAddress;
  password: string;
  /** a CA certificate file to trust (a provider with a private CA) */
  caFile?: string;
  /** remove from the provider what was imported (confirmed by the store's commit) */
  deleteAfter?: boolean;
  progress?: Progress;
  /** bytes of message bodies fetched per round trip at most */
  batchBytes?: number;
  /** a connection already signed in (connectProvider): the panel signs in first, so a wrong
   *  password is answered on the form, then imports in the background */
  client?: ImapFlow;
}

export interface ImapImportResult { folders: number; imported: number; alreadyThere: number; deletedAtSource: number; skippedFolders: Array<{ folder: string; why: string }> }

/** Exit codes: 3 the provider refused the sign-in, 4 its certificate was refused, 5 no connection. */
const TLS_CODES = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'CERT_SIGNATURE_FAILURE', 'INVALID_CA', 'HOSTNAME_MISMATCH']);

export function origin(a: ProviderAddress): string {
  return `imap:${a.user.toLowerCase()}@${a.host.toLowerCase()}:${a.port}`;
}

function explain(e: unknown, a: ProviderAddress): ImportError {
  const err = e as Error & { code?: string; authenticationFailed?: boolean; responseText?: string; cause?: { code?: string } };
  const where = `${a.host}:${a.port}`;
  const code = err.code ?? err.cause?.code;
  if (err.authenticationFailed) {
    return new ImportError(`the provider ${where} refused the sign-in as ${a.user}${err.responseText ? ` (${err.responseText})` : ''}: check the user name and the (app) password`, 3);
  }
  if (code && TLS_CODES.has(code)) {
    return new ImportError(`the certificate of ${where} could not be verified (${code}: ${err.message}); nothing was sent. If the provider uses its own certificate authority, give its certificate with --ca FILE`, 4);
  }
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'ETIMEDOUT' || code === 'ECONNRESET' || code === 'EAI_AGAIN') {
    return new ImportError(`cannot reach the provider at ${where} (${code})`, 5);
  }
  if (/STARTTLS/i.test(err.message)) return new ImportError(`the provider ${where} does not offer STARTTLS, and the password is never sent unencrypted: ${err.message}`, 4);
  return new ImportError(`the connection to ${where} failed: ${err.responseText ?? err.message}`, 5);
}

export async function connectProvider(o: Pick<ImapImportOptions, 'address' | 'password' | 'caFile'>): Promise<ImapFlow> {
  const { ImapFlow } = await import('imapflow');
  let ca: Buffer | undefined;
  if (o.caFile) {
    try { ca = readFileSync(o.caFile); } catch (e) { throw new ImportError(`cannot read the CA file ${o.caFile}: ${(e as NodeJS.ErrnoException).code ?? e}`, 2); }
  }
  const a = o.address;
  const client = new ImapFlow({
    host: a.host,
    port: a.port,
    secure: a.secure,
    // never a downgrade: without implicit TLS the STARTTLS upgrade is required
    doSTARTTLS: a.secure ? undefined : true,
    auth: { user: a.user, pass: o.password },
    tls: clientTlsOptions({ rejectUnauthorized: true, ...(ca ? { ca } : {}) }),
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: 30_000,
  });
  client.on('error', () => undefined); // surfaced by the failing command
  try {
    await client.connect();
  } catch (e) {
    client.close();
    throw explain(e, a);
  }
  return client;
}

function flagsOf(m: FetchMessageObject): string[] {
  return [...(m.flags ?? [])].filter((f) => f.toLowerCase() !== '\\recent');
}

function dateOf(m: FetchMessageObject): number | undefined {
  if (!m.internalDate) return undefined;
  const t = new Date(m.internalDate).getTime();
  return Number.isFinite(t) ? t : undefined;
}

/** Ranges for a sorted UID list ("1:5,7,9:10"), so a command line stays short. */
export function uidRanges(uids: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < uids.length;) {
    let j = i;
    while (j + 1 < uids.length && uids[j + 1] === uids[j]! + 1) j++;
    parts.push(i === j ? `${uids[i]}` : `${uids[i]}:${uids[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

export async function importImap(store: Store, sink: ImportSink, o: ImapImportOptions): Promise<ImapImportResult> {
  const accountId = sink.accountId;
  const from = origin(o.address);
  const client = o.client ?? await connectProvider(o);
  const result: ImapImportResult = { folders: 0, imported: 0, alreadyThere: 0, deletedAtSource: 0, skippedFolders: [] };
  const batchBytes = o.batchBytes ?? 8 * 1024 * 1024;
  try {
    let list: ListResponse[];
    try { list = await client.list(); } catch (e) { throw explain(e, o.address); }
    const folders = list.map((f) => ({ f, path: f.path, plan: planFolder(f) as FolderPlan })).sort(folderOrder);
    const gmailIds = new Set<string>();
    for (const { f, plan } of folders) {
      if (plan.kind === 'skip') { result.skippedFolders.push({ folder: f.path, why: plan.why }); continue; }
      const target = targetMailbox(store, accountId, plan);
      let mb;
      try {
        mb = await client.mailboxOpen(f.path, { readOnly: !o.deleteAfter });
      } catch (e) {
        result.skippedFolders.push({ folder: f.path, why: `the provider would not open it: ${(e as { responseText?: string }).responseText ?? (e as Error).message}` });
        continue;
      }
      result.folders++;
      const uidValidity = Number(mb.uidValidity);
      const source = store.imports.source(accountId, from, f.path);
      const validityChanged = source.uidValidity !== 0 && source.uidValidity !== uidValidity;
      if (source.uidValidity !== uidValidity) store.imports.setUidValidity(source.id, uidValidity);
      const done = store.imports.doneItems(source.id, uidValidity);
      const all = mb.exists > 0 ? ((await client.search({ all: true }, { uid: true })) || []) : [];
      all.sort((x, y) => x - y);
      const todo = all.filter((u) => !done.has(String(u)));
      result.alreadyThere += all.length - todo.length;
      o.progress?.folder(f.path, all.length, all.length - todo.length);
      if (plan.allMail) for (const id of store.imports.emailIds(accountId, from)) gmailIds.add(id);
      // metadata first (size decides the batches), bodies in batches of at most batchBytes
      for (let i = 0; i < todo.length; i += 500) {
        const chunk = todo.slice(i, i + 500);
        const meta = new Map<number, FetchMessageObject>();
        for await (const m of client.fetch(uidRanges(chunk), { uid: true, size: true, flags: true, internalDate: true, emailId: true }, { uid: true })) meta.set(m.uid, m);
        let batch: number[] = [];
        let bytes = 0;
        const flush = async () => {
          if (!batch.length) return;
          const uids = batch;
          batch = []; bytes = 0;
          for await (const m of client.fetch(uidRanges(uids), { uid: true, source: true }, { uid: true })) {
            const md = meta.get(m.uid);
            const raw = m.source;
            if (!raw || !md) continue;
            if (validityChanged && store.imports.hasHash(source.id, contentHash(raw))) { o.progress?.tick(f.path, raw.length); continue; }
            if (plan.allMail && !md.emailId && store.imports.accountHasContent(accountId, contentHash(raw))) { o.progress?.tick(f.path, raw.length); continue; }
            await sink.put({
              raw, mailboxId: target.id, flags: flagsOf(md), ...(dateOf(md) !== undefined ? { internalDate: dateOf(md)! } : {}),
              sourceId: source.id, item: String(m.uid), uidValidity, ...(md.emailId ? { emailId: md.emailId } : {}), where: `${f.path} UID ${m.uid}`,
            });
            o.progress?.tick(f.path, raw.length);
          }
        };
        for (const uid of chunk) {
          const md = meta.get(uid);
          if (!md) continue; // expunged at the provider meanwhile
          // Gmail: a message of All Mail that a label (folder) brought in already is that message
          if (plan.allMail && md.emailId && gmailIds.has(md.emailId)) { o.progress?.tick(f.path, 0); continue; }
          if (!plan.allMail && md.emailId) gmailIds.add(md.emailId);
          if (batch.length && bytes + (md.size ?? 0) > batchBytes) await flush();
          batch.push(uid);
          bytes += md.size ?? 0;
        }
        await flush();
      }
      await sink.drain();
      if (o.deleteAfter) {
        const present = new Set(all);
        const imported = store.imports.importedNotDeleted(source.id, uidValidity).map((x) => Number(x.item)).filter((u) => present.has(u)).sort((x, y) => x - y);
        for (let i = 0; i < imported.length; i += 1000) {
          const part = imported.slice(i, i + 1000);
          await client.messageDelete(uidRanges(part), { uid: true });
          store.imports.markDeleted(source.id, part.map(String));
          result.deletedAtSource += part.length;
        }
      }
      log.debug('import.folder', { folder: redact('subject', f.path), total: all.length, fetched: todo.length });
    }
  } catch (e) {
    if (e instanceof ImportError) throw e;
    const err = e as Error & { code?: string };
    if (err.code === 'NoConnection' || err.code === 'EConnectionClosed' || /closed|ECONNRESET|socket/i.test(err.message)) {
      throw new ImportError(`the provider closed the connection (${err.message}); what was imported is kept: run the same command again to continue`, 5);
    }
    throw e;
  } finally {
    try { await sink.drain(); } catch { /* reported by the caller's own drain */ }
    try { await client.logout(); } catch { client.close(); }
  }
  result.imported = sink.imported;
  return result;
}
