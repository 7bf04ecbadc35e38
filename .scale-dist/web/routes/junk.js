import { jsx as _jsx, jsxs as _jsxs, Fragment as _Fragment } from "hono/jsx/jsx-runtime";
import { accountOf, storeOf } from '../context.js';
import { done, formRaw, page, PostForm } from '../page.js';
import { ErrorNote } from '../views/layout.js';
import { decodeWords, parseHeaderFields } from '../../appliance/mail/header.js';
const SHOWN = 25;
function junkPage(c, error) {
    const store = storeOf(c);
    const account = accountOf(c);
    const csrf = c.var.session?.csrf;
    const s = store.junk.state(account.id);
    const box = store.mailboxes.get(account.id, 'Junk');
    const rows = box ? store.messages.list(box.id).slice(-SHOWN).reverse().map((m) => {
        const fields = parseHeaderFields(store.messages.blob(m.blobId).headers);
        const get = (k) => decodeWords(fields.find((f) => f.key === k)?.value ?? '');
        return { uid: m.uid, from: get('from'), subject: get('subject'), score: get('x-spam-score'), risk: m.flags.includes('$AttachmentRisk') };
    }) : [];
    const ready = s.spamTrained >= s.minTrained && s.hamTrained >= s.minTrained;
    return page(c, 'Junk mail', (_jsxs(_Fragment, { children: [_jsx(ErrorNote, { message: error }), _jsxs("section", { "aria-labelledby": "learned", children: [_jsx("h2", { id: "learned", children: "What the filter learned" }), _jsx("p", { children: "It learns from what you do in your mail app: moving a message into Junk teaches it spam, moving one out of Junk teaches it that such mail is wanted. Mail from people you wrote to, or kept mail from, is never put in Junk." }), _jsxs("table", { children: [_jsx("caption", { class: "visually-hidden", children: "Junk filter counts" }), _jsxs("tbody", { children: [_jsxs("tr", { children: [_jsx("th", { scope: "row", children: "Trained as junk" }), _jsx("td", { id: "junk-spam", children: s.spamTrained })] }), _jsxs("tr", { children: [_jsx("th", { scope: "row", children: "Trained as wanted" }), _jsx("td", { id: "junk-ham", children: s.hamTrained })] }), _jsxs("tr", { children: [_jsx("th", { scope: "row", children: "Caught" }), _jsxs("td", { id: "junk-caught", children: [s.caught, " of ", s.delivered, " messages received"] })] }), _jsxs("tr", { children: [_jsx("th", { scope: "row", children: "Correspondents (never junked)" }), _jsx("td", { children: store.junk.correspondents(account.id) })] })] })] }), ready ? null : _jsxs("p", { children: ["The filter files nothing in Junk until it has learned ", s.minTrained, " junk and ", s.minTrained, " wanted messages."] })] }), _jsxs("section", { "aria-labelledby": "settings", children: [_jsx("h2", { id: "settings", children: "Settings" }), _jsxs(PostForm, { action: "/junk/settings", csrf: csrf, label: "Junk filter settings", children: [_jsxs("p", { class: "field", children: [_jsx("label", { for: "f-threshold", children: "Threshold: a message scoring at least this (0.50 to 0.999) goes to Junk. Higher means fewer mistakes and more junk left in the INBOX." }), _jsx("input", { id: "f-threshold", name: "threshold", type: "number", min: "0.5", max: "0.999", step: "0.001", value: String(s.threshold), required: true })] }), _jsx("p", { class: "field", children: _jsxs("label", { children: [_jsx("input", { type: "checkbox", name: "risky", value: "on", checked: s.riskyToJunk }), " Put mail with risky attachments (programs, macros, disguised files) from unknown senders in Junk"] }) }), _jsx("button", { type: "submit", children: "Save" })] })] }), _jsxs("section", { "aria-labelledby": "in-junk", children: [_jsx("h2", { id: "in-junk", children: "Newest in Junk" }), rows.length === 0 ? _jsx("p", { children: "Junk is empty." }) : (_jsxs("table", { children: [_jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: "From" }), _jsx("th", { scope: "col", children: "Subject" }), _jsx("th", { scope: "col", children: "Score" }), _jsx("th", { scope: "col", children: _jsx("span", { class: "visually-hidden", children: "Action" }) })] }) }), _jsx("tbody", { children: rows.map((r) => (_jsxs("tr", { children: [_jsx("td", { children: r.from }), _jsxs("td", { children: [r.subject, r.risk ? ' (risky attachment)' : ''] }), _jsx("td", { children: r.score || '-' }), _jsx("td", { children: _jsxs(PostForm, { action: "/junk/not-junk", csrf: csrf, label: `Not junk: ${r.subject}`, children: [_jsx("input", { type: "hidden", name: "uid", value: String(r.uid) }), _jsx("button", { type: "submit", children: "Not junk" })] }) })] }))) })] }))] })] })), { ...(error ? { status: 422 } : {}), current: '/junk' });
}
export function junkRoutes(app) {
    app.get('/junk', (c) => junkPage(c));
    app.post('/junk/settings', async (c) => {
        const raw = await formRaw(c);
        const threshold = Number(raw('threshold'));
        if (!Number.isFinite(threshold) || threshold < 0.5 || threshold > 0.999)
            return junkPage(c, 'The threshold must be a number from 0.5 to 0.999.');
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
        if (!junk || !inbox || !Number.isInteger(uid) || uid <= 0 || !store.messages.get(junk.id, uid))
            return junkPage(c, 'That message is no longer in Junk.');
        // a move like a mail app's: the filter learns it as wanted; open IMAP sessions are told
        store.messages.copy(junk.id, [uid], inbox.id, true);
        store.events.emit({ accountId: account.id, mailboxId: inbox.id, kind: 'exists' });
        store.events.emit({ accountId: account.id, mailboxId: junk.id, kind: 'expunge' });
        return done(c, '/junk', 'Moved to the INBOX; the filter learns from it.');
    });
}
//# sourceMappingURL=junk.js.map