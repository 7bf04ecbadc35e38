export class PgpError extends Error {
    code;
    constructor(code, message) {
        super(message);
        this.code = code;
        this.name = 'PgpError';
    }
}
//# sourceMappingURL=errors.js.map