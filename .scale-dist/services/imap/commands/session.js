// Commands valid in any state (RFC 9051 6.1): CAPABILITY, NOOP, LOGOUT; plus ID (RFC 2971),
// CHECK (RFC 3501 6.4.1, a NOOP here: every change is already durable).
import { atom } from '../wire.js';
import { ArgReader } from '../args.js';
import { bad } from '../errors.js';
import { ANY, AUTHED, SELECTED } from '../session-state.js';
export const CAPABILITY = {
    states: ANY,
    async run(s, cmd) {
        new ArgReader(cmd.args, 'CAPABILITY').end();
        await s.untagged(atom('CAPABILITY'), ...s.capabilities().map(atom));
    },
};
export const NOOP = {
    states: ANY,
    run(s, cmd) { new ArgReader(cmd.args, cmd.name).end(); },
};
export const CHECK = { states: SELECTED, run: NOOP.run };
export const LOGOUT = {
    states: ANY,
    async run(s, cmd) {
        new ArgReader(cmd.args, 'LOGOUT').end();
        await s.untagged(atom('BYE'), atom('Postern IMAP logging out'));
        s.logout();
        return { text: 'LOGOUT completed' };
    },
};
/** ID (RFC 2971): the client's fields are read and checked, not stored. */
export const ID = {
    states: ANY,
    async run(s, cmd) {
        const r = new ArgReader(cmd.args, 'ID');
        const a = r.next('field list or NIL');
        if (a.kind === 'list') {
            if (a.items.length % 2 !== 0 || a.items.length > 60)
                throw bad('ID: expected pairs of field names and values (at most 30)');
            for (const [i, it] of a.items.entries()) {
                if (it.kind === 'list')
                    throw bad('ID: fields are strings');
                if (i % 2 === 0 && it.kind === 'atom' && it.value.toUpperCase() === 'NIL')
                    throw bad('ID: a field name cannot be NIL');
            }
        }
        else if (!(a.kind === 'atom' && a.value.toUpperCase() === 'NIL'))
            throw bad('ID: expected a list of fields or NIL');
        r.end();
        await s.untagged(atom('ID'), ['name', 'Postern', 'vendor', 'Postern']);
    },
};
/** NAMESPACE (RFC 2342): one personal namespace, no shared or other users' folders. */
export const NAMESPACE = {
    states: AUTHED,
    async run(s, cmd) {
        new ArgReader(cmd.args, 'NAMESPACE').end();
        await s.untagged(atom('NAMESPACE'), [['', '/']], null, null);
    },
};
/** ENABLE (RFC 5161): CONDSTORE, QRESYNC (RFC 7162), UTF8=ACCEPT (RFC 6855), IMAP4rev2. */
export const ENABLE = {
    states: AUTHED,
    async run(s, cmd) {
        const r = new ArgReader(cmd.args, 'ENABLE');
        if (r.remaining === 0)
            throw bad('ENABLE: name at least one extension');
        const now = [];
        while (r.remaining > 0) {
            const ext = r.atom('extension').toUpperCase();
            const known = ext === 'CONDSTORE' || ext === 'QRESYNC' || ext === 'UTF8=ACCEPT' || ext === 'IMAP4REV2' ? ext : undefined;
            if (!known || s.enabled.has(known))
                continue;
            // RFC 6855 3 and RFC 5161 3.1: before SELECT only (the selected mailbox was opened with
            // IMAP4rev1's \Recent and mailbox-name rules)
            if ((known === 'UTF8=ACCEPT' || known === 'IMAP4REV2') && s.state === 'selected')
                continue;
            s.enable(known);
            now.push(known === 'IMAP4REV2' ? 'IMAP4rev2' : known);
            if (known === 'QRESYNC' && !s.enabled.has('CONDSTORE')) {
                s.enable('CONDSTORE');
                now.push('CONDSTORE');
            }
        }
        await s.untagged(atom('ENABLED'), ...now.map(atom));
    },
};
//# sourceMappingURL=session.js.map