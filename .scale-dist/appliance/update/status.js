// What the updater did last and is doing now: state/status.json under the release root (written
// whole and renamed into place; readable by the panel and `postern update status`).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
export function statusFile(root) { return join(root, 'state', 'status.json'); }
export function readStatus(root) {
    try {
        return { history: [], ...JSON.parse(readFileSync(statusFile(root), 'utf8')), phase: JSON.parse(readFileSync(statusFile(root), 'utf8')).phase ?? 'idle' };
    }
    catch {
        return { phase: 'idle', history: [] };
    }
}
export function writeStatus(root, s) {
    mkdirSync(join(root, 'state'), { recursive: true, mode: 0o755 });
    const tmp = `${statusFile(root)}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(s, null, 1) + '\n', { mode: 0o644 });
    renameSync(tmp, statusFile(root));
}
export function updateStatus(root, change) {
    const s = readStatus(root);
    change(s);
    writeStatus(root, s);
    return s;
}
export function recordOutcome(root, o) {
    updateStatus(root, (s) => {
        s.last = o;
        s.history = [o, ...s.history].slice(0, 20);
        s.phase = 'idle';
        delete s.progress;
        delete s.target;
    });
}
//# sourceMappingURL=status.js.map