// The usual start of an IMAP test file: an appliance with only the IMAPS listener, the CA its
// clients trust, and the account alice@example.test (password "correct horse").
import { startTestAppliance } from './appliance.js';
import { ImapLineClient } from './imap-line.js';
export async function startImapsAccount() {
    const app = await startTestAppliance({ listeners: ['imaps'] });
    const ca = ImapLineClient.caOf(app.dataDir);
    const accountId = (await app.store.accounts.create('alice@example.test', 'correct horse')).id;
    return { app, ca, accountId };
}
//# sourceMappingURL=imap-account.js.map