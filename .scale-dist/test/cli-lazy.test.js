// The CLI's command list (appliance/commands/index.ts) names each command, its usage and summary
// without loading its module; each entry must load the command its module really exports, under
// the same name, usage and summary (a stale entry would run something else or print wrong help).
import t from 'tap';
import { COMMANDS } from '../appliance/commands/index.js';
t.test('every lazy command loads the command of the same name, usage and summary', async (t) => {
    t.ok(COMMANDS.length > 20, `${COMMANDS.length} commands listed`);
    const names = new Set();
    for (const entry of COMMANDS) {
        t.notOk(names.has(entry.name), `${entry.name} is listed once`);
        names.add(entry.name);
        const loaded = await entry.load();
        t.equal(loaded.name, entry.name, `${entry.name}: the module's command has the listed name`);
        t.equal(loaded.usage, entry.usage, `${entry.name}: the same usage line`);
        t.equal(loaded.summary, entry.summary, `${entry.name}: the same summary`);
        t.type(loaded.run, 'function');
    }
});
//# sourceMappingURL=cli-lazy.test.js.map