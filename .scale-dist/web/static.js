// Static assets: the panel's stylesheet and script (web/static/) and htmx from the installed
// htmx.org package. Read once at start, served with a content hash in the URL so browsers keep them
// for a year (a slow onion circuit fetches each once), gzip-compressed ahead of time. HTML pages
// are not compressed: they carry the CSRF token, and compressing secrets next to reflected input
// is what BREACH exploits.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
/** The project folder (holds package.json and web/static), found from this module's location so
 *  it works both from the sources and from dist/. */
function projectRoot() {
    let dir = dirname(fileURLToPath(import.meta.url));
    for (;;) {
        if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'web', 'static')))
            return dir;
        const up = dirname(dir);
        if (up === dir)
            throw new Error('cannot find the panel\'s static files (web/static)');
        dir = up;
    }
}
function load(name, path, type) {
    const body = readFileSync(path);
    return { name, type, body, gzip: gzipSync(body, { level: 9 }), hash: createHash('sha256').update(body).digest('hex').slice(0, 12) };
}
let assets;
export function staticAssets() {
    if (assets)
        return assets;
    const root = projectRoot();
    const require = createRequire(import.meta.url);
    const list = [
        load('panel.css', join(root, 'web', 'static', 'panel.css'), 'text/css; charset=utf-8'),
        load('panel.js', join(root, 'web', 'static', 'panel.js'), 'text/javascript; charset=utf-8'),
        load('htmx.min.js', require.resolve('htmx.org/dist/htmx.min.js'), 'text/javascript; charset=utf-8'),
    ];
    assets = new Map(list.map((a) => [a.name, a]));
    return assets;
}
/** The URL of an asset, with its content hash so a new version is fetched at once. */
export function assetUrl(name) {
    const a = staticAssets().get(name);
    if (!a)
        throw new Error(`no static asset ${name}`);
    return `/static/${name}?v=${a.hash}`;
}
//# sourceMappingURL=static.js.map