// The names of the files in a 7z archive (7-Zip's DOC/7zFormat.txt), read from its header without
// extracting anything. The header sits at the end (the start header says where). 7-Zip compresses
// it with LZMA by default (an "encoded header"): that one stream, at most MAX_HEADER bytes, is
// decoded (LZMA-JS, pure JavaScript) and read the same way. Not listed: headers encrypted with a
// password (7z -mhe=on: the names themselves are secret) and headers packed with any other
// method than LZMA or stored; the caller treats those archives as opaque.
import { createRequire } from 'node:module';
import type { ArchiveListing } from './archive.js';

const SIGNATURE = Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]);
/** a header (decoded) larger than this is not read */
const MAX_HEADER = 1024 * 1024;
const MAX_ENTRIES = 2000;

const K = { End: 0x00, Header: 0x01, ArchiveProperties: 0x02, AdditionalStreamsInfo: 0x03, MainStreamsInfo: 0x04, FilesInfo: 0x05, PackInfo: 0x06, UnPackInfo: 0x07, SubStreamsInfo: 0x08, Size: 0x09, CRC: 0x0a, Folder: 0x0b, CodersUnPackSize: 0x0c, NumUnPackStream: 0x0d, Name: 0x11, Dummy: 0x19, EncodedHeader: 0x17 } as const;

class Malformed extends Error {}

/** A cursor over header bytes with 7z's variable-length numbers. */
class Reader {
  constructor(readonly b: Buffer, public pos = 0) {}
  byte(): number {
    if (this.pos >= this.b.length) throw new Malformed('header truncated');
    return this.b[this.pos++]!;
  }
  /** 7zFormat.txt "UINT64": the first byte's leading 1 bits say how many bytes follow */
  number(): number {
    const first = this.byte();
    let mask = 0x80;
    let value = 0;
    for (let i = 0; i < 8; i++) {
      if ((first & mask) === 0) {
        const high = first & (mask - 1);
        return value + high * 2 ** (8 * i);
      }
      value += this.byte() * 2 ** (8 * i);
      mask >>= 1;
    }
    return value;
  }
  skip(n: number): void {
    if (n < 0 || this.pos + n > this.b.length) throw new Malformed('header field past its end');
    this.pos += n;
  }
  bytes(n: number): Buffer { const s = this.pos; this.skip(n); return this.b.subarray(s, s + n); }
  bits(n: number): boolean[] {
    const out: boolean[] = [];
    let cur = 0, mask = 0;
    for (let i = 0; i < n; i++) {
      if (mask === 0) { cur = this.byte(); mask = 0x80; }
      out.push((cur & mask) !== 0);
      mask >>= 1;
    }
    return out;
  }
  /** AllAreDefined byte, then (if 0) a bit vector */
  defined(n: number): boolean[] { return this.byte() ? new Array<boolean>(n).fill(true) : this.bits(n); }
}

interface Coder { id: string; props: Buffer; inStreams: number; outStreams: number }
interface Folder { coders: Coder[]; unpackSizes: number[]; outStreams: number; crc: boolean }
interface Streams { packPos: number; packSizes: number[]; folders: Folder[] }

const count = (n: number, what: string) => { if (n > MAX_ENTRIES * 8) throw new Malformed(`too many ${what}`); return n; };

function packInfo(r: Reader, s: Streams): void {
  s.packPos = r.number();
  const n = count(r.number(), 'pack streams');
  for (;;) {
    const id = r.number();
    if (id === K.End) return;
    if (id === K.Size) { for (let i = 0; i < n; i++) s.packSizes.push(r.number()); continue; }
    if (id === K.CRC) { const d = r.defined(n); r.skip(4 * d.filter(Boolean).length); continue; }
    throw new Malformed(`unexpected property ${id} in PackInfo`);
  }
}

function unpackInfo(r: Reader, s: Streams): void {
  if (r.number() !== K.Folder) throw new Malformed('UnPackInfo without folders');
  const n = count(r.number(), 'folders');
  if (r.byte() !== 0) throw new Malformed('external folders are not supported');
  for (let f = 0; f < n; f++) {
    const coders: Coder[] = [];
    const nc = r.number();
    if (nc < 1 || nc > 64) throw new Malformed('bad coder count');
    let outs = 0, ins = 0;
    for (let c = 0; c < nc; c++) {
      const flag = r.byte();
      const id = r.bytes(flag & 0x0f).toString('hex');
      const inStreams = flag & 0x10 ? r.number() : 1;
      const outStreams = flag & 0x10 ? r.number() : 1;
      const props = flag & 0x20 ? r.bytes(r.number()) : Buffer.alloc(0);
      if (inStreams > 64 || outStreams > 64) throw new Malformed('bad stream count');
      coders.push({ id, props, inStreams, outStreams });
      outs += outStreams; ins += inStreams;
    }
    for (let i = 0; i < outs - 1; i++) { r.number(); r.number(); } // bind pairs
    const packed = ins - (outs - 1);
    if (packed > 1) for (let i = 0; i < packed; i++) r.number();
    s.folders.push({ coders, unpackSizes: [], outStreams: outs, crc: false });
  }
  if (r.number() !== K.CodersUnPackSize) throw new Malformed('UnPackInfo without sizes');
  for (const f of s.folders) for (let i = 0; i < f.outStreams; i++) f.unpackSizes.push(r.number());
  for (;;) {
    const id = r.number();
    if (id === K.End) return;
    if (id === K.CRC) { const d = r.defined(n); d.forEach((x, i) => { s.folders[i]!.crc = x; }); r.skip(4 * d.filter(Boolean).length); continue; }
    throw new Malformed(`unexpected property ${id} in UnPackInfo`);
  }
}

function subStreamsInfo(r: Reader, s: Streams): void {
  const perFolder = s.folders.map(() => 1);
  let id = r.number();
  if (id === K.NumUnPackStream) { for (let i = 0; i < perFolder.length; i++) perFolder[i] = count(r.number(), 'streams'); id = r.number(); }
  if (id === K.Size) {
    for (const n of perFolder) for (let i = 1; i < n; i++) r.number();
    id = r.number();
  }
  // digests for the streams whose CRC is not the folder's own (folders of one stream with a CRC)
  const digests = perFolder.reduce((a, n, i) => a + (n === 1 && s.folders[i]!.crc ? 0 : n), 0);
  while (id !== K.End) {
    if (id === K.CRC) { const d = r.defined(digests); r.skip(4 * d.filter(Boolean).length); } else throw new Malformed(`unexpected property ${id} in SubStreamsInfo`);
    id = r.number();
  }
}

function streamsInfo(r: Reader): Streams {
  const s: Streams = { packPos: 0, packSizes: [], folders: [] };
  for (;;) {
    const id = r.number();
    if (id === K.End) return s;
    if (id === K.PackInfo) packInfo(r, s);
    else if (id === K.UnPackInfo) unpackInfo(r, s);
    else if (id === K.SubStreamsInfo) subStreamsInfo(r, s);
    else throw new Malformed(`unexpected property ${id} in StreamsInfo`);
  }
}

function filesInfo(r: Reader): string[] {
  const n = r.number();
  const names: string[] = [];
  for (;;) {
    const type = r.number();
    if (type === K.End) return names;
    const size = r.number();
    if (type !== K.Name) { r.skip(size); continue; }
    const data = r.bytes(size);
    if (data[0] !== 0) throw new Malformed('external names are not supported');
    let start = 1;
    for (let i = 1; i + 1 < data.length && names.length < Math.min(n, MAX_ENTRIES); i += 2) {
      if (data[i] === 0 && data[i + 1] === 0) { names.push(data.subarray(start, i).toString('utf16le')); start = i + 2; }
    }
  }
}

function header(r: Reader): string[] {
  for (;;) {
    const id = r.number();
    if (id === K.End) return [];
    if (id === K.ArchiveProperties) { for (;;) { const p = r.number(); if (p === K.End) break; r.skip(r.number()); } continue; }
    if (id === K.AdditionalStreamsInfo || id === K.MainStreamsInfo) { streamsInfo(r); continue; }
    if (id === K.FilesInfo) return filesInfo(r);
    throw new Malformed(`unexpected property ${id} in Header`);
  }
}

let lzma: { decompress(data: Uint8Array): string | number[] } | undefined;

/** Decode an LZMA stream of known size (7z coder 03 01 01: 5 property bytes, raw stream). */
function lzmaDecode(props: Buffer, packed: Buffer, size: number): Buffer {
  lzma ??= (createRequire(import.meta.url)('lzma/src/lzma-d.js') as { LZMA: typeof lzma }).LZMA!;
  // the .lzma ("alone") format LZMA-JS reads: properties, then the 64-bit unpacked size
  const head = Buffer.alloc(13);
  props.copy(head, 0, 0, 5);
  head.writeUInt32LE(size, 5);
  const out = lzma.decompress(Buffer.concat([head, packed]));
  const bytes = typeof out === 'string' ? Buffer.from(out, 'utf8') : Buffer.from(Int8Array.from(out).buffer);
  if (bytes.length !== size) throw new Malformed('the compressed header did not decode to its size');
  return bytes;
}

export function is7z(b: Buffer): boolean { return b.length >= 32 && b.subarray(0, 6).equals(SIGNATURE); }

export function sevenZipEntryNames(b: Buffer): ArchiveListing {
  if (!is7z(b)) return { names: [], listed: false, note: 'not a 7z archive' };
  try {
    const offset = Number(b.readBigUInt64LE(12));
    const size = Number(b.readBigUInt64LE(20));
    if (size === 0) return { names: [], listed: true };
    if (32 + offset + size > b.length || size > MAX_HEADER) return { names: [], listed: false, note: 'the 7z header is missing or too large (a truncated or split archive)' };
    let r = new Reader(b.subarray(32 + offset, 32 + offset + size));
    let kind = r.number();
    if (kind === K.EncodedHeader) {
      const s = streamsInfo(r);
      const folder = s.folders[0];
      const packSize = s.packSizes[0];
      if (!folder || packSize === undefined || s.folders.length !== 1) throw new Malformed('encoded header without its stream');
      const ids = folder.coders.map((c) => c.id);
      if (ids.includes('06f10701')) return { names: [], listed: false, note: 'the 7z archive encrypts its file names (a password protects even the list)' };
      const unpack = folder.unpackSizes[folder.unpackSizes.length - 1] ?? 0;
      if (unpack > MAX_HEADER) return { names: [], listed: false, note: 'the 7z header is too large to read' };
      const start = 32 + s.packPos;
      if (start + packSize > b.length) throw new Malformed('header stream past the end');
      const packed = b.subarray(start, start + packSize);
      let decoded: Buffer;
      if (ids.length === 1 && ids[0] === '030101') decoded = lzmaDecode(folder.coders[0]!.props, packed, unpack);
      else if (ids.length === 1 && ids[0] === '00') decoded = packed;
      else return { names: [], listed: false, note: `the 7z header is packed with a method not read here (${ids.join('+')})` };
      r = new Reader(decoded);
      kind = r.number();
    }
    if (kind !== K.Header) throw new Malformed('no header');
    return { names: header(r), listed: true };
  } catch (e) {
    if (e instanceof Malformed) return { names: [], listed: false, note: `malformed 7z archive: ${e.message}` };
    return { names: [], listed: false, note: `unreadable 7z archive: ${(e as Error).message}` };
  }
}
