// Downgrades and locked boxes: a validly signed bundle of an older release is refused at its
// signed manifest, before a single file is unpacked (a later file of that bundle is even changed:
// the downgrade sentence comes first), with one sentence pointing at `postern update rollback`;
// and an update on a LUKS box that waits locked for its passphrase is postponed: nothing is
// switched, so no self-test can fail and nothing rolls back.
import t from 'tap';
import { mkdirSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './harness/appliance.js';
import { postern } from './harness/cli.js';
import { repack } from './harness/bundle-tamper.js';
import { validateConfig } from '../appliance/config.js';
import { formatPublicKey, generateKey } from '../appliance/update/minisign.js';
import { writeBundle } from '../appliance/update/bundle.js';
import { boxArch } from '../appliance/update/releases.js';
import { Updater, UpdateError } from '../appliance/update/apply.js';
import { readStatus } from '../appliance/update/status.js';
import { updateSettings } from '../appliance/update/settings.js';
import type { AppControl } from '../appliance/update/app-control.js';

const dir = tempDir('postern-update-downgrade-');
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const root = join(dir, 'opt');
const key = generateKey();
writeFileSync(join(dir, 'k.pub'), formatPublicKey(key));
const arch = boxArch()!;
// a box running 1.1.0
mkdirSync(join(root, 'releases', '1.1.0', 'bin'), { recursive: true });
writeFileSync(join(root, 'releases', '1.1.0', 'bin', 'postern.js'), '');
symlinkSync('releases/1.1.0', join(root, 'current'));

async function bundle(version: string): Promise<string> {
  const tree = join(dir, `tree-${version}`);
  mkdirSync(join(tree, 'bin'), { recursive: true });
  writeFileSync(join(tree, 'bin', 'postern.js'), `console.log(${JSON.stringify(version)})\n`);
  writeFileSync(join(tree, 'release.json'), JSON.stringify({ version, arch }) + '\n');
  const out = join(dir, `postern-${version}.tar.gz`);
  await writeBundle({ root: tree, version, arch, node: '', key, out });
  return out;
}

const cfgFile = join(dir, 'config.json');
writeFileSync(cfgFile, JSON.stringify({ dataDir: join(dir, 'data'), tor: { mode: 'off' }, update: { root, publicKey: join(dir, 'k.pub'), service: 'process' } }));
const config = validateConfig({ dataDir: join(dir, 'data'), tor: { mode: 'off' }, update: { root, publicKey: join(dir, 'k.pub'), service: 'process' } }, { baseDir: dir, torOnPath: false });
/** a control that records any attempt to stop or start the appliance */
const touched: string[] = [];
const control: AppControl = { kind: 'process', stop: async () => { touched.push('stop'); }, start: async () => { touched.push('start'); }, alive: async () => true };
const listing = () => readdirSync(join(root, 'releases')).sort();

t.test('a validly signed older release is refused at its manifest', async (t) => {
  const older = await bundle('1.0.0');
  // a file after the manifest changed too: were the files read first, that would be the refusal
  const tampered = join(dir, 'older-tampered.tar.gz');
  await repack(older, tampered, (entries) => entries.map((e) => (e.header.name === 'app/bin/postern.js' ? { ...e, body: Buffer.from('changed\n') } : e)));
  const u = new Updater({ config, settings: updateSettings(config), control, locked: async () => false });
  await t.rejects(u.apply(tampered), { message: 'the bundle was refused, nothing changed: postern 1.0.0 is older than the running 1.1.0: a downgrade is refused (postern update rollback goes back to the previous release with its data)' });
  t.same(listing(), ['1.1.0'], 'nothing unpacked (no release folder, no temporary folder)');
  t.equal(readlinkSync(join(root, 'current')), 'releases/1.1.0');
  t.same(touched, [], 'the appliance was not stopped');
  const s = readStatus(root);
  t.equal(s.last?.result, 'refused');
  t.match(s.last?.reason, /older than the running 1\.1\.0/);
  // a pre-release of the running version is older too
  await t.rejects(u.apply(await bundle('1.1.0-rc.1')), { message: /postern 1\.1\.0-rc\.1 is older than the running 1\.1\.0: a downgrade is refused/ });
  await t.rejects(u.apply(await bundle('1.1.0')), { message: /postern 1\.1\.0 is the running release already/ });
  t.same(listing(), ['1.1.0']);
});

t.test('postern update apply says it in one sentence, exit 1', async (t) => {
  const r = await postern(['update', 'apply', join(dir, 'postern-1.0.0.tar.gz')], { env: { POSTERN_CONFIG: cfgFile } });
  t.equal(r.code, 1);
  t.match(r.stderr, /postern 1\.0\.0 is older than the running 1\.1\.0: a downgrade is refused \(postern update rollback goes back to the previous release with its data\)/);
  t.same(listing(), ['1.1.0']);
  const st = await postern(['update', 'status'], { env: { POSTERN_CONFIG: cfgFile } });
  t.match(st.stdout, /last update: refused 1\.1\.0 -> \? at .*: postern 1\.0\.0 is older than the running 1\.1\.0/);
});

t.test('a locked box postpones the update: nothing switched, nothing rolled back', async (t) => {
  const newer = await bundle('1.2.0');
  const u = new Updater({ config, settings: updateSettings(config), control, locked: async () => true });
  const e = await u.apply(newer).then(() => undefined, (x: unknown) => x);
  t.ok(e instanceof UpdateError, 'an UpdateError');
  t.equal((e as UpdateError).outcome?.result, 'postponed');
  t.equal((e as Error).message, 'the box is locked (its storage waits for the passphrase): the update waits until it is unlocked; nothing changed');
  t.same(listing(), ['1.1.0'], 'not even unpacked');
  t.equal(readlinkSync(join(root, 'current')), 'releases/1.1.0');
  t.same(touched, [], 'the appliance was not stopped or started');
  t.equal(readStatus(root).last?.result, 'postponed');
  const st = await postern(['update', 'status'], { env: { POSTERN_CONFIG: cfgFile } });
  t.match(st.stdout, /last update: postponed 1\.1\.0 -> \? at .*: the box is locked/);
});
