// postern start: run the appliance until SIGTERM or SIGINT.
import { Appliance } from '../appliance.js';
import { log, setVerbose } from '../log.js';
import type { Command } from './command.js';

export const start: Command = {
  name: 'start',
  usage: 'postern start [--config FILE] [--data DIR] [--verbose]',
  summary: 'start every enabled service and run until stopped',
  async run({ config, flags }) {
    if (flags.verbose || config.verbose) setVerbose(true);
    const appliance = await Appliance.create(config);
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info('appliance.stopping', { signal });
      appliance.stop(10_000).then(
        () => { process.stdout.write('postern: stopped\n'); process.exit(0); },
        (e: unknown) => { process.stderr.write(`postern: error while stopping: ${(e as Error).message}\n`); process.exit(1); },
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    await appliance.start();
    return await new Promise<number>(() => { /* runs until a signal */ });
  },
};
