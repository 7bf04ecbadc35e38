// postern cert show: the local CA and server certificate fingerprints (what devices should see).
import { join } from 'node:path';
import { displayFingerprint } from '../tls/authority.js';
import { boxTls } from './box-tls.js';
import type { Command } from './command.js';

export const certShow: Command = {
  name: 'cert show',
  usage: 'postern cert show [--pem]',
  summary: "print the local CA's and the server certificates' SHA-256 fingerprints",
  async run({ config, flags, out }) {
    const tls = await boxTls(config);
    if (flags.pem) { out(tls.ca.trim()); return 0; }
    out(`CA certificate (install on devices): ${join(tls.dir, 'ca.crt')}`);
    out(`  SHA-256 ${displayFingerprint(tls.caFingerprint)}`);
    tls.keys.forEach((_, i) => out(`server certificate ${i === 0 ? 'ECDSA' : 'RSA'}: SHA-256 ${displayFingerprint(tls.serverFingerprints[i]!)}`));
    out(`server certificates expire ${tls.notAfter.toISOString().slice(0, 10)}`);
    return 0;
  },
};
