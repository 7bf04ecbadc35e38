export class StoreError extends Error {
    code;
    logText;
    /** `message` may name an account (an admin reads it in the panel, a sender in a bounce);
     *  `logText` is the same without identifying values, what a log line may carry (log.ts's
     *  `errorText`). */
    constructor(code, message, logText) {
        super(message);
        this.code = code;
        this.logText = logText;
        this.name = 'StoreError';
    }
}
/** The database cannot be opened or prepared (a damaged file, a half-finished restore). Kept here,
 *  beside StoreError and away from the driver, so the CLI recognises it without loading SQLite. */
export class StoreOpenError extends Error {
    constructor(message) {
        super(message);
        this.name = 'StoreOpenError';
    }
}
//# sourceMappingURL=errors.js.map