// npm run bundle -- --arch amd64|arm64 --key SECRET_KEY_FILE --version V --out DIR
//   [--node-version X.Y.Z | --node-tgz FILE]
// A signed update bundle from this checkout: provisioning/build-app.sh builds the release tree for
// the architecture (the same script the image build uses), then it is packed and signed:
// DIR/postern-V-ARCH.tar.gz and DIR/postern-V-ARCH.tar.gz.minisig.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ARCHES, isVersion, writeBundle } from '../appliance/update/bundle.js';
import { keyIdHex, parseSecretKey } from '../appliance/update/minisign.js';
const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** the Node.js the image ships (provisioning/build-image.sh NODE_VERSION) */
export const DEFAULT_NODE_VERSION = '22.23.3';
function fail(message) {
    process.stderr.write(`bundle: ${message}\n`);
    process.exit(1);
}
function parse(argv) {
    const out = {};
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (!a.startsWith('--') || argv[i + 1] === undefined)
            fail(`unexpected argument ${a}; usage: npm run bundle -- --arch amd64|arm64 --key SECRET_KEY_FILE --version V --out DIR [--node-version X.Y.Z | --node-tgz FILE]`);
        out[a.slice(2)] = argv[++i];
    }
    return out;
}
/** node-linux-ARCH-VERSION.tgz from the npm registry (the package carries the official binary), cached. */
function nodeTarball(arch, version) {
    const cpu = arch === 'amd64' ? 'x64' : 'arm64';
    const cache = join(tmpdir(), 'postern-bundle-cache');
    mkdirSync(cache, { recursive: true });
    const file = join(cache, `node-linux-${cpu}-${version}.tgz`);
    if (!existsSync(file))
        execFileSync('npm', ['pack', '--silent', `node-linux-${cpu}@${version}`], { cwd: cache, stdio: ['ignore', 'ignore', 'inherit'] });
    return file;
}
async function main() {
    const a = parse(process.argv.slice(2));
    const arch = a.arch;
    if (!ARCHES.includes(arch))
        fail('--arch must be amd64 or arm64');
    if (!a.key)
        fail('--key SECRET_KEY_FILE is required (postern update keygen DIR makes one)');
    if (!a.version || !isVersion(a.version))
        fail('--version must look like 1.2.3 or 1.2.3-rc.1');
    if (!a.out)
        fail('--out DIR is required');
    const nodeVersion = a['node-version'] ?? DEFAULT_NODE_VERSION;
    if (!/^\d+\.\d+\.\d+$/.test(nodeVersion))
        fail('--node-version must look like 22.23.3');
    let key;
    try {
        key = parseSecretKey(readFileSync(a.key, 'utf8'));
    }
    catch (e) {
        fail(`cannot use the key ${a.key}: ${e.message}`);
    }
    const outDir = resolve(a.out);
    mkdirSync(outDir, { recursive: true });
    const started = Date.now();
    const tgz = a['node-tgz'] ? resolve(a['node-tgz']) : nodeTarball(arch, nodeVersion);
    const nodeFromTgz = /node-linux-(?:x64|arm64)-(\d+\.\d+\.\d+)\.tgz$/.exec(tgz)?.[1] ?? nodeVersion;
    const work = mkdtempSync(join(tmpdir(), 'postern-bundle-'));
    try {
        const tree = join(work, 'app');
        const r = spawnSync('bash', [join(REPO, 'provisioning/build-app.sh'), '--arch', arch, '--node-tgz', tgz, '--out', tree, '--log-dir', work], { stdio: 'inherit' });
        if (r.status !== 0)
            fail('building the release tree failed (above)');
        writeFileSync(join(tree, 'release.json'), JSON.stringify({ version: a.version, arch, node: nodeFromTgz }, null, 1) + '\n');
        const out = join(outDir, `postern-${a.version}-${arch}.tar.gz`);
        const m = await writeBundle({ root: tree, version: a.version, arch, node: nodeFromTgz, key, out });
        const treeBytes = m.files.reduce((s, f) => s + f.size, 0);
        const runtime = m.files.filter((f) => f.path.startsWith('runtime/')).reduce((s, f) => s + f.size, 0);
        const modules = m.files.filter((f) => f.path.startsWith('node_modules/')).reduce((s, f) => s + f.size, 0);
        const mib = (n) => (n / 1048576).toFixed(1);
        process.stdout.write(`bundle: ${out} (${mib(statSync(out).size)} MiB; unpacked ${mib(treeBytes)} MiB in ${m.files.length} files: `
            + `runtime ${mib(runtime)}, node_modules ${mib(modules)}, application ${mib(treeBytes - runtime - modules)}), `
            + `Node.js ${nodeFromTgz}, signed by key ${keyIdHex(key.keyId)}, in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    }
    finally {
        rmSync(work, { recursive: true, force: true });
    }
}
await main();
//# sourceMappingURL=bundle.js.map