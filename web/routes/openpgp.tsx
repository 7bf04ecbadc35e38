// The signed-in person's OpenPGP key (services/pgp): fingerprint and state, the public key, the
// secret key exported with the password, import of another key, recovery with the recovery code,
// encryption at rest with what it means for search, and the Autocrypt correspondents with key
// changes waiting for a decision. Only the signed-in account: no account id in any URL.
import type { Hono } from 'hono';
import { log, redact } from '../../appliance/log.js';
import { accountOf, storeOf, type PanelContext, type PanelEnv } from '../context.js';
import { done, formRaw, page, PostForm } from '../page.js';
import { ErrorNote, Field } from '../views/layout.js';
import { problemOf } from '../views/problem.js';

// OpenPGP.js (~15 MB) is loaded when the OpenPGP pages are first used, not at start (issue 20).
let keys: typeof import('../../services/pgp/account-keys.js');
let auto: typeof import('../../services/pgp/autocrypt.js');
async function loadPgp(): Promise<void> {
  keys ??= await import('../../services/pgp/account-keys.js');
  auto ??= await import('../../services/pgp/autocrypt.js');
}
import { PgpError } from '../../services/pgp/errors.js';

function grouped(fpr: string | null): string {
  return fpr ? fpr.replace(/(.{4})/g, '$1 ').trim() : '-';
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function keyPage(c: PanelContext, error?: string): Response {
  const store = storeOf(c);
  const account = accountOf(c);
  const s = keys.keyStatus(store, account.id);
  const csrf = c.var.session?.csrf;
  if (!s) {
    return page(c, 'Your OpenPGP key', (
      <section>
        <ErrorNote message={error} />
        <p>Your account has no OpenPGP key yet. Make one: Postern shows a recovery code once.</p>
        <PostForm action="/openpgp/create" csrf={csrf} label="Make a key">
          <Field name="password" label="Your password" type="password" required autocomplete="current-password" />
          <button type="submit">Make my key</button>
        </PostForm>
      </section>
    ), { status: error ? 400 : 200 });
  }
  const peers = auto.listPeers(store, account.id);
  const changes = auto.pendingKeyChanges(store, account.id);
  return page(c, 'Your OpenPGP key', (
    <>
      <ErrorNote message={error} />
      <section aria-labelledby="key">
        <h2 id="key">Your key</h2>
        <p>Fingerprint: <code id="fingerprint">{grouped(s.fingerprint)}</code></p>
        {s.passwordCopy === 'needs-recovery'
          ? <p class="error" id="needs-recovery">Your password was reset: your key opens again with your recovery code (below).</p>
          : null}
        <p>People find it through Autocrypt headers on the mail you send and through the Web Key Directory.</p>
        <p><a class="button" href="/openpgp/public.asc" download>Download your public key</a></p>
      </section>
      <section aria-labelledby="at-rest">
        <h2 id="at-rest">Encryption at rest: {s.encryptAtRest ? 'on' : 'off'}</h2>
        <p>When it is on, new mail is stored encrypted to your key, so a stolen disk reveals little. Your mail app needs your secret key to read it.</p>
        <p id="search-note">{keys.ENCRYPT_AT_REST_NOTE}</p>
        <PostForm action="/openpgp/at-rest" csrf={csrf} label="Encryption at rest">
          <input type="hidden" name="on" value={s.encryptAtRest ? 'off' : 'on'} />
          <button type="submit">{s.encryptAtRest ? 'Turn it off' : 'Turn it on'}</button>
        </PostForm>
      </section>
      <section aria-labelledby="export">
        <h2 id="export">Your secret key, for your mail app</h2>
        <p>The file is protected with your password; your mail app asks for it when you import the key.</p>
        <PostForm action="/openpgp/secret.asc" csrf={csrf} label="Export the secret key" whole>
          <Field name="password" id="f-password-export" label="Your password" type="password" required autocomplete="current-password" />
          <button type="submit">Download your secret key</button>
        </PostForm>
      </section>
      <section aria-labelledby="recover">
        <h2 id="recover">Recover with the recovery code</h2>
        <PostForm action="/openpgp/recover" csrf={csrf} label="Recover the key">
          <Field name="code" label="Recovery code" required autocomplete="off" />
          <Field name="password" id="f-password-recover" label="Your password" type="password" required autocomplete="current-password" />
          <button type="submit">Recover</button>
        </PostForm>
      </section>
      <section aria-labelledby="import">
        <h2 id="import">Use another key</h2>
        <p>Paste a secret key in ASCII armor (it must carry your address). It replaces your key here; you get a new recovery code.</p>
        <PostForm action="/openpgp/import" csrf={csrf} label="Import a key">
          <p class="field"><label for="f-armored">Secret key</label><textarea id="f-armored" name="armored" rows={6} required></textarea></p>
          <Field name="password" id="f-password-import" label="Your password" type="password" required autocomplete="current-password" />
          <Field name="passphrase" label="The key's passphrase, if not your password" type="password" autocomplete="off" />
          <button type="submit">Import</button>
        </PostForm>
      </section>
      <section aria-labelledby="peers">
        <h2 id="peers">Correspondents' keys (Autocrypt)</h2>
        {changes.length ? (
          <>
            <p class="error" id="key-changes">A correspondent's key changed. Postern keeps the old one until you decide; if you did not expect this, ask them in another way.</p>
            <ul>
              {changes.map((ch) => (
                <li>
                  <strong>{ch.addr}</strong>: <code>{grouped(ch.oldFingerprint)}</code> became <code>{grouped(ch.newFingerprint)}</code> (seen {day(ch.firstSeen)})
                  <PostForm action={`/openpgp/changes/${ch.id}/accept`} csrf={csrf} class="inline" label={`Accept the new key of ${ch.addr}`}><button type="submit">Accept the new key</button></PostForm>
                  <PostForm action={`/openpgp/changes/${ch.id}/reject`} csrf={csrf} class="inline" label={`Keep the old key of ${ch.addr}`}><button type="submit" class="secondary">Keep the old key</button></PostForm>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {peers.length ? (
          <table>
            <thead><tr><th scope="col">Address</th><th scope="col">Key</th><th scope="col">Prefers encryption</th><th scope="col">First seen</th><th scope="col">Last seen</th></tr></thead>
            <tbody>
              {peers.map((p) => (
                <tr><td>{p.addr}</td><td><code>{grouped(p.fingerprint)}</code></td><td>{p.preferEncrypt === 'mutual' ? 'yes' : 'no'}</td><td>{day(p.firstSeen)}</td><td>{day(p.lastSeen)}</td></tr>
              ))}
            </tbody>
          </table>
        ) : <p>No correspondent has sent an Autocrypt key yet.</p>}
      </section>
    </>
  ), { status: error ? 400 : 200 });
}

/** Run a form action that takes the account password; wrong passwords count toward the throttle. */
async function withPassword(c: PanelContext, action: (password: string, raw: (n: string) => string) => Promise<Response>): Promise<Response> {
  const raw = await formRaw(c);
  const key = `ip:${c.var.clientAddress}`;
  if (c.var.deps.clientThrottle.retryAfter(key) > 0) return keyPage(c, 'Too many wrong passwords. Wait a few minutes and try again.');
  try {
    return await action(raw('password'), raw);
  } catch (e) {
    if (e instanceof PgpError && e.code === 'auth') c.var.deps.clientThrottle.fail(key);
    const problem = problemOf(e);
    if (problem) return keyPage(c, problem);
    throw e;
  }
}

function showRecoveryCode(c: PanelContext, code: string): void {
  if (c.var.session) c.var.session.secret = { label: 'Your new recovery code', value: code };
}

export function openpgpRoutes(app: Hono<PanelEnv>): void {
  app.use('/openpgp', async (_c, next) => { await loadPgp(); await next(); });
  app.use('/openpgp/*', async (_c, next) => { await loadPgp(); await next(); });
  app.get('/openpgp', (c) => keyPage(c));

  app.get('/openpgp/public.asc', async (c) => {
    const account = accountOf(c);
    if (!keys.keyStatus(storeOf(c), account.id)) return c.text('no key\n', 404);
    c.header('Content-Type', 'application/pgp-keys');
    c.header('Content-Disposition', `attachment; filename="${account.address.replace(/[^a-z0-9.@_-]/gi, '_')}.asc"`);
    return c.body(await keys.exportPublicKey(storeOf(c), account.id));
  });

  app.post('/openpgp/secret.asc', (c) => withPassword(c, async (password) => {
    const account = accountOf(c);
    const armored = await keys.exportSecretKey(storeOf(c), account.id, password);
    log.info('panel.pgp.secret-exported', { user: redact('user', account.address) });
    c.header('Content-Type', 'application/pgp-keys');
    c.header('Content-Disposition', `attachment; filename="${account.address.replace(/[^a-z0-9.@_-]/gi, '_')}-secret.asc"`);
    c.header('Cache-Control', 'no-store');
    return c.body(armored);
  }));

  app.post('/openpgp/create', (c) => withPassword(c, async (password) => {
    const { recoveryCode } = await keys.createAccountKey(storeOf(c), accountOf(c).id, password);
    showRecoveryCode(c, recoveryCode);
    return done(c, '/openpgp', 'Your key is made.');
  }));

  app.post('/openpgp/recover', (c) => withPassword(c, async (password, raw) => {
    await keys.recoverAccountKey(storeOf(c), accountOf(c).id, raw('code'), password);
    return done(c, '/openpgp', 'Your key opens with your password again.');
  }));

  app.post('/openpgp/import', (c) => withPassword(c, async (password, raw) => {
    const passphrase = raw('passphrase');
    const r = await keys.importAccountKey(storeOf(c), accountOf(c).id, raw('armored'), password, passphrase || undefined);
    showRecoveryCode(c, r.recoveryCode);
    return done(c, '/openpgp', `Your key is now ${grouped(r.fingerprint)}.`);
  }));

  app.post('/openpgp/at-rest', async (c) => {
    const raw = await formRaw(c);
    const on = raw('on') === 'on';
    keys.setEncryptAtRest(storeOf(c), accountOf(c).id, on);
    return done(c, '/openpgp', on ? 'New mail will be stored encrypted.' : 'New mail will be stored as it comes.');
  });

  for (const verb of ['accept', 'reject'] as const) {
    app.post(`/openpgp/changes/:id/${verb}`, (c) => {
      const id = Number(c.req.param('id'));
      try {
        if (!Number.isInteger(id) || id <= 0) throw new PgpError('not-found', 'there is no such key change');
        auto.decideKeyChange(storeOf(c), accountOf(c).id, id, verb === 'accept');
      } catch (e) {
        const problem = problemOf(e);
        if (problem) return keyPage(c, problem);
        throw e;
      }
      return done(c, '/openpgp', verb === 'accept' ? 'The new key is taken.' : 'The old key is kept.');
    });
  }
}
