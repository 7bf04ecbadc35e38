/** A failure the user can act on: printed as one sentence, exit code `code`. */
export class UsageError extends Error {
    code;
    constructor(message, code = 2) {
        super(message);
        this.code = code;
        this.name = 'UsageError';
    }
}
//# sourceMappingURL=command.js.map