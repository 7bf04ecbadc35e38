// Where each onion service's key lives: <systemDir>/tor/keys/<name>.key (a 32-byte Ed25519 seed),
// readable while the data volume is locked, so the panel's onion works before unlocking.
import { join } from 'node:path';
import { OnionIdentity } from './onion-key.js';
import { torPaths } from './torrc.js';
import { torDir } from './client-auth.js';
export function onionKeyFile(config, name) {
    return join(torPaths(torDir(config)).keys, `${name}.key`);
}
/** The onion identity of a service, created on first use (stable from then on). */
export function onionIdentity(config, name) {
    return OnionIdentity.loadOrCreate(onionKeyFile(config, name));
}
//# sourceMappingURL=keys.js.map