// The module graph of the compiled sources has no cycle: imports run one way (web -> services ->
// appliance), so a module can be read, tested and loaded without the ones above it. Only static
// imports count: a lazy `import()` (the CLI's command groups) runs after every module has loaded.
import t from 'tap';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
const dist = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const roots = ['appliance', 'services', 'web'];
function jsFiles(dir) {
    const out = [];
    for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory())
            out.push(...jsFiles(p));
        else if (name.endsWith('.js'))
            out.push(p);
    }
    return out;
}
/** Relative specifiers of `import ... from '...'`, `import '...'` and `export ... from '...'`. */
export function staticImports(source) {
    const specs = [];
    const re = /^\s*(?:import|export)\s+(?:[^'";]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm;
    for (let m = re.exec(source); m; m = re.exec(source))
        specs.push(m[1]);
    return specs;
}
function graph() {
    const g = new Map();
    for (const root of roots) {
        for (const file of jsFiles(join(dist, root))) {
            const deps = staticImports(readFileSync(file, 'utf8')).map((s) => resolve(dirname(file), s));
            g.set(file, deps);
        }
    }
    return g;
}
/** Tarjan's strongly connected components; any with more than one module (or a self-import) is a cycle. */
function cycles(g) {
    let index = 0;
    const idx = new Map();
    const low = new Map();
    const stack = [];
    const on = new Set();
    const found = [];
    const visit = (v) => {
        idx.set(v, index);
        low.set(v, index);
        index++;
        stack.push(v);
        on.add(v);
        for (const w of g.get(v) ?? []) {
            if (!g.has(w))
                continue;
            if (!idx.has(w)) {
                visit(w);
                low.set(v, Math.min(low.get(v), low.get(w)));
            }
            else if (on.has(w))
                low.set(v, Math.min(low.get(v), idx.get(w)));
        }
        if (low.get(v) === idx.get(v)) {
            const scc = [];
            let w;
            do {
                w = stack.pop();
                on.delete(w);
                scc.push(w);
            } while (w !== v);
            if (scc.length > 1 || (g.get(v) ?? []).includes(v))
                found.push(scc.map((f) => relative(dist, f)).sort());
        }
    };
    for (const v of g.keys())
        if (!idx.has(v))
            visit(v);
    return found;
}
t.test('the parser finds the static imports a compiled module has', async (t) => {
    const src = "import { a } from './a.js';\nimport './side.js';\nexport { b } from '../b.js';\nimport type_x from 'hono';\nconst m = await import('./lazy.js');\n";
    t.same(staticImports(src), ['./a.js', './side.js', '../b.js'], 'package imports and lazy import() are not edges');
});
t.test('a cycle is found when there is one', async (t) => {
    const g = new Map([['/x/a.js', ['/x/b.js']], ['/x/b.js', ['/x/a.js']], ['/x/c.js', ['/x/a.js']]]);
    t.equal(cycles(g).length, 1);
});
t.test('the compiled sources have no import cycle', async (t) => {
    const g = graph();
    t.ok(g.size > 100, `read ${g.size} modules`);
    const found = cycles(g);
    t.same(found, [], found.map((c) => c.join(' -> ')).join('\n') || 'no cycle');
});
t.test('a panel route imports views, page, context and services, never another route or the app', async (t) => {
    const g = graph();
    const routes = join(dist, 'web', 'routes');
    const wrong = [];
    for (const [file, deps] of g) {
        if (dirname(file) !== routes || file.endsWith('index.js'))
            continue;
        for (const d of deps) {
            if (dirname(d) === routes || d === join(dist, 'web', 'app.js'))
                wrong.push(`${relative(dist, file)} -> ${relative(dist, d)}`);
        }
    }
    t.same(wrong, [], wrong.join('\n') || 'routes are independent');
});
//# sourceMappingURL=import-graph.test.js.map