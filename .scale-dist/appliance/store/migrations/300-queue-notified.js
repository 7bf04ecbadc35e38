// The outbound queue remembers, per recipient, whether the sender was told about its failure: a
// bounce is sent after the failure is recorded and marked sent after it is stored, so a crash in
// between repeats the bounce rather than losing it.
export const id = '300-queue-notified';
export const sql = `
ALTER TABLE queue_recipients ADD COLUMN notified INTEGER NOT NULL DEFAULT 0;
`;
//# sourceMappingURL=300-queue-notified.js.map