import { jsx as _jsx, jsxs as _jsxs, Fragment as _Fragment } from "hono/jsx/jsx-runtime";
import { log, redact } from '../../appliance/log.js';
import { StoreError } from '../../appliance/store/index.js';
import { storeOf } from '../context.js';
import { done, formFields, page, PostForm, RemoveForm } from '../page.js';
import { ErrorNote, Field } from '../views/layout.js';
function aliasesPage(c, error, values = {}) {
    const store = storeOf(c);
    const csrf = c.var.session?.csrf;
    const aliases = store.aliases.list();
    const accounts = store.accounts.list();
    return page(c, 'Aliases', (_jsxs(_Fragment, { children: [_jsx(ErrorNote, { message: error }), _jsxs("section", { "aria-labelledby": "h-aliases", children: [_jsx("h2", { id: "h-aliases", children: "Aliases" }), aliases.length === 0 ? _jsx("p", { children: "No aliases yet." }) : (_jsxs("table", { id: "alias-table", children: [_jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: "Alias" }), _jsx("th", { scope: "col", children: "Delivers to" }), _jsx("th", { scope: "col", children: "Action" })] }) }), _jsx("tbody", { children: aliases.map((a) => (_jsxs("tr", { children: [_jsx("td", { children: a.address }), _jsx("td", { children: a.target }), _jsx("td", { class: "actions", children: _jsx(RemoveForm, { action: "/aliases/remove", csrf: csrf, label: `Remove ${a.address}`, fields: { alias: a.address, target: a.target } }) })] }))) })] }))] }), _jsxs("section", { "aria-labelledby": "h-add-alias", children: [_jsx("h2", { id: "h-add-alias", children: "Add an alias" }), _jsxs(PostForm, { action: "/aliases", csrf: csrf, label: "Add an alias", children: [_jsx(Field, { name: "alias", label: "Alias address", type: "email", value: values.alias, required: true, hint: "For example family@smith.family." }), _jsxs("p", { class: "field", children: [_jsx("label", { for: "f-target", children: "Delivers to" }), _jsx("select", { id: "f-target", name: "target", children: accounts.map((a) => _jsx("option", { value: a.address, children: a.address })) })] }), _jsx("button", { type: "submit", children: "Add alias" })] })] })] })), { status: error ? 400 : 200 });
}
export function aliasesRoutes(app) {
    app.get('/aliases', (c) => aliasesPage(c));
    app.post('/aliases', async (c) => {
        const f = await formFields(c);
        const alias = f('alias').toLowerCase();
        try {
            storeOf(c).aliases.add(alias, f('target'));
        }
        catch (e) {
            if (e instanceof StoreError)
                return aliasesPage(c, e.message, { alias });
            throw e;
        }
        log.info('panel.alias-added', { alias: redact('addr', alias) });
        return done(c, '/aliases', `${alias} now delivers to ${f('target')}.`);
    });
    app.post('/aliases/remove', async (c) => {
        const f = await formFields(c);
        try {
            storeOf(c).aliases.remove(f('alias'), f('target') || undefined);
        }
        catch (e) {
            if (e instanceof StoreError)
                return aliasesPage(c, e.message);
            throw e;
        }
        return done(c, '/aliases', `The alias ${f('alias')} is removed.`);
    });
}
//# sourceMappingURL=aliases.js.map