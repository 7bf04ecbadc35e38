// An IMAP target: the household's mailbox at its old provider, through imapflow. Each object is a
// message in a dedicated folder ("Postern Backup" unless the URL names another): a header carries
// the object's name, the body is the encrypted bytes in base64. TLS is always on (imaps://, or
// imap:// with STARTTLS required), verified against the system's CAs or the CA file the URL names.
//   imaps://USER:PASSWORD@HOST[:PORT]/FOLDER[?ca=/path/ca.pem&servername=NAME]
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { clientTlsOptions } from '../tls/policy.js';
import { TargetError } from './target.js';
const NAME_HEADER = 'X-Postern-Backup-Object';
const SIZE_HEADER = 'X-Postern-Backup-Size';
const DEFAULT_FOLDER = 'Postern Backup';
export function parseImapUrl(url) {
    let u;
    try {
        u = new URL(url);
    }
    catch {
        throw new TargetError(`not an IMAP URL: expected imaps://USER:PASSWORD@HOST[:PORT]/FOLDER`);
    }
    if (u.protocol !== 'imaps:' && u.protocol !== 'imap:')
        throw new TargetError('an IMAP target URL starts with imaps:// (or imap:// for STARTTLS)');
    if (!u.username || !u.password)
        throw new TargetError('an IMAP target URL needs the user and password: imaps://USER:PASSWORD@HOST/FOLDER');
    const secure = u.protocol === 'imaps:';
    const folder = decodeURIComponent(u.pathname.replace(/^\//, '')) || DEFAULT_FOLDER;
    const loc = {
        secure,
        host: u.hostname.replace(/^\[|\]$/g, ''),
        port: u.port ? Number(u.port) : secure ? 993 : 143,
        user: decodeURIComponent(u.username),
        password: decodeURIComponent(u.password),
        folder,
    };
    const ca = u.searchParams.get('ca');
    const servername = u.searchParams.get('servername');
    if (ca)
        loc.ca = ca;
    if (servername)
        loc.servername = servername;
    return loc;
}
/** The URL with the password hidden, for messages and lists. */
export function redactImapUrl(url) {
    try {
        const u = new URL(url);
        if (u.password)
            u.password = '***';
        return u.toString();
    }
    catch {
        return 'imap target';
    }
}
export class ImapTarget {
    client;
    loc;
    description;
    /** name -> UIDs holding it (the newest last) and its size */
    index = new Map();
    constructor(client, loc) {
        this.client = client;
        this.loc = loc;
        this.description = `IMAP ${loc.user}@${loc.host} folder "${loc.folder}"`;
    }
    static async open(url) {
        const loc = parseImapUrl(url);
        const { ImapFlow } = await import('imapflow');
        let ca;
        if (loc.ca) {
            try {
                ca = readFileSync(loc.ca);
            }
            catch (e) {
                throw new TargetError(`cannot read the CA file ${loc.ca}: ${e.code ?? e}`);
            }
        }
        const client = new ImapFlow({
            host: loc.host,
            port: loc.port,
            secure: loc.secure,
            doSTARTTLS: loc.secure ? undefined : true,
            auth: { user: loc.user, pass: loc.password },
            tls: clientTlsOptions({ ...(ca ? { ca } : {}), ...(loc.servername ? { servername: loc.servername } : {}) }),
            logger: false,
            disableAutoIdle: true,
        });
        client.on('error', () => undefined); // surfaced by the failing command
        try {
            await client.connect();
        }
        catch (e) {
            throw new TargetError(`cannot sign in to ${loc.user}@${loc.host}:${loc.port}: ${e.responseText ?? e.message}`);
        }
        const target = new ImapTarget(client, loc);
        try {
            await client.mailboxCreate(loc.folder);
        }
        catch (e) {
            const code = e.serverResponseCode;
            if (code !== 'ALREADYEXISTS' && !/exists/i.test(e.responseText ?? ''))
                throw new TargetError(`cannot create the folder "${loc.folder}": ${e.message}`);
        }
        await client.mailboxOpen(loc.folder);
        await target.refresh();
        return target;
    }
    async refresh() {
        const index = new Map();
        const mb = this.client.mailbox;
        if (mb && mb.exists > 0) {
            for await (const msg of this.client.fetch('1:*', { uid: true, headers: [NAME_HEADER, SIZE_HEADER] })) {
                const text = msg.headers?.toString('utf8') ?? '';
                const name = new RegExp(`^${NAME_HEADER}:\\s*(\\S+)`, 'im').exec(text)?.[1];
                const size = Number(new RegExp(`^${SIZE_HEADER}:\\s*(\\d+)`, 'im').exec(text)?.[1] ?? NaN);
                if (!name || !Number.isFinite(size))
                    continue;
                const e = index.get(name);
                if (e) {
                    e.uids.push(msg.uid);
                    e.size = size;
                }
                else
                    index.set(name, { uids: [msg.uid], size });
            }
        }
        this.index = index;
    }
    async put(name, data) {
        const b64 = data.toString('base64').replace(/.{1,76}/g, '$&\r\n');
        const head = [
            'From: Postern backup <backup@postern.invalid>',
            `To: ${this.loc.user.includes('@') ? this.loc.user : 'backup@postern.invalid'}`,
            'Subject: Postern backup data (encrypted; keep this folder)',
            `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
            `Message-ID: <${randomBytes(12).toString('hex')}@postern.invalid>`,
            `${NAME_HEADER}: ${name}`,
            `${SIZE_HEADER}: ${data.length}`,
            'MIME-Version: 1.0',
            'Content-Type: application/octet-stream',
            'Content-Transfer-Encoding: base64',
            '',
            '',
        ].join('\r\n');
        const res = await this.client.append(this.loc.folder, Buffer.concat([Buffer.from(head), Buffer.from(b64)]), ['\\Seen']);
        if (!res || !res.uid)
            await this.refresh();
        const before = this.index.get(name);
        // the new copy first, then the old ones go: a reader always finds a whole object
        if (res && res.uid) {
            this.index.set(name, { uids: [res.uid], size: data.length });
            if (before && before.uids.length)
                await this.client.messageDelete(before.uids.join(','), { uid: true });
        }
    }
    async get(name) {
        const e = this.index.get(name);
        if (!e)
            return undefined;
        const uid = e.uids.at(-1);
        const msg = await this.client.fetchOne(String(uid), { source: true }, { uid: true });
        if (!msg || !msg.source)
            return undefined;
        const raw = msg.source.toString('latin1');
        const sep = raw.indexOf('\r\n\r\n');
        if (sep < 0)
            return Buffer.alloc(0);
        return Buffer.from(raw.slice(sep + 4).replace(/\s+/g, ''), 'base64');
    }
    async list(prefix) {
        const p = prefix.endsWith('/') ? prefix : `${prefix}/`;
        return [...this.index.entries()].filter(([n]) => n.startsWith(p)).map(([name, e]) => ({ name, size: e.size })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    }
    async remove(name) {
        const e = this.index.get(name);
        if (!e)
            return;
        await this.client.messageDelete(e.uids.join(','), { uid: true });
        this.index.delete(name);
    }
    async close() {
        await this.client.logout().catch(() => this.client.close());
    }
}
//# sourceMappingURL=imap-target.js.map