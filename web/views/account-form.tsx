// The form that adds an account (the accounts page and the first-run step share it).
import { storeOf, type PanelContext } from '../context.js';
import { PostForm } from '../page.js';
import { Field } from './layout.js';

export function AddAccountForm(props: { c: PanelContext; next: string }) {
  const { c } = props;
  const domains = storeOf(c).domains.list();
  return (
    <PostForm action="/accounts" csrf={c.var.session?.csrf} label="Add an account">
      <input type="hidden" name="next" value={props.next} />
      <p class="field">
        <label for="f-local">Address</label>
        <input id="f-local" name="local" type="text" required autocomplete="off" aria-describedby="f-local-hint" />
        <small id="f-local-hint">The part before the @, for example ben.</small>
      </p>
      <p class="field">
        <label for="f-domain">Domain</label>
        <select id="f-domain" name="domain">{domains.map((d) => <option value={d}>@{d}</option>)}</select>
      </p>
      <Field name="password" label="First password (at least 12 characters)" type="password" required autocomplete="new-password"
        hint="Tell it to the person; they can change it after signing in." />
      <p class="field">
        <label for="f-role">Role</label>
        <select id="f-role" name="role">
          <option value="member">Member: own mail and devices</option>
          <option value="admin">Administrator: manages the box</option>
        </select>
      </p>
      <button type="submit">Add account</button>
    </PostForm>
  );
}

