import { log } from '../../appliance/log.js';
import { done } from '../page.js';
export function lockRoutes(app) {
    app.post('/lock', async (c) => {
        const { appliance, config } = c.var.deps;
        if (config.storage.mode !== 'luks')
            return done(c, '/dashboard', 'This box stores mail in a plain folder: there is nothing to lock.');
        await appliance.lock();
        // Sessions stay in the (now closed) store: whoever was signed in is again after the unlock;
        // until then every signed-in page leads to the unlock page.
        log.info('panel.locked', {});
        return done(c, '/unlock');
    });
}
//# sourceMappingURL=lock.js.map