// Errors a command handler raises: BAD for syntax (RFC 9051 7.1.3), NO for a refused operation
// (7.1.2), each with an optional response code (7.1: [TRYCREATE], [OVERQUOTA], [NONEXISTENT], ...).
export class ImapError extends Error {
  constructor(readonly status: 'BAD' | 'NO', message: string, readonly code?: string) {
    super(message);
    this.name = 'ImapError';
  }
}

export const bad = (message: string, code?: string): ImapError => new ImapError('BAD', message, code);
export const no = (message: string, code?: string): ImapError => new ImapError('NO', message, code);
