// The names of the files on an ISO 9660 disk image (ECMA-119; .iso, and the .img files mail-borne
// malware uses, which are usually the same thing), read from its directory records without
// mounting or extracting: the volume descriptors from sector 16, then the directory tree from the
// root record. Joliet's names (a supplementary descriptor with UCS-2 names, what genisoimage -J
// and Windows write) are preferred, since the primary names are cut to 8.3 upper case. Bounded:
// at most MAX_ENTRIES names, MAX_DIRS directories, MAX_DEPTH levels, every extent inside the file.
import type { ArchiveListing } from './archive.js';

const SECTOR = 2048;
const MAX_ENTRIES = 2000;
const MAX_DIRS = 200;
const MAX_DEPTH = 8;
const MAX_DIR_BYTES = 1024 * 1024;

export function isIso9660(b: Buffer): boolean {
  return b.length >= 17 * SECTOR && b.toString('latin1', 16 * SECTOR + 1, 16 * SECTOR + 6) === 'CD001';
}

interface Root { extent: number; size: number; joliet: boolean }

function roots(b: Buffer): Root[] {
  const out: Root[] = [];
  for (let s = 16; s < 16 + 32 && (s + 1) * SECTOR <= b.length; s++) {
    const d = s * SECTOR;
    if (b.toString('latin1', d + 1, d + 6) !== 'CD001') break;
    const type = b[d]!;
    if (type === 255) break; // terminator
    if (type !== 1 && type !== 2) continue;
    // Joliet: a supplementary descriptor whose escape sequences name UCS-2 level 1-3
    const esc = b.toString('latin1', d + 88, d + 91);
    const joliet = type === 2 && (esc === '%/@' || esc === '%/C' || esc === '%/E');
    if (type === 2 && !joliet) continue;
    const rec = d + 156;
    out.push({ extent: b.readUInt32LE(rec + 2), size: b.readUInt32LE(rec + 10), joliet });
  }
  return out.sort((a, b2) => Number(b2.joliet) - Number(a.joliet));
}

function walk(b: Buffer, root: Root): ArchiveListing {
  const names: string[] = [];
  const queue: Array<{ extent: number; size: number; path: string; depth: number }> = [{ extent: root.extent, size: root.size, path: '', depth: 0 }];
  const seen = new Set<number>();
  let dirs = 0;
  let complete = true;
  while (queue.length) {
    const dir = queue.shift()!;
    if (seen.has(dir.extent)) continue; // a loop in a crafted image
    seen.add(dir.extent);
    if (++dirs > MAX_DIRS) { complete = false; break; }
    const start = dir.extent * SECTOR;
    const end = start + Math.min(dir.size, MAX_DIR_BYTES);
    if (end > b.length || dir.size > MAX_DIR_BYTES) { complete = false; continue; }
    let p = start;
    while (p < end) {
      const len = b[p]!;
      if (len === 0) { p = (Math.floor((p - start) / SECTOR) + 1) * SECTOR + start; continue; } // records do not cross sectors
      if (len < 34 || p + len > end) { complete = false; break; }
      const flags = b[p + 25]!;
      const nameLen = b[p + 32]!;
      const raw = b.subarray(p + 33, p + 33 + nameLen);
      p += len;
      if (nameLen === 1 && (raw[0] === 0 || raw[0] === 1)) continue; // "." and ".."
      let name = root.joliet ? Buffer.from(raw.subarray(0, raw.length & ~1)).swap16().toString('utf16le') : raw.toString('latin1');
      name = name.replace(/;\d+$/, '').replace(/\.$/, '');
      const path = dir.path ? `${dir.path}/${name}` : name;
      if (flags & 0x02) {
        if (dir.depth + 1 < MAX_DEPTH) queue.push({ extent: raw.length ? b.readUInt32LE(p - len + 2) : 0, size: b.readUInt32LE(p - len + 10), path, depth: dir.depth + 1 });
        else complete = false;
        continue;
      }
      names.push(path);
      if (names.length >= MAX_ENTRIES) return { names, listed: true };
    }
  }
  return { names, listed: complete, ...(complete ? {} : { note: 'the disk image is larger or deeper than what is read' }) };
}

export function isoEntryNames(b: Buffer): ArchiveListing {
  if (!isIso9660(b)) return { names: [], listed: false, note: 'not an ISO 9660 image' };
  try {
    const r = roots(b)[0];
    if (!r) return { names: [], listed: false, note: 'an ISO 9660 image without a primary volume descriptor' };
    return walk(b, r);
  } catch (e) {
    return { names: [], listed: false, note: `malformed ISO 9660 image: ${(e as Error).message}` };
  }
}
