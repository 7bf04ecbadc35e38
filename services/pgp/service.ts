// The 'pgp' mail service: no listener; it registers its pipeline steps. Submission: the Autocrypt
// header. Inbound: Autocrypt peer state. Storage: encryption at rest for accounts that opted in.
import type { RunningService, ServiceStarter } from '../../appliance/service.js';
import { log } from '../../appliance/log.js';

// OpenPGP.js (~15 MB of an idle process's memory) is loaded with the first message that passes a
// step, not at start (issue 20: idle memory).
const autocrypt = () => import('./autocrypt.js');
const atRest = () => import('./at-rest.js');

export const startPgp: ServiceStarter = async (ctx) => {
  const { store, pipeline } = ctx;
  pipeline.onSubmission(async (msg) => (await autocrypt()).addAutocryptHeader(store, msg));
  pipeline.onInbound(async (msg) => {
    const r = await (await autocrypt()).processInbound(store, msg.accountId, msg.raw);
    if (r.kind !== 'ignored') log.debug('pgp.autocrypt.inbound', { kind: r.kind, account: msg.accountId });
  });
  pipeline.onStorage(async (msg) => (await atRest()).encryptForStorage(store, msg));
  const service: RunningService = { name: 'pgp', listeners: [], close: async () => undefined };
  return service;
};
