const OURS = new Set(['\\Sent', '\\Drafts', '\\Junk', '\\Trash', '\\Archive']);
const DEFAULT_NAME = { '\\Sent': 'Sent', '\\Drafts': 'Drafts', '\\Junk': 'Junk', '\\Trash': 'Trash', '\\Archive': 'Archive' };
const GMAIL_ROOT = /^\[(Gmail|Google Mail)\]$/i;
/** One level of a name as our mailboxes can hold it. */
export function cleanLevel(level) {
    const s = level.normalize('NFC').replace(/[\x00-\x1f\x7f*%/]/g, '_').trim();
    return s.length ? s : '_';
}
/** Our mailbox name for a provider's folder path (without special use). */
export function mailboxNameFor(path, delimiter) {
    const levels = delimiter ? path.split(delimiter) : [path];
    if (levels.length > 1 && GMAIL_ROOT.test(levels[0]))
        levels.shift();
    if (/^inbox$/i.test(levels[0]))
        levels[0] = 'INBOX';
    return levels.map(cleanLevel).join('/');
}
export function planFolder(f) {
    const flags = new Set([...f.flags].map((x) => x.toLowerCase()));
    if (flags.has('\\noselect') || flags.has('\\nonexistent'))
        return { kind: 'skip', why: 'holds no messages (\\Noselect)' };
    if (/^inbox$/i.test(f.path))
        return { kind: 'import', target: 'INBOX', specialUse: null, allMail: false };
    const use = f.specialUse;
    if (use === '\\Flagged')
        return { kind: 'skip', why: 'a view of flagged messages kept in other folders (their flag is imported)' };
    if (flags.has('\\important') || /^\[(Gmail|Google Mail)\][/.]Important$/i.test(f.path))
        return { kind: 'skip', why: "Gmail's Important view of messages kept in other folders" };
    if (use === '\\All')
        return { kind: 'import', target: DEFAULT_NAME['\\Archive'], specialUse: '\\Archive', allMail: true };
    if (use && OURS.has(use))
        return { kind: 'import', target: DEFAULT_NAME[use], specialUse: use, allMail: false };
    return { kind: 'import', target: mailboxNameFor(f.path, f.delimiter), specialUse: null, allMail: false };
}
/** The order folders are imported in: INBOX, then the others, \All last (it skips what the others brought). */
export function folderOrder(a, b) {
    const rank = (x) => (x.plan.kind === 'import' && x.plan.allMail ? 2 : /^inbox$/i.test(x.path) ? 0 : 1);
    return rank(a) - rank(b) || a.path.localeCompare(b.path);
}
/** The account's mailbox for a plan: by special use when it has one, else by name, created when missing. */
export function targetMailbox(store, accountId, plan) {
    if (plan.specialUse) {
        const m = store.mailboxes.bySpecialUse(accountId, plan.specialUse);
        if (m)
            return m;
    }
    const existing = store.mailboxes.get(accountId, plan.target);
    if (existing)
        return existing;
    try {
        return store.mailboxes.create(accountId, plan.target, plan.specialUse && !store.mailboxes.bySpecialUse(accountId, plan.specialUse) ? plan.specialUse : null);
    }
    catch (e) {
        const again = store.mailboxes.get(accountId, plan.target);
        if (again)
            return again;
        throw e;
    }
}
//# sourceMappingURL=folders.js.map