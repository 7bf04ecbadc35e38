// \Recent (RFC 3501 2.3.2): per mailbox, the highest UID that some session has already claimed as
// recent. A message with a larger UID is recent for the next session that selects the mailbox (or
// the selected session first told of it); the claim moves this mark inside one transaction, so two
// sessions cannot both get the same message. Existing messages count as already claimed.
export const id = '310-recent';
export const sql = `
ALTER TABLE mailboxes ADD COLUMN recent_uid INTEGER NOT NULL DEFAULT 0;
UPDATE mailboxes SET recent_uid = uid_next - 1;
`;
//# sourceMappingURL=310-recent.js.map