// The first-run steps' progress list and the family step (its form posts to /accounts, which
// shows this page again with the reason when it refuses an account).
import { storeOf, type PanelContext } from '../context.js';
import { page } from '../page.js';
import { AddAccountForm } from './account-form.js';
import { ErrorNote } from './layout.js';

export function Steps(props: { at: number }) {
  const steps = ['Your account', 'Family accounts', 'DNS records', 'Devices'];
  return (
    <ol class="steps" aria-label="Setup steps">
      {steps.map((s, i) => <li aria-current={i === props.at ? 'step' : undefined}>{i < props.at ? `${s} (done)` : s}</li>)}
    </ol>
  );
}

/** The family step; `error` explains a refused account (the form posts to /accounts). */
export function membersPage(c: PanelContext, error?: string): Response {
  const accounts = storeOf(c).accounts.list();
  return page(c, 'Add your family', (
    <>
      <Steps at={1} />
      <ErrorNote message={error} />
      <section>
        <h2>Accounts so far</h2>
        <ul>{accounts.map((a) => <li>{a.address} ({a.role === 'admin' ? 'administrator' : 'member'})</li>)}</ul>
      </section>
      <section>
        <h2>Add an account</h2>
        <AddAccountForm c={c} next="/welcome/members" />
      </section>
      <p><a class="button" href="/welcome/dns">Next: DNS records</a></p>
    </>
  ), { status: error ? 400 : 200, current: '/welcome/members' });
}
