export const ANY = ['not-authenticated', 'authenticated', 'selected'];
export const AUTHED = ['authenticated', 'selected'];
export const SELECTED = ['selected'];
//# sourceMappingURL=session-state.js.map