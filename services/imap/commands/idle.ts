// IDLE (RFC 2177, RFC 9051 6.3.13): the client waits; changes to the selected mailbox are sent as
// they happen (the store's change events, checked right after their transaction commits) until
// the client sends DONE.
import { ArgReader } from '../args.js';
import { bad } from '../errors.js';
import { AUTHED, type CommandHandler } from '../session-state.js';

export const IDLE: CommandHandler = {
  states: AUTHED,
  async run(s, cmd) {
    new ArgReader(cmd.args, 'IDLE').end();
    await s.continuation('idling');
    const done = s.readLine();
    done.catch(() => undefined); // the connection may close while idling: handled below
    if (s.selected) await s.sendUpdates(true);
    s.notifier?.deliver(); // NOTIFY: other mailboxes' news, while idling too
    for (;;) {
      const why = await s.waitForChange(done);
      if (why === 'stop') break;
      if (s.selected) await s.sendUpdates(true);
    }
    const line = (await done).toString('latin1').trim();
    if (line.toUpperCase() !== 'DONE') throw bad('IDLE: expected DONE');
    return { text: 'IDLE terminated' };
  },
};
