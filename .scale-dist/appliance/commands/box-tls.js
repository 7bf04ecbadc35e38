// The box's TLS material for CLI commands (cert show, peer card). The running appliance owns the
// certificates: it re-issues them for the host name saved in the panel and for domains added at
// run time, names the CLI's configuration does not know. So the CLI only reads them, and makes
// them only on a box that has none yet.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { systemDir } from '../config.js';
import { ensureTls, loadTls } from '../tls/authority.js';
export async function boxTls(config) {
    const dir = join(systemDir(config), 'tls');
    const complete = ['ca.crt', 'server-ecdsa.crt', 'server-ecdsa.key', 'server-rsa.crt', 'server-rsa.key'].every((f) => existsSync(join(dir, f)));
    return complete ? loadTls(dir) : ensureTls(dir, config.hostname, config.domains);
}
//# sourceMappingURL=box-tls.js.map