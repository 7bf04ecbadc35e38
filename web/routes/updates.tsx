// Updates: the running release, what the last update did and why (a rollback's reason in plain
// words), the history, and while an update runs, its progress (the page refreshes itself). The
// updater (postern-update.service, root) writes state/status.json under the release root; the
// panel only reads it.
import type { Hono } from 'hono';
import { updateSettings } from '../../appliance/update/settings.js';
import { readStatus, type UpdateOutcome } from '../../appliance/update/status.js';
import { currentVersion } from '../../appliance/update/releases.js';
import type { PanelEnv } from '../context.js';
import { page } from '../page.js';

const RESULT: Record<UpdateOutcome['result'], string> = {
  installed: 'installed',
  'rolled-back': 'rolled back (the previous release runs again, no mail lost)',
  refused: 'refused (nothing was changed)',
  postponed: 'waiting: the box was locked (it is installed after the storage is unlocked)',
  failed: 'failed',
};

function when(iso: string): string { return iso.replace('T', ' ').slice(0, 16) + ' UTC'; }

export function updatesRoutes(app: Hono<PanelEnv>): void {
  app.get('/updates', async (c) => {
    const settings = updateSettings(c.var.deps.config);
    const s = readStatus(settings.root);
    const current = await currentVersion(settings.root);
    const busy = s.phase !== 'idle';
    return page(c, 'Updates', (
      <div>
        <section aria-labelledby="h-release" {...(busy ? { 'hx-get': '/updates', 'hx-trigger': 'every 3s', 'hx-select': 'main', 'hx-target': 'main', 'hx-swap': 'outerHTML' } : {})}>
          <h2 id="h-release">This box runs</h2>
          <p id="update-current">{current ? <>Postern <strong>{current}</strong></> : 'a development copy (no installed release)'}</p>
          {busy ? <p id="update-progress" role="status">Updating to {s.target ?? 'a new release'}: {s.progress ?? s.phase}…</p> : null}
          {s.available ? <p id="update-available">The release feed offers Postern <strong>{s.available.version}</strong>{s.available.notes ? `: ${s.available.notes}` : ''} (checked {when(s.available.checkedAt)}).{current && s.available.version !== current ? ` It installs itself between ${settings.window ?? 'the night\'s window'}.` : ''}</p> : null}
          {s.last ? (
            <p id="update-last">Last update, {when(s.last.at)}: {s.last.from ? `${s.last.from} → ` : ''}{s.last.to === '?' ? 'a bundle' : s.last.to}: <strong>{RESULT[s.last.result]}</strong>.
              {s.last.reason ? <> Why: {s.last.reason}.</> : null}
              {s.last.redelivered ? ` ${s.last.redelivered} message(s) that arrived during the attempt were delivered again.` : ''}</p>
          ) : <p>No update has run on this box yet.</p>}
          {s.previous && s.backupPoint ? <p>The previous release, {s.previous}, is kept: <code>postern update rollback</code> goes back to it with every message received since.</p> : null}
        </section>
        {s.history.length ? (
          <section aria-labelledby="h-history">
            <h2 id="h-history">History</h2>
            <table>
              <thead><tr><th scope="col">When</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Result</th><th scope="col">Mail paused</th><th scope="col">Why</th></tr></thead>
              <tbody>
                {s.history.map((h) => (
                  <tr>
                    <td>{when(h.at)}</td><td>{h.from ?? ''}</td><td>{h.to}</td><td>{h.result}</td>
                    <td>{h.downtimeMs !== undefined ? `${(h.downtimeMs / 1000).toFixed(1)} s` : ''}</td><td>{h.reason ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ) : null}
        <section aria-labelledby="h-how">
          <h2 id="h-how">How updates work</h2>
          <p>Releases are signed; a bundle whose signature or any file does not check out is refused before anything changes.
            {settings.feed ? ` The box looks for new releases every night and installs them between ${settings.window}.` : ' No release feed is set: a bundle can be installed from a USB disk with postern update apply FILE.'}
            {' '}The new release must pass a self-test (receiving mail, signing in over IMAP, this panel) within {settings.healthSeconds} seconds, otherwise the box goes back to the previous release by itself, with the mail that arrived meanwhile.</p>
        </section>
      </div>
    ));
  });
}
