// First-run setup, open only until an administrator exists, and only with the one-time setup code
// the box prints at start (setup-code.ts): the household's domain and the box's host name (applied
// at once; it wins over the configuration file), and the administrator's own account. Then the administrator is signed in and the
// welcome steps continue (family accounts, DNS records, the CA certificate for devices).
import type { Hono } from 'hono';
import { isDomainName, systemDir } from '../../appliance/config.js';
import { log, redact } from '../../appliance/log.js';
import { StoreError } from '../../appliance/store/index.js';
import { setSessionCookie } from '../session-cookie.js';
import { storeOf, type PanelContext, type PanelEnv } from '../context.js';
import { accountCreated, addHouseholdDomain } from '../seams.js';
import { done, formFields, formRaw, page, PostForm } from '../page.js';
import { ErrorNote, Field } from '../views/layout.js';
import { completeSetup } from '../setup-code.js';
import { SetupCodeField, setupCodeProblem } from '../views/setup-code-field.js';

/** Shared with the storage creation page: the code's field and its check. */
interface SetupValues { domain: string; hostname: string; name: string }

function form(c: PanelContext, v: SetupValues, error?: string): Response {
  return page(c, 'Welcome to Postern', (
    <>
      <p>Let's set up your household's mail box. This takes three short steps; you can change everything later.</p>
      <section>
        <ErrorNote message={error} />
        <PostForm whole action="/setup" csrf={c.var.session?.csrf} label="First setup">
          <h2>1. The setup code and your household's mail domain</h2>
          <SetupCodeField />
          <Field name="domain" label="Mail domain" value={v.domain} required
            hint="The part after the @ in your family's addresses, for example smith.family. You need to own this domain." />
          <Field name="hostname" label="Name of this box" value={v.hostname} required
            hint="The name devices use to reach this box, for example mail.smith.family." />
          <h2>2. Your own account (the administrator)</h2>
          <Field name="name" label="Your address name" value={v.name} required hint="The part before the @, for example anna." autocomplete="username" />
          <Field name="password" label="Password (at least 12 characters)" type="password" required autocomplete="new-password" />
          <Field name="password2" label="Password again" type="password" required autocomplete="new-password" />
          <button type="submit">Create my account</button>
        </PostForm>
      </section>
    </>
  ), { status: error ? 400 : 200, current: '/setup' });
}

// One setup at a time: two browsers submitting at once must not both become administrator.
let running: Promise<unknown> = Promise.resolve();

export function setupRoutes(app: Hono<PanelEnv>): void {
  app.get('/setup', (c) => {
    const { config } = c.var.deps;
    return form(c, { domain: config.domains[0] ?? '', hostname: config.hostname, name: '' });
  });

  app.post('/setup', async (c) => {
    const f = await formFields(c);
    const raw = await formRaw(c);
    const v: SetupValues = { domain: f('domain').toLowerCase(), hostname: f('hostname').toLowerCase(), name: f('name').toLowerCase() };
    const password = raw('password');
    const codeProblem = setupCodeProblem(c, f('code'));
    if (codeProblem) return form(c, v, codeProblem);
    if (!isDomainName(v.domain) || !v.domain.includes('.')) return form(c, v, `"${v.domain}" is not a domain name like smith.family.`);
    if (!isDomainName(v.hostname)) return form(c, v, `"${v.hostname}" is not a host name like mail.smith.family.`);
    if (password.length < 12) return form(c, v, 'The password needs at least 12 characters.');
    if (password !== raw('password2')) return form(c, v, 'The two passwords are not the same.');
    const store = storeOf(c);
    const work = running.then(async () => {
      if (store.accounts.list().some((a) => a.role === 'admin')) return 'taken' as const;
      await addHouseholdDomain(store, v.domain);
      const account = await store.accounts.create(`${v.name}@${v.domain}`, password, { role: 'admin' });
      store.settings.set('hostname', v.hostname);
      store.settings.set('panel.setupAt', String(Date.now()));
      completeSetup(systemDir(c.var.deps.config));
      const { recoveryCode } = await accountCreated(store, account, password);
      return { account, recoveryCode };
    });
    running = work.catch(() => undefined);
    let result: Awaited<typeof work>;
    try {
      result = await work;
    } catch (e) {
      if (e instanceof StoreError) return form(c, v, e.message);
      throw e;
    }
    if (result === 'taken') return done(c, '/signin', 'This box is already set up. Sign in.');
    const { account, recoveryCode } = result;
    const s = c.var.deps.sessions.signIn(c.var.session, account.id, account.role, account.address);
    c.set('session', s);
    setSessionCookie(c, s);
    if (recoveryCode) s.secret = { label: 'Your recovery code', value: recoveryCode };
    log.info('panel.setup', { user: redact('user', account.address) });
    // The name and the domain chosen here take effect now: certificates that name them, and the
    // mail services greet as the new name (what the household saves wins over the config file).
    await c.var.deps.appliance.applySettings?.();
    return done(c, '/welcome/members', `Your account ${account.address} is ready. This box is now ${c.var.deps.config.hostname}.`);
  });
}
