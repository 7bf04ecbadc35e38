// postern cert show: the local CA and server certificate fingerprints (what devices should see).
// postern cert rotate-key: new server key pairs (re-issues otherwise keep them), which SMTorP
// peers pin: they need this box's new card. The running appliance signs them (through the
// control socket): the CA key is never on the card for the CLI to read.
import { join } from 'node:path';
import { displayFingerprint, noteCaHandedOut } from '../tls/authority.js';
import { ControlError, controlRequest } from '../control/client.js';
import { boxTls } from './box-tls.js';
import type { Command } from './command.js';

export const certShow: Command = {
  name: 'cert show',
  usage: 'postern cert show [--pem]',
  summary: "print the local CA's and the server certificates' SHA-256 fingerprints",
  async run({ config, flags, out }) {
    const tls = await boxTls(config);
    if (flags.pem) { noteCaHandedOut(tls); out(tls.ca.trim()); return 0; }
    out(`CA certificate (install on devices): ${join(tls.dir, 'ca.crt')}`);
    out(`  SHA-256 ${displayFingerprint(tls.caFingerprint)}`);
    tls.keys.forEach((_, i) => {
      out(`server certificate ${i === 0 ? 'ECDSA' : 'RSA'}: SHA-256 ${displayFingerprint(tls.serverFingerprints[i]!)}`);
      out(`  public key (SPKI) SHA-256 ${tls.serverSpki[i]}`);
    });
    out(`server certificates expire ${tls.notAfter.toISOString().slice(0, 10)}`);
    out(`the CA may vouch only for: ${tls.caPermits.join(', ')} (and their sub-domains), loopback addresses`);
    const r = tls.caReplaced;
    if (r) {
      out(`the CA was replaced on ${r.at.slice(0, 10)} (${r.reason === 'unconstrained' ? 'the old one could sign for any name' : r.reason === 'names' ? 'a new name' : "the old one's key was gone"}): devices that trusted the old one (SHA-256 ${displayFingerprint(r.previous)}) must install this one and remove the old one`);
    }
    return 0;
  },
};

export const certRotateKey: Command = {
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
    let spki: string[];
    try {
      spki = (await controlRequest(config, { op: 'rotate-key' })).spki ?? [];
    } catch (e) {
      if (!(e instanceof ControlError)) throw e;
      err(e.code === 'unavailable'
        ? `${e.message}: start Postern first (it holds the CA key that signs the new certificates; the key is not kept on the card)`
        : `no new key: ${e.message}`);
      return 1;
    }
    out(`new ECDSA key: public key (SPKI) SHA-256 ${spki[0]} (was ${before.serverSpki[0]})`);
    out(`new RSA key: public key (SPKI) SHA-256 ${spki[1]} (was ${before.serverSpki[1]})`);
    err(`warning: ${warning}`);
    out('Postern serves the new certificates now (open sessions keep the old ones)');
    return 0;
  },
};
