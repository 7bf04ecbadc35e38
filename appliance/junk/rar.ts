// The names of the files in a RAR archive, from its block headers, without extracting anything:
// RAR 5 (RARLAB's "RAR 5.0 archive format" technote: blocks of variable-length integers, file
// header type 2) and RAR 1.5-4 (RARLAB's technote.txt: file block 0x74). A block's header names
// the size of the data after it, so the reader hops from header to header. Not listed: archives
// whose headers are encrypted (rar -hp: the names are secret), reported as such.
import type { ArchiveListing } from './archive.js';

const RAR5 = Buffer.from([0x52, 0x61, 0x72, 0x21, 0x1a, 0x07, 0x01, 0x00]);
const RAR4 = Buffer.from([0x52, 0x61, 0x72, 0x21, 0x1a, 0x07, 0x00]);
const MAX_ENTRIES = 2000;
const MAX_BLOCKS = 10_000;
/** a self-extracting archive's signature is looked for this far in */
const MAX_SFX = 1024 * 1024;

class Malformed extends Error {}

/** RAR 5 vint: 7 bits a byte, low groups first, the high bit says another byte follows. */
function vint(b: Buffer, pos: number): [number, number] {
  let value = 0;
  for (let i = 0; i < 10; i++) {
    if (pos + i >= b.length) throw new Malformed('header truncated');
    const x = b[pos + i]!;
    value += (x & 0x7f) * 2 ** (7 * i);
    if ((x & 0x80) === 0) return [value, pos + i + 1];
  }
  throw new Malformed('bad variable-length integer');
}

function rar5(b: Buffer, start: number): ArchiveListing {
  const names: string[] = [];
  let pos = start + RAR5.length;
  for (let n = 0; n < MAX_BLOCKS && pos + 7 <= b.length && names.length < MAX_ENTRIES; n++) {
    const [size, p0] = vint(b, pos + 4);
    const end = p0 + size;
    if (size < 2 || end > b.length) throw new Malformed('block header past the end');
    let p = p0;
    let type: number, flags: number, dataSize = 0;
    [type, p] = vint(b, p);
    [flags, p] = vint(b, p);
    if (flags & 0x1) [, p] = vint(b, p); // extra area size
    if (flags & 0x2) [dataSize, p] = vint(b, p);
    if (type === 4) return { names, listed: false, note: 'the RAR archive encrypts its headers (a password protects even the file names)' };
    if (type === 5) return { names, listed: true };
    if (type === 2) {
      let fileFlags: number, nameLen: number;
      [fileFlags, p] = vint(b, p);
      [, p] = vint(b, p); // unpacked size
      [, p] = vint(b, p); // attributes
      if (fileFlags & 0x2) p += 4; // mtime
      if (fileFlags & 0x4) p += 4; // data CRC32
      [, p] = vint(b, p); // compression information
      [, p] = vint(b, p); // host OS
      [nameLen, p] = vint(b, p);
      if (p + nameLen > end) throw new Malformed('file name past its header');
      names.push(b.subarray(p, p + nameLen).toString('utf8'));
    }
    pos = end + dataSize;
  }
  return { names, listed: pos >= b.length || names.length >= MAX_ENTRIES, ...(pos < b.length && names.length < MAX_ENTRIES ? { note: 'the RAR archive has too many blocks to read' } : {}) };
}

function rar4(b: Buffer, start: number): ArchiveListing {
  const names: string[] = [];
  let pos = start;
  for (let n = 0; n < MAX_BLOCKS && pos + 7 <= b.length && names.length < MAX_ENTRIES; n++) {
    const type = b[pos + 2]!;
    const flags = b.readUInt16LE(pos + 3);
    const size = b.readUInt16LE(pos + 5);
    if (size < 7 || pos + size > b.length) throw new Malformed('block header past the end');
    let add = flags & 0x8000 && size >= 11 ? b.readUInt32LE(pos + 7) : 0;
    if (type === 0x73 && flags & 0x0080) return { names, listed: false, note: 'the RAR archive encrypts its headers (a password protects even the file names)' };
    if (type === 0x7b) return { names, listed: true };
    if (type === 0x74) {
      if (size < 32) throw new Malformed('file header too short');
      const nameSize = b.readUInt16LE(pos + 26);
      const at = pos + (flags & 0x100 ? 40 : 32);
      if (flags & 0x100) add += b.readUInt32LE(pos + 32) * 2 ** 32;
      if (at + nameSize > pos + size) throw new Malformed('file name past its header');
      const raw = b.subarray(at, at + nameSize);
      // 0x200: an ASCII name, a NUL, then RAR's own Unicode encoding of it; the ASCII part keeps
      // the extension. Otherwise the name is in the archiver's code page (read as Latin-1).
      const zero = raw.indexOf(0);
      names.push((flags & 0x200 && zero >= 0 ? raw.subarray(0, zero) : raw).toString(flags & 0x200 && zero < 0 ? 'utf8' : 'latin1'));
    }
    pos += size + add;
  }
  return { names, listed: pos >= b.length || names.length >= MAX_ENTRIES, ...(pos < b.length && names.length < MAX_ENTRIES ? { note: 'the RAR archive has too many blocks to read' } : {}) };
}

/** Where a RAR signature starts (0 normally, later in a self-extracting archive), or -1. */
function signatureAt(b: Buffer): number {
  const i = b.subarray(0, MAX_SFX + RAR4.length).indexOf(RAR4.subarray(0, 6));
  return i;
}

export function isRar(b: Buffer): boolean { return b.length >= 7 && b.subarray(0, 6).equals(RAR4.subarray(0, 6)); }

export function rarEntryNames(b: Buffer): ArchiveListing {
  const at = signatureAt(b);
  if (at < 0) return { names: [], listed: false, note: 'not a RAR archive' };
  try {
    if (b.subarray(at, at + 8).equals(RAR5)) return rar5(b, at);
    if (b.subarray(at, at + 7).equals(RAR4)) return rar4(b, at);
    return { names: [], listed: false, note: 'a RAR archive of a version not read here' };
  } catch (e) {
    return { names: [], listed: false, note: `malformed RAR archive: ${(e as Error).message}` };
  }
}
