// The Tor system service: public surface (status types for the panel and the CLI) and the starter
// listed in appliance/services.ts. It runs while the box is locked too, so the panel stays
// reachable over its onion address.
import type { SystemServiceStarter } from '../../appliance/service.js';
import { startTorRunner } from './runner.js';

export type { TorStatus, TorService, OnionStatus, OnionName } from './status.js';
export { createClientAuth, removeClientAuth, listClientAuth, type ClientAuthGrant, type PanelClient } from './client-auth.js';

export const startTor: SystemServiceStarter = async (ctx) => startTorRunner(ctx.config);
