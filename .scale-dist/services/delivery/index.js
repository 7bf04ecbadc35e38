import { QueueRunner } from './runner.js';
export function deliveryStarter(opts = {}) {
    return async (ctx) => {
        const key = ctx.tls.keys[0];
        const runner = new QueueRunner({ config: ctx.config, store: ctx.store, pipeline: ctx.pipeline, ...(key ? { clientCert: key } : {}) }, opts);
        runner.start();
        const service = {
            name: 'delivery',
            listeners: [],
            runner,
            close: (graceMs) => runner.close(graceMs),
            reloadTls: (tls) => runner.useClientCert(tls.keys[0]),
        };
        return service;
    };
}
export const startDelivery = deliveryStarter();
export { QueueRunner } from './runner.js';
//# sourceMappingURL=index.js.map