// Rendering helpers shared by the routes: a whole page with its doctype, the viewer (who is signed
// in, the CSRF token, the one-time notice), redirects that htmx follows, and error pages.
import type { Child } from 'hono/jsx';
import type { PanelContext } from './context.js';
import { Layout, type Viewer } from './views/layout.js';

export function viewerOf(c: PanelContext): Viewer {
  const s = c.var.session;
  const a = c.var.account;
  const v: Viewer = {};
  if (s) {
    v.csrf = s.csrf;
    if (s.flash) { v.flash = s.flash; delete s.flash; }
    if (s.secret) { v.secret = s.secret; delete s.secret; }
  }
  if (a) { v.address = a.address; v.role = a.role; }
  return v;
}

export function page(c: PanelContext, title: string, body: Child, opts: { status?: 200 | 400 | 401 | 403 | 404 | 409 | 422 | 429 | 500 | 503; current?: string } = {}): Response {
  // htmx swaps the main region: the address bar shows the page that was finally rendered (a GET
  // after a form's redirect), never a POST-only address.
  if (c.req.header('hx-request') && c.req.header('hx-target') === 'main') {
    c.header('HX-Push-Url', c.req.method === 'GET' ? c.req.url.slice(new URL(c.req.url).origin.length) : 'false');
  }
  const html = '<!DOCTYPE html>' + String(<Layout title={title} viewer={viewerOf(c)} current={opts.current ?? c.req.path}>{body}</Layout>);
  return c.html(html, opts.status ?? 200);
}

/** After a successful POST: remember a notice for the next page and send the browser there (303:
 *  the next request is a GET, so reloading does not post again; htmx follows it too). */
export function done(c: PanelContext, to: string, notice?: string): Response {
  if (notice && c.var.session) c.var.session.flash = notice;
  return c.redirect(to, 303);
}

/** A form that posts normally without JavaScript; with htmx it replaces only the main region.
 *  `whole`: a form that changes who is signed in (sign-in, setup, unlock) reloads the whole page. */
export function PostForm(props: { action: string; csrf: string | undefined; children?: Child; class?: string; label?: string; whole?: boolean }) {
  const hx = props.whole ? {} : { 'hx-post': props.action, 'hx-target': '#main', 'hx-select': '#main', 'hx-swap': 'outerHTML' };
  return (
    <form method="post" action={props.action} class={props.class} aria-label={props.label} {...hx}>
      <input type="hidden" name="_csrf" value={props.csrf ?? ''} />
      {props.children}
    </form>
  );
}

/** A row's "Remove" button: a PostForm whose hidden fields name the row. */
export function RemoveForm(props: { action: string; csrf: string | undefined; label: string; fields: Record<string, string> }) {
  return (
    <PostForm action={props.action} csrf={props.csrf} label={props.label}>
      {Object.entries(props.fields).map(([name, value]) => <input type="hidden" name={name} value={value} />)}
      <button type="submit" class="danger">Remove</button>
    </PostForm>
  );
}

/** The value of a form field as a trimmed string ('' when missing or a file). */
export async function formFields(c: PanelContext): Promise<(name: string) => string> {
  const body = await c.req.parseBody();
  return (name) => {
    const v = body[name];
    return typeof v === 'string' ? v.trim() : '';
  };
}

/** The raw value (passwords are not trimmed). */
export async function formRaw(c: PanelContext): Promise<(name: string) => string> {
  const body = await c.req.parseBody();
  return (name) => {
    const v = body[name];
    return typeof v === 'string' ? v : '';
  };
}
