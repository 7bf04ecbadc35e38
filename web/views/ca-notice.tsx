// The notice shown (overview, device setup) after the box's certificate authority was replaced:
// devices that trusted the old one need the new one (appliance/tls/authority.ts).
import { displayFingerprint, type TlsMaterial } from '../../appliance/tls/authority.js';

const REPLACED_WHY = {
  unconstrained: 'the earlier one could vouch for any web site; this one only for this box',
  names: 'this box has a new name the earlier one did not cover',
  key: "the earlier one's signing key was not kept",
} as const;

/** When the box's certificate authority was replaced: devices that trusted the old one need this one. */
export function CaReplacedNotice({ tls }: { tls: TlsMaterial }) {
  const r = tls.caReplaced;
  if (!r) return null;
  return (
    <section class="notice" role="status" aria-labelledby="ca-replaced">
      <h2 id="ca-replaced">This box has a new certificate since {r.at.slice(0, 10)}</h2>
      <p>Why: {REPLACED_WHY[r.reason]}. Phones and computers that installed the earlier certificate or profile no longer trust this box until you install the new one below (installing your new profile on an iPhone, iPad or Mac replaces the old one).</p>
      <p>Then remove the earlier certificate from each device: its fingerprint was <code id="ca-previous">{displayFingerprint(r.previous)}</code>.</p>
    </section>
  );
}
