// Content-addressed message files: <dataDir>/blobs/<first 2 hex>/<sha256 hex>. A file is written to
// a temporary name, fsynced, renamed into place and its folder fsynced before any row refers to it.
// `write` does all of it synchronously; `place` does the file part in libuv's thread pool (several
// at once, while the event loop goes on) and leaves the folder's fsync to the group commit, which
// syncs each folder once for the whole batch.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync, readdirSync, readSync } from 'node:fs';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
export class BlobFiles {
    root;
    tmp;
    /** folders created (and the root fsynced) by `place`, or being created */
    folders = new Map();
    closed = false;
    constructor(dataDir) {
        this.root = join(dataDir, 'blobs');
        this.tmp = join(this.root, 'tmp');
        mkdirSync(this.tmp, { recursive: true, mode: 0o700 });
        for (const f of readdirSync(this.tmp))
            unlinkSync(join(this.tmp, f)); // left by a crash: never referenced
    }
    static hash(raw) {
        return createHash('sha256').update(raw).digest('hex');
    }
    path(hash) {
        return join(this.root, hash.slice(0, 2), hash);
    }
    /** Write (if absent) and make durable. Returns the hash. */
    write(raw, hash = BlobFiles.hash(raw)) {
        const dest = this.path(hash);
        if (existsSync(dest) && statSync(dest).size === raw.length)
            return hash;
        const dir = join(this.root, hash.slice(0, 2));
        if (!existsSync(dir)) {
            mkdirSync(dir, { mode: 0o700 });
            fsyncDir(this.root);
        }
        const tmpName = join(this.tmp, `${hash}.${randomBytes(4).toString('hex')}`);
        const fd = openSync(tmpName, 'w', 0o600);
        try {
            let off = 0;
            while (off < raw.length)
                off += writeSync(fd, raw, off, raw.length - off);
            fsyncSync(fd);
        }
        finally {
            closeSync(fd);
        }
        renameSync(tmpName, dest);
        fsyncDir(dir);
        return hash;
    }
    /** Put the file in place without blocking the event loop: temporary name, write, fsync,
     *  rename. Returns the folder that holds it; the caller fsyncs that folder (once per batch)
     *  before any row refers to the file. A file already there with the right size is kept: it
     *  only ever got there by a rename after its fsync. */
    async place(raw, hash) {
        const dir = join(this.root, hash.slice(0, 2));
        await this.folder(dir);
        this.checkOpen();
        const dest = join(dir, hash);
        try {
            if ((await stat(dest)).size === raw.length)
                return dir;
        }
        catch (e) {
            if (e.code !== 'ENOENT')
                throw e;
        }
        const tmpName = join(this.tmp, `${hash}.${randomBytes(4).toString('hex')}`);
        this.checkOpen();
        const fh = await open(tmpName, 'w', 0o600);
        try {
            let off = 0;
            while (off < raw.length)
                off += (await fh.write(raw, off, raw.length - off)).bytesWritten;
            await fh.sync();
        }
        catch (e) {
            await fh.close().catch(() => undefined);
            await unlink(tmpName).catch(() => undefined);
            throw e;
        }
        await fh.close();
        this.checkOpen();
        await rename(tmpName, dest);
        return dir;
    }
    /** No more `place` once the store closed: on an encrypted box the volume is unmounted next, and
     *  a late write would land in the bare mount point, on the unencrypted disk. */
    close() {
        this.closed = true;
    }
    checkOpen() {
        if (this.closed)
            throw new Error('the store is closed');
    }
    /** A blob folder that exists and whose entry in the root is durable. */
    folder(dir) {
        let ready = this.folders.get(dir);
        if (!ready) {
            ready = (async () => {
                this.checkOpen();
                try {
                    await mkdir(dir, { mode: 0o700 });
                }
                catch (e) {
                    if (e.code !== 'EEXIST')
                        throw e;
                }
                // once per folder and process, even when it existed: it may be another writer's, not yet synced
                await fsyncFolder(this.root);
            })();
            ready.catch(() => this.folders.delete(dir)); // a failure is retried by the next message
            this.folders.set(dir, ready);
        }
        return ready;
    }
    read(hash) {
        return readFileSync(this.path(hash));
    }
    /** Read a byte range [start, end) without reading the whole file. */
    readRange(hash, start, end) {
        const len = Math.max(0, end - start);
        const buf = Buffer.alloc(len);
        if (len === 0)
            return buf;
        const fd = openSync(this.path(hash), 'r');
        try {
            let got = 0;
            while (got < len) {
                const n = readSync(fd, buf, got, len - got, start + got);
                if (n === 0)
                    break;
                got += n;
            }
            return got === len ? buf : buf.subarray(0, got);
        }
        finally {
            closeSync(fd);
        }
    }
    remove(hash) {
        try {
            unlinkSync(this.path(hash));
        }
        catch (e) {
            if (e.code !== 'ENOENT')
                throw e;
        }
    }
    /** Every blob file name on disk (for fsck). */
    *list() {
        for (const d of readdirSync(this.root)) {
            if (!/^[0-9a-f]{2}$/.test(d))
                continue;
            for (const f of readdirSync(join(this.root, d)))
                yield f;
        }
    }
}
/** fsync a folder in the thread pool (the rename of a file into it is durable afterwards). */
export async function fsyncFolder(dir) {
    const fh = await open(dir, 'r');
    try {
        await fh.sync();
    }
    finally {
        await fh.close();
    }
}
export function fsyncDir(dir) {
    const fd = openSync(dir, 'r');
    try {
        fsyncSync(fd);
    }
    finally {
        closeSync(fd);
    }
}
//# sourceMappingURL=blobs.js.map