// Opening a peer target with what the box has: as the owner, its TLS key (systemDir/tls), the
// peer's pinned key from the SMTorP peer book (the peer is added from its card first), and the
// retrieval key to register; as a restoring box, the retrieval key from the recovery code. Tor's
// SOCKS port comes from the box's tor (its control port), like `postern tor status` finds it.
import { join } from 'node:path';
import { parseEndpoint, systemDir } from '../config.js';
import { loadTls } from '../tls/authority.js';
import { isOnionAddress } from '../../services/tor/onion-key.js';
import { PeerBook } from '../../services/smtorp/peers.js';
import { onionIdentity } from '../../services/tor/keys.js';
import { retrievalKey } from './keys.js';
import { PeerTarget } from './peer-target.js';
import { TargetError, type TargetContext } from './target.js';
import type { Store } from '../store/index.js';

export function normalizeOnion(text: string): string {
  const onion = text.trim().toLowerCase().replace(/\/$/, '');
  const full = onion.endsWith('.onion') ? onion : `${onion}.onion`;
  if (!isOnionAddress(full)) throw new TargetError(`${JSON.stringify(text)} is not a v3 onion address (56 letters and digits, then .onion)`);
  return full;
}

/** The peer's pinned TLS key, from the peer book (its card). */
export function peerSpki(store: Store, onion: string): string {
  const peer = new PeerBook(store).list().find((p) => p.onion === onion);
  if (!peer) throw new TargetError(`${onion.slice(0, 16)}….onion is not a peer of this box: add its peer card first ("postern peer add"), so its TLS key is pinned`);
  if (!peer.spki) throw new TargetError(`the peer ${peer.domain} was added from an old card that pins a certificate, not a key: ask it for a new card`);
  return peer.spki;
}

export async function torSocks(ctx: TargetContext): Promise<{ host: string; port: number }> {
  if (ctx.socks) return ctx.socks;
  if (!ctx.config) throw new TargetError('internal: a peer target needs the configuration');
  if (ctx.config.tor.socks) return parseEndpoint('tor.socks', ctx.config.tor.socks);
  if (ctx.config.tor.mode === 'off') throw new TargetError('a peer box is reached over Tor, and Tor is off on this box (config tor.mode): turn it on, or give --socks HOST:PORT');
  const { probeTor } = await import('../../services/tor/probe.js');
  const st = await probeTor(ctx.config);
  if (!st.socks) throw new TargetError(`cannot find tor's SOCKS port (${st.summary}): is Postern running?`);
  if (st.bootstrap < 100) throw new TargetError(`tor is not connected yet (${st.summary}); try again in a minute`);
  return st.socks;
}

export async function openPeerTarget(location: string, ctx: TargetContext): Promise<PeerTarget> {
  const onion = normalizeOnion(location);
  const socks = await torSocks(ctx);
  if (ctx.recoveryCode !== undefined) return PeerTarget.open(onion, { socks, retrieval: retrievalKey(ctx.recoveryCode) });
  if (!ctx.store || !ctx.config) throw new TargetError('internal: a peer target is opened by its owner (the store) or with the recovery code');
  const tls = loadTls(join(systemDir(ctx.config), 'tls'));
  const ecdsa = tls.keys[0]!;
  return PeerTarget.open(onion, { socks, owner: { key: ecdsa.key, cert: ecdsa.cert, peerSpki: peerSpki(ctx.store, onion) } });
}

/** This box's own SMTP onion address (what a peer names in "target add NAME peer ONION"). */
export function ownOnion(config: import('../config.js').Config): string {
  return onionIdentity(config, 'smtp').address;
}
