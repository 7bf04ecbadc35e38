// Aliases: extra addresses that deliver to an account (family@, shop@ ...).
import type { Hono } from 'hono';
import { log, redact } from '../../appliance/log.js';
import { StoreError } from '../../appliance/store/index.js';
import { storeOf, type PanelContext, type PanelEnv } from '../context.js';
import { done, formFields, page, PostForm, RemoveForm } from '../page.js';
import { ErrorNote, Field } from '../views/layout.js';

function aliasesPage(c: PanelContext, error?: string, values: { alias?: string } = {}): Response {
  const store = storeOf(c);
  const csrf = c.var.session?.csrf;
  const aliases = store.aliases.list();
  const accounts = store.accounts.list();
  return page(c, 'Aliases', (
    <>
      <ErrorNote message={error} />
      <section aria-labelledby="h-aliases">
        <h2 id="h-aliases">Aliases</h2>
        {aliases.length === 0 ? <p>No aliases yet.</p> : (
          <table id="alias-table">
            <thead><tr><th scope="col">Alias</th><th scope="col">Delivers to</th><th scope="col">Action</th></tr></thead>
            <tbody>
              {aliases.map((a) => (
                <tr>
                  <td>{a.address}</td>
                  <td>{a.target}</td>
                  <td class="actions">
                    <RemoveForm action="/aliases/remove" csrf={csrf} label={`Remove ${a.address}`} fields={{ alias: a.address, target: a.target }} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="h-add-alias">
        <h2 id="h-add-alias">Add an alias</h2>
        <PostForm action="/aliases" csrf={csrf} label="Add an alias">
          <Field name="alias" label="Alias address" type="email" value={values.alias} required hint="For example family@smith.family." />
          <p class="field">
            <label for="f-target">Delivers to</label>
            <select id="f-target" name="target">{accounts.map((a) => <option value={a.address}>{a.address}</option>)}</select>
          </p>
          <button type="submit">Add alias</button>
        </PostForm>
      </section>
    </>
  ), { status: error ? 400 : 200 });
}

export function aliasesRoutes(app: Hono<PanelEnv>): void {
  app.get('/aliases', (c) => aliasesPage(c));

  app.post('/aliases', async (c) => {
    const f = await formFields(c);
    const alias = f('alias').toLowerCase();
    try {
      storeOf(c).aliases.add(alias, f('target'));
    } catch (e) {
      if (e instanceof StoreError) return aliasesPage(c, e.message, { alias });
      throw e;
    }
    log.info('panel.alias-added', { alias: redact('addr', alias) });
    return done(c, '/aliases', `${alias} now delivers to ${f('target')}.`);
  });

  app.post('/aliases/remove', async (c) => {
    const f = await formFields(c);
    try {
      storeOf(c).aliases.remove(f('alias'), f('target') || undefined);
    } catch (e) {
      if (e instanceof StoreError) return aliasesPage(c, e.message);
      throw e;
    }
    return done(c, '/aliases', `The alias ${f('alias')} is removed.`);
  });
}
