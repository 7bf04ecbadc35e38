/** The open store; routes that need it are only reachable while the box is unlocked (access.ts). */
export function storeOf(c) {
    const s = c.var.deps.appliance.store;
    if (!s)
        throw new Error('the store is locked');
    return s;
}
/** The signed-in account; only called from routes the access table limits to signed-in users. */
export function accountOf(c) {
    const a = c.var.account;
    if (!a)
        throw new Error('not signed in');
    return a;
}
export function sessionOf(c) {
    const s = c.var.session;
    if (!s)
        throw new Error('no session');
    return s;
}
//# sourceMappingURL=context.js.map