// node dist/provisioning/feed-index.js --key SECRET_KEY_FILE --out DIR [--notes TEXT] BUNDLE...
// The release feed's signed index: DIR/index.json and DIR/index.json.minisig, naming each bundle
// (by file name, relative to the index) with its SHA-256 and size. Publish DIR (with the bundles)
// on any web server, an onion service or a USB disk; boxes check the signature with the key in
// their image and refuse an index older than one they have seen.
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { readBundle } from '../appliance/update/bundle.js';
import { parseSecretKey, signData } from '../appliance/update/minisign.js';
import { FEED_FORMAT } from '../appliance/update/feed.js';
export async function makeIndex(opts) {
    const key = parseSecretKey(readFileSync(opts.key, 'utf8'));
    const pub = { keyId: key.keyId, key: key.key };
    const releases = new Map();
    for (const b of opts.bundles) {
        const m = await readBundle(b, { publicKey: pub });
        const h = createHash('sha256');
        for await (const c of createReadStream(b))
            h.update(c);
        const r = releases.get(m.version) ?? { version: m.version, ...(opts.notes ? { notes: opts.notes } : {}), bundles: {} };
        r.bundles[m.arch] = { url: basename(b), sha256: h.digest('hex'), size: statSync(b).size };
        releases.set(m.version, r);
    }
    const index = { format: FEED_FORMAT, published: opts.published ?? new Date().toISOString(), releases: [...releases.values()] };
    const body = Buffer.from(JSON.stringify(index, null, 1) + '\n');
    writeFileSync(join(opts.out, 'index.json'), body);
    writeFileSync(join(opts.out, 'index.json.minisig'), signData(key, body, `postern-feed published=${index.published}`));
    return index;
}
if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
    const args = process.argv.slice(2);
    const opt = (name) => { const i = args.indexOf(`--${name}`); if (i < 0)
        return undefined; const v = args[i + 1]; args.splice(i, 2); return v; };
    const key = opt('key');
    const out = opt('out');
    const notes = opt('notes');
    if (!key || !out || args.length === 0) {
        process.stderr.write('usage: node dist/provisioning/feed-index.js --key SECRET_KEY_FILE --out DIR [--notes TEXT] BUNDLE...\n');
        process.exit(2);
    }
    const index = await makeIndex({ key, out, bundles: args, ...(notes ? { notes } : {}) });
    process.stdout.write(`feed-index: ${join(out, 'index.json')}: ${index.releases.map((r) => `${r.version} (${Object.keys(r.bundles).join(', ')})`).join('; ')}\n`);
}
//# sourceMappingURL=feed-index.js.map