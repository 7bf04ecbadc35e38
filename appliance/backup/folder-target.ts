// A folder target: a USB disk's mount point or any folder. Objects are files; data objects are
// spread over 256 sub-folders. A put writes a temporary file, fsyncs it, renames it into place and
// fsyncs the folder, so a pulled plug leaves either the old state or the new object.
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { TargetError, type BackupTarget, type TargetEntry } from './target.js';

async function fsyncFolder(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try { await fh.sync(); } finally { await fh.close(); }
}

export class FolderTarget implements BackupTarget {
  readonly description: string;
  private readonly made = new Set<string>();

  private constructor(private readonly root: string) {
    this.description = `folder ${root}`;
  }

  static async open(location: string, opts: { createParents?: boolean } = {}): Promise<FolderTarget> {
    const root = resolve(location);
    if (!existsSync(root)) {
      if (opts.createParents) await mkdir(dirname(root), { recursive: true, mode: 0o700 });
      else if (!existsSync(dirname(root))) throw new TargetError(`the backup folder ${root} does not exist (nor does its parent folder): is the disk plugged in?`);
      await mkdir(root, { mode: 0o700 });
    } else if (!statSync(root).isDirectory()) {
      throw new TargetError(`${root} is not a folder`);
    }
    await mkdir(join(root, 'tmp'), { recursive: true, mode: 0o700 });
    return new FolderTarget(root);
  }

  private path(name: string): string {
    if (!/^[a-z]+(\/[A-Za-z0-9._-]+)?$|^postern-backup\.json$/.test(name) || name.includes('..')) throw new TargetError(`bad object name ${name}`);
    const m = /^data\/([0-9a-f]{2})([0-9a-f]{62})$/.exec(name);
    return m ? join(this.root, 'data', m[1]!, m[1]! + m[2]!) : join(this.root, name);
  }

  async put(name: string, data: Buffer): Promise<void> {
    const dest = this.path(name);
    const dir = dirname(dest);
    if (!this.made.has(dir)) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await fsyncFolder(dirname(dir));
      this.made.add(dir);
    }
    const tmp = join(this.root, 'tmp', `${randomBytes(8).toString('hex')}.tmp`);
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, dest);
    await fsyncFolder(dir);
  }

  async get(name: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.path(name));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  /** an object's size, or undefined when there is none */
  async size(name: string): Promise<number | undefined> {
    try {
      return (await stat(this.path(name))).size;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async list(prefix: string): Promise<TargetEntry[]> {
    const base = join(this.root, prefix.replace(/\/$/, ''));
    const out: TargetEntry[] = [];
    const walk = async (dir: string, rel: string): Promise<void> => {
      let names: string[];
      try { names = await readdir(dir); } catch (e) { if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; throw e; }
      for (const n of names) {
        const st = await stat(join(dir, n));
        if (st.isDirectory()) await walk(join(dir, n), rel);
        else out.push({ name: `${rel}${n}`, size: st.size });
      }
    };
    await walk(base, prefix.endsWith('/') ? prefix : `${prefix}/`);
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async remove(name: string): Promise<void> {
    try { await unlink(this.path(name)); } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; }
  }

  async close(): Promise<void> {
    await rm(join(this.root, 'tmp'), { recursive: true, force: true }).catch(() => undefined);
  }
}
