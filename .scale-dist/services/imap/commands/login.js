// LOGIN (RFC 9051 6.2.3) and AUTHENTICATE PLAIN (RFC 9051 6.2.2, RFC 4616) with an initial
// response (SASL-IR, RFC 4959). Refused before TLS on the plain port (LOGINDISABLED,
// [PRIVACYREQUIRED]). Failures are answered late and, repeated, locked out (auth-throttle.ts).
import { ArgReader } from '../args.js';
import { bad, no } from '../errors.js';
import { log, redact } from '../../../appliance/log.js';
async function verify(s, user, password) {
    // reserved before any await: parallel logins are counted one by one (auth-throttle.ts); a
    // client's parallel logins beyond the limit wait for its earlier ones instead of being refused
    const attempt = await s.throttle.beginOrWait(s.clientAddress, user);
    if (!attempt) {
        await s.throttle.refused();
        log.warn('imap.auth-locked', { user: redact('user', user), client: redact('ip', s.clientAddress) });
        throw no('too many failed logins; try again later', 'UNAVAILABLE');
    }
    let account;
    try {
        if (attempt.delayMs)
            await new Promise((r) => setTimeout(r, attempt.delayMs));
        account = await s.store.accounts.authenticate(user, password);
    }
    catch (e) {
        attempt.abandoned();
        throw e;
    }
    if (!account) {
        await attempt.failed();
        log.warn('imap.auth-failed', { user: redact('user', user), client: redact('ip', s.clientAddress) });
        throw no('wrong user name or password', 'AUTHENTICATIONFAILED');
    }
    attempt.succeeded();
    s.login(account);
    log.info('imap.login', { user: redact('user', account.address), client: redact('ip', s.clientAddress), tls: s.secure });
    return { code: `CAPABILITY ${s.capabilities().join(' ')}`, text: 'logged in' };
}
function requireTls(s, what) {
    if (!s.secure)
        throw no(`${what} is disabled before STARTTLS: passwords are never sent in clear`, 'PRIVACYREQUIRED');
}
export const LOGIN = {
    states: ['not-authenticated'],
    async run(s, cmd) {
        const r = new ArgReader(cmd.args, 'LOGIN');
        const user = r.text('user name');
        const password = r.text('password');
        r.end();
        requireTls(s, 'LOGIN');
        return verify(s, user, password);
    },
};
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
export const AUTHENTICATE = {
    states: ['not-authenticated'],
    async run(s, cmd) {
        const r = new ArgReader(cmd.args, 'AUTHENTICATE');
        const mech = r.atom('mechanism').toUpperCase();
        const initial = r.remaining > 0 ? r.atom('initial response') : undefined;
        r.end();
        if (mech !== 'PLAIN')
            throw no(`AUTHENTICATE: the mechanism ${mech.slice(0, 30)} is not supported (use PLAIN)`, 'CANNOT');
        requireTls(s, 'AUTHENTICATE');
        let response;
        if (initial !== undefined)
            response = initial === '=' ? '' : initial;
        else {
            await s.continuation('');
            response = (await s.readLine()).toString('latin1').trim();
        }
        if (response === '*')
            throw bad('AUTHENTICATE cancelled');
        if (!BASE64.test(response))
            throw bad('AUTHENTICATE: the response is not valid base64');
        const parts = Buffer.from(response, 'base64').toString('utf8').split('\0');
        if (parts.length !== 3)
            throw bad('AUTHENTICATE PLAIN: expected authzid NUL authcid NUL password');
        const [authz, user, password] = parts;
        if (authz !== '' && authz.toLowerCase() !== user.toLowerCase())
            throw no('acting as another user is not allowed', 'AUTHORIZATIONFAILED');
        return verify(s, user, password);
    },
};
//# sourceMappingURL=login.js.map