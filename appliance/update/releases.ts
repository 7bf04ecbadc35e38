// Releases side by side under the release root: releases/VERSION (each a whole tree: application,
// node_modules, runtime/bin/node), `current` a relative link to one of them, switched atomically
// (a new link under a temporary name renamed over the old one: rename(2) replaces it in one step,
// so every reader sees the old release or the new one, never neither).
import { execFile } from 'node:child_process';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync } from 'node:fs';
import { readdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BundleError, isVersion, readBundle, type Manifest } from './bundle.js';
import type { PublicKey } from './minisign.js';

export function releasesDir(root: string): string { return join(root, 'releases'); }
export function releaseDir(root: string, version: string): string { return join(releasesDir(root), version); }

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}

/** The version the `current` link points at, if any. */
export async function currentVersion(root: string): Promise<string | undefined> {
  try {
    const target = await readlink(join(root, 'current'));
    const m = /^releases\/([^/]+)\/?$/.exec(target);
    return m && isVersion(m[1]!) ? m[1] : undefined;
  } catch { return undefined; }
}

export async function installedVersions(root: string): Promise<string[]> {
  try { return (await readdir(releasesDir(root))).filter(isVersion); } catch { return []; }
}

/** Point `current` at releases/VERSION in one rename. */
export async function switchCurrent(root: string, version: string): Promise<void> {
  if (!existsSync(join(releaseDir(root, version), 'bin', 'postern.js'))) throw new Error(`release ${version} is not installed`);
  const tmp = join(root, `.current-${process.pid}`);
  await rm(tmp, { force: true });
  await symlink(`releases/${version}`, tmp);
  await rename(tmp, join(root, 'current'));
  fsyncDir(root);
}

/** Verify and unpack a bundle into releases/VERSION (through a temporary folder, so a refused or
 *  interrupted bundle leaves nothing behind). The running release is never overwritten. */
export async function unpackRelease(root: string, bundle: string, publicKey: PublicKey, check: (m: Manifest) => void = () => undefined): Promise<Manifest> {
  const incoming = join(releasesDir(root), `.incoming-${process.pid}-${Date.now()}`);
  const { mkdir } = await import('node:fs/promises');
  await mkdir(releasesDir(root), { recursive: true, mode: 0o755 });
  const running = await currentVersion(root);
  // the version, architecture and downgrade checks run on the signed manifest, before any file is unpacked
  const m = await readBundle(bundle, { publicKey, extractTo: incoming, onManifest: (man) => {
    check(man);
    if (man.version === running) throw new BundleError(`postern ${man.version} is the running release already`, 'format');
  } });
  try {
    // one syncfs of the new tree instead of an fsync per file
    await promisify(execFile)('sync', ['-f', incoming]).catch(() => promisify(execFile)('sync', []));
    const dest = releaseDir(root, m.version);
    await rm(dest, { recursive: true, force: true });
    await rename(incoming, dest);
    fsyncDir(releasesDir(root));
    return m;
  } catch (e) {
    await rm(incoming, { recursive: true, force: true });
    throw e;
  }
}

/** The architecture of this box's releases ('amd64' or 'arm64'). */
export function boxArch(): 'amd64' | 'arm64' | undefined {
  return process.arch === 'x64' ? 'amd64' : process.arch === 'arm64' ? 'arm64' : undefined;
}

/** What a release says about itself (release.json, written by the bundle build). */
export function releaseInfo(root: string, version: string): { version: string; arch?: string; node?: string } {
  try { return JSON.parse(readFileSync(join(releaseDir(root, version), 'release.json'), 'utf8')) as { version: string }; } catch { return { version }; }
}

/** Remove releases other than the ones to keep. */
export async function pruneReleases(root: string, keep: readonly string[]): Promise<string[]> {
  const gone: string[] = [];
  for (const v of await installedVersions(root)) {
    if (keep.includes(v)) continue;
    await rm(releaseDir(root, v), { recursive: true, force: true });
    gone.push(v);
  }
  return gone;
}

/** The node binary a release runs with: its own runtime, or (a release without one) this one's. */
export function releaseNode(root: string, version: string): string {
  const own = join(releaseDir(root, version), 'runtime', 'bin', 'node');
  return existsSync(own) ? own : process.execPath;
}
