// postern update ...: the maintainer's signing keys, checking bundles, and installing them.
import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BundleError, loadPublicKey, readBundle } from '../update/bundle.js';
import { formatPublicKey, formatSecretKey, generateKey, keyIdHex, SignatureError } from '../update/minisign.js';
import { updateSettings } from '../update/settings.js';
import { UsageError, type Command } from './command.js';

/** Signature and bundle failures are one sentence with exit code 1. */
async function sentences<T>(fn: () => Promise<T>): Promise<T> {
  try { return await fn(); } catch (e) {
    if (e instanceof BundleError || e instanceof SignatureError) throw new UsageError(e.message, 1);
    throw e;
  }
}

export const updateKeygen: Command = {
  name: 'update keygen',
  usage: 'postern update keygen DIR',
  summary: "make a maintainer's Ed25519 signing key pair (minisign format): DIR/postern-update.key (secret) and DIR/postern-update.pub",
  async run({ args, out }) {
    if (args.length !== 1) throw new UsageError('usage: postern update keygen DIR');
    const dir = resolve(args[0]!);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const secretPath = join(dir, 'postern-update.key');
    const publicPath = join(dir, 'postern-update.pub');
    for (const p of [secretPath, publicPath]) {
      if (await stat(p).then(() => true, () => false)) throw new UsageError(`${p} already exists: keygen never overwrites a key`, 1);
    }
    const k = generateKey();
    await writeFile(secretPath, formatSecretKey(k), { mode: 0o600, flag: 'wx' });
    await chmod(secretPath, 0o600);
    await writeFile(publicPath, formatPublicKey(k), { mode: 0o644, flag: 'wx' });
    out(`key ${keyIdHex(k.keyId)}: secret key ${secretPath} (keep it offline, never in an image), public key ${publicPath}`);
    return 0;
  },
};

export const updateVerify: Command = {
  name: 'update verify',
  usage: 'postern update verify BUNDLE [--public-key FILE]',
  summary: "check a bundle's signature and every file's hash (exit 0 only when all check out)",
  async run({ args, flags, config, out }) {
    if (args.length !== 1) throw new UsageError('usage: postern update verify BUNDLE [--public-key FILE]');
    const keyFile = typeof flags['public-key'] === 'string' ? flags['public-key'] : updateSettings(config).publicKey;
    return sentences(async () => {
      const pub = await loadPublicKey(keyFile);
      const m = await readBundle(resolve(args[0]!), { publicKey: pub });
      out(`bundle postern ${m.version} (${m.arch}${m.node ? `, Node.js ${m.node}` : ''}) verified: ${m.files.length} files and ${m.links.length} links match the manifest signed by key ${keyIdHex(pub.keyId)}`);
      return 0;
    });
  },
};
