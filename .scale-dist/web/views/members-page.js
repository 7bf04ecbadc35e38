import { jsx as _jsx, jsxs as _jsxs, Fragment as _Fragment } from "hono/jsx/jsx-runtime";
// The first-run steps' progress list and the family step (its form posts to /accounts, which
// shows this page again with the reason when it refuses an account).
import { storeOf } from '../context.js';
import { page } from '../page.js';
import { AddAccountForm } from './account-form.js';
import { ErrorNote } from './layout.js';
export function Steps(props) {
    const steps = ['Your account', 'Family accounts', 'DNS records', 'Devices'];
    return (_jsx("ol", { class: "steps", "aria-label": "Setup steps", children: steps.map((s, i) => _jsx("li", { "aria-current": i === props.at ? 'step' : undefined, children: i < props.at ? `${s} (done)` : s })) }));
}
/** The family step; `error` explains a refused account (the form posts to /accounts). */
export function membersPage(c, error) {
    const accounts = storeOf(c).accounts.list();
    return page(c, 'Add your family', (_jsxs(_Fragment, { children: [_jsx(Steps, { at: 1 }), _jsx(ErrorNote, { message: error }), _jsxs("section", { children: [_jsx("h2", { children: "Accounts so far" }), _jsx("ul", { children: accounts.map((a) => _jsxs("li", { children: [a.address, " (", a.role === 'admin' ? 'administrator' : 'member', ")"] })) })] }), _jsxs("section", { children: [_jsx("h2", { children: "Add an account" }), _jsx(AddAccountForm, { c: c, next: "/welcome/members" })] }), _jsx("p", { children: _jsx("a", { class: "button", href: "/welcome/dns", children: "Next: DNS records" }) })] })), { status: error ? 400 : 200, current: '/welcome/members' });
}
//# sourceMappingURL=members-page.js.map