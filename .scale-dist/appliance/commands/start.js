// postern start: run the appliance until SIGTERM or SIGINT.
import { Appliance } from '../appliance.js';
import { log, setVerbose } from '../log.js';
/** How often the launcher's presence is checked (a cheap getppid call). */
const LAUNCHER_POLL_MS = 1000;
/**
 * Started through npm (`npx postern start`, `npm start`), this process is npm's child, and npm does
 * not pass SIGTERM on: a process manager or a script that stops npm would leave the appliance
 * running with its ports held. When the launcher goes away the parent changes (to init or a
 * subreaper): stop as for SIGTERM. Started directly (systemd, `node bin/postern.js`) nothing is
 * watched: there the signal arrives itself.
 */
function watchLauncher(onGone) {
    const cmd = process.env.npm_command;
    if (cmd !== 'exec' && cmd !== 'run-script' && cmd !== 'start')
        return;
    const parent = process.ppid;
    setInterval(() => { if (process.ppid !== parent)
        onGone(); }, LAUNCHER_POLL_MS).unref();
}
export const start = {
    name: 'start',
    usage: 'postern start [--config FILE] [--data DIR] [--verbose]',
    summary: 'start every enabled service and run until stopped',
    async run({ config, flags }) {
        if (flags.verbose || config.verbose)
            setVerbose(true);
        const appliance = await Appliance.create(config);
        let stopping = false;
        const stop = (signal) => {
            if (stopping)
                return;
            stopping = true;
            log.info('appliance.stopping', { signal });
            appliance.stop(10_000).then(() => { process.stdout.write('postern: stopped\n'); process.exit(0); }, (e) => { process.stderr.write(`postern: error while stopping: ${e.message}\n`); process.exit(1); });
        };
        process.on('SIGTERM', () => stop('SIGTERM'));
        process.on('SIGINT', () => stop('SIGINT'));
        watchLauncher(() => stop('launcher-exit'));
        await appliance.start();
        return await new Promise(() => { });
    },
};
//# sourceMappingURL=start.js.map