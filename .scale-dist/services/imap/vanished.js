export function vanishedSince(store, mailboxId, modseq, floor = 0) {
    const mb = store.mailboxes.byId(mailboxId);
    if (!mb)
        return [];
    // In this order: anything below this UIDNEXT is then either listed, or in the log, or unrecorded.
    const count = store.mailboxes.status(mailboxId).messages;
    const logged = store.messages.expungedSince(mailboxId, 0);
    const recorded = store.messages.expungedSince(mailboxId, modseq);
    if (count + logged.length >= mb.uidNext - 1)
        return recorded;
    const seen = new Set(logged);
    for (const m of store.messages.list(mailboxId))
        seen.add(m.uid);
    const out = [...recorded];
    for (let u = floor + 1; u < mb.uidNext; u++)
        if (!seen.has(u))
            out.push(u);
    return out.sort((a, b) => a - b);
}
//# sourceMappingURL=vanished.js.map