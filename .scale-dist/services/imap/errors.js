// Errors a command handler raises: BAD for syntax (RFC 9051 7.1.3), NO for a refused operation
// (7.1.2), each with an optional response code (7.1: [TRYCREATE], [OVERQUOTA], [NONEXISTENT], ...).
export class ImapError extends Error {
    status;
    code;
    constructor(status, message, code) {
        super(message);
        this.status = status;
        this.code = code;
        this.name = 'ImapError';
    }
}
export const bad = (message, code) => new ImapError('BAD', message, code);
export const no = (message, code) => new ImapError('NO', message, code);
//# sourceMappingURL=errors.js.map