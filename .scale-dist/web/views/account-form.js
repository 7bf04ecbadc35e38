import { jsx as _jsx, jsxs as _jsxs } from "hono/jsx/jsx-runtime";
// The form that adds an account (the accounts page and the first-run step share it).
import { storeOf } from '../context.js';
import { PostForm } from '../page.js';
import { Field } from './layout.js';
export function AddAccountForm(props) {
    const { c } = props;
    const domains = storeOf(c).domains.list();
    return (_jsxs(PostForm, { action: "/accounts", csrf: c.var.session?.csrf, label: "Add an account", children: [_jsx("input", { type: "hidden", name: "next", value: props.next }), _jsxs("p", { class: "field", children: [_jsx("label", { for: "f-local", children: "Address" }), _jsx("input", { id: "f-local", name: "local", type: "text", required: true, autocomplete: "off", "aria-describedby": "f-local-hint" }), _jsx("small", { id: "f-local-hint", children: "The part before the @, for example ben." })] }), _jsxs("p", { class: "field", children: [_jsx("label", { for: "f-domain", children: "Domain" }), _jsx("select", { id: "f-domain", name: "domain", children: domains.map((d) => _jsxs("option", { value: d, children: ["@", d] })) })] }), _jsx(Field, { name: "password", label: "First password (at least 12 characters)", type: "password", required: true, autocomplete: "new-password", hint: "Tell it to the person; they can change it after signing in." }), _jsxs("p", { class: "field", children: [_jsx("label", { for: "f-role", children: "Role" }), _jsxs("select", { id: "f-role", name: "role", children: [_jsx("option", { value: "member", children: "Member: own mail and devices" }), _jsx("option", { value: "admin", children: "Administrator: manages the box" })] })] }), _jsx("button", { type: "submit", children: "Add account" })] }));
}
//# sourceMappingURL=account-form.js.map