import { log } from '../../appliance/log.js';
import { addAutocryptHeader, processInbound } from './autocrypt.js';
import { encryptForStorage } from './at-rest.js';
export const startPgp = async (ctx) => {
    const { store, pipeline } = ctx;
    pipeline.onSubmission((msg) => addAutocryptHeader(store, msg));
    pipeline.onInbound(async (msg) => {
        const r = await processInbound(store, msg.accountId, msg.raw);
        if (r.kind !== 'ignored')
            log.debug('pgp.autocrypt.inbound', { kind: r.kind, account: msg.accountId });
    });
    pipeline.onStorage((msg) => encryptForStorage(store, msg));
    const service = { name: 'pgp', listeners: [], close: async () => undefined };
    return service;
};
//# sourceMappingURL=service.js.map