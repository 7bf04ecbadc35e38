// The provider's address on the command line: imaps://USER@HOST:PORT (implicit TLS, port 993 by
// default) or, with --starttls, imap://USER@HOST:PORT (port 143 by default; an imaps:// URL with
// --starttls is read the same way). The user may be percent-encoded (an @ in it: %40).
import { ImportError } from './sink.js';
export function parseProviderUrl(url, starttls) {
    let u;
    try {
        u = new URL(url);
    }
    catch {
        throw new ImportError(`"${url}" is not an address like imaps://USER@HOST:PORT`, 2);
    }
    if (u.protocol !== 'imaps:' && u.protocol !== 'imap:')
        throw new ImportError(`"${u.protocol}" is not imaps: (or imap: with --starttls)`, 2);
    if (u.protocol === 'imap:' && !starttls) {
        throw new ImportError('imap:// without --starttls would send the password unencrypted: use imaps://HOST:993, or --starttls for a provider that only offers STARTTLS', 2);
    }
    const user = decodeURIComponent(u.username);
    if (!user)
        throw new ImportError('the address needs the provider user name: imaps://USER@HOST:PORT', 2);
    if (u.password)
        throw new ImportError('put no password in the address: it is read from standard input', 2);
    const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
    if (!host)
        throw new ImportError('the address needs a host: imaps://USER@HOST:PORT', 2);
    const port = u.port ? Number(u.port) : starttls ? 143 : 993;
    return { user, host, port, secure: !starttls };
}
//# sourceMappingURL=imap-url.js.map