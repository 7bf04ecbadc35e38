// Errors of the OpenPGP service: one sentence the CLI and the panel show as they are.
export type PgpErrorCode =
  | 'no-key'          // the account has no OpenPGP key yet
  | 'not-found'       // no such key change
  | 'auth'            // wrong password or recovery code
  | 'needs-recovery'  // the password copy was dropped by an admin reset: use the recovery code
  | 'corrupt'         // stored key material does not decode or does not match its fingerprint
  | 'invalid';        // an imported key or a header is not usable

export class PgpError extends Error {
  constructor(readonly code: PgpErrorCode, message: string) {
    super(message);
    this.name = 'PgpError';
  }
}
