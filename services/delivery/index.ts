// The delivery service: the outbound queue runner, started with the store open.
import type { ServiceStarter, RunningService } from '../../appliance/service.js';
import { QueueRunner, type DeliveryOptions } from './runner.js';

export interface DeliveryService extends RunningService {
  readonly runner: QueueRunner;
}

export function deliveryStarter(opts: DeliveryOptions = {}): ServiceStarter {
  return async (ctx) => {
    const key = ctx.tls.keys[0];
    const runner = new QueueRunner({ config: ctx.config, store: ctx.store, pipeline: ctx.pipeline, ...(key ? { clientCert: key } : {}) }, opts);
    runner.start();
    const service: DeliveryService = {
      name: 'delivery',
      listeners: [],
      runner,
      close: (graceMs) => runner.close(graceMs),
      reloadTls: (tls) => runner.useClientCert(tls.keys[0]),
    };
    return service;
  };
}

export const startDelivery: ServiceStarter = deliveryStarter();
export { QueueRunner, type DeliveryOptions } from './runner.js';
