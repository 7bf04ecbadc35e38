// Sign-in and sign-out. A sign-in ends the visitor's session and starts a new one (new id, new CSRF
// token: no session fixation). Failed attempts count per client (its address, or its tor circuit
// on the onion listener) and per account in the lockout shared with SMTP and IMAP
// (appliance/auth-lockout.ts): a client past its limit is not even checked until the wait is over;
// an account under attack refuses the clients that failed and only slows the others, so guessing
// cannot lock the household out. Both reserve the attempt before the password check (atomic).
import type { Hono } from 'hono';
import { log, redact } from '../../appliance/log.js';
import { accountLockoutFor } from '../../appliance/auth-lockout.js';
import { setSessionCookie } from '../session-cookie.js';
import { storeOf, type PanelContext, type PanelEnv } from '../context.js';
import { done, formFields, formRaw, page, PostForm } from '../page.js';
import { ErrorNote, Field } from '../views/layout.js';

/** Only paths on this panel, never another site ("//evil.example", "/\\evil.example"). */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : '/';
}

function form(c: PanelContext, opts: { error?: string; address?: string; next?: string; status?: 400 | 429 }): Response {
  const csrf = c.var.session?.csrf;
  return page(c, 'Sign in', (
    <section>
      <ErrorNote message={opts.error} />
      <PostForm whole action="/signin" csrf={csrf} label="Sign in">
        <input type="hidden" name="next" value={opts.next ?? '/'} />
        <Field name="address" label="Your mail address" type="email" value={opts.address} required autocomplete="username" />
        <Field name="password" label="Password" type="password" required autocomplete="current-password" />
        <button type="submit">Sign in</button>
      </PostForm>
      <p>Forgot your password? Ask the person who set up this box to reset it.</p>
    </section>
  ), { ...(opts.status ? { status: opts.status } : {}), current: '/signin' });
}

function minutes(ms: number): string {
  const m = Math.ceil(ms / 60_000);
  return m === 1 ? '1 minute' : `${m} minutes`;
}

export function signinRoutes(app: Hono<PanelEnv>): void {
  app.get('/signin', (c) => {
    const s = c.var.session;
    const store = c.var.deps.appliance.store;
    // Already signed in (and the account still exists): nothing to do here.
    if (s?.accountId !== undefined && store?.accounts.byId(s.accountId)?.address === s.address) return c.redirect(safeNext(c.req.query('next')), 303);
    return form(c, { next: safeNext(c.req.query('next')) });
  });

  app.post('/signin', async (c) => {
    const { deps, clientAddress } = c.var;
    const f = await formFields(c);
    const raw = await formRaw(c);
    const address = f('address').toLowerCase();
    const password = raw('password');
    const next = safeNext(f('next'));
    const clientKey = `ip:${clientAddress}`;
    if (!address || !password) return form(c, { error: 'Enter your mail address and your password.', address, next, status: 400 });
    const store = storeOf(c);
    const throttled = (wait: number): Response => {
      log.warn('panel.signin-throttled', { ip: redact('ip', clientAddress), user: redact('user', address) });
      c.header('Retry-After', String(Math.ceil(wait / 1000)));
      return form(c, { error: `Too many wrong passwords. Wait ${minutes(wait)} and try again.`, address, next, status: 429 });
    };
    const client = deps.clientThrottle.begin(clientKey);
    if (typeof client === 'number') return throttled(client);
    const verdict = accountLockoutFor(store).begin(address, clientKey);
    if (verdict.refused) { client.abandoned(); return throttled(verdict.retryAfterMs); }
    const attempt = verdict.attempt;
    let account;
    try {
      if (attempt.delayMs) await new Promise((r) => setTimeout(r, attempt.delayMs));
      account = await store.accounts.authenticate(address, password);
    } catch (e) {
      client.abandoned(); attempt.abandoned();
      throw e;
    }
    if (!account) {
      client.failed();
      attempt.failed();
      log.warn('panel.signin-failed', { ip: redact('ip', clientAddress), user: redact('user', address) });
      return form(c, { error: 'That mail address and password do not match.', address, next, status: 400 });
    }
    client.succeeded();
    attempt.succeeded();
    const s = deps.sessions.signIn(c.var.session, account.id, account.role, account.address);
    c.set('session', s);
    setSessionCookie(c, s);
    log.info('panel.signin', { user: redact('user', account.address), role: account.role });
    return done(c, next === '/' || next === '/signin' ? '/' : next);
  });

  app.post('/signout', (c) => {
    const { deps } = c.var;
    const old = c.var.session;
    if (old) deps.sessions.end(old);
    const s = deps.sessions.create();
    c.set('session', s);
    setSessionCookie(c, s);
    return done(c, '/signin', 'You are signed out.');
  });
}
