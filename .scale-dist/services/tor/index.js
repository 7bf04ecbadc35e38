import { startTorRunner } from './runner.js';
export { createClientAuth, removeClientAuth, listClientAuth } from './client-auth.js';
export const startTor = async (ctx) => startTorRunner(ctx.config);
//# sourceMappingURL=index.js.map