// The page frame: one stylesheet, htmx and one small script, all from 'self' (no inline script or
// style, so the strict Content-Security-Policy holds). The CSRF token is in a meta tag for htmx
// requests (panel.js copies it into a header) and in a hidden field of every form.
import type { Child } from 'hono/jsx';
import { assetUrl } from '../static.js';

export interface Viewer {
  /** signed-in address, if any */
  address?: string;
  role?: 'admin' | 'member';
  csrf?: string;
  flash?: string;
  secret?: { label: string; value: string };
}

const HTMX_CONFIG = JSON.stringify({
  allowEval: false,
  includeIndicatorStyles: false,
  allowScriptTags: false,
  historyCacheSize: 0,
  selfRequestsOnly: true,
  // Copying a style attribute across a swap would be an inline style, which the CSP refuses.
  attributesToSettle: ['class', 'width', 'height'],
  // Error pages (a refused form, a wrong password) replace the main region like any page does.
  responseHandling: [{ code: '204', swap: false }, { code: '[2345]..', swap: true, error: false }],
});

function Nav(props: { viewer: Viewer; current: string }) {
  const { viewer, current } = props;
  const link = (href: string, label: string) => (
    <li><a href={href} aria-current={current === href ? 'page' : undefined}>{label}</a></li>
  );
  if (!viewer.address) return current === '/setup' || current === '/unlock' ? null : <nav aria-label="Main"><ul>{link('/signin', 'Sign in')}</ul></nav>;
  return (
    <nav aria-label="Main">
      <ul>
        {viewer.role === 'admin' ? (
          <>
            {link('/dashboard', 'Overview')}
            {link('/accounts', 'Accounts')}
            {link('/aliases', 'Aliases')}
            {link('/domains', 'Domains')}
            {link('/queue', 'Outgoing mail')}
            {link('/peers', 'Onion peers')}
            {link('/onion-access', 'Panel over Tor')}
            {link('/updates', 'Updates')}
            {link('/logs', 'Log')}
          </>
        ) : null}
        {link('/devices', 'Set up devices')}
        {link('/openpgp', 'Encryption key')}
        {link('/openpgp', 'OpenPGP key')}
        {link('/junk', 'Junk mail')}
        {link('/import', 'Move your mail in')}
        {link('/password', 'Change password')}
        <li>
          <form method="post" action="/signout" class="inline">
            <input type="hidden" name="_csrf" value={viewer.csrf ?? ''} />
            <button type="submit" class="link">Sign out ({viewer.address})</button>
          </form>
        </li>
      </ul>
    </nav>
  );
}

export function Layout(props: { title: string; viewer: Viewer; current?: string; children?: Child }) {
  const { title, viewer } = props;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content={HTMX_CONFIG} />
        {viewer.csrf ? <meta name="csrf-token" content={viewer.csrf} /> : null}
        <link rel="icon" href="data:," />
        <title>{title} · Postern</title>
        <link rel="stylesheet" href={assetUrl('panel.css')} />
        <script src={assetUrl('htmx.min.js')} defer></script>
        <script src={assetUrl('panel.js')} defer></script>
      </head>
      <body>
        <a class="skip" href="#main">Skip to the page content</a>
        <header>
          <p class="brand"><a href="/">Postern</a></p>
          <Nav viewer={viewer} current={props.current ?? ''} />
        </header>
        <main id="main">
          <h1>{title}</h1>
          {viewer.flash ? <p class="notice" role="status">{viewer.flash}</p> : null}
          {viewer.secret ? (
            <section class="card" aria-labelledby="secret-label">
              <h2 id="secret-label">{viewer.secret.label}</h2>
              <p>Write this down now and keep it somewhere safe. Postern shows it only this once.</p>
              <p class="secret" id="secret-value">{viewer.secret.value}</p>
              <button type="button" class="secondary" data-copy="secret-value">Copy</button>
            </section>
          ) : null}
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** The hidden CSRF field every form carries. */
export function Csrf(props: { token: string | undefined }) {
  return <input type="hidden" name="_csrf" value={props.token ?? ''} />;
}

/** A labelled input. */
export function Field(props: { name: string; label: string; type?: string; value?: string; required?: boolean; hint?: string; autocomplete?: string; id?: string; min?: string }) {
  const id = props.id ?? `f-${props.name}`;
  return (
    <p class="field">
      <label for={id}>{props.label}</label>
      <input id={id} name={props.name} type={props.type ?? 'text'} value={props.value} required={props.required} autocomplete={props.autocomplete}
        min={props.min} aria-describedby={props.hint ? `${id}-hint` : undefined} />
      {props.hint ? <small id={`${id}-hint`}>{props.hint}</small> : null}
    </p>
  );
}

/** A problem with what was submitted, read out by screen readers. */
export function ErrorNote(props: { message: string | undefined }) {
  return props.message ? <p class="error" role="alert">{props.message}</p> : null;
}
