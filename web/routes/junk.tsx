// The signed-in person's junk filter (appliance/junk): what it learned and caught, its threshold
// and the risky-attachment setting, and the newest messages in Junk with a "Not junk" button
// (it moves the message to the INBOX, which teaches the filter like a mail app's move does).
// Only the signed-in account: no account id in any URL.
import type { Hono } from 'hono';
import { accountOf, storeOf, type PanelContext, type PanelEnv } from '../context.js';
import { done, formRaw, page, PostForm } from '../page.js';
import { ErrorNote } from '../views/layout.js';
import { decodeWords, parseHeaderFields } from '../../appliance/mail/header.js';

const SHOWN = 25;

function junkPage(c: PanelContext, error?: string): Response {
  const store = storeOf(c);
  const account = accountOf(c);
  const csrf = c.var.session?.csrf;
  const s = store.junk.state(account.id);
  const box = store.mailboxes.get(account.id, 'Junk');
  const rows = box ? store.messages.list(box.id).slice(-SHOWN).reverse().map((m) => {
    const fields = parseHeaderFields(store.messages.blob(m.blobId).headers);
    const get = (k: string) => decodeWords(fields.find((f) => f.key === k)?.value ?? '');
    return { uid: m.uid, from: get('from'), subject: get('subject'), score: get('x-spam-score'), risk: m.flags.includes('$AttachmentRisk') };
  }) : [];
  const ready = s.spamTrained >= s.minTrained && s.hamTrained >= s.minTrained;
  return page(c, 'Junk mail', (
    <>
      <ErrorNote message={error} />
      <section aria-labelledby="learned">
        <h2 id="learned">What the filter learned</h2>
        <p>It learns from what you do in your mail app: moving a message into Junk teaches it spam, moving one out of Junk teaches it that such mail is wanted. Mail from people you wrote to, or kept mail from, is never put in Junk.</p>
        <table>
          <caption class="visually-hidden">Junk filter counts</caption>
          <tbody>
            <tr><th scope="row">Trained as junk</th><td id="junk-spam">{s.spamTrained}</td></tr>
            <tr><th scope="row">Trained as wanted</th><td id="junk-ham">{s.hamTrained}</td></tr>
            <tr><th scope="row">Caught</th><td id="junk-caught">{s.caught} of {s.delivered} messages received</td></tr>
            <tr><th scope="row">Correspondents (never junked)</th><td>{store.junk.correspondents(account.id)}</td></tr>
          </tbody>
        </table>
        {ready ? null : <p>The filter files nothing in Junk until it has learned {s.minTrained} junk and {s.minTrained} wanted messages.</p>}
      </section>
      <section aria-labelledby="settings">
        <h2 id="settings">Settings</h2>
        <PostForm action="/junk/settings" csrf={csrf} label="Junk filter settings">
          <p class="field"><label for="f-threshold">Threshold: a message scoring at least this (0.50 to 0.999) goes to Junk. Higher means fewer mistakes and more junk left in the INBOX.</label>
            <input id="f-threshold" name="threshold" type="number" min="0.5" max="0.999" step="0.001" value={String(s.threshold)} required /></p>
          <p class="field"><label><input type="checkbox" name="risky" value="on" checked={s.riskyToJunk} /> Put mail with risky attachments (programs, macros, disguised files) from unknown senders in Junk</label></p>
          <button type="submit">Save</button>
        </PostForm>
      </section>
      <section aria-labelledby="in-junk">
        <h2 id="in-junk">Newest in Junk</h2>
        {rows.length === 0 ? <p>Junk is empty.</p> : (
          <table>
            <thead><tr><th scope="col">From</th><th scope="col">Subject</th><th scope="col">Score</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>{r.from}</td>
                  <td>{r.subject}{r.risk ? ' (risky attachment)' : ''}</td>
                  <td>{r.score || '-'}</td>
                  <td>
                    <PostForm action="/junk/not-junk" csrf={csrf} label={`Not junk: ${r.subject}`}>
                      <input type="hidden" name="uid" value={String(r.uid)} />
                      <button type="submit">Not junk</button>
                    </PostForm>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  ), { ...(error ? { status: 422 as const } : {}), current: '/junk' });
}

export function junkRoutes(app: Hono<PanelEnv>): void {
  app.get('/junk', (c) => junkPage(c));

  app.post('/junk/settings', async (c) => {
    const raw = await formRaw(c);
    const threshold = Number(raw('threshold'));
    if (!Number.isFinite(threshold) || threshold < 0.5 || threshold > 0.999) return junkPage(c, 'The threshold must be a number from 0.5 to 0.999.');
    storeOf(c).junk.setSettings(accountOf(c).id, { threshold, riskyToJunk: raw('risky') === 'on' });
    return done(c, '/junk', 'Saved.');
  });

  app.post('/junk/not-junk', async (c) => {
    const raw = await formRaw(c);
    const store = storeOf(c);
    const account = accountOf(c);
    const uid = Number(raw('uid'));
    const junk = store.mailboxes.get(account.id, 'Junk');
    const inbox = store.mailboxes.get(account.id, 'INBOX');
    if (!junk || !inbox || !Number.isInteger(uid) || uid <= 0 || !store.messages.get(junk.id, uid)) return junkPage(c, 'That message is no longer in Junk.');
    // a move like a mail app's: the filter learns it as wanted; open IMAP sessions are told
    store.messages.copy(junk.id, [uid], inbox.id, true);
    store.events.emit({ accountId: account.id, mailboxId: inbox.id, kind: 'exists' });
    store.events.emit({ accountId: account.id, mailboxId: junk.id, kind: 'expunge' });
    return done(c, '/junk', 'Moved to the INBOX; the filter learns from it.');
  });
}
