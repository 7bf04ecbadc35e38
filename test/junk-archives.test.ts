// Risky files inside archives and disk images, with real files made by real tools: 7-Zip (7zz)
// for 7z archives (its default LZMA-compressed header, a plain one, encrypted names), genisoimage
// for ISO 9660 images (Joliet and plain names; as .iso and as .img). RAR archives cannot be made
// with a free tool (rar is non-free, not in Debian main, and Debian's 7-Zip has no RAR support),
// so the test writes RAR 5 and RAR 4 files itself from RARLAB's format notes (stored entries,
// real CRCs) and has libarchive's bsdtar, a real reader, list them and extract the program first:
// the file is a RAR archive by libarchive's reckoning, and our reader must find the same names.
// Broken and truncated archives are read without an exception.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { tempDir } from './harness/appliance.js';
import { parseMime } from '../appliance/mail/mime.js';
import { riskyAttachments } from '../appliance/junk/attachments.js';
import { sevenZipEntryNames } from '../appliance/junk/sevenzip.js';
import { rarEntryNames } from '../appliance/junk/rar.js';
import { isoEntryNames } from '../appliance/junk/iso9660.js';

const dir = tempDir('postern-junk-archives-');
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const program = readFileSync('/usr/bin/true');
const src = join(dir, 'src');
mkdirSync(join(src, 'bad', 'docs'), { recursive: true });
mkdirSync(join(src, 'good'), { recursive: true });
writeFileSync(join(src, 'bad', 'invoice.pdf.exe'), program);
writeFileSync(join(src, 'bad', 'docs', 'readme.txt'), 'read me\n');
writeFileSync(join(src, 'good', 'notes.txt'), 'just notes\n');
writeFileSync(join(src, 'good', 'photo.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]));

function run(cmd: string, args: string[], cwd = dir): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
/** the names 7-Zip lists (with folders, or files only) */
function sevenZipSays(file: string, opts: { password?: string; folders?: boolean } = {}): string[] {
  const out = run('7zz', ['l', '-slt', '-ba', `-p${opts.password ?? '-'}`, file]);
  const names: string[] = [];
  for (const block of out.split(/\r?\n\r?\n/)) {
    const path = /^Path = (.*)$/m.exec(block)?.[1];
    const folder = /^Folder = \+$/m.test(block) || /^Attributes = D/m.test(block);
    if (path && (opts.folders || !folder)) names.push(path.replace(/\\/g, '/'));
  }
  return names.sort();
}
function withAttachment(name: string, type: string, data: Buffer): Buffer {
  const b64 = data.toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from(`From: courier@parcel.example\r\nTo: alice@example.test\r\nSubject: files\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--b\r\nContent-Type: ${type}; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64}\r\n--b--\r\n`);
}
function risksOf(name: string, type: string, data: Buffer) {
  const raw = withAttachment(name, type, data);
  return riskyAttachments(raw, parseMime(raw));
}

// RAR 5 (RARLAB "RAR 5.0 archive format"): vint numbers; each block is CRC32, header size, header
function vint(n: number): Buffer {
  const out: number[] = [];
  do { let b = n & 0x7f; n = Math.floor(n / 128); if (n) b |= 0x80; out.push(b); } while (n);
  return Buffer.from(out);
}
function rar5Block(type: number, flags: number, fields: Buffer[], data?: Buffer): Buffer {
  const head = Buffer.concat([vint(type), vint(flags | (data ? 0x2 : 0)), ...(data ? [vint(data.length)] : []), ...fields]);
  const sized = Buffer.concat([vint(head.length), head]);
  const crc = Buffer.alloc(4); crc.writeUInt32LE(crc32(sized));
  return Buffer.concat([crc, sized, data ?? Buffer.alloc(0)]);
}
function rar5(files: Array<[string, Buffer]>): Buffer {
  const parts = [Buffer.from([0x52, 0x61, 0x72, 0x21, 0x1a, 0x07, 0x01, 0x00]), rar5Block(1, 0, [vint(0)])];
  for (const [name, data] of files) {
    const n = Buffer.from(name, 'utf8');
    const crc = Buffer.alloc(4); crc.writeUInt32LE(crc32(data));
    // file flags 0x4 (data CRC32), unpacked size, attributes, CRC, compression 0 (stored, version 0), host OS 0 (Windows), name
    parts.push(rar5Block(2, 0, [vint(0x4), vint(data.length), vint(0x20), crc, vint(0), vint(0), vint(n.length), n], data));
  }
  parts.push(rar5Block(5, 0, [vint(0)]));
  return Buffer.concat(parts);
}
// RAR 1.5-4 (technote.txt): HEAD_CRC (low 16 bits of the CRC32 of the rest), type, flags, size
function rar4Block(type: number, flags: number, rest: Buffer, data?: Buffer): Buffer {
  const h = Buffer.alloc(5); h[0] = type; h.writeUInt16LE(flags, 1); h.writeUInt16LE(7 + rest.length, 3);
  const body = Buffer.concat([h, rest]);
  const crc = Buffer.alloc(2); crc.writeUInt16LE(crc32(body) & 0xffff);
  return Buffer.concat([crc, body, data ?? Buffer.alloc(0)]);
}
function rar4(files: Array<[string, Buffer]>): Buffer {
  const parts = [Buffer.from([0x52, 0x61, 0x72, 0x21, 0x1a, 0x07, 0x00]), rar4Block(0x73, 0, Buffer.alloc(6))];
  for (const [name, data] of files) {
    const n = Buffer.from(name, 'latin1');
    const f = Buffer.alloc(25 + n.length);
    f.writeUInt32LE(data.length, 0); f.writeUInt32LE(data.length, 4); f[8] = 2; // Win32
    f.writeUInt32LE(crc32(data), 9); f.writeUInt32LE(0x5a210000, 13); f[17] = 20; f[18] = 0x30; // version 2.0, stored
    f.writeUInt16LE(n.length, 19); f.writeUInt32LE(0x20, 21); n.copy(f, 25);
    parts.push(rar4Block(0x74, 0x8000, f, data));
  }
  parts.push(rar4Block(0x7b, 0x4000, Buffer.alloc(0)));
  return Buffer.concat(parts);
}

t.test('7z archives made by 7-Zip', async (t) => {
  run('7zz', ['a', '-bd', '-y', 'bad.7z', join(src, 'bad', '*')]);
  run('7zz', ['a', '-bd', '-y', '-mhc=off', 'plain-header.7z', join(src, 'bad', '*')]);
  run('7zz', ['a', '-bd', '-y', 'good.7z', join(src, 'good', '*')]);
  run('7zz', ['a', '-bd', '-y', '-psecret', 'locked-data.7z', join(src, 'bad', '*')]);
  run('7zz', ['a', '-bd', '-y', '-psecret', '-mhe=on', 'locked-names.7z', join(src, 'bad', '*')]);
  const bad = readFileSync(join(dir, 'bad.7z'));
  t.equal(bad[0x20 + Number(bad.readBigUInt64LE(12))], 0x17, "7-Zip's default: the header is compressed (an encoded header)");
  for (const f of ['bad.7z', 'plain-header.7z', 'good.7z']) {
    const got = sevenZipEntryNames(readFileSync(join(dir, f)));
    t.ok(got.listed, `${f}: listed`);
    t.same(got.names.sort(), sevenZipSays(join(dir, f), { folders: true }), `${f}: the names 7-Zip lists`);
  }
  t.same(sevenZipEntryNames(bad).names.sort(), ['docs', 'docs/readme.txt', 'invoice.pdf.exe']);
  const locked = sevenZipEntryNames(readFileSync(join(dir, 'locked-data.7z')));
  t.same(locked.names.sort(), sevenZipSays(join(dir, 'locked-data.7z'), { password: 'secret', folders: true }), 'encrypted contents, names in the clear: listed');
  const secret = sevenZipEntryNames(readFileSync(join(dir, 'locked-names.7z')));
  t.notOk(secret.listed, 'encrypted names (-mhe=on): not listed');
  t.match(secret.note, /encrypts its file names/);

  let r = risksOf('statement.7z', 'application/x-7z-compressed', bad);
  t.equal(r.length, 1);
  t.match(r[0]!.name, /statement\.7z > invoice\.pdf\.exe/);
  t.match(r[0]!.reason, /inside the 7z archive: double extension/, r[0]!.reason);
  t.equal(r[0]!.disguised, true);
  r = risksOf('data.7z', 'application/x-7z-compressed', readFileSync(join(dir, 'locked-data.7z')));
  t.match(r[0]?.reason, /inside the 7z archive/, 'a password on the contents does not hide the names');
  r = risksOf('data.7z', 'application/x-7z-compressed', readFileSync(join(dir, 'locked-names.7z')));
  t.match(r[0]?.reason, /7z archive \(\.7z\) whose contents could not be listed: .*encrypts its file names/, 'hidden names: risky as a whole');
  t.same(risksOf('holiday.7z', 'application/x-7z-compressed', readFileSync(join(dir, 'good.7z'))), [], 'notes and a photo: not risky');
});

t.test('ISO 9660 images made by genisoimage', async (t) => {
  run('genisoimage', ['-quiet', '-J', '-R', '-o', 'bad.iso', join(src, 'bad')]);
  run('genisoimage', ['-quiet', '-o', 'plain.iso', join(src, 'bad')]);
  run('genisoimage', ['-quiet', '-J', '-o', 'good.iso', join(src, 'good')]);
  const bad = readFileSync(join(dir, 'bad.iso'));
  let got = isoEntryNames(bad);
  t.ok(got.listed);
  t.same(got.names.sort(), ['docs/readme.txt', 'invoice.pdf.exe'], 'Joliet names, with the directory');
  t.same(got.names.sort(), sevenZipSays(join(dir, 'bad.iso')), 'the names 7-Zip lists');
  got = isoEntryNames(readFileSync(join(dir, 'plain.iso')));
  t.ok(got.names.some((n) => /\.EXE$/.test(n)), `plain ISO 9660 names: ${got.names.join(', ')}`);

  let r = risksOf('scan.iso', 'application/octet-stream', bad);
  t.equal(r.length, 1);
  t.match(r[0]!.reason, /inside the disk image: double extension/);
  r = risksOf('scan.img', 'application/octet-stream', bad);
  t.match(r[0]?.reason, /inside the disk image/, 'an .img that is an ISO 9660 image is read the same');
  r = risksOf('plain.iso', 'application/octet-stream', readFileSync(join(dir, 'plain.iso')));
  t.match(r[0]?.reason, /inside the disk image: executable or script \(\.exe\)/, '8.3 names still show the program');
  r = risksOf('photos.iso', 'application/octet-stream', readFileSync(join(dir, 'good.iso')));
  t.equal(r.length, 1, 'a disk image of harmless files is still risky');
  t.match(r[0]!.reason, /disk image \(\.iso\): opening it mounts it/);
  r = risksOf('disk.img', 'application/octet-stream', Buffer.alloc(64 * 1024));
  t.match(r[0]?.reason, /disk image \(\.img\) whose contents could not be listed/, 'an .img of another kind: risky as a whole');
});

t.test('RAR 5 and RAR 4 archives (checked by libarchive first)', async (t) => {
  const files: Array<[string, Buffer]> = [['docs/readme.txt', Buffer.from('read me\n')], ['invoice.pdf.exe', program]];
  for (const [label, make] of [['RAR 5', rar5], ['RAR 4', rar4]] as const) {
    const file = join(dir, `${label.replace(' ', '')}.rar`);
    writeFileSync(file, make(files));
    const libarchive = run('bsdtar', ['-tf', file]).split('\n').filter(Boolean).sort();
    t.same(libarchive, ['docs/readme.txt', 'invoice.pdf.exe'], `${label}: libarchive reads the archive`);
    t.ok(execFileSync('bsdtar', ['-xOf', file, 'invoice.pdf.exe']).equals(program), `${label}: and extracts the program (the CRCs are right)`);
    const got = rarEntryNames(readFileSync(file));
    t.ok(got.listed, `${label}: listed`);
    t.same(got.names.sort(), libarchive, `${label}: the names libarchive lists`);
    const r = risksOf('invoice.rar', 'application/vnd.rar', readFileSync(file));
    t.equal(r.length, 1);
    t.match(r[0]!.reason, /inside the RAR archive: double extension/, `${label}: ${r[0]!.reason}`);
    t.same(risksOf('notes.rar', 'application/vnd.rar', make([['notes.txt', Buffer.from('hi\n')]])), [], `${label}: only notes: not risky`);
  }
  // RAR 5 with encrypted headers: an archive encryption header (type 4) right after the signature
  const locked = Buffer.concat([Buffer.from([0x52, 0x61, 0x72, 0x21, 0x1a, 0x07, 0x01, 0x00]), rar5Block(4, 0, [vint(0), vint(0), Buffer.alloc(16 + 1)])]);
  const got = rarEntryNames(locked);
  t.notOk(got.listed);
  t.match(got.note, /encrypts its headers/);
  t.match(risksOf('x.rar', 'application/vnd.rar', locked)[0]?.reason, /RAR archive \(\.rar\) whose contents could not be listed/);
});

t.test('broken archives are read without an error', async (t) => {
  const bad7z = readFileSync(join(dir, 'bad.7z'));
  const iso = readFileSync(join(dir, 'bad.iso'));
  const rar = rar5([['a.exe', program]]);
  const samples: Array<[string, Buffer]> = [
    ['7z cut in half', bad7z.subarray(0, bad7z.length >> 1)],
    ['7z header bytes flipped', Buffer.concat([bad7z.subarray(0, bad7z.length - 40), Buffer.alloc(40, 0xff)])],
    ['ISO cut after its descriptors', iso.subarray(0, 18 * 2048)],
    ['ISO with a directory pointing past the end', (() => { const b = Buffer.from(iso); b.writeUInt32LE(0x7fffffff, 16 * 2048 + 156 + 2); return b; })()],
    ['RAR cut in the middle of a header', rar.subarray(0, 20)],
    ['RAR with a huge block size', Buffer.concat([rar.subarray(0, 12), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]), rar.subarray(17)])],
    ['random bytes after a 7z signature', Buffer.concat([bad7z.subarray(0, 6), Buffer.alloc(4096, 0x5a)])],
  ];
  for (const [what, data] of samples) {
    const ext = what.startsWith('7z') || what.startsWith('random') ? '7z' : what.startsWith('ISO') ? 'iso' : 'rar';
    let r: ReturnType<typeof risksOf> = [];
    t.doesNotThrow(() => { r = risksOf(`file.${ext}`, 'application/octet-stream', data); }, what);
    t.equal(r.length, 1, `${what}: risky as a whole (${r[0]?.reason})`);
  }
});
