// Start a real appliance in-process on a temporary data folder and free loopback ports.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemDir, validateConfig } from '../../appliance/config.js';
import { readSetupCode } from '../../web/setup-code.js';
import { Appliance } from '../../appliance/appliance.js';
import { setQuiet } from '../../appliance/log.js';
import { freePorts } from './ports.js';
export function tempDir(prefix = 'postern-test-') {
    return mkdtempSync(join(tmpdir(), prefix));
}
export async function startTestAppliance(opts = {}) {
    setQuiet(!process.env.POSTERN_TEST_LOGS);
    const names = opts.listeners ?? ['mx', 'submission', 'submissions', 'imap', 'imaps', 'panel', 'mxOnion'];
    const ports = await freePorts(names.length);
    const listen = {};
    names.forEach((n, i) => { listen[n] = `127.0.0.1:${ports[i]}`; });
    const dataDir = opts.dataDir ?? tempDir();
    const raw = { hostname: 'mail.example.test', domains: ['example.test'], dataDir, listen, tor: { mode: 'off' }, ...opts.config };
    const config = validateConfig(raw, { baseDir: process.cwd(), torOnPath: false });
    const appliance = await Appliance.create(config, () => undefined);
    await appliance.start();
    return {
        config,
        appliance,
        get store() {
            const s = appliance.store;
            if (!s)
                throw new Error('the appliance is locked');
            return s;
        },
        dataDir,
        port(name) {
            const e = config.listen[name];
            if (!e)
                throw new Error(`listener ${name} is not enabled`);
            return e.port;
        },
        setupCode: () => readSetupCode(systemDir(config)),
        async stop() {
            await appliance.stop(2000);
            if (!opts.dataDir)
                rmSync(dataDir, { recursive: true, force: true });
        },
    };
}
//# sourceMappingURL=appliance.js.map