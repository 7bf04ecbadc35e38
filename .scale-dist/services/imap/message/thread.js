// THREAD (RFC 5256 3): ORDEREDSUBJECT and REFERENCES over the messages a search selected, and the
// thread-list wire form "(3 6 (4 23)(44 7 96))". Pure: the caller gives each message's number
// (sequence number or UID), its sent date and the header values the algorithms read.
const byDate = (a, b) => a.sentDate - b.sentDate || a.n - b.n;
/** msg-ids of a References or In-Reply-To value ("<a@b>" ...), as written between the brackets. */
export function messageIds(value) {
    if (!value)
        return [];
    const out = [];
    for (const m of value.replace(/\([^()]*\)/g, ' ').matchAll(/<([^<>\s]+)>/g))
        out.push(m[1]);
    return out;
}
/** ORDEREDSUBJECT: by base subject, then sent date; the first message of each subject is the
 *  parent of the others; threads ordered by the sent date of their first message. */
export function orderedSubject(msgs) {
    const groups = new Map();
    for (const m of msgs) {
        const k = m.subject.toUpperCase();
        let g = groups.get(k);
        if (!g) {
            g = [];
            groups.set(k, g);
        }
        g.push(m);
    }
    const roots = [];
    for (const g of groups.values()) {
        g.sort(byDate);
        const root = { msg: g[0], children: g.slice(1).map((m) => ({ msg: m, children: [] })) };
        roots.push(root);
    }
    roots.sort((a, b) => byDate(a.msg, b.msg));
    return roots;
}
function isAncestor(a, b) {
    // is a an ancestor of b (or b itself)?
    for (let x = b; x; x = x.parent)
        if (x === a)
            return true;
    return false;
}
function link(parent, child) {
    if (child.parent)
        child.parent.children = child.parent.children.filter((c) => c !== child);
    child.parent = parent;
    parent.children.push(child);
}
function firstDate(n) {
    return n.msg ?? n.children[0]?.msg;
}
/** REFERENCES (RFC 5256 3, steps 1-6). */
export function references(msgs) {
    const table = new Map();
    const nodes = [];
    let unique = 0;
    for (const m of [...msgs].sort((a, b) => a.n - b.n)) {
        // (1) a message without a usable Message-ID, or with one an earlier message has, gets its own
        let id = m.messageId;
        if (!id || table.get(id)?.msg)
            id = `\0unique-${unique++}`;
        let node = table.get(id);
        if (!node) {
            node = { children: [], id };
            table.set(id, node);
        }
        node.msg = m;
        nodes.push(node);
        // (1.A) link the references in a chain, keeping existing links and avoiding loops
        const refs = m.references;
        let prev;
        for (const r of refs) {
            let ref = table.get(r);
            if (!ref) {
                ref = { children: [], id: r };
                table.set(r, ref);
            }
            if (prev && !ref.parent && !isAncestor(ref, prev))
                link(prev, ref);
            prev = ref;
        }
        // (1.B) the last reference is the parent: a parent guessed from another message's References
        // is broken first, and the new link is made unless it would make a loop
        if (node.parent && node.parent !== prev) {
            node.parent.children = node.parent.children.filter((c) => c !== node);
            node.parent = undefined;
        }
        if (prev && prev !== node && node.parent !== prev && !isAncestor(node, prev))
            link(prev, node);
    }
    // (2) the root set
    let roots = [...table.values()].filter((n) => !n.parent);
    // (3) prune dummies
    const prune = (list, atRoot) => {
        const out = [];
        for (const n of list) {
            n.children = prune(n.children, false);
            for (const c of n.children)
                c.parent = n;
            if (n.msg) {
                out.push(n);
                continue;
            }
            if (n.children.length === 0)
                continue;
            if (atRoot && n.children.length > 1) {
                out.push(n);
                continue;
            }
            for (const c of n.children) {
                c.parent = undefined;
                out.push(c);
            }
        }
        return out;
    };
    roots = prune(roots, true);
    for (const r of roots)
        r.parent = undefined;
    // (4) the root set by sent date (a dummy by its first child, its children sorted first)
    for (const r of roots)
        if (!r.msg)
            r.children.sort((a, b) => byDate(a.msg, b.msg));
    const rootKey = (n) => firstDate(n);
    roots.sort((a, b) => byDate(rootKey(a), rootKey(b)));
    // (5) gather threads with the same base subject
    const subjectOf = (n) => n.msg ?? n.children[0]?.msg;
    const table5 = new Map();
    for (const r of roots) {
        const s = subjectOf(r);
        if (!s || s.subject === '')
            continue;
        const k = s.subject.toUpperCase();
        const cur = table5.get(k);
        if (!cur) {
            table5.set(k, r);
            continue;
        }
        if (cur.msg && (!r.msg || (cur.msg.reply && !s.reply)))
            table5.set(k, r);
    }
    const merged = [];
    for (const r of roots) {
        if (r.parent)
            continue; // merged below a later root already
        const s = subjectOf(r);
        if (!s || s.subject === '') {
            merged.push(r);
            continue;
        }
        const k = s.subject.toUpperCase();
        const t = table5.get(k);
        if (t === r) {
            merged.push(r);
            continue;
        }
        if (!t.msg && !r.msg) {
            for (const c of r.children) {
                c.parent = t;
                t.children.push(c);
            }
        }
        else if (!t.msg && r.msg) {
            link(t, r);
        }
        else if (r.msg && r.msg.reply && t.msg && !t.msg.reply) {
            link(t, r);
        }
        else {
            const dummy = { children: [] };
            const at = merged.indexOf(t);
            link(dummy, t);
            link(dummy, r);
            t.parent = dummy;
            if (at >= 0)
                merged[at] = dummy;
            else
                merged.push(dummy);
            table5.set(k, dummy);
        }
    }
    // (6) every set of siblings by sent date, deepest first (a dummy by its first child)
    const sortTree = (n) => {
        for (const c of n.children)
            sortTree(c);
        n.children.sort((a, b) => byDate(firstDate(a), firstDate(b)));
    };
    for (const r of merged)
        sortTree(r);
    merged.sort((a, b) => byDate(firstDate(a), firstDate(b)));
    return merged;
}
function render(n) {
    let s = n.msg ? String(n.msg.n) : '';
    if (n.children.length === 1 && n.msg)
        s += ' ' + render(n.children[0]);
    else if (n.children.length >= 1)
        s += (n.msg ? ' ' : '') + n.children.map((c) => `(${render(c)})`).join('');
    return s;
}
/** The thread-list of a THREAD response (without "THREAD "). */
export function formatThreads(roots) {
    return roots.map((r) => `(${render(r)})`).join('');
}
//# sourceMappingURL=thread.js.map