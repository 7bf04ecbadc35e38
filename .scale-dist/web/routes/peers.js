import { jsx as _jsx, Fragment as _Fragment, jsxs as _jsxs } from "hono/jsx/jsx-runtime";
import { log } from '../../appliance/log.js';
import { addPeerCard, makeOwnCard, PeerBook, PeerCardError, PeerError, peerCardQrSvg, readPeerCard } from '../../services/smtorp/index.js';
import { storeOf } from '../context.js';
import { done, formFields, page, PostForm, RemoveForm } from '../page.js';
import { ErrorNote } from '../views/layout.js';
import { svgDataUrl } from '../views/format.js';
async function peersPage(c, error, card) {
    const { config, tls } = c.var.deps;
    const csrf = c.var.session?.csrf;
    const peers = new PeerBook(storeOf(c)).list();
    let own;
    try {
        const text = makeOwnCard(config, tls);
        own = { text, qr: svgDataUrl(await peerCardQrSvg(text)) };
    }
    catch (e) {
        log.warn('panel.own-card-failed', { error: e.name });
    }
    return page(c, 'Onion peers', (_jsxs(_Fragment, { children: [_jsx(ErrorNote, { message: error }), _jsx("p", { children: "Households that both run Postern can send each other mail directly over Tor: nobody in between sees who writes to whom. Exchange cards once (in person, or over a channel you trust)." }), _jsxs("section", { "aria-labelledby": "h-own", children: [_jsx("h2", { id: "h-own", children: "Our card" }), own ? (_jsxs(_Fragment, { children: [_jsx("p", { children: "Give this text (or let them scan the code) to the other household." }), _jsx("pre", { id: "own-card", children: own.text }), _jsx("button", { type: "button", class: "secondary", "data-copy": "own-card", children: "Copy our card" }), _jsx("p", { children: _jsx("img", { class: "qr", src: own.qr, alt: "QR code of our peer card", width: 160, height: 160 }) })] })) : _jsx("p", { children: "Our card is not available: the onion keys are not there yet (Tor has not run on this box)." })] }), _jsxs("section", { "aria-labelledby": "h-peers", children: [_jsx("h2", { id: "h-peers", children: "Peers" }), peers.length === 0 ? _jsx("p", { children: "No peers yet." }) : (_jsxs("table", { children: [_jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: "Domain" }), _jsx("th", { scope: "col", children: "Their box" }), _jsx("th", { scope: "col", children: "If Tor fails" }), _jsx("th", { scope: "col", children: "Action" })] }) }), _jsx("tbody", { children: peers.map((p) => (_jsxs("tr", { children: [_jsx("td", { children: p.domain }), _jsxs("td", { children: [p.host, _jsx("br", {}), _jsx("code", { children: p.onion }), PeerBook.needsNewCard(p) ? _jsxs(_Fragment, { children: [_jsx("br", {}), _jsx("strong", { class: "old-card", children: "Old card (it pins their certificate, which changes when they add a domain): ask them for a new card." })] }) : null] }), _jsx("td", { children: p.fallbackToPublic ? 'send over the Internet' : 'wait and retry' }), _jsx("td", { class: "actions", children: _jsx(RemoveForm, { action: "/peers/remove", csrf: csrf, label: `Remove peer ${p.domain}`, fields: { domain: p.domain } }) })] }))) })] }))] }), _jsxs("section", { "aria-labelledby": "h-add-peer", children: [_jsx("h2", { id: "h-add-peer", children: "Add a peer" }), _jsxs(PostForm, { action: "/peers", csrf: csrf, label: "Add a peer", children: [_jsxs("p", { class: "field", children: [_jsx("label", { for: "f-card", children: "Their card" }), _jsx("textarea", { id: "f-card", name: "card", required: true, children: card ?? '' })] }), _jsx("p", { class: "field", children: _jsxs("label", { children: [_jsx("input", { type: "checkbox", name: "fallback", value: "yes" }), " If Tor cannot reach them, send over the Internet instead of waiting"] }) }), _jsx("button", { type: "submit", children: "Add peer" })] })] })] })), { status: error ? 400 : 200 });
}
const EFFECT = {
    new: 'new peer',
    update: 'update: a newer card from the same box',
    replace: 'REPLACES the peer we have for it (another box)',
    own: 'served by this box',
};
function confirmPage(c, text, host, effects, fallback, error) {
    const csrf = c.var.session?.csrf;
    const replacing = effects.filter((e) => e.effect === 'replace');
    return page(c, 'Confirm the peer', (_jsxs(_Fragment, { children: [_jsx(ErrorNote, { message: error }), _jsxs("section", { "aria-labelledby": "h-confirm", children: [_jsx("h2", { id: "h-confirm", children: "Check the domains on this card" }), _jsxs("p", { children: ["The card of ", _jsx("strong", { children: host }), " asks that all mail for these domains go to their box over Tor. Add it only if that household really owns every one of them."] }), _jsxs("table", { children: [_jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: "Domain" }), _jsx("th", { scope: "col", children: "What happens" })] }) }), _jsx("tbody", { children: effects.map((e) => _jsxs("tr", { children: [_jsx("td", { children: e.domain }), _jsx("td", { children: e.effect === 'replace' ? _jsxs("strong", { children: [EFFECT[e.effect], " (", _jsx("code", { children: e.onion }), ")"] }) : EFFECT[e.effect] })] })) })] }), _jsxs(PostForm, { action: "/peers", csrf: csrf, label: "Confirm the peer", children: [_jsx("input", { type: "hidden", name: "card", value: text }), _jsx("input", { type: "hidden", name: "confirm", value: "yes" }), fallback ? _jsx("input", { type: "hidden", name: "fallback", value: "yes" }) : null, replacing.length ? (_jsx("p", { class: "field", children: _jsxs("label", { children: [_jsx("input", { type: "checkbox", name: "replace", value: "yes" }), " Yes, ", replacing.map((e) => e.domain).join(', '), " moved to this new box: replace the peer we have"] }) })) : null, _jsxs("button", { type: "submit", children: ["Add peer for ", effects.map((e) => e.domain).join(', ')] })] }), _jsx("p", { children: _jsx("a", { href: "/peers", children: "Cancel" }) })] })] })), { status: error ? 400 : 200 });
}
export function peersRoutes(app) {
    app.get('/peers', (c) => peersPage(c));
    app.post('/peers', async (c) => {
        const f = await formFields(c);
        const text = f('card');
        if (!text)
            return peersPage(c, 'Paste the card the other household gave you.');
        let card;
        try {
            card = readPeerCard(text);
        }
        catch (e) {
            if (e instanceof PeerCardError)
                return peersPage(c, `That card cannot be used: ${e.message}.`, text);
            throw e;
        }
        const effects = new PeerBook(storeOf(c)).preview(card, c.var.deps.config.domains);
        const own = effects.filter((e) => e.effect === 'own');
        if (own.length)
            return peersPage(c, `That card cannot be used: it names ${own.map((e) => e.domain).join(', ')}, which this box serves itself.`, text);
        const replacing = effects.filter((e) => e.effect === 'replace');
        if (f('confirm') !== 'yes' || (replacing.length && f('replace') !== 'yes')) {
            return confirmPage(c, text, card.host, effects, f('fallback') === 'yes', f('confirm') === 'yes' ? 'Tick the box to replace the existing peer, or cancel.' : undefined);
        }
        let r;
        try {
            r = addPeerCard(storeOf(c), c.var.deps.config, text, { fallbackToPublic: f('fallback') === 'yes', replace: replacing.length > 0 });
        }
        catch (e) {
            if (e instanceof PeerCardError || e instanceof PeerError)
                return peersPage(c, `That card cannot be used: ${e.message}.`, text);
            throw e;
        }
        log.info('panel.peer-added', { domains: r.card.domains.length, replaced: r.replaced.length });
        const names = [...r.added, ...r.updated, ...r.replaced].join(', ');
        return done(c, '/peers', `Mail to ${names} now goes directly to their box over Tor.`);
    });
    app.post('/peers/remove', async (c) => {
        const f = await formFields(c);
        const ok = new PeerBook(storeOf(c)).remove(f('domain'));
        return ok ? done(c, '/peers', `${f('domain')} is no longer a peer.`) : peersPage(c, 'There is no such peer.');
    });
}
//# sourceMappingURL=peers.js.map