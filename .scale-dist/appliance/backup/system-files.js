// The files outside the database that make the box itself: its local CA and TLS keys (SMTorP peers
// pin them), the onion services' keys (the onion addresses), the panel's onion client list, and
// the first-run marker. Tor's own cache, sockets and logs are not among them.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
const INCLUDED = ['tls', 'tor/keys', 'tor/panel-clients.json', 'setup-done'];
export function collectSystemFiles(systemDir) {
    const out = [];
    const add = (path) => {
        const st = statSync(path);
        if (st.isDirectory()) {
            for (const n of readdirSync(path).sort())
                add(join(path, n));
        }
        else if (st.isFile() && !path.endsWith('.tmp')) {
            out.push({ path: relative(systemDir, path), mode: st.mode & 0o777, data: readFileSync(path).toString('base64') });
        }
    };
    for (const p of INCLUDED)
        if (existsSync(join(systemDir, p)))
            add(join(systemDir, p));
    return out;
}
/** A system file's path from a snapshot, refused if it could leave the system folder. */
export function safeSystemPath(path) {
    return !path.startsWith('/') && !path.split('/').includes('..') && INCLUDED.some((p) => path === p || path.startsWith(p + '/'));
}
//# sourceMappingURL=system-files.js.map