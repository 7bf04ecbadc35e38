// A child process for the crash test: delivers messages as fast as it can and prints "ACK <n>"
// after each delivery returned (the moment an SMTP server would send 250).
import { Store } from '../../appliance/store/index.js';
const [dataDir, startArg, sizeArg] = process.argv.slice(2);
const store = Store.open(dataDir);
store.domains.ensure('example.test');
let account = store.accounts.byAddress('burst@example.test');
if (!account)
    account = await store.accounts.create('burst@example.test', 'burst-password');
const size = Number(sizeArg ?? 4096);
let n = Number(startArg ?? 0);
process.stdout.write('READY\n');
for (;;) {
    const body = `burst message ${n} `.repeat(Math.ceil(size / 20)).slice(0, size);
    const raw = Buffer.from(`From: a@example.org\r\nTo: burst@example.test\r\nSubject: burst ${n}\r\nMessage-ID: <burst-${n}@example.org>\r\n\r\n${body}\r\n`);
    store.deliver([{ accountId: account.id }], raw);
    process.stdout.write(`ACK ${n}\n`);
    n++;
}
//# sourceMappingURL=delivery-burst.js.map