// The Postern side of the IMAP benchmark, in its own process (so its RSS is its own): a real
// appliance with the implicit-TLS IMAP listener, an account, and the benchmark messages delivered
// through the store. Prints one JSON line {port, pid} when ready; stops on SIGTERM.
// Usage: node dist/bench/imap-server.js COUNT
import { startTestAppliance } from '../test/harness/appliance.js';
import { benchMessage } from './imap-corpus.js';
const count = Number(process.argv[2] ?? 10_000);
const app = await startTestAppliance({ listeners: ['imaps'] });
const store = app.store;
const account = await store.accounts.create('bench@example.test', 'bench-password');
const t0 = Date.now();
for (let i = 0; i < count; i++)
    store.deliver([{ accountId: account.id }], benchMessage(i), Date.UTC(2026, 0, 1) + i * 3_600_000);
process.stdout.write(JSON.stringify({ port: app.port('imaps'), pid: process.pid, deliverSeconds: (Date.now() - t0) / 1000 }) + '\n');
process.once('SIGTERM', () => { void app.stop().then(() => process.exit(0)); });
//# sourceMappingURL=imap-server.js.map