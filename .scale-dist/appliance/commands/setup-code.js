// postern setup-code: the one-time code the panel's first-run setup asks for, read on the box
// (the code file is in the system folder, readable by the postern user and root only).
import { systemDir } from '../config.js';
import { formatSetupCode, isSetupComplete, readSetupCode } from '../../web/setup-code.js';
export const setupCode = {
    name: 'setup-code',
    usage: 'postern setup-code',
    summary: "show the one-time code the panel's first-run setup asks for",
    async run({ config, out, err }) {
        const dir = systemDir(config);
        const code = readSetupCode(dir);
        if (code) {
            out(formatSetupCode(code));
            return 0;
        }
        err(isSetupComplete(dir)
            ? 'postern: this box is set up (an administrator exists): there is no setup code any more'
            : 'postern: no setup code yet: start the appliance (postern start), it makes one and prints it');
        return 1;
    },
};
//# sourceMappingURL=setup-code.js.map