// Accounts: add one (with its recovery code shown once), remove one, reset a password, set a quota.
// An administrator cannot remove their own account or the last administrator.
import type { Hono } from 'hono';
import { log, redact } from '../../appliance/log.js';
import { StoreError, type Role } from '../../appliance/store/index.js';
import { accountOf, storeOf, type PanelContext, type PanelEnv } from '../context.js';
import { accountCreated, passwordChanged } from '../seams.js';
import { done, formFields, formRaw, page, PostForm } from '../page.js';
import { AddAccountForm } from '../views/account-form.js';
import { ErrorNote } from '../views/layout.js';
import { formatBytes } from '../views/format.js';
import { membersPage } from '../views/members-page.js';

/** Where to go back to after adding an account (the accounts page, or the first-run step). */
function backTo(next: string): string {
  return next === '/welcome/members' ? next : '/accounts';
}

function accountsPage(c: PanelContext, error?: string): Response {
  const store = storeOf(c);
  const me = accountOf(c);
  const csrf = c.var.session?.csrf;
  const accounts = store.accounts.list();
  return page(c, 'Accounts', (
    <>
      <ErrorNote message={error} />
      <section aria-labelledby="h-list">
        <h2 id="h-list">Accounts on this box</h2>
        <table>
          <thead><tr><th scope="col">Address</th><th scope="col">Role</th><th scope="col">Mail stored</th><th scope="col">Actions</th></tr></thead>
          <tbody>
            {accounts.map((a) => (
              <tr>
                <td>{a.address}</td>
                <td>{a.role === 'admin' ? 'Administrator' : 'Member'}</td>
                <td>{formatBytes(a.usedBytes)}{a.quotaBytes ? ` of ${formatBytes(a.quotaBytes)}` : ''}</td>
                <td class="actions">
                  <PostForm action={`/accounts/${a.id}/password`} csrf={csrf} label={`New password for ${a.address}`}>
                    <label for={`pw-${a.id}`}>New password</label>
                    <input id={`pw-${a.id}`} name="password" type="password" required autocomplete="new-password" />
                    <button type="submit" class="secondary">Reset password</button>
                  </PostForm>
                  <PostForm action={`/accounts/${a.id}/quota`} csrf={csrf} label={`Quota for ${a.address}`}>
                    <label for={`q-${a.id}`}>Quota in MB (0: none)</label>
                    <input id={`q-${a.id}`} name="quotaMb" type="number" min="0" value={String(Math.round(a.quotaBytes / 1048576))} />
                    <button type="submit" class="secondary">Set quota</button>
                  </PostForm>
                  {a.id === me.id ? null : (
                    <PostForm action={`/accounts/${a.id}/remove`} csrf={csrf} label={`Remove ${a.address}`}>
                      <label><input type="checkbox" name="confirm" value="yes" required /> Delete {a.address} and all its mail</label>
                      <button type="submit" class="danger">Remove</button>
                    </PostForm>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="h-add">
        <h2 id="h-add">Add an account</h2>
        <AddAccountForm c={c} next="/accounts" />
      </section>
    </>
  ), { status: error ? 400 : 200 });
}

function target(c: PanelContext) {
  const id = Number(c.req.param('id'));
  return Number.isSafeInteger(id) ? storeOf(c).accounts.byId(id) : undefined;
}

export function accountsRoutes(app: Hono<PanelEnv>): void {
  app.get('/accounts', (c) => accountsPage(c));

  app.post('/accounts', async (c) => {
    const f = await formFields(c);
    const raw = await formRaw(c);
    const store = storeOf(c);
    const next = backTo(f('next'));
    const role: Role = f('role') === 'admin' ? 'admin' : 'member';
    const password = raw('password');
    const fail = (m: string) => (next === '/accounts' ? accountsPage(c, m) : membersPage(c, m));
    if (password.length < 12) return fail('The first password needs at least 12 characters.');
    const address = `${f('local').toLowerCase()}@${f('domain').toLowerCase()}`;
    let account;
    try {
      account = await store.accounts.create(address, password, { role });
    } catch (e) {
      if (e instanceof StoreError) return fail(e.message);
      throw e;
    }
    const { recoveryCode } = await accountCreated(store, account, password);
    if (recoveryCode && c.var.session) c.var.session.secret = { label: `Recovery code for ${account.address}`, value: recoveryCode };
    log.info('panel.account-added', { user: redact('user', account.address), role });
    return done(c, next, `The account ${account.address} is ready.`);
  });

  app.post('/accounts/:id/remove', async (c) => {
    const f = await formFields(c);
    const a = target(c);
    const store = storeOf(c);
    if (!a) return accountsPage(c, 'There is no such account.');
    if (a.id === accountOf(c).id) return accountsPage(c, 'You cannot remove your own account.');
    if (f('confirm') !== 'yes') return accountsPage(c, `Tick the box to confirm that ${a.address} and its mail should be deleted.`);
    if (a.role === 'admin' && store.accounts.list().filter((x) => x.role === 'admin').length <= 1) return accountsPage(c, 'The box needs at least one administrator.');
    store.accounts.remove(a.address);
    store.reclaim();
    c.var.deps.sessions.endAccount(a.id);
    log.info('panel.account-removed', { user: redact('user', a.address) });
    return done(c, '/accounts', `The account ${a.address} is removed.`);
  });

  app.post('/accounts/:id/password', async (c) => {
    const raw = await formRaw(c);
    const a = target(c);
    const store = storeOf(c);
    if (!a) return accountsPage(c, 'There is no such account.');
    const password = raw('password');
    if (password.length < 12) return accountsPage(c, 'The new password needs at least 12 characters.');
    await store.accounts.setPassword(a.address, password);
    await passwordChanged(store, a.id, password);
    c.var.deps.sessions.endAccount(a.id, c.var.session);
    log.info('panel.password-reset', { user: redact('user', a.address) });
    return done(c, '/accounts', `The password of ${a.address} is reset.`);
  });

  app.post('/accounts/:id/quota', async (c) => {
    const f = await formFields(c);
    const a = target(c);
    if (!a) return accountsPage(c, 'There is no such account.');
    const mb = Number(f('quotaMb'));
    if (!Number.isInteger(mb) || mb < 0 || mb > 16 * 1024 * 1024) return accountsPage(c, 'The quota must be a whole number of MB (0 for no limit).');
    storeOf(c).accounts.setQuota(a.address, mb * 1048576);
    return done(c, '/accounts', mb ? `${a.address} may now keep ${mb} MB of mail.` : `${a.address} has no quota now.`);
  });
}
