// The LUKS volume across an update's restart. Stopping Postern normally closes the encrypted
// volume, and a new start waits locked for the passphrase: right for a shutdown, wrong for an
// update (the box must come back by itself). So, before it stops the old release, the updater
// (root) writes a handover note in a root-owned runtime folder; a stopping appliance that finds a
// fresh note leaves the volume open, and a starting one that finds it, with the volume open and
// mounted, opens its store without asking. The note expires after ten minutes and is removed once
// the self-test passed. The unprivileged service cannot write it (its folder belongs to root).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
const TTL_MS = 10 * 60_000;
export function handoverFile() {
    return process.env.POSTERN_UPDATE_HANDOVER ?? '/run/postern-update/handover';
}
export function writeHandover(version) {
    mkdirSync(dirname(handoverFile()), { recursive: true, mode: 0o755 });
    writeFileSync(handoverFile(), JSON.stringify({ version, until: Date.now() + TTL_MS }) + '\n', { mode: 0o644 });
}
export function clearHandover() {
    rmSync(handoverFile(), { force: true });
}
/** Whether an update is handing the open volume over right now. */
export function handoverPending() {
    try {
        const h = JSON.parse(readFileSync(handoverFile(), 'utf8'));
        return typeof h.until === 'number' && h.until > Date.now();
    }
    catch {
        return false;
    }
}
//# sourceMappingURL=handover.js.map