// A small HTTPS client for panel tests: trusts the test appliance's CA, keeps the session cookie,
// reads the CSRF token from pages, and posts forms.
import { request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';

export interface PanelResponse { status: number; headers: IncomingHttpHeaders; body: string; raw: Buffer }

export class PanelHttp {
  cookie: string | undefined;
  csrf: string | undefined;

  /** `localAddress`: the loopback source address (127.0.0.2 ...) to appear as another client */
  /** `ca`: the CA this client trusts (a test installs a new one as a household would) */
  constructor(readonly port: number, public ca: string, readonly localAddress?: string) {}

  request(method: string, path: string, opts: { body?: string; headers?: Record<string, string> } = {}): Promise<PanelResponse> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { ...opts.headers };
      if (this.cookie && headers.cookie === undefined) headers.cookie = `__Host-postern=${this.cookie}`;
      if (opts.body !== undefined) {
        headers['content-type'] ??= 'application/x-www-form-urlencoded';
        headers['content-length'] = String(Buffer.byteLength(opts.body));
      }
      const req = request({ host: '127.0.0.1', port: this.port, path, method, headers, ca: this.ca, servername: 'localhost', agent: false, ...(this.localAddress ? { localAddress: this.localAddress } : {}) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          const set = res.headers['set-cookie'] ?? [];
          for (const c of set) {
            const m = /^__Host-postern=([^;]*)/.exec(c);
            if (m) this.cookie = m[1];
          }
          const body = raw.toString('utf8');
          const token = /name="csrf-token" content="([^"]+)"/.exec(body);
          if (token) this.csrf = token[1];
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, raw });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (opts.body !== undefined) req.write(opts.body);
      req.end();
    });
  }

  get(path: string, headers: Record<string, string> = {}): Promise<PanelResponse> {
    return this.request('GET', path, { headers });
  }

  /** POST a form; the CSRF token from the last page is added unless `csrf` says otherwise
   *  (null: none at all). */
  post(path: string, fields: Record<string, string>, opts: { csrf?: string | null; headers?: Record<string, string> } = {}): Promise<PanelResponse> {
    const f = { ...fields };
    const token = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (token !== null && token !== undefined) f._csrf = token;
    return this.request('POST', path, { body: new URLSearchParams(f).toString(), ...(opts.headers ? { headers: opts.headers } : {}) });
  }

  /** Sign in through the form (GET first for the token). */
  async signIn(address: string, password: string): Promise<PanelResponse> {
    await this.get('/signin');
    return this.post('/signin', { address, password });
  }
}
