import { jsx as _jsx } from "hono/jsx/jsx-runtime";
// The one-time setup code as a form field and its check, shared by first-run setup and by the
// creation of encrypted storage (unlock page): both need proof that the visitor is at the box.
import { systemDir } from '../../appliance/config.js';
import { log, redact } from '../../appliance/log.js';
import { checkSetupCode, ensureSetupCode } from '../setup-code.js';
import { Field } from './layout.js';
export function SetupCodeField(props) {
    return (_jsx(Field, { name: "code", id: props.id ?? 'f-code', label: "Setup code", required: true, autocomplete: "off", hint: 'Shown on the box\'s console when it starts, or with "postern setup-code" on the box. It proves you are at the box.' }));
}
/** undefined when the code is right; else the sentence to show (wrong codes are throttled per
 *  client like passwords: 50 bits cannot be guessed at a few tries per minute). */
export function setupCodeProblem(c, input) {
    const key = `ip:${c.var.clientAddress}`;
    const wait = c.var.deps.clientThrottle.retryAfter(key);
    if (wait > 0) {
        c.header('Retry-After', String(Math.ceil(wait / 1000)));
        return `Too many wrong setup codes. Wait ${Math.ceil(wait / 60_000)} minutes and try again.`;
    }
    const dir = systemDir(c.var.deps.config);
    // Made at start; made here too if it is missing (`postern setup-code` then shows it), e.g. a
    // new encrypted storage on a box whose system folder says it was set up before.
    ensureSetupCode(dir);
    if (checkSetupCode(dir, input))
        return undefined;
    if (input)
        c.var.deps.clientThrottle.fail(key); // an empty field is no guess
    log.warn('panel.setup-code-refused', { ip: redact('ip', c.var.clientAddress) });
    return input ? 'That setup code is not right. Read it again on the box\'s console, or run "postern setup-code" on the box.'
        : 'Enter the setup code: it is shown on the box\'s console when it starts, or with "postern setup-code" on the box.';
}
//# sourceMappingURL=setup-code-field.js.map