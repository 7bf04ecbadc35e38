// Delivery status notification requests (RFC 3461) kept with queued mail: RET (FULL or HDRS) per
// message next to the existing envid, NOTIFY (NEVER, or a list of SUCCESS, FAILURE, DELAY) and
// ORCPT (addr-type;address, xtext-decoded) per recipient. NULL means "not given": the defaults.
export const id = '330-dsn';
export const sql = `
ALTER TABLE queue ADD COLUMN ret TEXT CHECK (ret IS NULL OR ret IN ('FULL', 'HDRS'));
ALTER TABLE queue_recipients ADD COLUMN notify TEXT;
ALTER TABLE queue_recipients ADD COLUMN orcpt TEXT;
`;
//# sourceMappingURL=330-dsn.js.map