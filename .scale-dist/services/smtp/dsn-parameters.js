import { smtpReply } from './replies.js';
const CONDITIONS = ['SUCCESS', 'FAILURE', 'DELAY'];
function bad(text) {
    return smtpReply(501, '5.5.4', text);
}
function argsOf(a) {
    return (a.args && typeof a.args === 'object' ? a.args : {});
}
/** MAIL FROM: RET=FULL|HDRS and ENVID (printable US-ASCII, at most 100 characters). */
export function checkMailDsn(a) {
    const args = argsOf(a);
    const ret = args.RET;
    if (ret !== undefined && (typeof ret !== 'string' || !/^(FULL|HDRS)$/i.test(ret)))
        return bad('RET must be FULL or HDRS (RFC 3461 4.3)');
    const envid = args.ENVID;
    if (envid !== undefined) {
        if (typeof envid !== 'string' || envid.length === 0)
            return bad('ENVID needs a value (RFC 3461 4.4)');
        if (envid.length > 100)
            return bad('ENVID is longer than 100 characters (RFC 3461 4.4)');
        if (!/^[\x20-\x7e]+$/.test(envid))
            return bad('ENVID must be printable US-ASCII, xtext-encoded (RFC 3461 4.4)');
    }
    return undefined;
}
/** RCPT TO: NOTIFY=NEVER or a list of SUCCESS, FAILURE, DELAY; ORCPT=addr-type;xtext. Returns the
 *  request to keep, or the refusal. */
export function checkRcptDsn(a) {
    const args = argsOf(a);
    const dsn = {};
    const notify = args.NOTIFY;
    if (notify !== undefined) {
        if (typeof notify !== 'string' || !notify)
            return { refused: bad('NOTIFY needs a value: NEVER, or one or more of SUCCESS,FAILURE,DELAY (RFC 3461 4.1)') };
        const list = notify.toUpperCase().split(',');
        if (list.includes('NEVER')) {
            if (list.length > 1)
                return { refused: bad('NOTIFY=NEVER cannot be combined with SUCCESS, FAILURE or DELAY (RFC 3461 4.1)') };
            dsn.notify = ['NEVER'];
        }
        else {
            const unknown = list.find((v) => !CONDITIONS.includes(v));
            if (unknown !== undefined)
                return { refused: bad(`NOTIFY value "${unknown.slice(0, 20).replace(/[^\x21-\x7e]/g, '?')}" is not NEVER, SUCCESS, FAILURE or DELAY (RFC 3461 4.1)`) };
            if (new Set(list).size !== list.length)
                return { refused: bad('NOTIFY names a condition twice (RFC 3461 4.1)') };
            dsn.notify = list;
        }
    }
    const orcpt = args.ORCPT;
    if (orcpt !== undefined) {
        const m = typeof orcpt === 'string' ? /^([A-Za-z0-9-]{1,40});(.+)$/s.exec(orcpt) : null;
        if (!m)
            return { refused: bad('ORCPT must be addr-type;address, e.g. rfc822;user@example.org (RFC 3461 4.2)') };
        const type = m[1].toLowerCase();
        const addr = m[2];
        if (addr.length > 500)
            return { refused: bad('ORCPT address is longer than 500 characters (RFC 3461 4.2)') };
        if (type === 'rfc822' && !/^[\x21-\x7e]+$/.test(addr))
            return { refused: bad('ORCPT rfc822 address must be printable US-ASCII without spaces (RFC 3461 4.2)') };
        if (/[\x00-\x1f\x7f]/.test(addr))
            return { refused: bad('ORCPT address has control characters (RFC 3461 4.2)') };
        dsn.orcpt = `${type};${addr}`;
    }
    return { dsn };
}
/** The transaction's requests for the queue: RET, and per recipient (lower-case address) what it
 *  asked for. ENVID travels as the queue entry's envid. */
export function envelopeDsn(session, canonical) {
    const env = session.envelope;
    const recipients = {};
    for (const r of env.rcptTo) {
        const checked = checkRcptDsn(r);
        if ('dsn' in checked && (checked.dsn.notify || checked.dsn.orcpt))
            recipients[canonical(r.address).toLowerCase()] = checked.dsn;
    }
    const ret = env.dsn?.ret === 'FULL' || env.dsn?.ret === 'HDRS' ? env.dsn.ret : undefined;
    const dsn = { ...(ret ? { ret } : {}), ...(Object.keys(recipients).length ? { recipients } : {}) };
    return {
        ...(env.dsn?.envid ? { envid: env.dsn.envid } : {}),
        ...(dsn.ret || dsn.recipients ? { dsn } : {}),
    };
}
/** Whether a recipient asked to be told of success (NOTIFY contains SUCCESS). */
export function wantsSuccess(r) {
    const checked = checkRcptDsn(r);
    return 'dsn' in checked && !!checked.dsn.notify?.includes('SUCCESS');
}
//# sourceMappingURL=dsn-parameters.js.map