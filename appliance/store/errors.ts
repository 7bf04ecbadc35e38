// Errors the store reports; protocol modules map `code` to their own answers (550 5.2.2, NO [OVERQUOTA] ...).
export type StoreErrorCode =
  | 'not-found'      // no such account, mailbox, message, domain
  | 'exists'         // already there
  | 'invalid'        // bad name or address
  | 'over-quota'     // the account is full
  | 'in-use'         // cannot remove: still referenced
  | 'auth';          // wrong password

export class StoreError extends Error {
  /** `message` may name an account (an admin reads it in the panel, a sender in a bounce);
   *  `logText` is the same without identifying values, what a log line may carry (log.ts's
   *  `errorText`). */
  constructor(readonly code: StoreErrorCode, message: string, readonly logText?: string) {
    super(message);
    this.name = 'StoreError';
  }
}

/** The database cannot be opened or prepared (a damaged file, a half-finished restore). Kept here,
 *  beside StoreError and away from the driver, so the CLI recognises it without loading SQLite. */
export class StoreOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreOpenError';
  }
}
