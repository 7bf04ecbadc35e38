// What is inside an attached archive or disk image, by its names only (nothing is extracted):
// zip (central directory), RAR 4 and 5 (block headers), 7z (its header, LZMA-decoded when 7-Zip
// compressed it) and ISO 9660 images (.iso, most .img). Each reader is bounded (entries, bytes,
// depth) and never throws: what it could not read it says in `note`, and the caller treats such
// an archive as opaque.
import { zipEntryNames } from './zip.js';
import { rarEntryNames, isRar } from './rar.js';
import { sevenZipEntryNames, is7z } from './sevenzip.js';
import { isoEntryNames, isIso9660 } from './iso9660.js';

export interface ArchiveListing {
  names: string[];
  /** every entry's name was read */
  listed: boolean;
  /** why not (encrypted names, an unread method, malformed, too large) */
  note?: string;
}

export type ArchiveKind = 'zip' | 'rar' | '7z' | 'iso';

/** The kind of archive the bytes are (by magic), else by the file name's extension. */
export function archiveKind(b: Buffer, ext: string): ArchiveKind | undefined {
  if (b.length >= 4 && b.readUInt32LE(0) === 0x04034b50) return 'zip';
  if (isRar(b)) return 'rar';
  if (is7z(b)) return '7z';
  if (isIso9660(b)) return 'iso';
  if (ext === 'zip' || ext === 'rar' || ext === '7z' || ext === 'iso') return ext;
  return undefined;
}

export function archiveEntries(b: Buffer, kind: ArchiveKind): ArchiveListing {
  switch (kind) {
    case 'zip': {
      const names = zipEntryNames(b);
      return names.length ? { names, listed: true } : { names, listed: false, note: 'no zip central directory found' };
    }
    case 'rar': return rarEntryNames(b);
    case '7z': return sevenZipEntryNames(b);
    case 'iso': return isoEntryNames(b);
  }
}
