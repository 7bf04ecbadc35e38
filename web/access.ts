// The panel's access-control table: every route, who may reach it, in one place (Runbox's "access
// control table": objects on one axis, roles on the other). One middleware checks it before any
// handler runs; a route missing from the table is refused (404), so a new page is closed until it
// is listed here. Members only ever see their own account: member routes take no account id.
//
//   public  anyone, no session (health, static files, autoconfig, WKD, the CA certificate)
//   guest   anyone, with a session for the CSRF token (sign-in, sign-out)
//   setup   anyone, only while no administrator exists (first run; its form needs the setup code)
//   locked  anyone, only while the storage is locked (unlock / storage setup)
//   member  a signed-in account of any role (its own password, devices, profile)
//   admin   a signed-in administrator
export type Access = 'public' | 'guest' | 'setup' | 'locked' | 'member' | 'admin';

export interface AccessRule { method: 'GET' | 'POST'; path: string; access: Access }

const rule = (method: AccessRule['method'], path: string, access: Access): AccessRule => ({ method, path, access });

export const ACCESS_TABLE: readonly AccessRule[] = [
  rule('GET', '/health', 'public'),
  rule('GET', '/static/:file', 'public'),
  rule('GET', '/ca.crt', 'public'),
  rule('GET', '/.well-known/autoconfig/mail/config-v1.1.xml', 'public'),
  rule('GET', '/mail/config-v1.1.xml', 'public'),
  rule('GET', '/.well-known/openpgpkey/policy', 'public'),
  rule('GET', '/.well-known/openpgpkey/hu/:hash', 'public'),
  rule('GET', '/.well-known/openpgpkey/:domain/policy', 'public'),
  rule('GET', '/.well-known/openpgpkey/:domain/hu/:hash', 'public'),

  rule('GET', '/signin', 'guest'),
  rule('POST', '/signin', 'guest'),
  rule('POST', '/signout', 'guest'),

  rule('GET', '/setup', 'setup'),
  rule('POST', '/setup', 'setup'),

  rule('GET', '/unlock', 'locked'),
  rule('POST', '/unlock', 'locked'),
  rule('POST', '/unlock/setup', 'locked'),

  rule('GET', '/', 'member'),
  rule('GET', '/password', 'member'),
  rule('POST', '/password', 'member'),
  rule('GET', '/devices', 'member'),
  rule('GET', '/devices/postern.mobileconfig', 'member'),
  rule('GET', '/openpgp', 'member'),
  rule('GET', '/openpgp/public.asc', 'member'),
  rule('POST', '/openpgp/secret.asc', 'member'),
  rule('POST', '/openpgp/create', 'member'),
  rule('POST', '/openpgp/recover', 'member'),
  rule('POST', '/openpgp/import', 'member'),
  rule('POST', '/openpgp/at-rest', 'member'),
  rule('POST', '/openpgp/changes/:id/accept', 'member'),
  rule('POST', '/openpgp/changes/:id/reject', 'member'),
  rule('GET', '/junk', 'member'),
  rule('POST', '/junk/settings', 'member'),
  rule('POST', '/junk/not-junk', 'member'),
  rule('GET', '/import', 'member'),
  rule('POST', '/import', 'member'),

  rule('GET', '/dashboard', 'admin'),
  rule('GET', '/updates', 'admin'),
  rule('GET', '/welcome/members', 'admin'),
  rule('GET', '/welcome/dns', 'admin'),
  rule('GET', '/welcome/devices', 'admin'),
  rule('GET', '/accounts', 'admin'),
  rule('POST', '/accounts', 'admin'),
  rule('POST', '/accounts/:id/remove', 'admin'),
  rule('POST', '/accounts/:id/password', 'admin'),
  rule('POST', '/accounts/:id/quota', 'admin'),
  rule('GET', '/aliases', 'admin'),
  rule('POST', '/aliases', 'admin'),
  rule('POST', '/aliases/remove', 'admin'),
  rule('GET', '/domains', 'admin'),
  rule('POST', '/domains', 'admin'),
  rule('GET', '/queue', 'admin'),
  rule('POST', '/queue/:id/retry', 'admin'),
  rule('POST', '/queue/:id/remove', 'admin'),
  rule('GET', '/peers', 'admin'),
  rule('POST', '/peers', 'admin'),
  rule('POST', '/peers/remove', 'admin'),
  rule('GET', '/onion-access', 'admin'),
  rule('POST', '/onion-access', 'admin'),
  rule('POST', '/onion-access/remove', 'admin'),
  rule('GET', '/logs', 'admin'),
  rule('POST', '/lock', 'admin'),
];

function matches(pattern: string, path: string): boolean {
  const p = pattern.split('/');
  const s = path.split('/');
  if (p.length !== s.length) return false;
  for (let i = 0; i < p.length; i++) {
    const seg = p[i]!;
    if (seg.startsWith(':')) {
      if (s[i] === '' || s[i] === '.' || s[i] === '..') return false;
    } else if (seg !== s[i]) {
      return false;
    }
  }
  return true;
}

/** The rule for a request; HEAD is checked as GET. Undefined: not a panel route. */
export function accessFor(method: string, path: string): AccessRule | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  return ACCESS_TABLE.find((r) => r.method === m && matches(r.path, path));
}
