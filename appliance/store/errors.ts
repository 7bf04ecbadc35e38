// Errors the store reports; protocol modules map `code` to their own answers (550 5.2.2, NO [OVERQUOTA] ...).
export type StoreErrorCode =
  | 'not-found'      // no such account, mailbox, message, domain
  | 'exists'         // already there
  | 'invalid'        // bad name or address
  | 'over-quota'     // the account is full
  | 'in-use'         // cannot remove: still referenced
  | 'auth';          // wrong password

export class StoreError extends Error {
  constructor(readonly code: StoreErrorCode, message: string) {
    super(message);
    this.name = 'StoreError';
  }
}
