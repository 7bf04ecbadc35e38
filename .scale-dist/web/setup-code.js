// The one-time setup code. Until the household's administrator exists, the first-run pages (the
// setup wizard, and in LUKS mode the creation of the encrypted storage) ask for a code that only
// someone at the box can read: the appliance prints it on its console (the journal) at start, and
// `postern setup-code` shows it on the box. So a new box on the LAN cannot be taken over by
// whoever finds its panel first. The code lives in the system folder (readable while locked),
// mode 0600; when setup is done it is deleted and a marker says so.
import { randomInt, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
/** No 0/O or 1/I: the code is read off a screen and typed. 10 symbols of 32: 50 bits. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const LENGTH = 10;
const CODE_FILE = 'setup-code';
const DONE_FILE = 'setup-done';
export function setupCodeFile(systemDir) {
    return join(systemDir, CODE_FILE);
}
/** "ABCDE-FGHJK" for display. */
export function formatSetupCode(code) {
    return `${code.slice(0, 5)}-${code.slice(5)}`;
}
/** What a person typed, without spaces, dashes or case (and 0/1 read as O/I are not in the set). */
export function normalizeSetupCode(input) {
    return input.toUpperCase().replace(/[\s-]/g, '');
}
/** The current code, or undefined (setup done, or never made). */
export function readSetupCode(systemDir) {
    try {
        const code = normalizeSetupCode(readFileSync(setupCodeFile(systemDir), 'utf8'));
        return code.length === LENGTH ? code : undefined;
    }
    catch {
        return undefined;
    }
}
export function isSetupComplete(systemDir) {
    return existsSync(join(systemDir, DONE_FILE));
}
/** The code, made now (mode 0600, atomically) if there is none. */
export function ensureSetupCode(systemDir) {
    const had = readSetupCode(systemDir);
    if (had)
        return { code: had, created: false };
    let code = '';
    for (let i = 0; i < LENGTH; i++)
        code += ALPHABET[randomInt(ALPHABET.length)];
    mkdirSync(systemDir, { recursive: true, mode: 0o700 });
    const file = setupCodeFile(systemDir);
    writeFileSync(file + '.tmp', formatSetupCode(code) + '\n', { mode: 0o600 });
    renameSync(file + '.tmp', file);
    // Setting up again (a new storage, no administrator): the next locked start prints the code.
    try {
        unlinkSync(join(systemDir, DONE_FILE));
    }
    catch { /* not there */ }
    return { code, created: true };
}
/** The administrator exists: the code is no longer needed nor accepted. */
export function completeSetup(systemDir) {
    writeFileSync(join(systemDir, DONE_FILE), `${new Date().toISOString()}\n`, { mode: 0o600 });
    try {
        unlinkSync(setupCodeFile(systemDir));
    }
    catch { /* already gone */ }
}
/** Whether `input` is the current code (compared in constant time). */
export function checkSetupCode(systemDir, input) {
    const code = readSetupCode(systemDir);
    if (!code)
        return false;
    const a = Buffer.from(normalizeSetupCode(input));
    const b = Buffer.from(code);
    return a.length === b.length && timingSafeEqual(a, b);
}
//# sourceMappingURL=setup-code.js.map