// STARTTLS (RFC 9051 6.2.1): the TLS handshake starts right after the tagged OK; anything the
// client sent after the command in plaintext is thrown away (RFC 9051 11.1, command injection).
import { ArgReader } from '../args.js';
import { bad } from '../errors.js';
export const STARTTLS = {
    states: ['not-authenticated'],
    run(s, cmd) {
        new ArgReader(cmd.args, 'STARTTLS').end();
        if (s.secure)
            throw bad('STARTTLS: the connection is already encrypted');
        s.afterReply(() => s.startTls());
        return { text: 'begin TLS negotiation now' };
    },
};
//# sourceMappingURL=starttls.js.map