// The 'pgp' mail service: no listener; it registers its pipeline steps. Submission: the Autocrypt
// header. Inbound: Autocrypt peer state. Storage: encryption at rest for accounts that opted in.
import type { RunningService, ServiceStarter } from '../../appliance/service.js';
import { log } from '../../appliance/log.js';
import { addAutocryptHeader, processInbound } from './autocrypt.js';
import { encryptForStorage } from './at-rest.js';

export const startPgp: ServiceStarter = async (ctx) => {
  const { store, pipeline } = ctx;
  pipeline.onSubmission((msg) => addAutocryptHeader(store, msg));
  pipeline.onInbound(async (msg) => {
    const r = await processInbound(store, msg.accountId, msg.raw);
    if (r.kind !== 'ignored') log.debug('pgp.autocrypt.inbound', { kind: r.kind, account: msg.accountId });
  });
  pipeline.onStorage((msg) => encryptForStorage(store, msg));
  const service: RunningService = { name: 'pgp', listeners: [], close: async () => undefined };
  return service;
};
