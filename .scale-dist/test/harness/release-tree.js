// Release trees for update tests, made quickly from this checkout: dist/, bin/ and the production
// node_modules (hard links, so nothing is copied), the same layout build-app.sh makes, without the
// bundled Node.js runtime (a release without runtime/ runs with the updater's node). A variant can
// carry extra migrations appended to the compiled migration list, as a later release would.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
export const REPO = fileURLToPath(new URL('../../..', import.meta.url));
/** The production packages' top-level folders under node_modules (relative paths). */
function productionPackages() {
    const out = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: REPO, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }).trim().split('\n').slice(1);
    const tops = new Set();
    for (const p of out) {
        const rel = relative(join(REPO, 'node_modules'), p);
        if (rel.startsWith('..') || rel.includes('/node_modules/'))
            continue;
        tops.add(rel);
    }
    return [...tops].sort();
}
/** The common base of every test release, made once per test run. */
export function baseTree(dir) {
    const base = join(dir, 'release-base');
    if (existsSync(base))
        return base;
    mkdirSync(join(base, 'dist'), { recursive: true });
    // the application is copied (a rebuild of dist/ must not change a release); node_modules linked
    for (const d of ['appliance', 'services', 'web'])
        cpSync(join(REPO, 'dist', d), join(base, 'dist', d), { recursive: true });
    cpSync(join(REPO, 'bin'), join(base, 'bin'), { recursive: true });
    cpSync(join(REPO, 'web', 'static'), join(base, 'web', 'static'), { recursive: true });
    for (const f of ['package.json', 'package-lock.json'])
        cpSync(join(REPO, f), join(base, f));
    for (const p of productionPackages()) {
        mkdirSync(join(base, 'node_modules', p, '..'), { recursive: true });
        execFileSync('cp', ['-al', join(REPO, 'node_modules', p), join(base, 'node_modules', p)]);
    }
    const bs = join(base, 'node_modules', 'better-sqlite3');
    for (const junk of ['deps', 'src', 'build/Release/obj.target', 'build/Release/.deps', 'build/Release/obj', 'build/Release/test_extension.node', 'build/deps'])
        rmSync(join(bs, junk), { recursive: true, force: true });
    rmSync(join(base, 'node_modules', '.bin'), { recursive: true, force: true });
    execFileSync('find', [join(base, 'dist'), '-name', '*.map', '-delete']);
    return base;
}
/** A release tree for `version`, from the base (hard links: every file of the base is written once
 *  and never changed) with its own release.json and migration list. */
export function releaseTree(dir, v) {
    const base = baseTree(dir);
    const tree = join(dir, `release-${v.version}`);
    rmSync(tree, { recursive: true, force: true });
    execFileSync('cp', ['-al', base, tree]);
    writeFileSync(join(tree, 'release.json'), JSON.stringify({ version: v.version, arch: process.arch === 'arm64' ? 'arm64' : 'amd64', node: '' }) + '\n');
    if (v.migrations?.length) {
        const index = join(tree, 'dist', 'appliance', 'store', 'migrations', 'index.js');
        const text = readFileSync(index, 'utf8');
        unlinkSync(index); // a hard link: write a new file, not through the link
        writeFileSync(index, `${text}\nMIGRATIONS.push(...${JSON.stringify(v.migrations)});\n`);
    }
    return tree;
}
//# sourceMappingURL=release-tree.js.map