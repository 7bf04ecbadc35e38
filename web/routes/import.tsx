// Moving in (issue 18): a household member brings their mail over from their old provider. The
// form takes the provider's IMAP server, user name and (app) password over the panel's HTTPS; the
// box signs in at once, so a wrong password, a certificate it cannot verify or a server it cannot
// reach is said on the form in plain words; then the import runs in the background. The page shows
// every import into this account (also those the CLI runs), per folder, with the rate and the time
// left, read from the store, so it survives a reload; while one runs, htmx refreshes that part
// every 2 seconds. The password is used for this import only: never stored, never logged.
import type { Hono } from 'hono';
import { accountOf, storeOf, type PanelContext, type PanelEnv } from '../context.js';
import { done, formRaw, page, PostForm } from '../page.js';
import { ErrorNote } from '../views/layout.js';
import { formatBytes } from '../views/format.js';
import { startProviderImport } from '../seams.js';
import { importRunning } from '../../appliance/import/jobs.js';
import type { ImportRun } from '../../appliance/store/index.js';

interface FolderProgress { folder: string; total: number; done: number; bytes: number }
interface RunProgress { total?: number; done?: number; bytes?: number; rate?: number; folders?: FolderProgress[]; note?: string; code?: number }

/** A run that has said nothing for this long is no longer running (its process was stopped). */
const STALE_MS = 5 * 60_000;
const POLL = { 'hx-get': '/import', 'hx-trigger': 'every 2s', 'hx-select': '#import-runs', 'hx-target': '#import-runs', 'hx-swap': 'outerHTML' };

interface FormValues { host: string; port: string; security: string; user: string }

/** What went wrong, in the words of someone who is not a mail administrator. */
export function plainWords(code: number | undefined, where: string, user: string, detail: string, started = false): string {
  switch (code) {
    case 3: return `Your provider refused the user name or password for ${user}. Many providers (Gmail, Outlook, iCloud, Yahoo) want an "app password" for mail programs: make one in your provider's account security settings and use it here.`;
    case 4: return /STARTTLS/.test(detail)
      ? `${where} does not offer an encrypted connection on this port, so your password was not sent. Choose "Encrypted from the start" and port 993.`
      : `Postern could not verify the security certificate of ${where}, so it stopped before sending your password. Check that the server name is exactly your provider's IMAP server (for example imap.gmail.com).`;
    case 5: return started
      ? `The connection to ${where} was lost. What was brought in is kept: start the import again and it continues where it stopped.`
      : `Postern could not connect to ${where}. Check the server name and the port (993, or 143 for STARTTLS), and that the box can reach the internet.`;
    default: return detail ? `The import stopped: ${detail}` : 'The import stopped.';
  }
}

function parseProgress(run: ImportRun): RunProgress {
  try { return JSON.parse(run.progress) as RunProgress; } catch { return {}; }
}

function origin(run: ImportRun): { label: string; where: string; user: string } {
  const m = /^imap:(.*)@([^@]*):(\d+)$/.exec(run.origin);
  if (m) return { label: `${m[1]} at ${m[2]}`, where: `${m[2]} (port ${m[3]})`, user: m[1]! };
  return { label: run.origin.replace(/^(mbox|maildir):/, '$1 file '), where: run.origin, user: '' };
}

function duration(s: number): string {
  if (s < 90) return `${Math.max(1, Math.round(s))} seconds`;
  if (s < 5400) return `${Math.round(s / 60)} minutes`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

const n = (x: number) => x.toLocaleString('en');

function RunView(props: { run: ImportRun; running: boolean }) {
  const { run } = props;
  const p = parseProgress(run);
  const o = origin(run);
  const total = p.total ?? 0;
  const did = p.done ?? 0;
  const rate = p.rate ?? 0;
  const state = run.state === 'running' && !props.running ? 'stopped' : run.state;
  let status: string;
  if (state === 'running') {
    const left = total > did && rate > 0 ? `, about ${duration((total - did) / rate)} left` : '';
    status = total ? `Importing: ${n(did)} of ${n(total)} messages (${formatBytes(p.bytes ?? 0)} so far), ${rate.toFixed(0)} a second${left}.` : 'Signed in; reading the folders...';
  } else if (state === 'done') {
    status = `Finished: all ${n(total)} messages are here (${formatBytes(p.bytes ?? 0)} brought in this time). A summary is in your INBOX.`;
  } else if (state === 'failed') {
    status = plainWords(p.code, o.where, o.user, p.note ?? '', true);
  } else {
    status = `Stopped after ${n(did)} of ${n(total)} messages (no news from it since ${new Date(run.updatedAt).toUTCString()}). What was brought in is kept: start it again to continue.`;
  }
  return (
    <article class="import-run" data-state={state} aria-label={`Import from ${o.label}`}>
      <h3>From {o.label} <small>started {new Date(run.startedAt).toUTCString()}</small></h3>
      <p class={state === 'failed' ? 'error' : undefined} data-import-status={state}>{status}</p>
      {total > 0 ? <p><progress max={String(total)} value={String(did)} aria-label={`All folders: ${did} of ${total}`}>{Math.floor((did / total) * 100)}%</progress></p> : null}
      {p.folders && p.folders.length ? (
        <table>
          <caption class="visually-hidden">Progress per folder</caption>
          <thead><tr><th scope="col">Folder</th><th scope="col">Messages</th><th scope="col">Progress</th></tr></thead>
          <tbody>
            {p.folders.map((f) => (
              <tr>
                <td>{f.folder}</td>
                <td>{n(f.done)} of {n(f.total)}</td>
                <td><progress max={String(Math.max(f.total, 1))} value={String(f.total ? f.done : 1)} aria-label={`${f.folder}: ${f.done} of ${f.total}`} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {state === 'failed' && p.note ? <details><summary>Details</summary><p>{p.note}</p></details> : null}
    </article>
  );
}

function Runs(props: { runs: ImportRun[]; running: boolean }) {
  const active = props.runs.some((r) => r.state === 'running' && (props.running || Date.now() - r.updatedAt < STALE_MS));
  return (
    <section id="import-runs" aria-labelledby="h-runs" aria-live="polite" {...(active ? POLL : {})}>
      <h2 id="h-runs">Imports</h2>
      {props.runs.length === 0 ? <p>No import yet.</p> : props.runs.map((r) => <RunView run={r} running={props.running || Date.now() - r.updatedAt < STALE_MS} />)}
    </section>
  );
}

function importPage(c: PanelContext, o: { error?: string; values?: FormValues } = {}): Response {
  const store = storeOf(c);
  const account = accountOf(c);
  const csrf = c.var.session?.csrf;
  const v = o.values ?? { host: '', port: '993', security: 'tls', user: '' };
  const running = importRunning(account.id);
  const runs = store.imports.runs(account.id, 5).filter((r) => r.kind === 'imap' || r.kind === 'mbox' || r.kind === 'maildir');
  return page(c, 'Move your mail in', (
    <>
      <ErrorNote message={o.error} />
      <section aria-labelledby="h-from">
        <h2 id="h-from">From your old provider</h2>
        <p>Postern signs in to your old provider's mail server (IMAP) and brings every folder over, with what you read, flagged and answered. It runs in the background: you can leave this page and come back. Run it again later and it brings only the mail that arrived since.</p>
        <p>Your password goes only over this page's encrypted connection, is used for this import and is never stored.</p>
        {running ? <p data-import-busy="yes">An import into your account is running: wait for it to finish before starting another.</p> : null}
        <PostForm action="/import" csrf={csrf} label="Import from a provider">
          <p class="field"><label for="f-host">Server (your provider's IMAP server, for example imap.gmail.com)</label>
            <input id="f-host" name="host" type="text" required maxlength={253} autocomplete="off" spellcheck={false} value={v.host} /></p>
          <p class="field"><label for="f-security">Connection</label>
            <select id="f-security" name="security">
              <option value="tls" selected={v.security !== 'starttls'}>Encrypted from the start (port 993)</option>
              <option value="starttls" selected={v.security === 'starttls'}>STARTTLS (port 143)</option>
            </select></p>
          <p class="field"><label for="f-port">Port</label>
            <input id="f-port" name="port" type="number" min="1" max="65535" required value={v.port} /></p>
          <p class="field"><label for="f-user">User name at the provider (often your full address there)</label>
            <input id="f-user" name="user" type="text" required maxlength={320} autocomplete="off" spellcheck={false} value={v.user} /></p>
          <p class="field"><label for="f-password">Password (or app password) at the provider</label>
            <input id="f-password" name="password" type="password" required autocomplete="off" /></p>
          <button type="submit" disabled={running}>Start the import</button>
        </PostForm>
      </section>
      <Runs runs={runs} running={running} />
    </>
  ), { ...(o.error ? { status: 422 as const } : {}), current: '/import' });
}

const HOST = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$|^\[?[0-9A-Fa-f:.]+\]?$/;

export function importRoutes(app: Hono<PanelEnv>): void {
  app.get('/import', (c) => importPage(c));

  app.post('/import', async (c) => {
    const raw = await formRaw(c);
    const values: FormValues = { host: raw('host').trim(), port: raw('port').trim() || '993', security: raw('security') === 'starttls' ? 'starttls' : 'tls', user: raw('user').trim() };
    const password = raw('password');
    const fail = (error: string) => importPage(c, { error, values });
    if (!HOST.test(values.host)) return fail('Enter the server name of your provider, like imap.example.com.');
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) return fail('The port is a number from 1 to 65535 (usually 993).');
    if (!values.user) return fail('Enter your user name at the provider.');
    if (!password) return fail('Enter your password at the provider.');
    const account = accountOf(c);
    if (importRunning(account.id)) return fail('An import into your account is running already: wait for it to finish (its progress is below).');
    const host = values.host.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
    const address = { user: values.user, host, port, secure: values.security !== 'starttls' };
    try {
      await startProviderImport(storeOf(c), account, address, password);
    } catch (e) {
      const err = e as Error & { exitCode?: number };
      if (err.name !== 'ImportError') throw e;
      return fail(err.exitCode === 1 ? `${err.message[0]!.toUpperCase()}${err.message.slice(1)}.` : plainWords(err.exitCode, `${host} (port ${port})`, values.user, err.message));
    }
    return done(c, '/import', `Signed in at ${host}: the import is running. Its progress is below.`);
  });
}
