// Imports from files: an mbox (Google Takeout's too) or a Maildir. Each file or folder is a
// source (store.imports) whose items are message ordinals (mbox) or unique names (Maildir), so a
// rerun skips what is in already.
//
// mbox: the mailbox and flags come, in this order, from Postern's own export line (exact bytes,
// mailbox and flags restored), from Takeout's X-Gmail-Labels (one mailbox per message, so a
// message with several labels is not stored several times: Sent, Drafts, Spam (Junk), Trash,
// Inbox, else the first label of the household's own, else Archive; "Unread" absent means \Seen,
// "Starred" means \Flagged), from Status/X-Status (mutt, Dovecot: R \Seen, A \Answered, F
// \Flagged, T \Draft, D \Deleted) and X-Keywords; otherwise the INBOX.
// Maildir: DIR itself is the INBOX when it has cur/; ".A.B" folders are Maildir++ ("A/B", names
// in modified UTF-7); other folders holding cur/ are nested folders (Dovecot's LAYOUT=fs). Flags
// from the info suffix (":2,FRST" and a-z keywords named by dovecot-keywords), the INTERNALDATE
// from the file's time.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { SpecialUse, Store } from '../store/index.js';
import { firstField, headerEnd, parseHeaderFields, type HeaderField } from '../mail/header.js';
import { contentHash, type ImportSink } from './sink.js';
import { readMbox } from './mbox.js';
import { parseExportLine } from './export.js';
import { cleanLevel, targetMailbox } from './folders.js';
import { decodeMutf7 } from './utf7.js';
import type { Progress } from './progress.js';

interface Placement { target: string; specialUse: SpecialUse | null; flags: string[] }

const BY_NAME: Record<string, SpecialUse> = {
  sent: '\\Sent', 'sent items': '\\Sent', 'sent messages': '\\Sent', 'sent mail': '\\Sent',
  drafts: '\\Drafts', draft: '\\Drafts', junk: '\\Junk', spam: '\\Junk', 'junk e-mail': '\\Junk',
  trash: '\\Trash', 'deleted items': '\\Trash', 'deleted messages': '\\Trash', bin: '\\Trash',
  archive: '\\Archive', archives: '\\Archive',
};

function placementByName(name: string): Placement {
  if (/^inbox$/i.test(name)) return { target: 'INBOX', specialUse: null, flags: [] };
  const use = name.includes('/') ? undefined : BY_NAME[name.toLowerCase()];
  if (use) return { target: name, specialUse: use, flags: [] };
  return { target: name.split('/').map(cleanLevel).join('/'), specialUse: null, flags: [] };
}

const GMAIL_SYSTEM = new Set(['important', 'opened', 'unread', 'starred', 'archived', 'chat', 'inbox', 'sent', 'drafts', 'draft', 'spam', 'trash']);

/** Where a Takeout message goes: one mailbox, so labels never make copies. */
export function placeGmail(labels: string[]): Placement {
  const lower = labels.map((l) => l.toLowerCase());
  const flags: string[] = [];
  if (!lower.includes('unread')) flags.push('\\Seen');
  if (lower.includes('starred')) flags.push('\\Flagged');
  const pick = (l: string, target: string, use: SpecialUse | null): Placement => ({ target, specialUse: use, flags: l === 'drafts' || l === 'draft' ? [...flags, '\\Draft'] : flags });
  if (lower.includes('trash')) return pick('trash', 'Trash', '\\Trash');
  if (lower.includes('spam')) return pick('spam', 'Junk', '\\Junk');
  if (lower.includes('drafts') || lower.includes('draft')) return pick('drafts', 'Drafts', '\\Drafts');
  if (lower.includes('sent')) return pick('sent', 'Sent', '\\Sent');
  if (lower.includes('inbox')) return pick('inbox', 'INBOX', null);
  const own = labels.find((l) => !GMAIL_SYSTEM.has(l.toLowerCase()) && !/^category /i.test(l));
  if (own) return { target: own.split('/').map(cleanLevel).join('/'), specialUse: null, flags };
  return { target: 'Archive', specialUse: '\\Archive', flags };
}

/** Takeout's X-Gmail-Labels: comma-separated, a label holding a comma in double quotes. */
export function splitLabels(value: string): string[] {
  const out: string[] = [];
  for (const m of value.matchAll(/\s*(?:"((?:[^"\\]|\\.)*)"|([^,]*))\s*(?:,|$)/g)) {
    const l = (m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2] ?? '').trim();
    if (l) out.push(l);
    if (m[0] === '') break;
  }
  return out;
}

function headerFields(raw: Buffer): HeaderField[] {
  try {
    return parseHeaderFields(raw.subarray(0, headerEnd(raw)));
  } catch {
    return [];
  }
}

function field(fields: readonly HeaderField[], name: string): string | undefined {
  return firstField(fields, name)?.trim();
}

/** Flags from mutt/Dovecot mbox headers. */
function statusFlags(status: string | undefined, xstatus: string | undefined, keywords: string | undefined): string[] {
  const flags = new Set<string>();
  if (status?.includes('R')) flags.add('\\Seen');
  if (xstatus) {
    if (xstatus.includes('A')) flags.add('\\Answered');
    if (xstatus.includes('F')) flags.add('\\Flagged');
    if (xstatus.includes('T')) flags.add('\\Draft');
    if (xstatus.includes('D')) flags.add('\\Deleted');
  }
  for (const k of (keywords ?? '').split(/[\s,]+/)) if (/^[^\s()\]{%*"\\]+$/.test(k) && !k.startsWith('\\')) flags.add(k);
  return [...flags];
}

export interface FileImportResult { imported: number; alreadyThere: number; folders: number }

export async function importMboxFile(store: Store, sink: ImportSink, path: string, progress?: Progress): Promise<FileImportResult> {
  const accountId = sink.accountId;
  const stat = statSync(path);
  if (!stat.isFile()) throw new Error(`${path} is not a file`);
  const source = store.imports.source(accountId, `mbox:${path}`, basename(path));
  const done = store.imports.doneItems(source.id);
  const mailboxes = new Map<string, number>();
  let alreadyThere = 0;
  const label = basename(path);
  progress?.expectBytes(stat.size);
  progress?.folder(label, 0, 0);
  for await (const m of readMbox(path)) {
    let raw = m.raw;
    const hash = contentHash(raw);
    const item = `${m.ordinal}:${hash.slice(0, 16)}`;
    if (done.has(item)) { alreadyThere++; progress?.tick(label, raw.length, true); continue; }
    let place: Placement = { target: 'INBOX', specialUse: null, flags: [] };
    const ours = parseExportLine(raw);
    if (ours) {
      raw = ours.rest.length > ours.size ? ours.rest.subarray(0, ours.size) : ours.rest;
      place = { ...placementByName(ours.mailbox), flags: ours.flags };
    } else {
      const fields = headerFields(raw);
      const labels = field(fields, 'x-gmail-labels');
      if (labels !== undefined) place = placeGmail(splitLabels(labels));
      else place.flags = statusFlags(field(fields, 'status'), field(fields, 'x-status'), field(fields, 'x-keywords'));
    }
    const key = `${place.specialUse ?? ''}|${place.target}`;
    let mailboxId = mailboxes.get(key);
    if (mailboxId === undefined) { mailboxId = targetMailbox(store, accountId, place).id; mailboxes.set(key, mailboxId); }
    await sink.put({ raw, mailboxId, flags: place.flags, ...(m.date !== undefined ? { internalDate: m.date } : {}), sourceId: source.id, item, where: `${label} message ${m.ordinal}` });
    progress?.tick(label, raw.length, true);
  }
  await sink.drain();
  return { imported: sink.imported, alreadyThere, folders: mailboxes.size };
}

interface MaildirFolder { dir: string; name: string }

function isMaildir(dir: string): boolean {
  try { return statSync(join(dir, 'cur')).isDirectory(); } catch { return false; }
}

/** Every folder of a Maildir tree, with our mailbox name. */
export function maildirFolders(root: string): MaildirFolder[] {
  const out: MaildirFolder[] = [];
  if (isMaildir(root)) out.push({ dir: root, name: 'INBOX' });
  const walk = (dir: string, prefix: string[]) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory() || e.name === 'cur' || e.name === 'new' || e.name === 'tmp') continue;
      const path = join(dir, e.name);
      if (prefix.length === 0 && e.name.startsWith('.') && e.name.length > 1) {
        if (isMaildir(path)) out.push({ dir: path, name: e.name.slice(1).split('.').map((l) => cleanLevel(decodeMutf7(l))).join('/') });
        continue;
      }
      if (e.name.startsWith('.')) continue;
      const levels = [...prefix, cleanLevel(decodeMutf7(e.name))];
      if (isMaildir(path)) out.push({ dir: path, name: levels.join('/') });
      walk(path, levels);
    }
  };
  walk(root, []);
  return out;
}

function maildirKeywords(dir: string): string[] {
  const file = join(dir, 'dovecot-keywords');
  const out: string[] = [];
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^(\d+)\s+(\S+)$/.exec(line.trim());
    if (m && Number(m[1]) < 26) out[Number(m[1])] = m[2]!;
  }
  return out;
}

export function maildirFlags(fileName: string, inNew: boolean, keywords: readonly string[]): string[] {
  const i = fileName.lastIndexOf(':2,');
  if (inNew || i < 0) return [];
  const flags: string[] = [];
  for (const c of fileName.slice(i + 3)) {
    if (c === 'S') flags.push('\\Seen');
    else if (c === 'R') flags.push('\\Answered');
    else if (c === 'F') flags.push('\\Flagged');
    else if (c === 'T') flags.push('\\Deleted');
    else if (c === 'D') flags.push('\\Draft');
    else if (c >= 'a' && c <= 'z') { const k = keywords[c.charCodeAt(0) - 0x61]; if (k) flags.push(k); }
  }
  return flags;
}

export async function importMaildirTree(store: Store, sink: ImportSink, root: string, progress?: Progress): Promise<FileImportResult> {
  const accountId = sink.accountId;
  if (!statSync(root).isDirectory()) throw new Error(`${root} is not a folder`);
  const folders = maildirFolders(root);
  if (folders.length === 0) throw new Error(`${root} holds no Maildir (no cur/ folder in it or below it)`);
  let alreadyThere = 0;
  for (const f of folders) {
    const source = store.imports.source(accountId, `maildir:${root}`, f.name);
    const done = store.imports.doneItems(source.id);
    const keywords = maildirKeywords(f.dir);
    const files: Array<{ sub: 'cur' | 'new'; name: string }> = [];
    for (const sub of ['new', 'cur'] as const) {
      try { for (const n of readdirSync(join(f.dir, sub))) if (!n.startsWith('.')) files.push({ sub, name: n }); } catch { /* no such subfolder */ }
    }
    files.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
    const todo = files.filter((x) => !done.has(x.name.split(':')[0]!));
    alreadyThere += files.length - todo.length;
    progress?.folder(f.name, files.length, files.length - todo.length);
    if (!todo.length) continue;
    const target = targetMailbox(store, accountId, placementByName(f.name));
    for (const x of todo) {
      const path = join(f.dir, x.sub, x.name);
      let raw: Buffer, mtime: number;
      try { raw = readFileSync(path); mtime = statSync(path).mtimeMs; } catch (e) {
        sink.skip({ sourceId: source.id, item: x.name.split(':')[0]!, where: `${f.name}/${x.sub}/${x.name}` }, '', `cannot read it: ${(e as NodeJS.ErrnoException).code ?? e}`);
        continue;
      }
      await sink.put({ raw, mailboxId: target.id, flags: maildirFlags(x.name, x.sub === 'new', keywords), internalDate: Math.floor(mtime), sourceId: source.id, item: x.name.split(':')[0]!, where: `${f.name}/${x.name}` });
      progress?.tick(f.name, raw.length);
    }
    await sink.drain();
  }
  return { imported: sink.imported, alreadyThere, folders: folders.length };
}
