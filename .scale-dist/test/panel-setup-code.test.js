// The one-time setup code's file and check (web/setup-code.ts) on a real folder: typed forms
// accepted, anything else refused, gone after setup, made again for a box set up again.
import t from 'tap';
import fc from 'fast-check';
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './harness/appliance.js';
import { checkSetupCode, completeSetup, ensureSetupCode, formatSetupCode, isSetupComplete, readSetupCode, setupCodeFile } from '../web/setup-code.js';
t.test('setup code: made once, typed forms accepted, others refused, gone after setup', async (t) => {
    const dir = join(tempDir(), 'system');
    t.teardown(() => rmSync(join(dir, '..'), { recursive: true, force: true }));
    t.equal(readSetupCode(dir), undefined);
    t.equal(checkSetupCode(dir, ''), false, 'no code: nothing matches, not even empty input');
    const { code, created } = ensureSetupCode(dir);
    t.ok(created);
    t.match(code, /^[A-HJ-NP-Z2-9]{10}$/, '10 symbols without 0, O, 1, I');
    t.equal(statSync(setupCodeFile(dir)).mode & 0o777, 0o600);
    t.same(ensureSetupCode(dir), { code, created: false }, 'the same code until setup is done');
    for (const typed of [code, code.toLowerCase(), formatSetupCode(code), ` ${code.slice(0, 5)} ${code.slice(5)} `, formatSetupCode(code).toLowerCase()]) {
        t.equal(checkSetupCode(dir, typed), true, JSON.stringify(typed));
    }
    for (const wrong of ['', code.slice(0, 9), code + 'A', code.slice(1) + code[0], 'A'.repeat(10)]) {
        if (wrong !== code)
            t.equal(checkSetupCode(dir, wrong), false, JSON.stringify(wrong));
    }
    fc.assert(fc.property(fc.string({ maxLength: 30 }), (s) => checkSetupCode(dir, s) === (s.toUpperCase().replace(/[\s-]/g, '') === code)), { numRuns: 2000 });
    writeFileSync(setupCodeFile(dir), 'short\n');
    t.equal(readSetupCode(dir), undefined, 'a damaged file is no code');
    t.equal(checkSetupCode(dir, 'short'), false);
    const again = ensureSetupCode(dir);
    t.ok(again.created, 'and a new one is made');
    completeSetup(dir);
    t.ok(isSetupComplete(dir));
    t.notOk(existsSync(setupCodeFile(dir)), 'the code is deleted once the administrator exists');
    t.equal(checkSetupCode(dir, again.code), false, 'and no longer accepted');
    ensureSetupCode(dir);
    t.notOk(isSetupComplete(dir), 'a box set up again (a new storage) prints a code at its next locked start');
});
//# sourceMappingURL=panel-setup-code.test.js.map