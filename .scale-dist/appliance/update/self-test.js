// The self-test a new release must pass after the switch, against the box's own listeners:
//   SMTP: the MX's 220 banner and a local delivery to the system check account (250 after DATA);
//   IMAP: LOGIN of the check account over TLS and that message found in its INBOX (then expunged);
//   panel: an HTTPS answer below 500.
// TLS is checked against the box's own CA (systemDir/tls/ca.crt): only the box holds its key.
// Each step is retried until the deadline: the new release needs a moment to listen.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { request } from 'node:https';
import { join } from 'node:path';
import { systemDir } from '../config.js';
export function checkAccountFile(config) { return join(systemDir(config), 'update-check-account.json'); }
export const CHECK_LOCAL_PART = 'postern-selfcheck';
function local(e) {
    return { host: e.host === '0.0.0.0' ? '127.0.0.1' : e.host === '::' ? '::1' : e.host, port: e.port };
}
/** Lines from a socket, one at a time. */
class LineReader {
    buf = '';
    waiters = [];
    lines = [];
    ended = false;
    constructor(sock) {
        sock.setEncoding('utf8');
        sock.on('data', (d) => {
            this.buf += d;
            let i;
            while ((i = this.buf.indexOf('\n')) >= 0) {
                this.push(this.buf.slice(0, i).replace(/\r$/, ''));
                this.buf = this.buf.slice(i + 1);
            }
        });
        const end = () => { this.ended = true; for (const w of this.waiters.splice(0))
            w(null); };
        sock.on('end', end);
        sock.on('close', end);
        sock.on('error', end);
    }
    push(l) { const w = this.waiters.shift(); if (w)
        w(l);
    else
        this.lines.push(l); }
    next(timeoutMs) {
        const l = this.lines.shift();
        if (l !== undefined)
            return Promise.resolve(l);
        if (this.ended)
            return Promise.reject(new Error('the connection closed'));
        return new Promise((resolve, reject) => {
            const t = setTimeout(() => reject(new Error('no answer in time')), timeoutMs);
            this.waiters.push((x) => { clearTimeout(t); if (x === null)
                reject(new Error('the connection closed'));
            else
                resolve(x); });
        });
    }
    /** an SMTP reply (multi-line: "250-..." then "250 ...") */
    async reply(timeoutMs) {
        let l = await this.next(timeoutMs);
        while (/^\d{3}-/.test(l))
            l = await this.next(timeoutMs);
        return l;
    }
    /** IMAP lines up to the tagged answer */
    async tagged(tag, timeoutMs) {
        const untagged = [];
        for (;;) {
            const l = await this.next(timeoutMs);
            if (l.startsWith(`${tag} `))
                return { status: l.slice(tag.length + 1), untagged };
            untagged.push(l);
        }
    }
}
function open(socket, timeoutMs, secure = false) {
    return new Promise((resolve, reject) => {
        const t = setTimeout(() => { socket.destroy(); reject(new Error('connect timed out')); }, timeoutMs);
        socket.once(secure ? 'secureConnect' : 'connect', () => { clearTimeout(t); resolve(); });
        socket.once('error', (e) => { clearTimeout(t); reject(e); });
    });
}
function tlsOptions(config) {
    return { ca: readFileSync(join(systemDir(config), 'tls', 'ca.crt'), 'utf8'), checkServerIdentity: () => undefined, minVersion: 'TLSv1.2' };
}
async function smtpDelivery(config, account, messageId) {
    const mx = config.listen.mx;
    if (!mx)
        throw new Error('no MX listener is configured');
    const sock = netConnect(local(mx));
    await open(sock, 5000);
    const r = new LineReader(sock);
    try {
        const banner = await r.reply(10_000);
        if (!banner.startsWith('220'))
            throw new Error(`the SMTP banner is "${banner}"`);
        const say = async (cmd, want) => {
            sock.write(cmd + '\r\n');
            const a = await r.reply(30_000);
            if (!a.startsWith(want))
                throw new Error(`SMTP ${cmd.split(' ')[0]} was answered "${a}"`);
        };
        await say('EHLO postern-selfcheck.localhost', '250');
        await say('MAIL FROM:<>', '250');
        await say(`RCPT TO:<${account.address}>`, '250');
        await say('DATA', '354');
        const domain = account.address.split('@')[1];
        await say([
            `From: Postern self-check <${account.address}>`, `To: <${account.address}>`, 'Subject: Postern update self-check',
            `Message-ID: ${messageId}`, `Date: ${new Date().toUTCString()}`, '',
            `This message checks that the box at ${domain} accepts and stores mail after an update.`, '.'
        ].join('\r\n'), '250');
        sock.write('QUIT\r\n');
        return banner;
    }
    finally {
        sock.destroy();
    }
}
async function imapLogin(config, account, messageId, deadline) {
    const ep = config.listen.imaps;
    if (!ep)
        throw new Error('no IMAPS listener is configured');
    const sock = tlsConnect({ ...local(ep), ...tlsOptions(config) });
    await open(sock, 5000, true);
    const r = new LineReader(sock);
    try {
        const greeting = await r.next(10_000);
        if (!greeting.startsWith('* OK'))
            throw new Error(`the IMAP greeting is "${greeting}"`);
        let n = 0;
        const cmd = async (text) => {
            const tag = `c${++n}`;
            sock.write(`${tag} ${text}\r\n`);
            const a = await r.tagged(tag, 30_000);
            if (!a.status.startsWith('OK'))
                throw new Error(`IMAP ${text.split(' ')[0]} was answered "${a.status}"`);
            return a.untagged;
        };
        const quoted = (s) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;
        await cmd(`LOGIN ${quoted(account.address)} ${quoted(account.password)}`);
        for (;;) {
            await cmd('SELECT INBOX');
            const found = (await cmd(`UID SEARCH HEADER Message-ID ${quoted(messageId)}`)).find((l) => l.startsWith('* SEARCH'));
            const uids = found?.slice('* SEARCH'.length).trim().split(/\s+/).filter(Boolean) ?? [];
            if (uids.length) {
                await cmd(`UID STORE ${uids.join(',')} +FLAGS.SILENT (\\Deleted)`);
                await cmd('EXPUNGE');
                break;
            }
            if (Date.now() > deadline)
                throw new Error('the check message did not appear in the check account\'s INBOX');
            await new Promise((res) => setTimeout(res, 500));
        }
        await cmd('LOGOUT').catch(() => undefined);
    }
    finally {
        sock.destroy();
    }
}
function panelAnswers(config) {
    const ep = config.listen.panel;
    if (!ep)
        return Promise.reject(new Error('no panel listener is configured'));
    return new Promise((resolve, reject) => {
        const req = request({ ...local(ep), path: '/', method: 'GET', ...tlsOptions(config), timeout: 10_000 }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
        });
        req.on('timeout', () => req.destroy(new Error('the panel did not answer in time')));
        req.on('error', reject);
        req.end();
    });
}
/** Run the self-test until it passes or `deadlineMs` runs out. `alive` says whether the new
 *  release's process still runs (a release that exits at start fails at once). */
export async function selfTest(config, account, deadlineMs, alive = () => true) {
    const started = Date.now();
    const deadline = started + deadlineMs;
    const steps = [];
    const attempt = async (name, fn) => {
        let last;
        while (Date.now() < deadline) {
            if (!(await alive()))
                throw new Error(`the new release's process exited during the self-test (at: ${name})${last ? `; last error: ${last.message}` : ''}`);
            try {
                const v = await fn();
                steps.push(name);
                return v;
            }
            catch (e) {
                last = e;
            }
            await new Promise((r) => setTimeout(r, 300));
        }
        throw new Error(`${name} failed within ${Math.round(deadlineMs / 1000)} s: ${last?.message ?? 'no attempt finished'}`);
    };
    try {
        const messageId = `<selfcheck-${randomBytes(8).toString('hex')}@postern.invalid>`;
        await attempt('SMTP banner and local delivery', () => smtpDelivery(config, account, messageId));
        const smtpAt = Date.now();
        await attempt('IMAP login of the check account', () => imapLogin(config, account, messageId, deadline));
        const status = await attempt('panel', () => panelAnswers(config).then((s) => { if (s >= 500 || s === 0)
            throw new Error(`the panel answered ${s}`); return s; }));
        steps.push(`panel answered ${status}`);
        return { ok: true, steps, ms: Date.now() - started, smtpAt };
    }
    catch (e) {
        return { ok: false, reason: e.message, steps, ms: Date.now() - started };
    }
}
//# sourceMappingURL=self-test.js.map