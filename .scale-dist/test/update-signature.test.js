// Signed bundles: the minisign format both ways (our signatures checked by minisign, minisign's by
// us), keygen, and a bundle refused with a specific sentence for each kind of damage.
import t from 'tap';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './harness/appliance.js';
import { postern } from './harness/cli.js';
import { readEntries, repack } from './harness/bundle-tamper.js';
import { formatPublicKey, generateKey, parsePublicKey, parseSecretKey, signData, verifySignature, keyIdHex } from '../appliance/update/minisign.js';
import { readBundle, writeBundle, BundleError, loadPublicKey } from '../appliance/update/bundle.js';
const dir = tempDir('postern-update-sig-');
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const keys = join(dir, 'keys');
let pubFile = '';
let secretFile = '';
t.test('keygen writes a minisign key pair and never overwrites it', async (t) => {
    const r = await postern(['update', 'keygen', keys]);
    t.equal(r.code, 0, r.stderr);
    secretFile = join(keys, 'postern-update.key');
    pubFile = join(keys, 'postern-update.pub');
    t.equal(statSync(secretFile).mode & 0o777, 0o600, 'the secret key is readable by its owner only');
    const k = parseSecretKey(readFileSync(secretFile, 'utf8'));
    t.match(r.stdout, keyIdHex(k.keyId));
    t.same(parsePublicKey(readFileSync(pubFile, 'utf8')).key, k.key, 'the public file holds the secret key\'s public half');
    const again = await postern(['update', 'keygen', keys]);
    t.equal(again.code, 1);
    t.match(again.stderr, /already exists: keygen never overwrites a key/);
});
t.test('minisign checks our signatures, and we check minisign\'s', async (t) => {
    const file = join(dir, 'data.bin');
    writeFileSync(file, Buffer.from('some release bytes\n'.repeat(1000)));
    const k = parseSecretKey(readFileSync(secretFile, 'utf8'));
    // ours -> minisign -V
    writeFileSync(file + '.minisig', signData(k, readFileSync(file), 'postern test comment'));
    const v = spawnSync('minisign', ['-V', '-p', pubFile, '-m', file], { encoding: 'utf8' });
    t.equal(v.status, 0, v.stderr);
    t.match(v.stdout, /Trusted comment: postern test comment/);
    // minisign -S with our secret key file (it reads our format)
    const ms = spawnSync('minisign', ['-S', '-s', secretFile, '-m', file, '-x', file + '.ms2', '-t', 'signed by minisign'], { encoding: 'utf8' });
    t.equal(ms.status, 0, ms.stderr);
    t.equal(await verifySignature(parsePublicKey(readFileSync(pubFile, 'utf8')), readFileSync(file + '.ms2', 'utf8'), { path: file }), 'signed by minisign');
    // a key made by minisign itself -> our verification
    const mk = join(dir, 'mk');
    mkdirSync(mk);
    execFileSync('minisign', ['-G', '-W', '-p', join(mk, 'k.pub'), '-s', join(mk, 'k.key')], { stdio: 'ignore' });
    execFileSync('minisign', ['-S', '-s', join(mk, 'k.key'), '-m', file, '-x', file + '.ms3', '-t', 'their key'], { stdio: 'ignore' });
    const theirs = parsePublicKey(readFileSync(join(mk, 'k.pub'), 'utf8'));
    t.equal(await verifySignature(theirs, readFileSync(file + '.ms3', 'utf8'), { path: file }), 'their key');
    t.ok(parseSecretKey(readFileSync(join(mk, 'k.key'), 'utf8')), 'minisign\'s unencrypted secret key reads too');
    // a changed byte, and a changed trusted comment, are refused by both
    const changed = Buffer.from(readFileSync(file));
    changed[500] ^= 1;
    writeFileSync(file + '.changed', changed);
    await t.rejects(verifySignature(theirs, readFileSync(file + '.ms3', 'utf8'), { path: file + '.changed' }), { code: 'bad-signature' });
    t.not(spawnSync('minisign', ['-V', '-p', pubFile, '-m', file + '.changed', '-x', file + '.minisig']).status, 0);
    const sig = readFileSync(file + '.minisig', 'utf8').replace('trusted comment: postern test comment', 'trusted comment: postern evil comment');
    await t.rejects(verifySignature(parsePublicKey(readFileSync(pubFile, 'utf8')), sig, { path: file }), { code: 'bad-comment' });
    await t.rejects(verifySignature(theirs, readFileSync(file + '.minisig', 'utf8'), { path: file }), { code: 'wrong-key', message: /not with the trusted key/ });
});
t.test('bundles: a good one verifies, every kind of damage is refused with its own sentence', async (t) => {
    const tree = join(dir, 'tree');
    mkdirSync(join(tree, 'bin'), { recursive: true });
    writeFileSync(join(tree, 'bin', 'run.sh'), '#!/bin/sh\necho hi\n');
    chmodSync(join(tree, 'bin', 'run.sh'), 0o755);
    const deep = join(tree, 'node_modules', 'a-rather-long-package-name', 'lib', 'with', 'some', 'deeply', 'nested', 'folders', 'beyond', 'one', 'hundred');
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, 'index.js'), 'export const x = 1;\n');
    writeFileSync(join(tree, 'big.bin'), Buffer.alloc(300_000, 7));
    writeFileSync(join(tree, 'empty'), '');
    symlinkSync('bin/run.sh', join(tree, 'run'));
    const k = parseSecretKey(readFileSync(secretFile, 'utf8'));
    const bundle = join(dir, 'postern-1.2.3-amd64.tar.gz');
    const m = await writeBundle({ root: tree, version: '1.2.3', arch: 'amd64', node: '', key: k, out: bundle });
    t.equal(m.files.length, 4);
    t.same(m.links, [{ path: 'run', target: 'bin/run.sh' }]);
    const ok = await postern(['update', 'verify', bundle, '--public-key', pubFile]);
    t.equal(ok.code, 0, ok.stderr);
    t.match(ok.stdout, /bundle postern 1\.2\.3 \(amd64\) verified: 4 files and 1 links/);
    // the standard tool checks the whole file, and the manifest inside it
    t.equal(spawnSync('minisign', ['-V', '-p', pubFile, '-m', bundle]).status, 0, 'minisign -V on the bundle');
    const inner = join(dir, 'inner');
    mkdirSync(inner);
    execFileSync('tar', ['-xzf', bundle, '-C', inner, 'manifest.json', 'manifest.json.minisig']);
    const mv = spawnSync('minisign', ['-V', '-p', pubFile, '-m', join(inner, 'manifest.json')], { encoding: 'utf8' });
    t.equal(mv.status, 0, mv.stderr);
    t.match(mv.stdout, /postern-bundle version=1\.2\.3 arch=amd64/);
    // unpacking writes the same tree
    const out = join(dir, 'unpacked');
    await readBundle(bundle, { publicKey: await loadPublicKey(pubFile), extractTo: out });
    t.equal(readFileSync(join(out, 'bin', 'run.sh'), 'utf8'), '#!/bin/sh\necho hi\n');
    t.equal(statSync(join(out, 'bin', 'run.sh')).mode & 0o777, 0o755);
    t.equal(readFileSync(join(deep.replace(tree, out), 'index.js'), 'utf8'), 'export const x = 1;\n');
    t.equal(readFileSync(join(out, 'run'), 'utf8'), '#!/bin/sh\necho hi\n');
    const refused = async (name, path, sentence, keyFile = pubFile) => {
        const r = await postern(['update', 'verify', path, '--public-key', keyFile]);
        t.equal(r.code, 1, `${name}: exit 1`);
        t.match(r.stderr, sentence, `${name}: ${r.stderr.trim()}`);
        t.equal(r.stderr.trim().split('\n').length, 1, `${name}: one sentence`);
        const target = join(dir, `x-${name}`);
        await t.rejects(readBundle(path, { publicKey: await loadPublicKey(keyFile), extractTo: target }), BundleError);
        t.notOk(existsSync(target), `${name}: nothing left unpacked`);
    };
    const flip = (b, at) => { const c = Buffer.from(b); c[at] ^= 0x20; return c; };
    for (const [i, victim] of ['app/bin/run.sh', 'app/big.bin', `app/${deep.slice(tree.length + 1)}/index.js`].entries()) {
        const p = join(dir, `flipped-${i}.tar.gz`);
        await repack(bundle, p, (es) => es.map((e) => (e.header.name === victim ? { ...e, body: flip(e.body, Math.floor(e.body.length / 2)) } : e)));
        await refused(`flipped-${i}`, p, new RegExp(`the file ${victim.replace(/[.]/g, '\\.')} in the bundle does not match its SHA-256 in the manifest`));
    }
    const longer = join(dir, 'longer.tar.gz');
    await repack(bundle, longer, (es) => es.map((e) => (e.header.name === 'app/empty' ? { ...e, body: Buffer.from('x') } : e)));
    await refused('longer', longer, /the file app\/empty in the bundle has more bytes than its manifest says/);
    const missing = join(dir, 'missing.tar.gz');
    await repack(bundle, missing, (es) => es.filter((e) => e.header.name !== 'app/big.bin'));
    await refused('missing', missing, /the bundle lacks 1 file\(s\) its manifest lists, the first: app\/big\.bin/);
    const extra = join(dir, 'extra.tar.gz');
    await repack(bundle, extra, (es) => [...es, { header: { ...es[2].header, name: 'app/bin/evil.sh' }, body: Buffer.from('rm -rf /\n') }]);
    await refused('extra', extra, /the bundle holds a file its manifest does not list: app\/bin\/evil\.sh/);
    const escape = join(dir, 'escape.tar.gz');
    await repack(bundle, escape, (es) => [...es, { header: { ...es[2].header, name: '../../etc/cron.d/evil' }, body: Buffer.from('x') }]);
    await refused('escape', escape, /the bundle holds a file its manifest does not list: \.\.\/\.\.\/etc\/cron\.d\/evil/);
    const relinked = join(dir, 'relinked.tar.gz');
    await repack(bundle, relinked, (es) => es.map((e) => (e.header.name === 'app/run' ? { ...e, header: { ...e.header, linkname: 'big.bin' } } : e)));
    await refused('relinked', relinked, /the link app\/run in the bundle points elsewhere than its manifest says/);
    const manifestChanged = join(dir, 'manifest.tar.gz');
    await repack(bundle, manifestChanged, (es) => es.map((e) => (e.header.name === 'manifest.json' ? { ...e, body: Buffer.from(e.body.toString().replace('"version": "1.2.3"', '"version": "9.9.9"')) } : e)));
    await refused('manifest', manifestChanged, /the bundle's signature is not valid: the signature does not match the data/);
    const unsigned = join(dir, 'unsigned.tar.gz');
    await repack(bundle, unsigned, (es) => es.filter((e) => e.header.name !== 'manifest.json.minisig'));
    await refused('unsigned', unsigned, /the bundle has no signature after its manifest/);
    const otherKeys = join(dir, 'other');
    mkdirSync(otherKeys);
    const other = generateKey();
    writeFileSync(join(otherKeys, 'k.pub'), formatPublicKey(other));
    await refused('wrong-key', bundle, new RegExp(`the bundle's signature is not valid: the signature was made with key ${keyIdHex(k.keyId)}, not with the trusted key ${keyIdHex(other.keyId)}`), join(otherKeys, 'k.pub'));
    const size = statSync(bundle).size;
    const truncated = join(dir, 'truncated.tar.gz');
    writeFileSync(truncated, readFileSync(bundle));
    truncateSync(truncated, Math.floor(size * 0.6));
    await refused('truncated', truncated, /the bundle ends early: it is truncated/);
    const damaged = join(dir, 'damaged.tar.gz');
    writeFileSync(damaged, flip(readFileSync(bundle), Math.floor(size * 0.5)));
    // where the flipped byte lands decides which check sees it first: the gzip stream, the signature or a file
    await refused('damaged', damaged, /the bundle (is damaged|ends early)|does not match|has (more|fewer) bytes|the bundle's signature is not valid/);
    const notBundle = join(dir, 'not.tar.gz');
    writeFileSync(notBundle, 'hello, not a bundle');
    await refused('not-gzip', notBundle, /the bundle is damaged: it is not a valid gzip'd tar file/);
    await refused('absent', join(dir, 'absent.tar.gz'), /does not exist/);
    t.same((await readEntries(bundle)).map((e) => e.header.name).slice(0, 2), ['manifest.json', 'manifest.json.minisig'], 'manifest and signature come first');
    t.ok(readdirSync(dir).length > 0);
});
//# sourceMappingURL=update-signature.test.js.map