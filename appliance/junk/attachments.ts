// Risky attachments: what a person should not open from a stranger. Executables and scripts
// (also inside zip, RAR, 7z and ISO 9660 archives and disk images: their entry names are read
// without extracting, archive.ts), macro-enabled Office files, HTML attachments (phishing login
// pages), double extensions ("invoice.pdf.exe") and content whose magic bytes say something else
// than its name or declared type ("photo.jpg" that is a program). An archive whose names cannot
// be read (encrypted names, an unread format) is risky itself, and so is every disk image (opening
// one mounts it, and its files lose the mark of having come from the internet). Disguises (double
// extensions, mismatches) are marked as phishing as well.
import { decodeTransfer, type MimePart } from '../mail/mime.js';
import { decodeWords, paramValue } from '../mail/header.js';
import { archiveKind, archiveEntries } from './archive.js';
import { sniff, type Sniffed } from './magic.js';

export interface AttachmentRisk {
  /** IMAP section number of the part (1, 2, 1.2, ...) */
  part: string;
  name: string;
  reason: string;
  /** the file pretends to be something else */
  disguised: boolean;
}

const EXECUTABLE = new Set(['exe', 'com', 'scr', 'pif', 'bat', 'cmd', 'cpl', 'msi', 'msp', 'msc', 'dll', 'jar', 'js', 'jse', 'vbs', 'vbe', 'wsf', 'wsh', 'ws', 'hta', 'ps1', 'psm1', 'lnk', 'reg', 'inf', 'scf', 'sh', 'command', 'app', 'apk', 'appx', 'msix', 'gadget', 'application', 'xll', 'iqy', 'slk', 'url', 'library-ms', 'settingcontent-ms', 'chm']);
const MACRO_OFFICE = new Set(['docm', 'dotm', 'xlsm', 'xltm', 'xlam', 'pptm', 'potm', 'ppam', 'ppsm', 'sldm']);
/** archives whose contents are not read here: risky by their name */
const OPAQUE_ARCHIVE = new Set(['ace', 'arj', 'cab', 'vhd', 'vhdx']);
/** archives whose entry names are read (archive.ts) */
const LISTED_ARCHIVE = new Set(['zip', 'rar', '7z', 'iso', 'img']);
const DISK_IMAGE = new Set(['iso', 'img', 'vhd', 'vhdx']);
const HTML = new Set(['htm', 'html', 'xhtml', 'shtml', 'svg']);
/** extensions a name pretends with, before the real one */
const DOCUMENT = new Set(['pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'txt', 'jpg', 'jpeg', 'png', 'gif', 'zip', 'rtf', 'odt', 'csv', 'htm', 'html', 'mp3', 'mp4']);
/** bytes of a part decoded at most (zip central directories sit at the end: read the tail) */
const MAX_DECODE = 16 * 1024 * 1024;
const MAX_PARTS = 100;

function ext(name: string): string {
  const m = /\.([a-z0-9-]{1,20})$/i.exec(name.trim());
  return m ? m[1]!.toLowerCase() : '';
}

/** Why a file name alone is risky, if it is. */
export function riskyName(name: string): { reason: string; disguised: boolean } | undefined {
  const clean = name.replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');
  if (clean !== name) return { reason: 'right-to-left or invisible characters in the file name', disguised: true };
  const e = ext(clean);
  const parts = clean.toLowerCase().split('.');
  const inner = parts.length >= 3 ? parts[parts.length - 2]! : '';
  if (EXECUTABLE.has(e)) {
    if (DOCUMENT.has(inner)) return { reason: `double extension: an executable (.${e}) named as .${inner}`, disguised: true };
    return { reason: `executable or script (.${e})`, disguised: false };
  }
  if (MACRO_OFFICE.has(e)) return { reason: `macro-enabled Office document (.${e})`, disguised: false };
  if (HTML.has(e)) return { reason: `HTML attachment (.${e}): can imitate a sign-in page`, disguised: false };
  if (OPAQUE_ARCHIVE.has(e)) return { reason: `archive or disk image that can hide programs (.${e})`, disguised: false };
  return undefined;
}

const KIND_LABEL = { zip: 'zip archive', rar: 'RAR archive', '7z': '7z archive', iso: 'disk image' } as const;

/** The risk of an archive's contents: its first risky entry, else why it is risky as a whole
 *  (unreadable names, a disk image), else undefined. */
function archiveRisk(bytes: Buffer, name: string, declared: string): { name: string; reason: string; disguised: boolean } | undefined {
  const e = ext(name);
  const kind = archiveKind(bytes, LISTED_ARCHIVE.has(e) ? (e === 'img' ? 'iso' : e) : '');
  if (!kind) return LISTED_ARCHIVE.has(e) ? { name, reason: `archive or disk image that can hide programs (.${e}), in a format not read here`, disguised: false } : undefined;
  const label = KIND_LABEL[kind];
  const listing = archiveEntries(bytes, kind);
  for (const entry of listing.names) {
    const r = riskyName(entry.split('/').pop() ?? entry);
    if (r) return { name: `${name || '(unnamed)'} > ${entry}`, reason: `inside the ${label}: ${r.reason}`, disguised: r.disguised };
  }
  if (!listing.listed) return { name: name || '(unnamed)', reason: `${label}${e ? ` (.${e})` : ''} whose contents could not be listed: ${listing.note ?? 'unreadable'}`, disguised: false };
  if (kind === 'iso' || DISK_IMAGE.has(e)) return { name: name || '(unnamed)', reason: `disk image (${e ? `.${e}` : declared}): opening it mounts it, and its files lose the mark of coming from the internet`, disguised: false };
  return undefined;
}

/** What the name's extension or declared type promises, compared with what the bytes are. */
function mismatch(name: string, declared: string, got: Sniffed): string | undefined {
  const e = ext(name);
  if (got.kind === 'executable') {
    if (!EXECUTABLE.has(e)) return `the content is a program (${got.what}) but it is named .${e || '(none)'} and declared ${declared}`;
    return undefined;
  }
  const claims: Record<string, string[]> = {
    pdf: ['pdf'], jpg: ['jpeg'], jpeg: ['jpeg'], png: ['png'], gif: ['gif'], zip: ['zip'],
    docx: ['zip'], xlsx: ['zip'], pptx: ['zip'], odt: ['zip'], doc: ['ole'], xls: ['ole'], ppt: ['ole'], msg: ['ole'],
  };
  const expect = claims[e];
  if (expect && got.kind !== 'unknown' && !expect.includes(got.kind)) return `named .${e} but the content is ${got.what}`;
  const byType: Record<string, string[]> = {
    'application/pdf': ['pdf'], 'image/jpeg': ['jpeg'], 'image/png': ['png'], 'image/gif': ['gif'], 'application/zip': ['zip'],
  };
  const t = byType[declared];
  if (t && got.kind !== 'unknown' && !t.includes(got.kind)) return `declared ${declared} but the content is ${got.what}`;
  return undefined;
}

function sectionPaths(root: MimePart): Array<[MimePart, string]> {
  const out: Array<[MimePart, string]> = [];
  const walk = (p: MimePart, path: number[]) => {
    if (out.length >= MAX_PARTS) return;
    if (p.parts) { p.parts.forEach((c, i) => walk(c, [...path, i + 1])); return; }
    if (p.message) { walk(p.message, path); return; }
    out.push([p, path.length ? path.join('.') : '1']);
  };
  walk(root, []);
  return out;
}

/** The risky attachments of a message. */
export function riskyAttachments(raw: Buffer, root: MimePart): AttachmentRisk[] {
  const risks: AttachmentRisk[] = [];
  let checked = 0;
  for (const [leaf, part] of sectionPaths(root)) {
    if (++checked > MAX_PARTS) break;
    const rawName = (leaf.disposition && paramValue(leaf.disposition.params, 'filename')) ?? paramValue(leaf.params, 'name');
    const name = rawName ? decodeWords(rawName) : '';
    const declared = `${leaf.type}/${leaf.subtype}`;
    const isAttachment = !!name || leaf.disposition?.type === 'attachment' || (leaf.type !== 'text' && leaf.type !== 'multipart');
    if (!isAttachment) continue;
    if (declared === 'text/html' && !name && leaf.disposition?.type !== 'attachment') continue; // the HTML body
    const byName = name ? riskyName(name) : undefined;
    if (byName) { risks.push({ part, name, ...byName }); continue; }
    if (!name && declared === 'text/html') { risks.push({ part, name: '(unnamed)', reason: 'HTML attachment: can imitate a sign-in page', disguised: false }); continue; }
    const body = raw.subarray(leaf.bodyStart, leaf.end);
    const bytes = decodeTransfer(body.length > MAX_DECODE * 4 / 3 ? body.subarray(0, MAX_DECODE * 4 / 3) : body, leaf.encoding);
    const got = sniff(bytes);
    const bad = mismatch(name, declared, got);
    if (bad) { risks.push({ part, name: name || '(unnamed)', reason: bad, disguised: true }); continue; }
    const inside = archiveRisk(bytes, name, declared);
    if (inside) risks.push({ part, ...inside });
  }
  return risks;
}
