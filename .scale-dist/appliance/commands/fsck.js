// postern fsck: verify the store; exit 1 when anything is wrong. Never repairs or deletes.
import { withStore } from './open-store.js';
export const fsck = {
    name: 'fsck',
    usage: 'postern fsck',
    summary: 'verify every message file against its hash and every row against its file',
    async run({ config, out, err }) {
        return withStore(config, (store) => {
            const r = store.check();
            for (const p of r.problems)
                (p.severity === 'error' ? err : out)(`${p.severity}: ${p.text}`);
            const errors = r.problems.filter((p) => p.severity === 'error').length;
            out(`checked ${r.blobs} message file(s) and ${r.messages} message(s): ${errors === 0 ? 'no errors' : `${errors} error(s)`}`);
            return r.ok ? 0 : 1;
        });
    },
};
//# sourceMappingURL=fsck.js.map