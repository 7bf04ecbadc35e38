// postern cert show: the local CA and server certificate fingerprints (what devices should see).
// postern cert rotate-key: new server key pairs (re-issues otherwise keep them), which SMTorP
// peers pin: they need this box's new card.
import { join } from 'node:path';
import { systemDir } from '../config.js';
import { displayFingerprint, ensureTls } from '../tls/authority.js';
import { boxTls } from './box-tls.js';
export const certShow = {
    name: 'cert show',
    usage: 'postern cert show [--pem]',
    summary: "print the local CA's and the server certificates' SHA-256 fingerprints",
    async run({ config, flags, out }) {
        const tls = await boxTls(config);
        if (flags.pem) {
            out(tls.ca.trim());
            return 0;
        }
        out(`CA certificate (install on devices): ${join(tls.dir, 'ca.crt')}`);
        out(`  SHA-256 ${displayFingerprint(tls.caFingerprint)}`);
        tls.keys.forEach((_, i) => {
            out(`server certificate ${i === 0 ? 'ECDSA' : 'RSA'}: SHA-256 ${displayFingerprint(tls.serverFingerprints[i])}`);
            out(`  public key (SPKI) SHA-256 ${tls.serverSpki[i]}`);
        });
        out(`server certificates expire ${tls.notAfter.toISOString().slice(0, 10)}`);
        return 0;
    },
};
export const certRotateKey = {
    name: 'cert rotate-key',
    usage: 'postern cert rotate-key --yes',
    summary: 'make new server key pairs and certificates (SMTorP peers then need a new peer card)',
    async run({ config, flags, out, err }) {
        const warning = 'SMTorP peers pin this box\'s TLS public key: after a new key they refuse its mail and it cannot deliver to them until each peer adds this box\'s new card (postern peer card).';
        if (!flags.yes) {
            err(warning);
            err('run again with --yes to make the new key');
            return 1;
        }
        const before = await boxTls(config);
        const tls = await ensureTls(join(systemDir(config), 'tls'), config.hostname, config.domains, { rotateKey: true });
        out(`new ECDSA key: public key (SPKI) SHA-256 ${tls.serverSpki[0]} (was ${before.serverSpki[0]})`);
        out(`new RSA key: public key (SPKI) SHA-256 ${tls.serverSpki[1]} (was ${before.serverSpki[1]})`);
        err(`warning: ${warning}`);
        out('a running Postern takes the new certificates within a minute (open sessions keep the old ones)');
        return 0;
    },
};
//# sourceMappingURL=cert.js.map