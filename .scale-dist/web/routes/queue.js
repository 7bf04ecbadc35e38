import { jsx as _jsx, jsxs as _jsxs, Fragment as _Fragment } from "hono/jsx/jsx-runtime";
import { log } from '../../appliance/log.js';
import { StoreError } from '../../appliance/store/index.js';
import { storeOf } from '../context.js';
import { done, page, PostForm } from '../page.js';
import { ErrorNote } from '../views/layout.js';
function when(ms) {
    return new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}
function queuePage(c, error) {
    const entries = storeOf(c).queue.list();
    const csrf = c.var.session?.csrf;
    return page(c, 'Outgoing mail', (_jsxs(_Fragment, { children: [_jsx(ErrorNote, { message: error }), _jsx("section", { id: "queue", children: entries.length === 0 ? _jsx("p", { children: "No mail is waiting to be sent." }) : (_jsxs("table", { children: [_jsx("caption", { children: "Messages waiting to be delivered, oldest first" }), _jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: "From" }), _jsx("th", { scope: "col", children: "To" }), _jsx("th", { scope: "col", children: "Queued" }), _jsx("th", { scope: "col", children: "Attempts and last answer" }), _jsx("th", { scope: "col", children: "Next try" }), _jsx("th", { scope: "col", children: "Actions" })] }) }), _jsx("tbody", { children: entries.map((e) => (_jsxs("tr", { id: `q-${e.id}`, children: [_jsx("td", { children: e.mailFrom || '(bounce)' }), _jsx("td", { children: e.recipients.filter((r) => r.status === 'pending').map((r) => r.address).join(', ') }), _jsx("td", { children: when(e.createdAt) }), _jsxs("td", { children: [e.attempts, " ", e.lastReply ? _jsx("code", { children: e.lastReply }) : null] }), _jsx("td", { children: e.nextAttemptAt <= Date.now() ? 'now' : when(e.nextAttemptAt) }), _jsxs("td", { class: "actions", children: [_jsx(PostForm, { action: `/queue/${e.id}/retry`, csrf: csrf, label: `Retry message ${e.id}`, children: _jsx("button", { type: "submit", class: "secondary", children: "Retry now" }) }), _jsx(PostForm, { action: `/queue/${e.id}/remove`, csrf: csrf, label: `Delete message ${e.id}`, children: _jsx("button", { type: "submit", class: "danger", children: "Delete" }) })] })] }))) })] })) })] })), { status: error ? 400 : 200 });
}
function entryId(c) {
    const id = Number(c.req.param('id'));
    return Number.isSafeInteger(id) && id > 0 ? id : 0;
}
export function queueRoutes(app) {
    app.get('/queue', (c) => queuePage(c));
    app.post('/queue/:id/retry', (c) => {
        const id = entryId(c);
        try {
            storeOf(c).queue.retry(id);
        }
        catch (e) {
            if (e instanceof StoreError)
                return queuePage(c, 'That message is no longer waiting (it was delivered or deleted).');
            throw e;
        }
        log.info('panel.queue-retry', { id });
        return done(c, '/queue', 'The message will be tried again now.');
    });
    app.post('/queue/:id/remove', (c) => {
        const id = entryId(c);
        const store = storeOf(c);
        try {
            store.queue.remove(id);
        }
        catch (e) {
            if (e instanceof StoreError)
                return queuePage(c, 'That message is no longer waiting (it was delivered or deleted).');
            throw e;
        }
        store.reclaim();
        log.info('panel.queue-remove', { id });
        return done(c, '/queue', 'The message is deleted and will not be sent.');
    });
}
//# sourceMappingURL=queue.js.map