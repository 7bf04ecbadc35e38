// The one place the panel turns an error a service reports about the visitor's input (StoreError,
// PgpError: a bad name, a wrong password, something missing) into the sentence it shows; any other
// error is a fault, shown as the generic error page with the details in the log (app.tsx).
import { StoreError } from '../../appliance/store/index.js';
import { PgpError } from '../../services/pgp/errors.js';
/** A message as a sentence: capital first letter, a full stop unless it ends with one. */
export function sentence(message) {
    const m = message.trim();
    if (!m)
        return m;
    const s = m.charAt(0).toUpperCase() + m.slice(1);
    return /[.!?]$/.test(s) ? s : `${s}.`;
}
/** The sentence for an input problem, or undefined when the error is not one (rethrow it). */
export function problemOf(e) {
    if (e instanceof StoreError || e instanceof PgpError)
        return sentence(e.message);
    return undefined;
}
//# sourceMappingURL=problem.js.map