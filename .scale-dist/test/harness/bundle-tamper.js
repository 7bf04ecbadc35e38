// Re-pack a bundle entry by entry, changing what a test asks: how an attacker or a damaged copy
// would alter a signed bundle (a file changed, dropped or added, with the original manifest).
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import * as tar from 'tar-stream';
export async function readEntries(path) {
    const extract = tar.extract();
    const done = pipeline(createReadStream(path), createGunzip(), extract);
    const out = [];
    for await (const e of extract) {
        const parts = [];
        for await (const c of e)
            parts.push(c);
        out.push({ header: { ...e.header }, body: Buffer.concat(parts) });
    }
    await done;
    return out;
}
export async function writeEntries(path, entries) {
    const pack = tar.pack();
    const done = pipeline(pack, createGzip(), createWriteStream(path));
    for (const e of entries) {
        await new Promise((resolve, reject) => pack.entry({ ...e.header, size: e.body.length }, e.body, (err) => (err ? reject(err) : resolve())));
    }
    pack.finalize();
    await done;
}
export async function repack(src, dst, change) {
    await writeEntries(dst, change(await readEntries(src)));
}
//# sourceMappingURL=bundle-tamper.js.map