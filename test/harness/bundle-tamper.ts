// Re-pack a bundle entry by entry, changing what a test asks: how an attacker or a damaged copy
// would alter a signed bundle (a file changed, dropped or added, with the original manifest).
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import * as tar from 'tar-stream';

export interface TarEntry { header: tar.Header; body: Buffer }

export async function readEntries(path: string): Promise<TarEntry[]> {
  const extract = tar.extract();
  const done = pipeline(createReadStream(path), createGunzip(), extract);
  const out: TarEntry[] = [];
  for await (const e of extract) {
    const parts: Buffer[] = [];
    for await (const c of e) parts.push(c as Buffer);
    out.push({ header: { ...e.header }, body: Buffer.concat(parts) });
  }
  await done;
  return out;
}

export async function writeEntries(path: string, entries: readonly TarEntry[]): Promise<void> {
  const pack = tar.pack();
  const done = pipeline(pack, createGzip(), createWriteStream(path));
  for (const e of entries) {
    await new Promise<void>((resolve, reject) => pack.entry({ ...e.header, size: e.body.length }, e.body, (err) => (err ? reject(err) : resolve())));
  }
  pack.finalize();
  await done;
}

export async function repack(src: string, dst: string, change: (entries: TarEntry[]) => TarEntry[]): Promise<void> {
  await writeEntries(dst, change(await readEntries(src)));
}
