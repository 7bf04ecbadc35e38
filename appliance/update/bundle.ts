// Release bundles: one gzip'd tar per version and architecture. Its first entry is manifest.json
// (version, architecture, Node.js version and every file's size, mode and SHA-256), its second
// manifest.json.minisig (a minisign signature of the manifest), then the files under app/. Reading a
// bundle checks the signature before it trusts anything else, then every file against the manifest
// as it streams by, so a bundle is verified (and installed) in one pass in bounded memory. A file
// the manifest does not list, one that differs, one that is missing, a wrong key or a truncated
// bundle is refused with one sentence saying which.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, type Stats } from 'node:fs';
import { lstat, mkdir, open, readdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import * as tar from 'tar-stream';
import { keyIdHex, parsePublicKey, signData, signDigest, blake2b512File, SignatureError, verifySignature, type PublicKey, type SecretKey } from './minisign.js';

export const BUNDLE_FORMAT = 'postern-bundle/1';
export type Arch = 'amd64' | 'arm64';
export const ARCHES: readonly Arch[] = ['amd64', 'arm64'];

export interface ManifestFile { path: string; size: number; sha256: string; mode: number }
export interface ManifestLink { path: string; target: string }
export interface Manifest {
  format: typeof BUNDLE_FORMAT;
  version: string;
  arch: Arch;
  /** the Node.js version of the runtime in runtime/bin/node ('' when the bundle carries none) */
  node: string;
  created: string;
  files: ManifestFile[];
  links: ManifestLink[];
}

/** A bundle that must not be installed; `message` is one sentence for the user. */
export class BundleError extends Error {
  constructor(message: string, readonly code: 'signature' | 'truncated' | 'damaged' | 'format' | 'extra' | 'missing' | 'modified' | 'io') {
    super(message);
    this.name = 'BundleError';
  }
}

const VERSION_RE = /^[0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.]+)?$/;
export function isVersion(v: string): boolean { return VERSION_RE.test(v) && v.length <= 64; }

/** Compare two versions (numeric parts, then a pre-release sorts before the release). */
export function compareVersions(a: string, b: string): number {
  const [ma, pa = ''] = a.split('-', 2) as [string, string?];
  const [mb, pb = ''] = b.split('-', 2) as [string, string?];
  const na = ma.split('.').map(Number), nb = mb.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (na[i] !== nb[i]) return (na[i] ?? 0) - (nb[i] ?? 0);
  if (pa === pb) return 0;
  if (pa === '') return 1;
  if (pb === '') return -1;
  return pa < pb ? -1 : 1;
}

/** A path inside the bundle: relative, normalized, no "..", no empty or "." parts. */
export function isSafePath(p: string): boolean {
  if (p.length === 0 || p.length > 1024 || p.startsWith('/') || p.includes('\\') || p.includes('\0')) return false;
  return p.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

function linkStaysInside(path: string, target: string): boolean {
  if (target.startsWith('/')) return false;
  const resolved = posix.normalize(posix.join(posix.dirname(path), target));
  return !resolved.startsWith('../') && resolved !== '..';
}

function trustedComment(m: Pick<Manifest, 'version' | 'arch'>): string {
  return `postern-bundle version=${m.version} arch=${m.arch}`;
}

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return h.digest('hex');
}

/** Every file and link under `root`, sorted, as the manifest lists them. */
export async function scanTree(root: string): Promise<{ files: ManifestFile[]; links: ManifestLink[] }> {
  const files: ManifestFile[] = [];
  const links: ManifestLink[] = [];
  const walk = async (rel: string): Promise<void> => {
    const names = (await readdir(join(root, rel))).sort();
    for (const name of names) {
      const p = rel ? `${rel}/${name}` : name;
      const st: Stats = await lstat(join(root, p));
      if (st.isDirectory()) await walk(p);
      else if (st.isFile()) files.push({ path: p, size: st.size, sha256: await sha256File(join(root, p)), mode: st.mode & 0o111 ? 0o755 : 0o644 });
      else if (st.isSymbolicLink()) {
        const target = await readlink(join(root, p));
        if (!linkStaysInside(p, target)) throw new BundleError(`${p} is a link out of the release (${target}): bundles hold only links inside themselves`, 'format');
        links.push({ path: p, target });
      } else throw new BundleError(`${p} is neither a file, a folder nor a link`, 'format');
    }
  };
  await walk('');
  return { files, links };
}

/** Build a signed bundle of the tree at `root` into `out` (a .tar.gz), and `out`.minisig: a
 *  detached minisign signature of the whole file (`minisign -Vm out -p key.pub`). */
export async function writeBundle(opts: { root: string; version: string; arch: Arch; node: string; key: SecretKey; out: string; gzipLevel?: number }): Promise<Manifest> {
  if (!isVersion(opts.version)) throw new BundleError(`"${opts.version}" is not a version (like 1.2.3 or 1.2.3-rc.1)`, 'format');
  const { files, links } = await scanTree(opts.root);
  const manifest: Manifest = { format: BUNDLE_FORMAT, version: opts.version, arch: opts.arch, node: opts.node, created: new Date().toISOString(), files, links };
  const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 1) + '\n');
  const signature = signData(opts.key, manifestBytes, trustedComment(manifest));
  const pack = tar.pack();
  const tmp = `${opts.out}.tmp-${process.pid}`;
  const written = pipeline(pack, createGzip({ level: opts.gzipLevel ?? 6 }), createWriteStream(tmp));
  const mtime = new Date(0);
  const entry = (header: Partial<tar.Header> & { name: string }, body: Buffer) => new Promise<void>((resolve, reject) => {
    pack.entry(header, body, (e) => (e ? reject(e) : resolve()));
  });
  try {
    await entry({ name: 'manifest.json', mode: 0o644, mtime }, manifestBytes);
    await entry({ name: 'manifest.json.minisig', mode: 0o644, mtime }, Buffer.from(signature));
    for (const f of files) {
      await new Promise<void>((resolve, reject) => {
        const sink = pack.entry({ name: `app/${f.path}`, size: f.size, mode: f.mode, mtime }, (e) => (e ? reject(e) : resolve()));
        pipeline(createReadStream(join(opts.root, f.path)), sink).catch(reject);
      });
    }
    for (const l of links) await entry({ name: `app/${l.path}`, type: 'symlink', linkname: l.target, mode: 0o777, mtime }, Buffer.alloc(0));
    pack.finalize();
    await written;
    const fh = await open(tmp, 'r');
    await fh.sync();
    await fh.close();
    await rename(tmp, opts.out);
  } catch (e) {
    pack.destroy();
    await rm(tmp, { force: true });
    throw e;
  }
  await writeFile(`${opts.out}.minisig`, signDigest(opts.key, await blake2b512File(opts.out), trustedComment(manifest)));
  return manifest;
}

function checkManifest(raw: unknown): Manifest {
  const m = raw as Partial<Manifest> | null;
  const bad = (why: string) => new BundleError(`the bundle's manifest is not valid: ${why}`, 'format');
  if (!m || typeof m !== 'object') throw bad('not a JSON object');
  if (m.format !== BUNDLE_FORMAT) throw bad(`format "${String(m.format)}" is not ${BUNDLE_FORMAT}`);
  if (typeof m.version !== 'string' || !isVersion(m.version)) throw bad('no valid version');
  if (!ARCHES.includes(m.arch as Arch)) throw bad('no valid architecture');
  if (typeof m.node !== 'string' || !Array.isArray(m.files) || !Array.isArray(m.links)) throw bad('node, files or links missing');
  const seen = new Set<string>();
  for (const f of m.files) {
    if (typeof f?.path !== 'string' || !isSafePath(f.path)) throw bad(`unsafe file path ${JSON.stringify(f?.path)}`);
    if (!Number.isSafeInteger(f.size) || f.size < 0 || typeof f.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(f.sha256) || (f.mode !== 0o644 && f.mode !== 0o755)) throw bad(`bad entry for ${f.path}`);
    if (seen.has(f.path)) throw bad(`${f.path} is listed twice`);
    seen.add(f.path);
  }
  for (const l of m.links) {
    if (typeof l?.path !== 'string' || !isSafePath(l.path) || typeof l.target !== 'string' || !linkStaysInside(l.path, l.target)) throw bad(`unsafe link ${JSON.stringify(l?.path)}`);
    if (seen.has(l.path)) throw bad(`${l.path} is listed twice`);
    seen.add(l.path);
  }
  return m as Manifest;
}

async function readEntry(stream: AsyncIterable<unknown>, limit: number, what: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const c of stream) {
    const b = c as Buffer;
    n += b.length;
    if (n > limit) throw new BundleError(`the bundle's ${what} is larger than ${limit} bytes`, 'format');
    parts.push(b);
  }
  return Buffer.concat(parts);
}

function streamError(e: unknown): Error {
  if (e instanceof BundleError || e instanceof SignatureError) return e;
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'Z_BUF_ERROR' || /unexpected end|premature close/i.test(err.message)) return new BundleError('the bundle ends early: it is truncated (an interrupted download or copy)', 'truncated');
  if (err.code === 'Z_DATA_ERROR' || /invalid tar header|incorrect header check|invalid|checksum/i.test(err.message)) {
    return new BundleError(`the bundle is damaged: it is not a valid gzip'd tar file (${err.message})`, 'damaged');
  }
  if (err.code === 'ENOENT') return new BundleError(`the bundle ${err.path ?? ''} does not exist`, 'io');
  return new BundleError(`the bundle cannot be read: ${err.message}`, 'io');
}

export interface ReadOptions {
  publicKey: PublicKey;
  /** write the files under this folder (created; it must not exist) while checking them */
  extractTo?: string;
  /** called with the verified manifest before any file is read: a throw refuses the bundle there */
  onManifest?: (m: Manifest) => void;
}

/** Verify a bundle (and, with `extractTo`, unpack it there). Resolves with the manifest only when
 *  the signature and every file check out; otherwise rejects with a BundleError and removes
 *  whatever it unpacked. */
export async function readBundle(path: string, opts: ReadOptions): Promise<Manifest> {
  const extract = tar.extract();
  const done = pipeline(createReadStream(path), createGunzip(), extract);
  let manifest: Manifest | undefined;
  let manifestBytes: Buffer | undefined;
  const pending = new Map<string, ManifestFile>();
  const pendingLinks = new Map<string, ManifestLink>();
  let index = 0;
  const dest = opts.extractTo;
  try {
    if (dest) await mkdir(dest, { recursive: false, mode: 0o755 });
    for await (const entry of extract) {
      const h = entry.header;
      index++;
      if (index === 1) {
        if (h.name !== 'manifest.json' || h.type !== 'file') throw new BundleError('the bundle does not start with its manifest: it is not a Postern bundle', 'format');
        manifestBytes = await readEntry(entry, 32 * 1024 * 1024, 'manifest');
        continue;
      }
      if (index === 2) {
        if (h.name !== 'manifest.json.minisig' || h.type !== 'file') throw new BundleError('the bundle has no signature after its manifest', 'signature');
        const sig = (await readEntry(entry, 4096, 'signature')).toString('utf8');
        let comment: string;
        try {
          comment = await verifySignature(opts.publicKey, sig, manifestBytes!);
        } catch (e) {
          if (e instanceof SignatureError) throw new BundleError(`the bundle's signature is not valid: ${e.message}`, 'signature');
          throw e;
        }
        let parsed: unknown;
        try { parsed = JSON.parse(manifestBytes!.toString('utf8')); } catch { throw new BundleError("the bundle's manifest is not valid JSON", 'format'); }
        manifest = checkManifest(parsed);
        if (comment !== trustedComment(manifest)) throw new BundleError(`the signed comment "${comment}" does not match the manifest (version ${manifest.version}, ${manifest.arch})`, 'signature');
        opts.onManifest?.(manifest);
        for (const f of manifest.files) pending.set(f.path, f);
        for (const l of manifest.links) pendingLinks.set(l.path, l);
        continue;
      }
      if (!manifest) throw new BundleError('the bundle is not valid', 'format');
      if (h.type === 'directory') { entry.resume(); continue; }
      const name = h.name.startsWith('app/') ? h.name.slice(4) : '';
      if (h.type === 'symlink') {
        const l = pendingLinks.get(name);
        if (!l) throw new BundleError(`the bundle holds a link its manifest does not list: ${h.name}`, 'extra');
        if (l.target !== h.linkname) throw new BundleError(`the link ${h.name} in the bundle points elsewhere than its manifest says (it was changed after signing)`, 'modified');
        pendingLinks.delete(name);
        entry.resume();
        if (dest) {
          await mkdir(dirname(join(dest, name)), { recursive: true });
          await symlink(l.target, join(dest, name));
        }
        continue;
      }
      if (h.type !== 'file') throw new BundleError(`the bundle holds ${h.name}, which is neither a file nor a link`, 'format');
      const f = pending.get(name);
      if (!f) {
        throw new BundleError(manifest.files.some((x) => x.path === name)
          ? `the bundle holds ${h.name} twice` : `the bundle holds a file its manifest does not list: ${h.name}`, 'extra');
      }
      pending.delete(name);
      const hash = createHash('sha256');
      let size = 0;
      const fh = dest ? await (async () => { await mkdir(dirname(join(dest, name)), { recursive: true }); return open(join(dest, name), 'wx', f.mode); })() : undefined;
      try {
        for await (const c of entry) {
          const b = c as Buffer;
          size += b.length;
          if (size > f.size) break;
          hash.update(b);
          if (fh) await fh.write(b);
        }
        if (fh) await fh.sync();
      } finally { await fh?.close(); }
      if (size !== f.size) throw new BundleError(`the file ${h.name} in the bundle has ${size > f.size ? 'more' : 'fewer'} bytes than its manifest says (it was changed after signing)`, 'modified');
      if (hash.digest('hex') !== f.sha256) throw new BundleError(`the file ${h.name} in the bundle does not match its SHA-256 in the manifest (it was changed after signing)`, 'modified');
    }
    await done;
    if (!manifest) throw new BundleError(index === 0 ? 'the bundle is empty' : 'the bundle ends before its signature', index === 0 ? 'format' : 'truncated');
    const missing = [...pending.keys(), ...pendingLinks.keys()];
    if (missing.length) throw new BundleError(`the bundle lacks ${missing.length} file(s) its manifest lists, the first: app/${missing[0]}`, 'missing');
    return manifest;
  } catch (e) {
    extract.destroy();
    await done.catch(() => undefined);
    if (dest) await rm(dest, { recursive: true, force: true }).catch(() => undefined);
    throw streamError(e);
  }
}

/** Read a public key file with a sentence when it cannot be read. */
export async function loadPublicKey(path: string): Promise<PublicKey> {
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try { text = await readFile(path, 'utf8'); } catch (e) {
    throw new BundleError(`cannot read the public key ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, 'io');
  }
  return parsePublicKey(text);
}

export { keyIdHex };
