// What the VM tests share: a small HTTPS client for the panel (cookie jar, CSRF, pinned to the
// box's CA), an SMTP greeting probe, swaks, IMAP reads, and the household's first-run setup of a
// freshly booted image (storage passphrase -> LUKS2 volume, then the first account).
import { spawn } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import { createConnection } from 'node:net';
import { X509Certificate } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { ssh } from './qemu.js';

export const PASSPHRASE = 'winter apples under the stairs';
export const PASSWORD = 'household password 42';
export const DOMAIN = 'smith.home.arpa';
export const USER = `anna@${DOMAIN}`;

// ---- a small HTTPS client with a cookie jar, pinned to the box's own CA -------------------------
interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: string }
export class Panel {
  private cookies = new Map<string, string>();
  ca: string | undefined;
  constructor(readonly port: number) {}
  request(method: 'GET' | 'POST', path: string, form?: Record<string, string>): Promise<Reply> {
    const body = form ? new URLSearchParams(form).toString() : undefined;
    const origin = `https://127.0.0.1:${this.port}`;
    return new Promise((resolve, reject) => {
      const req = httpsRequest({
        host: '127.0.0.1', port: this.port, method, path, timeout: 300_000,
        ...(this.ca ? { ca: this.ca, servername: 'postern.home.arpa', checkServerIdentity: () => undefined } : { rejectUnauthorized: false }),
        headers: {
          cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), origin, referer: origin + path } : {}),
        },
      }, (res) => {
        for (const c of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
          const [kv] = c.split(';');
          const i = kv!.indexOf('=');
          this.cookies.set(kv!.slice(0, i).trim(), kv!.slice(i + 1).trim());
        }
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (data += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
      });
      req.on('timeout', () => req.destroy(new Error('panel request timed out')));
      req.on('error', reject);
      req.end(body);
    });
  }
  /** GET a page, then POST its form with the page's CSRF token; follows one redirect. */
  async submit(pagePath: string, action: string, form: Record<string, string>): Promise<Reply> {
    const page = await this.request('GET', pagePath);
    const csrf = /name="_csrf" value="([^"]*)"/.exec(page.body)?.[1];
    if (!csrf) throw new Error(`no CSRF token on ${pagePath} (status ${page.status})`);
    const r = await this.request('POST', action, { _csrf: csrf, ...form });
    if (r.status === 303 || r.status === 302) {
      // x-location: where the form sent us; then follow on (a few hops) to the page shown.
      const first = String(r.headers.location);
      let loc = first;
      let next = r;
      for (let hop = 0; hop < 4; hop++) {
        next = await this.request('GET', loc.startsWith('http') ? new URL(loc).pathname : loc);
        if (next.status !== 303 && next.status !== 302) break;
        loc = String(next.headers.location);
      }
      return { ...next, headers: { ...next.headers, 'x-redirected-from': action, 'x-location': first } };
    }
    return r;
  }
}

export function greeting(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = createConnection(port, '127.0.0.1');
    let buf = '';
    s.setEncoding('utf8');
    s.setTimeout(120_000, () => { s.destroy(); reject(new Error("no greeting")); });
    s.on('data', (d: string) => { buf += d; if (buf.includes('\r\n')) { s.destroy(); resolve(buf.split('\r\n')[0]!); } });
    s.on('error', reject);
    s.on('end', () => (buf ? resolve(buf.split('\r\n')[0]!) : reject(new Error('closed without a greeting'))));
  });
}

export function swaks(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn('swaks', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('close', (code) => resolve({ code, out }));
  });
}

export async function findMessage(port: number, subject: string): Promise<string | undefined> {
  const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, doSTARTTLS: true, tls: { rejectUnauthorized: false }, auth: { user: USER, pass: PASSWORD }, logger: false });
  await client.connect();
  try {
    const lock = await client.getMailboxLock('INBOX');
    try {
      for await (const m of client.fetch('1:*', { envelope: true, source: true })) {
        if (m.envelope?.subject === subject) return m.source?.toString('utf8');
      }
      return undefined;
    } finally { lock.release(); }
  } finally { await client.logout().catch(() => undefined); }
}

/** The first-run setup a household does in the panel: the setup code read at the box (over ssh
 *  here), the storage passphrase (LUKS2 volume, recovery key shown once), then the first account. */
export async function firstRunSetup(sshPort: number, panelPort: number): Promise<{ panel: Panel; recoveryKey: string }> {
  const panel = new Panel(panelPort);
  const caRes = await panel.request('GET', '/ca.crt');
  if (caRes.status !== 200) throw new Error(`GET /ca.crt answered ${caRes.status}`);
  panel.ca = caRes.body.includes('BEGIN CERTIFICATE') ? caRes.body : new X509Certificate(Buffer.from(caRes.body, 'binary')).toString();
  const codeOut = await ssh(sshPort, 'postern setup-code');
  const setupCode = /^([A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5})$/m.exec(codeOut.stdout)?.[1];
  if (!setupCode) throw new Error(`no setup code: ${codeOut.stdout}${codeOut.stderr}`);
  const setup = await panel.submit('/unlock', '/unlock/setup', { code: setupCode, passphrase: PASSPHRASE, passphrase2: PASSPHRASE });
  const recoveryKey = /id="secret-value">([^<]+)</.exec(setup.body)?.[1]?.trim();
  if (!recoveryKey) throw new Error(`storage setup showed no recovery key (${setup.status})`);
  const first = await panel.submit('/setup', '/setup', { code: setupCode, domain: DOMAIN, hostname: 'postern.home.arpa', name: 'anna', password: PASSWORD, password2: PASSWORD });
  if (!/welcome|\/$/.test(String(first.headers['x-location']))) throw new Error(`first-run setup did not create the account (${first.status})`);
  return { panel, recoveryKey };
}

/** An SMTP client that keeps sending to anna through the forwarded MX until stopped; it keeps the
 *  Message-ID of every message answered 250, counts refusals, and the longest time without a 250. */
export function steadySender(mxPort: number, label: string) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: mxPort, secure: false, ignoreTLS: true, connectionTimeout: 5000, greetingTimeout: 10_000, socketTimeout: 60_000 });
  const acked: string[] = [];
  let refused = 0;
  let stop = false;
  let lastOk = 0;
  let longestGap = 0;
  const done = (async () => {
    for (let i = 0; !stop; i++) {
      const id = `<${label}-${i}-${Date.now()}@example.org>`;
      try {
        const info = await transport.sendMail({ from: 'grandma@example.org', to: USER, subject: `${label} ${i}`, messageId: id, text: `message ${i} of ${label}\n` });
        if (/^250/.test(info.response)) {
          const now = Date.now();
          if (lastOk) longestGap = Math.max(longestGap, now - lastOk);
          lastOk = now;
          acked.push(id);
        }
      } catch { refused++; await new Promise((r) => setTimeout(r, 250)); }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    acked,
    get refused() { return refused; },
    /** ms between two successive 250s, the longest seen (the downtime an SMTP client saw) */
    get longestGap() { return longestGap; },
    async stop() { stop = true; await done; transport.close(); },
  };
}

/** Every Message-ID (and subject) in anna's folders over IMAP (STARTTLS): "readable" wherever the
 *  box filed a message (its junk filter may choose Junk). */
export async function allMessageIds(imapPort: number, user = USER, pass = PASSWORD): Promise<{ ids: Set<string>; subjects: string[] }> {
  const client = new ImapFlow({ host: '127.0.0.1', port: imapPort, secure: false, doSTARTTLS: true, tls: { rejectUnauthorized: false }, auth: { user, pass }, logger: false });
  await client.connect();
  const ids = new Set<string>();
  const subjects: string[] = [];
  try {
    for (const mb of await client.list()) {
      if (mb.flags.has('\\Noselect')) continue;
      const lock = await client.getMailboxLock(mb.path);
      try {
        if (client.mailbox && client.mailbox.exists > 0) {
          for await (const m of client.fetch('1:*', { envelope: true })) {
            if (m.envelope?.messageId) ids.add(m.envelope.messageId);
            subjects.push(m.envelope?.subject ?? '');
          }
        }
      } finally { lock.release(); }
    }
  } finally { await client.logout().catch(() => undefined); }
  return { ids, subjects };
}
